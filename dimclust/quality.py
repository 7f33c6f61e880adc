"""How much structure a reduction keeps (thesis §11.4), and why raw distances fail (ch. 3).

* :func:`relative_contrast` — the curse of dimensionality as distance concentration:
  ``(D_max − D_min) / D_min`` of a query's distances to the data (Beyer et al. 1999).
* :func:`knn_preservation` — *local* structure: the share of each point's k nearest
  neighbours that are still among its k nearest after the reduction.
* :func:`centroid_correlation` — *global* structure: the Spearman correlation between the
  distances of class centroids before and after the reduction.
* :func:`structure_kept` — both measures for several maps of the same data, as one table.
* :func:`class_purity` — per class, the share of a point's k nearest neighbours on a map
  that belong to its class: which classes a map keeps apart.
"""
from __future__ import annotations

import numpy as np
from scipy.spatial.distance import pdist
from scipy.stats import spearmanr
from sklearn.neighbors import NearestNeighbors

from ._validation import check_features, check_labels, check_random_state

__all__ = ["relative_contrast", "knn_preservation", "centroid_correlation", "structure_kept",
           "class_purity"]


#: Row names of :func:`structure_kept`'s table, shared with the code that reads it.
KNN_KEPT = "nearest neighbours kept"
CENTROID_CORRELATION = "centroid distance correlation"

def relative_contrast(X, *, n_queries=200, random_state=0):
    """Mean relative contrast ``(D_max − D_min) / D_min`` of random queries against ``X``.

    Parameters
    ----------
    X : array-like, shape (n, d) or image stack
    n_queries : int, default 200
        Points of ``X`` used as queries (their distance to themselves is left out).
    random_state : int, default 0

    Returns
    -------
    float
        Large when nearest neighbours are much nearer than the farthest points; it falls
        towards 0 as the dimension grows for structureless data.
    """
    X = check_features(X, dtype=np.float64)
    rng = check_random_state(random_state)
    q = rng.choice(len(X), size=min(n_queries, len(X)), replace=False)
    out = []
    for i in q:
        d = np.sqrt(((X - X[i]) ** 2).sum(1))
        d = np.delete(d, i)
        d = d[d > 0]
        if len(d):
            out.append((d.max() - d.min()) / d.min())
    return float(np.mean(out))


def knn_preservation(X, Z, *, k=10):
    """Share of k-nearest neighbours kept by the embedding ``Z`` of ``X`` (local structure).

    Returns
    -------
    float in [0, 1]; 1 means every neighbourhood is kept.
    """
    X, Z = check_features(X), check_features(Z, name="Z")
    if len(X) != len(Z):
        raise ValueError(f"X has {len(X)} samples but Z has {len(Z)}")
    if not 1 <= k < len(X):
        raise ValueError(f"k={k} must be in [1, n_samples={len(X)})")
    a = NearestNeighbors(n_neighbors=k + 1).fit(X).kneighbors(X, return_distance=False)[:, 1:]
    b = NearestNeighbors(n_neighbors=k + 1).fit(Z).kneighbors(Z, return_distance=False)[:, 1:]
    return float(np.mean([len(np.intersect1d(r, s)) / k for r, s in zip(a, b)]))


def centroid_correlation(X, Z, y):
    """Spearman correlation of class-centroid distances in ``X`` and in ``Z`` (global structure)."""
    X, Z, y = check_features(X), check_features(Z, name="Z"), check_labels(y)
    classes = np.unique(y)
    if len(classes) < 3:
        raise ValueError(f"need at least 3 classes to correlate centroid distances, got {len(classes)}")
    cx = np.array([X[y == c].mean(0) for c in classes])
    cz = np.array([Z[y == c].mean(0) for c in classes])
    return float(spearmanr(pdist(cx), pdist(cz)).statistic)


def structure_kept(X, maps, y, *, k=10):
    """Local and global structure kept by each map of ``X`` (thesis §11.4).

    Parameters
    ----------
    X : array-like, shape (n_samples, n_features)
    maps : dict of str -> array-like, shape (n_samples, n_components)
        Name -> embedding of ``X``.
    y : array-like of int, shape (n_samples,)
    k : int, default 10

    Returns
    -------
    pandas.DataFrame
        One column per map; rows :data:`KNN_KEPT` (:func:`knn_preservation`) and
        :data:`CENTROID_CORRELATION` (:func:`centroid_correlation`); ``attrs["k"]`` is ``k``.
    """
    import pandas as pd  # noqa: PLC0415
    table = pd.DataFrame({name: {KNN_KEPT: knn_preservation(X, Z, k=k),
                                 CENTROID_CORRELATION: centroid_correlation(X, Z, y)}
                          for name, Z in maps.items()})
    table.attrs["k"] = k
    return table


def class_purity(Z, y, *, k=10):
    """Per class, the mean share of a point's ``k`` nearest neighbours in ``Z`` of its class.

    Parameters
    ----------
    Z : array-like, shape (n_samples, n_components)
    y : array-like of int, shape (n_samples,)
    k : int, default 10

    Returns
    -------
    dict of class -> float in [0, 1]
        1 for a class whose points have only neighbours of their own class.
    """
    Z, y = check_features(Z, name="Z"), check_labels(y)
    if len(Z) != len(y):
        raise ValueError(f"Z has {len(Z)} samples but y has {len(y)} labels")
    if not 1 <= k < len(Z):
        raise ValueError(f"k={k} must be in [1, n_samples={len(Z)})")
    nb = NearestNeighbors(n_neighbors=k + 1).fit(Z).kneighbors(Z, return_distance=False)[:, 1:]
    same = (y[nb] == y[:, None]).mean(1)
    return {c.item(): float(same[y == c].mean()) for c in np.unique(y)}
