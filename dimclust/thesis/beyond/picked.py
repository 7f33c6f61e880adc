"""The run the label-free rule picked, read back from its record and drawn on a map.

A run record keeps every seed's cluster labels (its ``samples``), so the clustering the rule
chose on all 70,000 images can be drawn without running it again: the images are loaded,
a sample is mapped to 2-D by UMAP, and each point is coloured by its class, with its
cluster beside (:func:`picked_map`).
"""
from __future__ import annotations

import numpy as np

from .rule import picked_run, run_labels

__all__ = ["picked_labels", "picked_map"]


def picked_labels(records, n_clusters=10):
    """``(label, seed, labels)`` of the run the rule picks (:func:`~.rule.choose_run`), its
    cluster labels read from its record; ``None`` when no run qualifies or its record kept
    no labels.

    Parameters
    ----------
    records : dict of str -> dict or None
        ``label -> record`` (:func:`~dimclust.thesis.beyond.find_candidates`).
    n_clusters : int, default 10

    Returns
    -------
    tuple of (str, int, ndarray of int of shape (n_samples,)) or None
    """
    picked = picked_run(records, n_clusters)
    if picked is None:
        return None
    label, rec, run = picked
    labels = run_labels(rec).get(run["seed"])
    return None if labels is None else (label, run["seed"], labels)


def picked_map(dataset, records, *, n_samples=10_000, random_state=0):
    """The rule's pick on ``dataset`` ready to draw: a 2-D UMAP of a sample of its images,
    their classes and the clusters the picked run gave them.

    Parameters
    ----------
    dataset : str
        A data set the records ran on every image of (the labels index its images).
    records : dict of str -> dict or None
        ``label -> record`` of the candidates on ``dataset``.
    n_samples : int, default 10000
        Images drawn at random for the map (UMAP's cost grows with them; the clusters are
        the run's on every image).
    random_state : int, default 0
        Seeds the draw and the map.

    Returns
    -------
    dict or None
        ``label``, ``seed``, ``Z`` (n_samples, 2), ``images``, ``y`` (classes), ``clusters``
        (the run's labels of the drawn images), ``n`` (images the run clustered); ``None``
        when :func:`picked_labels` gives none.

    Raises
    ------
    ValueError
        The run's labels are not one per image of ``dataset``.
    """
    from ... import datasets  # noqa: PLC0415
    from ...reduce import make_umap  # noqa: PLC0415
    picked = picked_labels(records)
    if picked is None:
        return None
    label, seed, labels = picked
    X, y = datasets.load(dataset)
    if len(labels) != len(y):
        raise ValueError(f"the picked run labels {len(labels)} images and {dataset!r} has "
                         f"{len(y)}; pass the records of runs on every image of {dataset!r}")
    rng = np.random.default_rng(random_state)
    idx = np.sort(rng.choice(len(y), size=min(n_samples, len(y)), replace=False))
    Z = make_umap(2, random_state=random_state).fit_transform(X[idx].reshape(len(idx), -1))
    return {"label": label, "seed": seed, "Z": Z, "images": X[idx], "y": y[idx],
            "clusters": labels[idx], "n": len(y)}
