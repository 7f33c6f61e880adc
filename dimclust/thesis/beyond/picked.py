"""The run the label-free rule picked, read back from its record and drawn on a map.

A run record keeps every seed's cluster labels (its ``samples``), so the clustering the rule
chose on all 70,000 images can be drawn without running it again: the images it clustered
are loaded as its record says, a sample is mapped to 2-D by UMAP, and each point carries
its class and its cluster (:func:`picked_map`).
"""
from __future__ import annotations

import numpy as np

from ...experiments.records import run_labels
from ...experiments.runner import load_for
from ...reduce import make_umap
from .rule import picked_run

__all__ = ["picked_labels", "picked_map"]


def picked_labels(records, n_clusters=10):
    """The run the rule picks (:func:`~.rule.choose_run`) with its cluster labels, read
    from its record.

    Parameters
    ----------
    records : dict of str -> dict or None
        ``label -> record`` (:func:`~dimclust.thesis.beyond.find_candidates`).
    n_clusters : int, default 10
        The clusters asked for (:func:`~.rule.rankable`).

    Returns
    -------
    tuple of (str, dict, int, ndarray of int of shape (n_samples,)) or None
        ``(label, record, seed, labels)``; ``None`` when no run qualifies or the picked
        run's record kept no labels.
    """
    picked = picked_run(records, n_clusters)
    if picked is None:
        return None
    label, rec, run = picked
    labels = run_labels(rec).get(run["seed"])
    return None if labels is None else (label, rec, run["seed"], labels)


def picked_map(dataset, records, *, n_clusters=10, n_points=10_000, random_state=0):
    """The rule's pick on ``dataset`` ready to draw: a 2-D UMAP of a sample of the images it
    clustered, their classes and the clusters the picked run gave them.

    Parameters
    ----------
    dataset : str
        The data set the records ran on.
    records : dict of str -> dict or None
        ``label -> record`` of the candidates on ``dataset``.
    n_clusters : int, default 10
    n_points : int, default 10000
        Images drawn at random for the map (UMAP's cost grows with them; the clusters are
        the run's, on all the images it clustered).
    random_state : int, default 0
        Seeds the draw and the map.

    Returns
    -------
    dict
        ``label``, ``seed``, ``Z`` (n_points, 2), ``images``, ``y`` (classes),
        ``clusters`` (the run's labels of the drawn images), ``n`` (images the run
        clustered).

    Raises
    ------
    ValueError
        No run the rule may pick keeps its labels, or the picked run is of another data
        set.
    """
    picked = picked_labels(records, n_clusters)
    if picked is None:
        raise ValueError(f"no run on record for {dataset!r} that the rule may pick keeps its "
                         "cluster labels; run the candidates first (python -m dimclust "
                         "campaign beyond)")
    label, rec, seed, labels = picked
    if rec["dataset"] != dataset:
        raise ValueError(f"the picked run clustered {rec['dataset']!r}, not {dataset!r}; pass "
                         f"the records of runs on {dataset!r}")
    # every image drawn is every image in file order: one call for a subset or the whole
    X, y, _ = load_for(dataset, n_samples=rec["n_samples"], data_seed=rec.get("data_seed", 0),
                       protocol=rec.get("protocol"))
    if len(labels) != len(y):
        raise ValueError(f"the picked run labels {len(labels)} images, its data {len(y)}; "
                         "its record is damaged: run it again")
    rng = np.random.default_rng(random_state)
    idx = np.sort(rng.choice(len(y), size=min(n_points, len(y)), replace=False))
    Z = make_umap(2, random_state=random_state).fit_transform(X[idx].reshape(len(idx), -1))
    return {"label": label, "seed": seed, "Z": Z, "images": X[idx], "y": y[idx],
            "clusters": labels[idx], "n": len(y)}
