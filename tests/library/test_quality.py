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


def test_class_purity_hand_computed():
    # class 0: three points on a line; class 1: two points far away and one among class 0
    Z = np.array([[0.0], [1.0], [2.0], [100.0], [101.0], [1.5]])
    y = np.array([0, 0, 0, 1, 1, 1])
    p = dc.quality.class_purity(Z, y, k=1)
    # nearest neighbours: 0->1, 1->5 (0.5 away), 2->5, 3->4, 4->3, 5->1 or 2 (0.5 away)
    assert p == {0: pytest.approx(1 / 3), 1: pytest.approx(2 / 3)}
    assert all(isinstance(v, float) for v in p.values())
    with pytest.raises(ValueError, match="k=6"):
        dc.quality.class_purity(Z, y, k=6)


def test_class_purity_separated_and_mixed_classes(rng):
    y = np.repeat(np.arange(3), 50)
    apart = rng.normal(size=(150, 2)) + 20 * y[:, None]
    assert set(dc.quality.class_purity(apart, y).values()) == {1.0}
    mixed = dc.quality.class_purity(rng.normal(size=(150, 2)), y)
    assert all(0.1 < v < 0.6 for v in mixed.values())


def test_structure_kept_tabulates_both_measures_per_map(rng):
    y = np.repeat(np.arange(5), 40)
    X = rng.normal(size=(200, 10)) + y[:, None] * np.arange(10)
    table = dc.quality.structure_kept(X, {"same": X, "noise": rng.normal(size=(200, 2))}, y)
    assert list(table.columns) == ["same", "noise"]
    assert table.loc[dc.quality.KNN_KEPT, "same"] == 1.0
    assert table.loc["centroid distance correlation", "same"] == pytest.approx(1.0)
    assert table.loc[dc.quality.KNN_KEPT, "noise"] < 0.2
