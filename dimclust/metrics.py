"""Clustering scores of the thesis (§7, evaluation): ACC, NMI, AMI, ARI and silhouette.

NMI, AMI and ARI come straight from scikit-learn (NMI with its default arithmetic
normalisation). What scikit-learn lacks is the *clustering accuracy* of Xie et al. /
Guo et al., the best one-to-one matching of clusters to classes, and a single place that
treats HDBSCAN's noise label ``-1`` consistently; both are here. Every score is a plain
Python ``float``.
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn import metrics as skm

from ._validation import check_features, check_labels

__all__ = ["cluster_accuracy", "matched_labels", "nmi", "ami", "ari", "silhouette", "evaluate",
           "majority_class",
           "seed_agreement", "NOISE", "SCORES"]

#: Label of points a clusterer leaves unassigned (HDBSCAN's convention).
NOISE = -1


def _pair(y_true, y_pred):
    y_true = check_labels(y_true, name="y_true")
    y_pred = check_labels(y_pred, name="y_pred")
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} labels but y_pred has {len(y_pred)}; "
                         "they must score the same points")
    if len(y_true) == 0:
        raise ValueError("y_true and y_pred hold 0 labels; an empty clustering cannot be "
                         "scored: pass at least one point")
    return y_true, y_pred


def cluster_accuracy(y_true, y_pred):
    """Clustering accuracy: the share of points right under the best one-to-one map.

    ``ACC = max_m (1/n) Σ_i 1{y_i = m(c_i)}`` over injective maps ``m`` from clusters to
    classes, found with the Hungarian algorithm on the contingency table (thesis §7).
    When there are more clusters than classes, the surplus clusters match no class and
    count as wrong; with fewer, some classes stay unmatched.

    Parameters
    ----------
    y_true, y_pred : array-like of int, shape (n_samples,)

    Returns
    -------
    float in [0, 1]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    table, rows, cols = _matching(y_true, y_pred)
    return float(table[rows, cols].sum() / len(y_true))


def _matching(y_true, y_pred):
    """The contingency table (clusters × classes, in sorted order) and the one-to-one map
    of clusters to classes that agrees with the most points (Hungarian algorithm):
    ``table, rows, cols`` with cluster ``rows[i]`` matched to class ``cols[i]``."""
    _, t = np.unique(y_true, return_inverse=True)
    _, p = np.unique(y_pred, return_inverse=True)
    table = np.zeros((p.max() + 1, t.max() + 1), dtype=np.int64)
    np.add.at(table, (p, t), 1)
    rows, cols = linear_sum_assignment(table, maximize=True)
    return table, rows, cols


