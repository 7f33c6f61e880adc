import itertools

import numpy as np
import pytest
from sklearn import metrics as skm

import dimclust as dc


def brute_force_acc(y_true, y_pred):
    """Best accuracy over every injective map clusters -> classes (tiny cases only)."""
    clusters, classes = np.unique(y_pred), np.unique(y_true)
    targets = list(classes) + [None] * max(0, len(clusters) - len(classes))
    best = 0
    for perm in itertools.permutations(targets, len(clusters)):
        m = dict(zip(clusters, perm))
        best = max(best, sum(m[p] == t for p, t in zip(y_pred, y_true)))
    return best / len(y_true)


def test_accuracy_hand_computed():
    y_true = [0, 0, 0, 1, 1, 1]
    y_pred = [1, 1, 0, 0, 0, 0]        # best map: 1->0, 0->1 : 2 + 3 = 5 right
    assert dc.cluster_accuracy(y_true, y_pred) == pytest.approx(5 / 6)
    # three clusters for two classes: the surplus cluster matches nothing
    assert dc.cluster_accuracy([0, 0, 1, 1], [0, 1, 2, 2]) == pytest.approx(3 / 4)
    # one cluster for two classes
    assert dc.cluster_accuracy([0, 0, 1, 1, 1], [7, 7, 7, 7, 7]) == pytest.approx(3 / 5)


@pytest.mark.parametrize("seed", range(25))
def test_accuracy_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    n, k_true, k_pred = rng.integers(5, 30), rng.integers(2, 5), rng.integers(1, 6)
    y_true = rng.integers(0, k_true, n)
    y_pred = rng.integers(0, k_pred, n) * 3 + 10       # arbitrary cluster ids
    assert dc.cluster_accuracy(y_true, y_pred) == pytest.approx(brute_force_acc(y_true, y_pred))


def test_matched_labels_rename_clusters_after_the_class_acc_maps_them_to():
    from sklearn.cluster import KMeans
    X, y = dc.datasets.load("digits", flatten=True)
    clusters = KMeans(10, n_init=3, random_state=0).fit_predict(X) * 7 + 3   # arbitrary ids
    named = dc.metrics.matched_labels(y, clusters)
    # the same partition, each cluster named after its matched class: the share of points
    # whose new name is their class is exactly ACC
    assert dc.ari(clusters, named) == 1.0 and sorted(np.unique(named)) == list(range(10))
    assert np.mean(named == y) == pytest.approx(dc.cluster_accuracy(y, clusters))
    # by hand: a spare cluster takes the next free label, noise stays noise and is not matched
    assert dc.metrics.matched_labels([0, 0, 1, 1, 1], [5, 5, 3, 3, 9]).tolist() == [0, 0, 1, 1, 2]
    assert dc.metrics.matched_labels([0, 0, 1, 1], [4, 4, -1, 6]).tolist() == [0, 0, -1, 1]
    assert dc.metrics.matched_labels([0, 1], [-1, -1]).tolist() == [-1, -1]
    # with noise, only the labelled points are matched: ACC gives class 0 to the noise and so
    # cluster 4 to class 1; the drawing leaves the noise out: 4 -> 0 (2 points), 9 -> 1 (1)
    y_true, y_pred = [0, 0, 0, 0, 1, 1, 0, 0, 1], [-1] * 4 + [4, 4, 4, 4, 9]
    assert dc.metrics.matched_labels(y_true, y_pred).tolist() == [-1] * 4 + [0, 0, 0, 0, 1]


def test_perfect_and_relabelled():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 10, 500)
    perm = rng.permutation(10)
    for f in (dc.cluster_accuracy, dc.nmi, dc.ami, dc.ari):
        assert f(y, y) == pytest.approx(1.0)
        assert f(y, perm[y] + 100) == pytest.approx(1.0)
        assert isinstance(f(y, perm[y]), float)
    noisy = y.copy()
    noisy[:100] = rng.integers(0, 10, 100)
    for f in (dc.cluster_accuracy, dc.nmi, dc.ami, dc.ari):
        assert f(y, noisy) == pytest.approx(f(y, perm[noisy])) and f(y, noisy) < 1.0


