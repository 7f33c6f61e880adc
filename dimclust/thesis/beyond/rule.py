"""The label-free rule that picks one run of the last chapter's candidates.

Among the runs (every seed of every candidate) that label at least
:data:`~dimclust.thesis.WHOLE` of the images in the number of clusters asked for, and that
cluster a UMAP map made with N2D's settings (:func:`clusters_a_umap_map`), it takes the one
whose clusters are the most distinct in that map: the largest silhouette there
(:data:`RULE`, :func:`choose_run`). Labels then only score the choice. How the rule was
fixed, on MNIST's 10,000 test images alone, is :mod:`~dimclust.thesis.beyond.study`.
"""
from __future__ import annotations

import math

import numpy as np

from ...experiments.records import part_defaults
from ...experiments.runner import run_seed, seeds_of
from ...grammar import parse_pipeline
from ...n2d import N2D_UMAP
from ..results import WHOLE
from .candidates import candidates

__all__ = ["RULE", "choose_run", "picked_run", "choose", "chosen_labels", "eligible", "is_whole",
           "clusters_a_umap_map", "rankable", "rule_score"]


#: The index the rule ranks runs by, fixed on MNIST's 10,000 test images
#: (:func:`~dimclust.thesis.beyond.study.rule_study`): the silhouette of a run's clusters in
#: the 10-D UMAP map it clustered, as its record keeps it; none for a run that clustered
#: another kind of space (:func:`clusters_a_umap_map`).
RULE = "silhouette (UMAP map)"


def choose_run(records, n_clusters=10):
    """The run the label-free rule picks: ``(label, seed)``, or ``None`` when none qualifies.

    Among the runs the rule may rank (:func:`rankable`: a candidate's seeds that label at
    least ``WHOLE`` of the images in ``n_clusters`` clusters of N2D's UMAP map), the one
    whose clusters are the most distinct in that map (:data:`RULE`: the largest
    silhouette). A user with one data set and no labels can do the same: it picks the
    pipeline and, of its seeds, the run. No class label is read.

    Two runs can tie: two clusterers given the same map of the same seed may find the same
    partition. The tie goes to the candidate whose ranked runs are the more distinct on
    average (the mean silhouette over its seeds), then to the earlier candidate in
    ``records``.
    """
    runs = []
    for order, (label, rec) in enumerate(records.items()):
        if rec is None or not clusters_a_umap_map(rec, n_clusters):
            continue
        ranked = [r for r in rec["runs"] if is_whole(r, n_clusters)]
        scores = [rule_score(rec, r, n_clusters) for r in ranked]
        mean = float(np.mean(scores)) if scores else math.nan
        runs += [(score, mean, -order, label, r["seed"]) for score, r in zip(scores, ranked)
                 if np.isfinite(score)]
    return max(runs)[3:] if runs else None


def rankable(record, run, n_clusters=10):
    """Whether the rule may rank ``run`` of ``record``: it labels at least ``WHOLE`` of the
    images in ``n_clusters`` clusters (:func:`is_whole`) of N2D's UMAP map
    (:func:`clusters_a_umap_map`)."""
    return is_whole(run, n_clusters) and clusters_a_umap_map(record, n_clusters)


def clusters_a_umap_map(record, n_clusters=10):
    """Whether the runs of ``record`` clustered a UMAP map with N2D's settings: as many
    dimensions as clusters, 20 neighbours, ``min_dist`` 0
    (:data:`~dimclust.n2d.N2D_UMAP`). Silhouettes in such maps compare like with like.

    Parameters
    ----------
    record : dict
        A run record (its ``pipeline`` and ``params``).
    n_clusters : int, default 10

    Returns
    -------
    bool
        ``True`` for ``"umap10+gmm"`` or ``"cae10+umap10+gmm"`` at N2D's UMAP settings;
        ``False`` for ``"dcec"``, ``"simclr128+gmm"``, ``"umap2+kmeans"``, another
        UMAP setting, or a record without a pipeline.
    """
    if "pipeline" not in record:
        return False
    reducers, _ = parse_pipeline(record["pipeline"])
    umap = {**part_defaults("umap"), **(record.get("params") or {}).get("umap", {})}
    return (bool(reducers) and reducers[-1] == ("umap", n_clusters)
            and all(umap[k] == v for k, v in N2D_UMAP.items()))


def rule_score(record, run, n_clusters=10):
    """The rule's index (:data:`RULE`) of ``run`` of ``record``: its silhouette in the UMAP
    map it clustered where that map has N2D's settings (:func:`clusters_a_umap_map`), else
    NaN."""
    return (run["metrics"].get("silhouette", math.nan)
            if clusters_a_umap_map(record, n_clusters) else math.nan)


def picked_run(records, n_clusters=10):
    """``(label, record, run)`` of the run :func:`choose_run` picks, or ``None``."""
    picked = choose_run(records, n_clusters)
    if picked is None:
        return None
    label, seed = picked
    return label, records[label], next(r for r in records[label]["runs"] if r["seed"] == seed)


def choose(records, n_clusters=10):
    """The candidate of the run the rule picks (:func:`choose_run`), or ``None``."""
    picked = choose_run(records, n_clusters)
    return None if picked is None else picked[0]


def is_whole(run, n_clusters=10):
    """Whether a run labels at least ``WHOLE`` of the images in ``n_clusters`` clusters."""
    m = run["metrics"]
    return m.get("assigned", 1.0) >= WHOLE and m.get("n_clusters") == n_clusters


def chosen_labels(dataset, records, cfg, *, fallback="pixels → UMAP10 → GMM"):
    """The run the rule picks from ``records``: its candidate and its cluster labels.

    Parameters
    ----------
    dataset : str
    records : dict of str -> dict
        ``label -> record`` from :func:`~dimclust.thesis.beyond.run_candidates` on
        ``dataset`` at ``cfg``.
    cfg : dict
        The settings the records ran at (:func:`~dimclust.experiments.settings`).
    fallback : str, default "pixels → UMAP10 → GMM"
        The candidate drawn (its first seed) when no run qualifies: N2D's clusterer on the
        pixels.

    Returns
    -------
    label : str
    labels : ndarray of int, shape (n_samples,)
        From the result store (the seed's result); computed again only for a result
        remembered before labels were kept.
    """
    label, seed = choose_run(records) or (fallback, None)
    if seed is None:
        seed = records[label]["seeds"][0] if records.get(label) else seeds_of(cfg["seeds"])[0]
    pipeline, params = candidates(cfg, dataset)[label]
    kw = dict(n_samples=cfg["n_samples"], params=params)
    res = run_seed(dataset, pipeline, seed, **kw)
    if "labels" not in res:
        res = run_seed(dataset, pipeline, seed, use_cache=False, **kw)
    return label, res["labels"]


def eligible(records, n_clusters=10):
    """The records with a run the rule may rank (:func:`rankable`).

    The number of clusters keeps the rule to the task every candidate is set (10 clusters):
    a method that chooses its own number, as HDBSCAN does, can look distinct or stable by
    finding a few large clusters, and the rule would then reward the easier task. The UMAP
    map keeps it to one kind of space, where silhouettes compare like with like.
    """
    return {label: rec for label, rec in records.items()
            if rec is not None and any(rankable(rec, r, n_clusters) for r in rec["runs"])}
