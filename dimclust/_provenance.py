"""Provenance of a result: package versions and hardware, recorded with every run."""
from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
from functools import lru_cache
from importlib import metadata

import numpy as np

_PACKAGES = ("numpy", "scikit-learn", "umap-learn", "hdbscan", "openTSNE", "keras")


@lru_cache(maxsize=1)
def versions():
    """Versions of dimclust and the packages whose results it reports."""
    from . import __version__  # noqa: PLC0415
    out = {"dimclust": __version__}
    for p in _PACKAGES:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            out[p] = None
    return out


@lru_cache(maxsize=1)
def hardware():
    """CPU, core count, Keras backend and GPU names (``nvidia-smi -L``) where there are any."""
    gpus = []
    if shutil.which("nvidia-smi"):
        try:
            gpus = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True,
                                  timeout=10).stdout.strip().splitlines()
        except (OSError, subprocess.SubprocessError):
            pass
    return {"machine": platform.machine(), "processor": platform.processor() or None,
            "cpu_count": os.cpu_count(), "python": platform.python_version(),
            "keras_backend": os.environ.get("KERAS_BACKEND", "tensorflow"), "gpus": gpus}


def digest(*parts):
    """SHA-256 of arrays (by bytes, shape and dtype) and JSON-able values."""
    h = hashlib.sha256()
    for p in parts:
        if isinstance(p, np.ndarray):
            h.update(str((p.shape, p.dtype.str)).encode())
            h.update(np.ascontiguousarray(p).data)
        else:
            h.update(json.dumps(p, sort_keys=True, default=str).encode())
    return h.hexdigest()
