import numpy as np
import pytest

import dimclust as dc
from dimclust.datasets import DatasetNotFoundError

MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_fashion_full_shapes_and_counts():
    if not dc.datasets.available("fashion"):
        pytest.skip("Fashion-MNIST not installed")
    X, y = dc.datasets.load("fashion")
    assert X.shape == (70000, 28, 28, 1) and y.shape == (70000,)
    assert X.dtype == np.float32 and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.bincount(y).tolist() == [7000] * 10
    Xtr, ytr = dc.datasets.load("fashion", subset="train")
    Xte, _ = dc.datasets.load("fashion", subset="test")
    assert len(Xtr) == 60000 and len(Xte) == 10000
    np.testing.assert_array_equal(X[60000:], Xte)   # train first, then test
    assert np.bincount(ytr).tolist() == [6000] * 10


def test_mnist_test_counts_and_flatten():
    if not dc.datasets.available("mnist-test"):
        pytest.skip("MNIST test set not available")
    X, y = dc.datasets.load("mnist-test", flatten=True)
    assert X.shape == (10000, 784) and X.dtype == np.float32
    assert 0.0 <= X.min() and X.max() <= 1.0
    assert np.bincount(y).tolist() == MNIST_TEST_COUNTS
    # a known pixel fact: MNIST digits are centred, the corners are background
    assert X.reshape(-1, 28, 28)[:, 0, 0].max() == 0.0


def test_digits_is_offline_and_scaled():
    X, y = dc.datasets.load("digits")
    assert X.shape == (1797, 8, 8, 1) and X.max() == 1.0 and X.min() == 0.0
    assert len(np.unique(y)) == 10


def test_subsets_are_reproducible(fashion_small):
    a, ya = dc.datasets.load("fashion", n_samples=500, random_state=3)
    b, yb = dc.datasets.load("fashion", n_samples=500, random_state=3)
    c, _ = dc.datasets.load("fashion", n_samples=500, random_state=4)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ya, yb)
    assert not np.array_equal(a, c)


def test_stratified_subset_keeps_proportions(fashion_small):
    _, y = fashion_small
    assert np.bincount(y).tolist() == [200] * 10


def test_class_names():
    assert dc.datasets.class_names("fashion") == [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
    assert dc.datasets.class_names("cifar10")[0] == "airplane"
    assert len(dc.datasets.class_names("cifar10")) == 10


@pytest.mark.parametrize("bad", [0, -5, 1798, 2.5, True])
def test_bad_n_samples(bad):
    with pytest.raises(ValueError, match="n_samples"):
        dc.datasets.load("digits", n_samples=bad)


def test_unknown_name_and_subset():
    with pytest.raises(KeyError, match="'emnist'"):
        dc.datasets.load("emnist")
    with pytest.raises(KeyError, match="emnist"):
        dc.datasets.class_names("emnist")
    with pytest.raises(ValueError, match="subset='train'"):
        dc.datasets.load("mnist-test", subset="train")


def test_missing_data_fails_fast_with_places(tmp_path, monkeypatch):
    """With nothing on disk and no network, the error lists every place searched."""
    monkeypatch.setenv("DIMCLUST_DATA", str(tmp_path))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv("DIMCLUST_OFFLINE", "1")
    dc.datasets._load_split.cache_clear()
    monkeypatch.setattr(dc.datasets, "_candidate_dirs",
                        lambda folder, f=dc.datasets._candidate_dirs:
                        [d for d in f(folder) if not str(d).startswith("/usr/share")])
    try:
        with pytest.raises(DatasetNotFoundError) as err:
            dc.datasets.load("cifar10")
        msg = str(err.value)
        assert str(tmp_path / "cifar-10-batches-py") in msg
        assert "keras.datasets.cifar10" in msg
        assert not dc.datasets.available("mnist-test")
    finally:
        dc.datasets._load_split.cache_clear()


def test_idx_reader_rejects_non_idx(tmp_path):
    import gzip
    p = tmp_path / "bad.gz"
    with gzip.open(p, "wb") as f:
        f.write(b"not an idx file at all")
    with pytest.raises(ValueError, match="not an unsigned-byte IDX"):
        dc.datasets._read_idx(p)
