import os
from pathlib import Path

import numpy as np
import pytest

import dimclust as dc

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _require(name):
    if not dc.datasets.available(name):
        pytest.skip(f"{name} data not available here (see dimclust.datasets)")


@pytest.fixture(scope="session")
def fashion_small():
    """2,000 real Fashion-MNIST images, stratified, fixed seed."""
    _require("fashion")
    return dc.datasets.load("fashion", n_samples=2000, random_state=0, stratify=True)


def digits28():
    """scikit-learn's 1,797 handwritten digits (8×8 pixels, shipped with scikit-learn) drawn
    at MNIST's 28×28: each pixel as a 3×3 block, inside a 2-pixel border; values in [0, 1]."""
    X, y = dc.datasets.load("digits")
    X = np.kron(X[..., 0], np.ones((3, 3), dtype=X.dtype))
    return np.pad(X, ((0, 0), (2, 2), (2, 2)))[..., None].astype(np.float32), y


def digit_images_sample(n, seed=0):
    """``n`` digit images drawn with ``seed``: MNIST's test images where they are here, else
    :func:`digits28` (what a training child process loads; see :func:`kill_when`)."""
    if dc.datasets.available("mnist-test"):
        return dc.datasets.load("mnist-test", n_samples=n, random_state=seed)[0]
    X, _ = digits28()
    return X[np.sort(np.random.default_rng(seed).permutation(len(X))[:n])]


#: Lines a child process starts with to load :func:`digit_images_sample` from this folder.
CHILD_PRELUDE = f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})\n"


@pytest.fixture(scope="session")
def mnist_test_small():
    """2,000 MNIST test images, stratified, fixed seed, for tests whose expected values are
    MNIST's own (skipped where MNIST is not here)."""
    _require("mnist-test")
    return dc.datasets.load("mnist-test", n_samples=2000, random_state=0, stratify=True)


@pytest.fixture(scope="session")
def digit_images():
    """28×28 images of handwritten digits and their labels: 2,000 MNIST test images
    (stratified, fixed seed) where MNIST is here, else scikit-learn's 1,797 digits at 28×28
    (:func:`digits28`), so that the networks' tests run wherever the package installs."""
    if dc.datasets.available("mnist-test"):
        return dc.datasets.load("mnist-test", n_samples=2000, random_state=0, stratify=True)
    return digits28()


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def kill_when(code, arg, ready, log_path, timeout=600):
    """Run ``python -c code arg`` and SIGKILL it once ``ready()`` is true (a checkpoint
    written, say); a child that ends first fails the test with its log."""
    import subprocess
    import sys
    import time
    with open(log_path, "w") as log:
        child = subprocess.Popen([sys.executable, "-c", code, str(arg)], stdout=log,
                                 stderr=subprocess.STDOUT,
                                 env={**os.environ, "PYTHONUNBUFFERED": "1"})
        deadline = time.time() + timeout      # generous: a loaded machine is slow, not wrong
        while time.time() < deadline and not ready():
            assert child.poll() is None, open(log_path).read()
            time.sleep(0.1)
        child.kill()
        child.wait()
