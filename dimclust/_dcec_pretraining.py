"""DCEC's pretraining, step 1 of the DCEC chapter's algorithm box (thesis ch. 9), and where a
DCEC fit checkpoints.

The autoencoder DCEC starts from is, in this order: the one given (``pretrained=``), the one
an interrupted fit of the same DCEC left in its checkpoint, or one trained now by
:meth:`DCEC.make_autoencoder <dimclust.DCEC.make_autoencoder>` — which the result store
remembers (and resumes epoch by epoch), so DCEC runs that differ only in their clustering
phase share one pretraining.
"""
from __future__ import annotations

import logging

import numpy as np

from .autoencoder import ConvAutoencoder
from .checkpoint import Checkpoint
from .store import as_store, digest

__all__ = ["checkpoint_for", "pretrain"]

log = logging.getLogger(__name__)


def checkpoint_for(dcec, X):
    """Where a fit of ``dcec`` on images ``X`` checkpoints: its ``checkpoint_dir``, else
    (with ``memory`` and an integer seed) a folder in the store named by the images and
    parameters, else nowhere (``None``). Either is bound to the parameters and images it
    was made with."""
    params = {k: v for k, v in dcec.get_params().items()
              if k not in ("memory", "verbose", "steps_per_execution", "checkpoint_dir",
                           "pretrained")}
    settings = digest(X, params)[:24]
    if dcec.checkpoint_dir:
        return Checkpoint(dcec.checkpoint_dir, settings=settings)
    store = as_store(dcec.memory)
    if store is None or dcec.pretrained is not None or not isinstance(
            dcec.random_state, (int, np.integer)):
        return None
    return Checkpoint(store.root / f"dcec-checkpoint-{store.key('dcec', settings)}",
                      settings=settings)


def pretrain(dcec, X_train, seed, ckpt=None):
    """Step 1: the autoencoder of ``dcec`` — given, checkpointed, remembered, or trained now
    on ``X_train`` (n, h, w, c) with ``random_state=seed``; saved into ``ckpt`` when one is
    given."""
    if dcec.pretrained is not None:
        cae = dcec.pretrained
        if (cae.architecture, cae.embedding_dim) != (dcec.architecture, dcec.embedding_dim):
            raise ValueError(
                f"pretrained has architecture={cae.architecture!r}, embedding_dim="
                f"{cae.embedding_dim}, but this DCEC has architecture="
                f"{dcec.architecture!r}, embedding_dim={dcec.embedding_dim}; pass a "
                "matching autoencoder or set the DCEC's parameters to match")
        return cae.copy()
    if ckpt is not None and ckpt.pretrained.exists():
        log.info("DCEC: loading the pretrained autoencoder from %s", ckpt.pretrained)
        return ConvAutoencoder.load(ckpt.pretrained)
    log.info("DCEC: pretraining the %s autoencoder for %d epochs", dcec.architecture,
             dcec.pretrain_epochs)
    cae = dcec.make_autoencoder(seed).fit(X_train)
    if ckpt is not None:
        cae.save(ckpt.pretrained)
    return cae
