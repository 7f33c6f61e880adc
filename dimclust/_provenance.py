"""Provenance of a result: package versions, hardware and the source commit."""
from __future__ import annotations

import os
import platform
import shutil
import subprocess
import time
from contextlib import contextmanager
from functools import lru_cache
from importlib import metadata
from pathlib import Path

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


def _run(cmd, cwd=None):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=10,
                              cwd=cwd).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


@lru_cache(maxsize=1)
def hardware():
    """CPU, core count, Keras backend and GPU names (``nvidia-smi -L``) where there are any."""
    gpus = _run(["nvidia-smi", "-L"]).splitlines() if shutil.which("nvidia-smi") else []
    return {"machine": platform.machine(), "processor": platform.processor() or None,
            "cpu_count": os.cpu_count(), "python": platform.python_version(),
            "keras_backend": os.environ.get("KERAS_BACKEND", "tensorflow"), "gpus": gpus}


@lru_cache(maxsize=1)
def git_commit():
    """The commit of the dimclust source in use (``+dirty`` when it has local changes), or None."""
    src = Path(__file__).resolve().parent
    if not shutil.which("git"):
        return None
    commit = _run(["git", "rev-parse", "HEAD"], cwd=src)
    if not commit:
        return None
    dirty = _run(["git", "status", "--porcelain", "--", "."], cwd=src)
    return commit + ("+dirty" if dirty else "")


@contextmanager
def timed(timings, stage, logger=None):
    """Add the wall seconds of the ``with`` block to ``timings[stage]``."""
    if logger is not None:
        logger.info("%s ...", stage)
    t0 = time.perf_counter()
    try:
        yield
    except BaseException:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - t0
        if logger is not None:
            logger.info("%s stopped after %.1f s", stage, timings[stage])
        raise
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - t0
    if logger is not None:
        logger.info("%s done in %.1f s", stage, timings[stage])
