"""Readings of maps and clusterings: what a figure of points shows."""
from __future__ import annotations

import numpy as np

from ... import quality
from ..._validation import check_labels
from ._text import Reading, _listing, _names

__all__ = ["class_separation", "structure", "class_split", "density_clusters"]


def class_separation(Z, y, class_names=None, *, k=10, n=3):
    """Which classes a map keeps apart and which it mixes.

    Parameters
    ----------
    Z : array-like, shape (n_samples, n_components)
        The map (usually 2-D) that a figure draws.
    y : array-like of int, shape (n_samples,)
        True classes (only to describe the map, never to tune it).
    class_names : sequence of str, optional
    k : int, default 10
        Neighbours per point (:func:`~dimclust.quality.class_purity`).
    n : int, default 3
        Classes named at each end.

    Returns
    -------
    Reading
    """
    purity = quality.class_purity(Z, y, k=k)
    order = sorted(purity, key=purity.get, reverse=True)
    n = max(1, min(n, len(order) // 2))
    names = dict(zip(order, _names(order, class_names)))
    best = _listing([f"*{names[c]}* ({purity[c]:.0%})" for c in order[:n]])
    worst = _listing([f"*{names[c]}* ({purity[c]:.0%})" for c in order[::-1][:n]])
    return Reading(f"On this map the classes best kept apart are {best}; the most mixed are "
                   f"{worst} (the share of an image's {k} nearest neighbours on the map that "
                   f"are of its class).")


def structure(table):
    """Which reduction keeps most neighbourhoods and which keeps the global layout.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~dimclust.quality.structure_kept`'s table: one column per reduction, rows
        :data:`~dimclust.quality.KNN_KEPT` and :data:`~dimclust.quality.CENTROID_CORRELATION`.

    Returns
    -------
    Reading
    """
    parts, winners = [], []
    from ...quality import CENTROID_CORRELATION, KNN_KEPT  # noqa: PLC0415
    k = table.attrs.get("k")
    for row, what in ((KNN_KEPT, "keeps the most nearest neighbours"
                       + ("" if k is None else f" (of each point's {k})")),
                      (CENTROID_CORRELATION, "keeps the layout of the classes best")):
        if row not in table.index:
            raise KeyError(f"the table has no row {row!r}; its rows are {list(table.index)}")
        s = table.loc[row].astype(float).sort_values(ascending=False)
        others = ", ".join(f"{m} {v:.2f}" for m, v in s.iloc[1:].items())
        parts.append(f"{s.index[0]} {what} ({s.iloc[0]:.2f}; {others})")
        winners.append(s.index[0])
    return Reading(f"{parts[0]}; {parts[1]}." + ("" if winners[0] == winners[1] else
                   " No single map wins on both: local and global structure trade off."))


def class_split(y, clusters, class_names=None, *, thesis=None):
    """The class a clustering spreads most evenly over two clusters.

    Parameters
    ----------
    y, clusters : array-like of int, shape (n_samples,)
        True classes and cluster labels (``-1``, noise, counts as a cluster of its own).
    class_names : sequence of str, optional
    thesis : str, optional
        The thesis's own observation, appended as a sentence.

    Returns
    -------
    Reading
    """
    import pandas as pd  # noqa: PLC0415
    y, clusters = check_labels(y), check_labels(clusters, name="clusters")
    if len(y) != len(clusters):
        raise ValueError(f"y has {len(y)} labels but clusters has {len(clusters)}")
    shares = pd.crosstab(y, clusters, normalize="index")
    top2 = {c: np.sort(r.to_numpy())[::-1][:2] for c, r in shares.iterrows()}
    split = max(top2, key=lambda c: top2[c][1] if len(top2[c]) > 1 else 0.0)
    first, second = top2[split][0], top2[split][1] if len(top2[split]) > 1 else 0.0
    name = _names([split], class_names)[0]
    text = (f"Every class has at least {shares.max(axis=1).min():.0%} of its images in one "
            f"cluster. The class most split is *{name}*: {first:.0%} of its images in one "
            f"cluster and {second:.0%} in another.")
    return Reading(text + (f" {thesis}" if thesis else ""))


def density_clusters(scores, dataset, *, compare_to="umap2+kmeans"):
    """How many clusters HDBSCAN finds on PCA-50 and on a 2-D UMAP, and how much it assigns,
    beside the thesis's counts where its text gives them (Fashion-MNIST, §12.1.2).

    Parameters
    ----------
    scores : pandas.DataFrame
        One row per pipeline (index ``"pca50+hdbscan"``, ``"umap2+hdbscan"`` and
        ``compare_to``) with ``n_clusters`` and ``assigned`` (from
        :func:`~dimclust.metrics.evaluate`).
    dataset : str
        The data set the scores are of; the thesis's numbers are added only for its own.
    compare_to : str, default "umap2+kmeans"
        The row of a clusterer told how many clusters to find.

    Returns
    -------
    Reading
    """
    from ..values import thesis_text_value  # noqa: PLC0415

    def thesis(pipeline, quantity):
        try:
            return thesis_text_value(dataset, pipeline, quantity)
        except KeyError:
            return None

    said = []
    for pipeline, where in (("pca50+hdbscan", "On 50 principal components"),
                            ("umap2+hdbscan", "on UMAP's 2-D map")):
        row = scores.loc[pipeline]
        text = (f"{where} HDBSCAN finds {int(row['n_clusters'])} clusters and assigns "
                f"{row['assigned']:.0%} of the images")
        found, noise = thesis(pipeline, "clusters found"), thesis(pipeline, "share of images left as noise")
        theirs = ([f"{found:.0f} clusters"] if found is not None else []) + (
            [f"{1 - noise:.1%} assigned"] if noise is not None else [])
        said.append(text + (f" (the thesis, on all 70,000 images: {', '.join(theirs)})" if theirs else ""))
    return Reading(f"{said[0]}; {said[1]}. k-means is told to find "
                   f"{int(scores.loc[compare_to]['n_clusters'])}.")
