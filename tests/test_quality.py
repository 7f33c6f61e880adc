import numpy as np
import pytest

import dimclust as dc


def test_relative_contrast_concentrates_with_dimension(rng):
    low = dc.quality.relative_contrast(rng.random((500, 2)))
    high = dc.quality.relative_contrast(rng.random((500, 500)))
    assert low > 10 * high and high < 0.5


def test_knn_preservation_identity_and_shuffle(rng):
    X = rng.normal(size=(300, 5))
    assert dc.quality.knn_preservation(X, X, k=5) == 1.0
    assert dc.quality.knn_preservation(X, X * 3 + 1, k=5) == 1.0      # similarity keeps neighbours
    assert dc.quality.knn_preservation(X, rng.permutation(X), k=5) < 0.1
    with pytest.raises(ValueError, match="k=300"):
        dc.quality.knn_preservation(X, X, k=300)


def test_centroid_correlation(rng):
    y = np.repeat(np.arange(5), 40)
    X = rng.normal(size=(200, 10)) + y[:, None] * np.arange(10)
    assert dc.quality.centroid_correlation(X, 2 * X + 1, y) == pytest.approx(1.0)
    assert dc.quality.centroid_correlation(X, rng.normal(size=(200, 2)), y) < 0.9
    with pytest.raises(ValueError, match="at least 3 classes"):
        dc.quality.centroid_correlation(X[:80], X[:80], y[:80])


def test_majority_class():
    assert dc.metrics.majority_class([0, 0, 1, 1, 1, 2], [5, 5, 5, 7, 7, -1]) == {5: 0, 7: 1}
