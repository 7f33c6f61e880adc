"""Label-free scores (dimclust.validity): hand-computed cases and invariances."""
import numpy as np
import pytest

from dimclust.validity import GEOMETRIC, consensus, geometric_scores

Z = np.array([[0.0], [2.0], [10.0], [12.0]])
LABELS = np.array([0, 0, 1, 1])


def test_geometric_scores_by_hand():
    """Two clusters {0, 2} and {10, 12}: centres 1 and 11, overall mean 6.
    Between-cluster dispersion 4 · 25 = 100, within 4; Calinski–Harabasz = (100 / 1) /
    (4 / 2) = 50. Each cluster's mean distance to its centre is 1, the centres are 10
    apart: Davies–Bouldin = (1 + 1) / 10 = 0.2. Silhouettes: 1 − 2/11 at 0 and 12,
    1 − 2/9 at 2 and 10."""
    s = geometric_scores(Z, LABELS, sample_size=None)
    assert s["calinski_harabasz"] == pytest.approx(50.0)
    assert s["davies_bouldin"] == pytest.approx(0.2)
    assert s["silhouette"] == pytest.approx((9 / 11 + 7 / 9) / 2)
    assert all(isinstance(v, float) for v in s.values()) and set(s) == set(GEOMETRIC)


def test_geometric_scores_invariances():
    """Renaming clusters changes nothing; noise (-1) is left out; one cluster gives NaN."""
    base = geometric_scores(Z, LABELS, sample_size=None)
    assert geometric_scores(Z, 1 - LABELS, sample_size=None) == pytest.approx(base)
    noisy = geometric_scores(np.vstack([Z, [[100.0]]]), np.append(LABELS, -1), sample_size=None)
    assert noisy == pytest.approx(base)
    worse = geometric_scores(Z, np.array([0, 1, 0, 1]), sample_size=None)
    assert worse["silhouette"] < base["silhouette"] and worse["davies_bouldin"] > 0.2
    assert all(np.isnan(v) for v in geometric_scores(Z, [0, 0, 0, -1]).values())
    with pytest.raises(ValueError, match="labels has 3 points and Z 4"):
        geometric_scores(Z, [0, 1, 1])


def test_consensus_by_hand():
    """ARI of [0,0,1,1] with [0,1,0,1] is −0.5 (pair counts: 0 agreeing, expected 2/3 of a
    maximum 2); with a renaming of itself 1: the mean is 0.25."""
    assert consensus(LABELS, [[1, 1, 0, 0]]) == 1.0
    assert consensus(LABELS, [[0, 1, 0, 1], [1, 1, 0, 0]]) == pytest.approx(0.25)
    with pytest.raises(ValueError, match="at least one other"):
        consensus(LABELS, [])
    with pytest.raises(ValueError, match=r"others\[0\] labels 3 points"):
        consensus(LABELS, [[0, 1, 1]])
