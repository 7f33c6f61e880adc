"""Label-free scores of a clustering: what a user without class labels can compute to tell a
good run from a bad one (internal validity indices).

Two kinds. *Geometric* indices read the clustering in a space of points: the silhouette
(Rousseeuw 1987), Calinski–Harabasz's variance ratio (1974) and Davies–Bouldin's
similarity of each cluster to its nearest (1979), computed by scikit-learn. Such an index
compares runs only within one kind of space: a run scored in a space its own training
shaped (DCEC's embedding) grades its own work. Runs can be scored in one *shared reference
space* instead, the same for every run (Arbelaitz et al. 2013 compare indices so), though
that space favours the runs that clustered it or one like it. *Agreement* indices read only
labels: how alike a run's partition is to those of other runs — the other seeds of its
pipeline (stability, Ben-Hur et al. 2002; :func:`~dimclust.metrics.seed_agreement`) or every
run at hand (:func:`consensus`, the partition most others agree with, as in cluster
ensembles, Strehl & Ghosh 2002).
"""
from __future__ import annotations

import numpy as np
from sklearn.metrics import adjusted_rand_score, calinski_harabasz_score, davies_bouldin_score

from ._validation import check_features, check_labels
from .metrics import NOISE, silhouette

__all__ = ["GEOMETRIC", "consensus", "geometric_scores"]

#: The geometric indices :func:`geometric_scores` computes, and whether larger is better.
GEOMETRIC = {"silhouette": True, "calinski_harabasz": True, "davies_bouldin": False}


def consensus(labels, others):
    """Mean ARI between ``labels`` and each clustering in ``others`` of the same points.

    Parameters
    ----------
    labels : array-like of int, shape (n_samples,)
    others : sequence of array-like of int, each shape (n_samples,)
        At least one; HDBSCAN's noise ``-1`` counts as one more group, as in
        :func:`~dimclust.metrics.seed_agreement`.

    Returns
    -------
    float
        1 when every other run found the same partition (up to renaming).

    Examples
    --------
    >>> consensus([0, 0, 1, 1], [[1, 1, 0, 0], [0, 0, 1, 1]])
    1.0
    """
    labels = check_labels(labels, name="labels")
    others = [check_labels(o, name=f"others[{i}]") for i, o in enumerate(others)]
    if not others:
        raise ValueError("consensus needs at least one other clustering; got none")
    for i, o in enumerate(others):
        if len(o) != len(labels):
            raise ValueError(f"others[{i}] labels {len(o)} points and labels {len(labels)}; "
                             "pass clusterings of the same points")
    return float(np.mean([adjusted_rand_score(labels, o) for o in others]))


def geometric_scores(Z, labels, *, sample_size=10_000, random_state=0):
    """Silhouette, Calinski–Harabasz and Davies–Bouldin of ``labels`` in the space ``Z``,
    on the points with a cluster (noise ``-1`` left out).

    Parameters
    ----------
    Z : array-like of shape (n_samples, n_features)
        The space the clustering is read in: for runs to be comparable, the same for all.
    labels : array-like of int, shape (n_samples,)
    sample_size : int or None, default 10000
        The silhouette is computed on a random sample of this many points (its cost grows
        with the square of the points); the other two on every point.
    random_state : int, default 0
        Draws the silhouette's sample.

    Returns
    -------
    dict of str -> float
        ``silhouette`` (larger is better, in [-1, 1]), ``calinski_harabasz`` (larger is
        better), ``davies_bouldin`` (smaller is better); NaN for all three unless between
        2 and n − 1 clusters are left.
    """
    Z = check_features(Z, name="Z")
    labels = check_labels(labels, name="labels")
    if len(labels) != len(Z):
        raise ValueError(f"labels has {len(labels)} points and Z {len(Z)}; pass the labels "
                         "of Z's points")
    keep = labels != NOISE
    Z, labels = Z[keep], labels[keep]
    if not 2 <= len(np.unique(labels)) <= len(labels) - 1:
        return dict.fromkeys(GEOMETRIC, float("nan"))
    return {"silhouette": silhouette(Z, labels, sample_size=sample_size,
                                     random_state=random_state),
            "calinski_harabasz": float(calinski_harabasz_score(Z, labels)),
            "davies_bouldin": float(davies_bouldin_score(Z, labels))}
