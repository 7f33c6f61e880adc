"""Shipped pretrained autoencoders: a campaign's long pretrainings, kept beside its records.

A result store lives on one machine; a pretraining of 70,000 images takes hours on two CPU
cores. So the campaign saves the autoencoder each DCEC pretraining produced under
``<records>/pretrained/`` (about 1.1 MB for Guo's CAE), where the repository keeps it and
``DCEC(pretrained=...)`` or a chapter can start from it (:func:`load_pretrained`). On
another machine, :func:`adopt_pretrained` puts it back into the result store, so a campaign's
later jobs (DCEC with another γ) find the pretraining they would have found on the first.
"""
from __future__ import annotations

import logging
from pathlib import Path

__all__ = ["pretrained_name", "ship_pretrained", "adopt_pretrained", "load_pretrained"]

log = logging.getLogger(__name__)


def pretrained_name(dataset, seed, architecture="guo", embedding_dim=10, epochs=200):
    """File name of a shipped autoencoder, e.g. ``fashion-guo-cae10-e200-seed0.npz``."""
    return f"{dataset}-{architecture}-cae{embedding_dim}-e{epochs}-seed{seed}.npz"


def _pretraining(dataset, seed, out, params, n_samples, store):
    """The shipped file, the unfitted autoencoder DCEC pretrains, its images and store key
    parts."""
    from .. import datasets  # noqa: PLC0415
    from ..dcec import DCEC  # noqa: PLC0415
    from .runner import result_store  # noqa: PLC0415
    store = store or result_store()
    dcec = DCEC(**(params or {}), memory=store, verbose=0)
    path = Path(out) / "pretrained" / pretrained_name(
        dataset, seed, dcec.architecture, dcec.embedding_dim, dcec.pretrain_epochs)
    X, _ = datasets.load(dataset, n_samples=n_samples, random_state=0)
    cae = dcec.make_autoencoder(seed)
    return path, cae, X, store, [X, cae.result_params()]     # as ConvAutoencoder.fit keys it


def ship_pretrained(dataset, seed, out, *, params=None, n_samples=None, store=None):
    """Save the autoencoder a DCEC with ``params`` pretrained on ``dataset`` with ``seed``
    (remembered in ``store``) to ``<out>/pretrained/``; returns the path, or ``None`` when
    the store does not hold it (nothing is trained here).
    """
    path, cae, X, store, parts = _pretraining(dataset, seed, out, params, n_samples, store)
    if path.exists():
        return path
    if not store.contains("cae", parts):
        return None
    cae.fit(X)                               # read back from the store, not trained
    path.parent.mkdir(parents=True, exist_ok=True)
    log.info("shipping the pretrained autoencoder to %s", path)
    return cae.save(path)


def adopt_pretrained(dataset, seed, out, *, params=None, n_samples=None, store=None):
    """Put the autoencoder shipped under ``<out>/pretrained/`` into ``store`` where the
    pretraining of a DCEC with ``params`` on ``dataset`` and ``seed`` is looked for; returns
    ``True`` when it did, ``False`` when nothing is shipped or the store holds one already.

    The shipped file must have been trained with exactly these settings: its stored
    parameters are compared with those of the autoencoder DCEC would train, and a
    mismatch raises ``ValueError`` rather than let a different network stand in.
    """
    from ..autoencoder import ConvAutoencoder  # noqa: PLC0415
    path, cae, _, store, parts = _pretraining(dataset, seed, out, params, n_samples, store)
    if not path.exists() or store.contains("cae", parts):
        return False
    shipped = ConvAutoencoder.load(path)
    want = parts[1]
    have = {k: v for k, v in shipped.get_params().items() if k in want}
    if have != want:
        diff = {k: (have.get(k), v) for k, v in want.items() if have.get(k) != v}
        raise ValueError(f"{path.name} was trained with other settings (shipped, wanted): "
                         f"{diff}; delete it or run the pretraining again")
    log.info("adopting the shipped autoencoder %s into %s", path.name, store)
    store.put("cae", store.key("cae", *parts), *shipped.state())
    return True


def load_pretrained(folder, dataset, seed=0, **name):
    """The shipped autoencoder of ``dataset`` and ``seed`` found under ``folder`` (any
    ``pretrained/`` below it), or ``None``."""
    from ..autoencoder import ConvAutoencoder  # noqa: PLC0415
    target = pretrained_name(dataset, seed, **name)
    found = sorted(Path(folder).rglob(f"pretrained/{target}")) if Path(folder).is_dir() else []
    return ConvAutoencoder.load(found[0]) if found else None
