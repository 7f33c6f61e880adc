"""Remembering results: one digest scheme, atomic files, and a small on-disk store.

Everything dimclust keeps between runs — per-seed results, reduced data, pretrained
autoencoders, DCEC checkpoints and run records — is written through this module, so
there is one way to name a result (:func:`digest`, with the package versions and a digest
of the code that computes it folded in by :meth:`Store.key`) and one way to write a file that a kill cannot leave half-written
(:func:`atomic_write`, :func:`write_npz`).

Estimators do not look for caches themselves: like :class:`sklearn.pipeline.Pipeline`,
they take ``memory=`` (a folder or a :class:`Store`) and use it through :func:`as_store`.
"""
from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import tempfile
from pathlib import Path

import numpy as np

from ._code import code_digest
from ._provenance import versions

__all__ = ["Store", "as_store", "digest", "atomic_write", "write_npz", "read_npz"]

_META = "__meta__"

log = logging.getLogger(__name__)


def digest(*parts):
    """SHA-256 (hex) of arrays (by shape, dtype and bytes) and JSON-able values, in order.

    Examples
    --------
    >>> digest("umap2", {"n_neighbors": 30}) == digest("umap2", {"n_neighbors": 30})
    True
    """
    h = hashlib.sha256()
    for p in parts:
        if isinstance(p, np.ndarray):
            h.update(str((p.shape, p.dtype.str)).encode())
            h.update(np.ascontiguousarray(p).data)
        else:
            h.update(json.dumps(p, sort_keys=True, default=str).encode())
        h.update(b"\x00")
    return h.hexdigest()


def atomic_write(path, data):
    """Write ``data`` (str or bytes) to ``path`` through a temporary file and ``os.replace``.

    A reader sees either the old file or the whole new one, never a part.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_npz(path, meta=None, arrays=None):
    """Atomically write JSON-able ``meta`` and a dict of ``arrays`` to one ``.npz`` file."""
    buf = io.BytesIO()
    blob = np.frombuffer(json.dumps(meta or {}, default=str).encode(), dtype=np.uint8)
    np.savez(buf, **{_META: blob}, **(arrays or {}))
    return atomic_write(path, buf.getvalue())


def read_npz(path):
    """Read what :func:`write_npz` wrote: ``(meta, arrays)``; object arrays are refused."""
    with np.load(path, allow_pickle=False) as f:
        meta = json.loads(f[_META].tobytes().decode())
        return meta, {k: f[k] for k in f.files if k != _META}


def _split(value):
    arrays = {k: v for k, v in value.items() if isinstance(v, np.ndarray)}
    return {k: v for k, v in value.items() if k not in arrays}, arrays


class Store:
    """A folder of results, each an ``.npz`` named by its kind and key.

    Parameters
    ----------
    root : str or path
        The folder (created on first write).

    Examples
    --------
    >>> import tempfile
    >>> s = Store(tempfile.mkdtemp())
    >>> s.cached("square", [3], lambda: {"value": 9})
    {'value': 9}
    >>> s.cached("square", [3], lambda: {"value": -1})     # remembered, not recomputed
    {'value': 9}
    """

    def __init__(self, root):
        self.root = Path(root).expanduser()

    def __repr__(self):
        return f"Store({str(self.root)!r})"

    @staticmethod
    def key(kind, *parts):
        """Key of a result: a digest of its kind, ``parts``, the package versions and the
        code that computes it (:func:`~dimclust._code.code_digest`)."""
        return digest(kind, *parts, versions(), code_digest(kind))[:24]

    def path(self, kind, key):
        """File of the result ``kind``/``key`` (it may not exist)."""
        return self.root / f"{kind}-{key}.npz"

    def get(self, kind, key):
        """The stored ``(meta, arrays)``, or ``None`` when there is none or it cannot be
        read (truncated, empty, garbage, bad metadata): a cache entry that cannot be read
        is a miss, logged, and the next :meth:`put` replaces it."""
        path = self.path(kind, key)
        if not path.exists():
            return None
        try:
            meta, arrays = read_npz(path)
        except Exception as e:  # noqa: BLE001  (any unreadable file is a miss)
            log.warning("unreadable store entry %s (%s: %s); computing it again", path,
                        type(e).__name__, e)
            return None
        if not isinstance(meta, dict):
            log.warning("store entry %s has no metadata dict; computing it again", path)
            return None
        return meta, arrays

    def put(self, kind, key, meta=None, arrays=None):
        """Store ``meta`` (JSON-able dict) and ``arrays`` (dict of ndarrays); returns the path."""
        return write_npz(self.path(kind, key), meta, arrays)

    def cached(self, kind, key_parts, compute, *, dump=None, load=None):
        """``compute()``'s value, computed once per ``key_parts`` and then read back.

        Parameters
        ----------
        kind : str
            What is stored (``"seed"``, ``"reduced"``, ``"pretrained"``, ...).
        key_parts : list
            Everything the value depends on: arrays and JSON-able values.
        compute : callable
            Makes the value when it is not stored.
        dump, load : callable, optional
            ``dump(value) -> (meta, arrays)`` and ``load(meta, arrays) -> value``. By
            default the value is a dict whose ndarray entries become arrays.
        """
        key = self.key(kind, *key_parts)
        hit = self.get(kind, key)
        if hit is not None:
            try:
                return load(*hit) if load else {**hit[0], **hit[1]}
            except Exception as e:  # noqa: BLE001  (an entry that does not load is a miss)
                log.warning("store entry %s does not load (%s: %s); computing it again",
                            self.path(kind, key), type(e).__name__, e)
        value = compute()
        self.put(kind, key, *(dump(value) if dump else _split(value)))
        return value

    def contains(self, kind, key_parts):
        """Whether the value for ``key_parts`` is stored."""
        return self.path(kind, self.key(kind, *key_parts)).exists()


def as_store(memory):
    """``memory=`` as estimators take it: ``None``, a folder, or a :class:`Store`."""
    if memory is None or isinstance(memory, Store):
        return memory
    if isinstance(memory, (str, os.PathLike)):
        return Store(memory)
    raise TypeError(f"memory={memory!r}; pass None, a folder path or a dimclust.store.Store")