def test_nmi_hand_computed():
    # two balanced classes, each cluster splits half/half: zero information
    assert dc.nmi([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(0.0)
    # H(Y)=ln 2, H(C)=ln 3 - ... computed by hand: I = ln2 - (1/2)·ln2·... use the formula
    y, c = [0, 0, 1, 1], [0, 0, 1, 2]
    hy = np.log(2)
    hc = -(0.5 * np.log(0.5) + 2 * 0.25 * np.log(0.25))
    mi = hy  # C determines Y
    assert dc.nmi(y, c) == pytest.approx(mi / ((hy + hc) / 2))


def test_agrees_with_sklearn():
    rng = np.random.default_rng(2)
    a, b = rng.integers(0, 4, 300), rng.integers(0, 6, 300)
    assert dc.nmi(a, b) == pytest.approx(skm.normalized_mutual_info_score(a, b))
    assert dc.ami(a, b) == pytest.approx(skm.adjusted_mutual_info_score(a, b))
    assert dc.ari(a, b) == pytest.approx(skm.adjusted_rand_score(a, b))
    X = rng.normal(size=(300, 3))
    assert dc.silhouette(X, b) == pytest.approx(skm.silhouette_score(X, b))


def test_silhouette_subsample_and_degenerate():
    rng = np.random.default_rng(3)
    X = np.r_[rng.normal(0, 0.1, (100, 2)), rng.normal(5, 0.1, (100, 2))]
    lab = np.r_[np.zeros(100, int), np.ones(100, int)]
    assert dc.silhouette(X, lab, sample_size=50, random_state=0) > 0.9
    assert np.isnan(dc.silhouette(X, np.zeros(200, int)))


def test_evaluate_noise_both_ways():
    y_true = np.array([0, 0, 0, 1, 1, 1, 2, 2])
    y_pred = np.array([5, 5, 5, 6, 6, 6, -1, -1])
    ex = dc.evaluate(y_true, y_pred)
    inc = dc.evaluate(y_true, y_pred, noise="include")
    assert ex["noise"] == "exclude" and inc["noise"] == "include"
    assert ex["assigned"] == pytest.approx(6 / 8) == inc["assigned"]
    assert ex["acc"] == pytest.approx(1.0) and ex["nmi"] == pytest.approx(1.0)
    assert inc["acc"] == pytest.approx(1.0)   # noise forms its own group, which is class 2
    y_pred2 = np.array([5, 5, -1, 6, 6, -1, -1, -1])
    assert dc.evaluate(y_true, y_pred2, noise="include")["acc"] < 1.0
    assert dc.evaluate(y_true, y_pred2)["acc"] == pytest.approx(1.0)
    assert ex["n_clusters"] == 2
    assert all(isinstance(ex[k], float) for k in ("acc", "nmi", "ami", "ari", "assigned"))


def test_evaluate_on_real_clusters(mnist_test_small):
    X, y = mnist_test_small
    from sklearn.cluster import KMeans
    labels = KMeans(10, n_init=3, random_state=0).fit_predict(X.reshape(len(X), -1))
    r = dc.evaluate(y, labels, X)
    # raw-pixel k-means on MNIST is known to reach roughly NMI 0.5, ACC 0.55
    assert 0.35 < r["nmi"] < 0.7 and 0.35 < r["acc"] < 0.75
    assert 0.0 < r["silhouette"] < 0.3
    assert r["assigned"] == 1.0


def test_bad_input():
    with pytest.raises(ValueError, match="y_true has 3 labels but y_pred has 2"):
        dc.nmi([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="integer labels, found 0.5"):
        dc.cluster_accuracy([0, 1], [0.5, 1.0])
    with pytest.raises(ValueError, match="integer labels"):
        dc.ari(["a", "b"], [0, 1])
    with pytest.raises(ValueError, match="NaN"):
        dc.silhouette(np.array([[0.0], [np.nan], [1.0]]), [0, 1, 1])
    with pytest.raises(ValueError, match="noise='drop'"):
        dc.evaluate([0, 1], [0, 1], noise="drop")
    with pytest.raises(ValueError, match="1-D"):
        dc.nmi([[0, 1]], [[0, 1]])


def test_seed_agreement_hand_computed():
    a, b = [0, 0, 1, 1], [0, 1, 0, 1]
    # ARI(a, b) by hand: every cell of the 2x2 table holds 1, so no pair agrees;
    # expected index (2·2)/C(4,2) = 2/3, maximum 2: (0 - 2/3) / (2 - 2/3) = -1/2
    assert dc.metrics.seed_agreement([a, b]) == pytest.approx(-0.5)
    # pairs (a,a)=1, (a,b)=-1/2, (a,b)=-1/2: the mean over the three pairs is 0
    assert dc.metrics.seed_agreement([a, a, b]) == pytest.approx(0.0)
    # renaming clusters does not change agreement; the result is a plain float
    rng = np.random.default_rng(0)
    y = rng.integers(0, 10, 300)
    assert dc.metrics.seed_agreement([y, rng.permutation(10)[y] + 5]) == pytest.approx(1.0)
    assert isinstance(dc.metrics.seed_agreement([y, y]), float)


def test_seed_agreement_errors():
    with pytest.raises(ValueError, match="at least 2 seeds, got 1"):
        dc.metrics.seed_agreement([[0, 1, 1]])
    with pytest.raises(ValueError, match=r"different numbers of points \[2, 3\]"):
        dc.metrics.seed_agreement([[0, 1, 1], [0, 1]])
