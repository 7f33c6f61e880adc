import os

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


@pytest.fixture(scope="session")
def mnist_test_small():
    """2,000 real MNIST test images, stratified, fixed seed."""
    _require("mnist-test")
    return dc.datasets.load("mnist-test", n_samples=2000, random_state=0, stratify=True)


@pytest.fixture
def rng():
    return np.random.default_rng(0)