def matched_labels(y_true, y_pred):
    """The clusters renamed after the class each is matched to, by the one-to-one matching
    :func:`cluster_accuracy` makes: for drawing a clustering beside the classes in the same
    colours. The labels only rename the clusters; the partition is unchanged. Noise
    (``-1``) is left out of the matching, where :func:`cluster_accuracy` counts it as one
    more cluster, so with noise the two matchings can differ.

    Parameters
    ----------
    y_true, y_pred : array-like of int, shape (n_samples,)

    Returns
    -------
    ndarray of int, shape (n_samples,)
        Each matched cluster takes its class's label; clusters left unmatched (more
        clusters than classes) take labels above the largest class, in order; noise
        (``-1``) stays noise and is left out of the matching.

    Examples
    --------
    >>> matched_labels([0, 0, 1, 1, 2], [5, 5, 3, 3, 3]).tolist()
    [0, 0, 1, 1, 1]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    out = np.full(len(y_pred), NOISE, dtype=np.int64)
    found = y_pred != NOISE
    if not found.any():
        return out
    clusters, classes = np.unique(y_pred[found]), np.unique(y_true[found])
    _, rows, cols = _matching(y_true[found], y_pred[found])
    name = dict(zip(clusters[rows].tolist(), classes[cols].tolist()))
    spare = iter(range(int(np.max(y_true)) + 1, int(np.max(y_true)) + 1 + len(clusters)))
    for c in clusters.tolist():
        out[y_pred == c] = name[c] if c in name else next(spare)
    return out


def nmi(y_true, y_pred):
    """Normalised mutual information, arithmetic mean normalisation (scikit-learn's default)."""
    return float(skm.normalized_mutual_info_score(*_pair(y_true, y_pred)))


def ami(y_true, y_pred):
    """Adjusted mutual information (chance-corrected NMI)."""
    return float(skm.adjusted_mutual_info_score(*_pair(y_true, y_pred)))


def ari(y_true, y_pred):
    """Adjusted Rand index (chance-corrected pair agreement, 1 is perfect, ~0 random)."""
    return float(skm.adjusted_rand_score(*_pair(y_true, y_pred)))


def seed_agreement(labelings):
    """How alike the clusterings of several seeds are: the mean ARI over every pair.

    A label-free score of a pipeline (stability, Ben-Hur et al. 2002; Lange et al. 2004):
    it needs no classes, only the labels each seed gave the same points, so it may choose
    between pipelines where the class labels may not. 1 means every seed found the same
    partition (up to renaming); HDBSCAN's noise ``-1`` counts as one more group.

    Parameters
    ----------
    labelings : sequence of array-like of int, each shape (n_samples,)
        At least two clusterings of the same points.

    Returns
    -------
    float

    Examples
    --------
    >>> seed_agreement([[0, 0, 1, 1], [1, 1, 0, 0], [0, 0, 1, 1]])
    1.0
    """
    labelings = [check_labels(lab, name=f"labelings[{i}]") for i, lab in enumerate(labelings)]
    if len(labelings) < 2:
        raise ValueError(f"seed_agreement needs the labels of at least 2 seeds, got "
                         f"{len(labelings)}; run the pipeline with more seeds")
    sizes = {len(lab) for lab in labelings}
    if len(sizes) > 1:
        raise ValueError(f"the labelings cover different numbers of points {sorted(sizes)}; "
                         "they must label the same points")
    pairs = [(i, j) for i in range(len(labelings)) for j in range(i + 1, len(labelings))]
    return float(np.mean([skm.adjusted_rand_score(labelings[i], labelings[j]) for i, j in pairs]))


#: The scores of a clustering against the classes, by the name :func:`evaluate` gives them.
#: Each takes ``(y_true, y_pred)`` and returns a plain float.
SCORES = {"acc": cluster_accuracy, "nmi": nmi, "ami": ami, "ari": ari}


def silhouette(X, labels, *, sample_size=None, random_state=None):
    """Mean silhouette coefficient of ``labels`` on ``X`` (Euclidean).

    Parameters
    ----------
    X : array-like, shape (n_samples, n_features) or image stack
    labels : array-like of int, shape (n_samples,)
    sample_size : int, optional
        Score a random subset of this size (the full score is O(n²)).
    random_state : int, optional
        Seed of that subset.

    Returns
    -------
    float in [-1, 1], or ``nan`` when fewer than 2 or more than n-1 clusters.
    """
    X = check_features(X)
    labels = check_labels(labels, name="labels")
    if len(labels) != len(X):
        raise ValueError(f"X has {len(X)} samples but labels has {len(labels)}")
    k = len(np.unique(labels))
    if not 2 <= k <= len(labels) - 1:
        return float("nan")
    if sample_size is not None and sample_size >= len(X):
        sample_size = None
    return float(skm.silhouette_score(X, labels, sample_size=sample_size,
                                      random_state=random_state))


def evaluate(y_true, y_pred, X=None, *, noise="exclude", silhouette_sample_size=10_000,
             random_state=0):
    """All scores of one clustering, as a dict of floats.

    Parameters
    ----------
    y_true, y_pred : array-like of int, shape (n_samples,)
        ``y_pred == -1`` marks noise (unassigned points, as HDBSCAN gives).
    X : array-like, optional
        Data the clustering was made on; adds ``silhouette`` (on assigned points).
    noise : {"exclude", "include"}, default "exclude"
        ``"exclude"`` scores assigned points only, as the thesis did for HDBSCAN;
        ``"include"`` keeps all points, noise counted as one more group.
    silhouette_sample_size : int or None, default 10000
    random_state : int, default 0
        Seed of the silhouette subsample.

    Returns
    -------
    dict
        ``acc, nmi, ami, ari`` (and ``silhouette``), ``assigned`` (fraction of points
        not noise), ``n_clusters`` (excluding noise) and ``noise`` (the mode used).
    """
    if noise not in ("exclude", "include"):
        raise ValueError(f"noise={noise!r}; choose 'exclude' (score assigned points only) "
                         "or 'include' (noise as its own group)")
    y_true, y_pred = _pair(y_true, y_pred)
    assigned = y_pred != NOISE
    keep = assigned if noise == "exclude" else np.ones_like(assigned)
    out = {"noise": noise, "assigned": float(assigned.mean()),
           "n_clusters": int(len(np.unique(y_pred[assigned])))}
    if not keep.any():
        out.update({name: float("nan") for name in SCORES})
    else:
        out.update({name: score(y_true[keep], y_pred[keep]) for name, score in SCORES.items()})
    if X is not None:
        X = check_features(X)
        if len(X) != len(y_pred):
            raise ValueError(f"X has {len(X)} samples but y_pred has {len(y_pred)}")
        out["silhouette"] = (silhouette(X[assigned], y_pred[assigned],
                                        sample_size=silhouette_sample_size,
                                        random_state=random_state)
                             if assigned.any() else float("nan"))
    return out


def majority_class(y_true, y_pred):
    """The most frequent class in each cluster, as a dict ``{cluster: class}`` (noise left out)."""
    y_true, y_pred = _pair(y_true, y_pred)
    return {int(c): int(np.bincount(y_true[y_pred == c] - y_true.min()).argmax() + y_true.min())
            for c in np.unique(y_pred) if c != NOISE}
