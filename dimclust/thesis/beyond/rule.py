"""The label-free rule that picks one run of the last chapter's candidates, and how it was
fixed.

Among the runs (every seed of every candidate) that label at least
:data:`~dimclust.thesis.WHOLE` of the images in the number of clusters asked for, and that
cluster a UMAP map made with N2D's settings, it takes the one whose clusters are the most
distinct in that map: the largest silhouette there (:data:`RULE`, :func:`choose_run`).
Labels then only score the choice.

The rule was chosen among label-free indices (:data:`INDICES`) by how well each ranks the
runs of MNIST's 10,000 test images by their accuracy (:func:`rule_study`). Seed agreement,
the first rule (:func:`~dimclust.metrics.seed_agreement`), ranked them backwards there: the
steadiest pipeline, UMAP on the pixels then k-means, is also one of the least accurate. The
silhouette in whatever space a run clustered, the second, was fixed there before any
Fashion-MNIST score of the contrastive candidates was read; more runs of MNIST's test images
then showed it grading a run's own work: DCEC's joint training pulls every point towards its
cluster's centre, so its silhouette in its own embedding measures what it optimised (there
it topped every UMAP map's, at a lower accuracy than the best of them). A silhouette compares clusterings fairly only in
spaces of one kind, so the rule now ranks the runs that cluster one kind of space, a 10-D
UMAP map with N2D's settings, by their silhouette there (:func:`clusters_a_umap_map`).
Indices in one space shared by all runs fail for the opposite reason: every such space
favours the runs that clustered it or its like (the 10-D UMAP of the pixels ranks the pixel
candidates first).
"""
from __future__ import annotations

import math

import numpy as np

from ...experiments.records import part_defaults
from ...experiments.runner import load_for, result_store, run_seed, seeds_of
from ...grammar import parse_pipeline
from ...n2d import N2D_UMAP
from ...validity import GEOMETRIC, consensus, geometric_scores
from ..results import WHOLE
from .candidates import candidates, find_candidates

__all__ = ["RULE", "choose_run", "picked_run", "choose", "chosen_labels", "eligible", "is_whole", "INDICES",
           "reference_space", "run_labels", "clusters_a_umap_map", "rankable", "run_scores", "index_quality", "rule_study"]


#: The index the rule ranks runs by, fixed on MNIST's 10,000 test images (:func:`rule_study`):
#: the silhouette of a run's clusters in the 10-D UMAP map it clustered, as its record keeps
#: it; none for a run that clustered another kind of space (:func:`clusters_a_umap_map`).
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
        scores = [_rule_score(rec, r, n_clusters) for r in ranked]
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


def _rule_score(record, run, n_clusters=10):
    """The rule's index of one run: its silhouette in N2D's UMAP map it clustered, else NaN."""
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
        ``label -> record`` from :func:`run_candidates` on ``dataset`` at ``cfg``.
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


# -- judging label-free indices by how they rank runs ---------------------------------
#: The label-free indices :func:`run_scores` computes for every run, and whether larger is
#: better. "agreement": the mean ARI between the seeds of the run's pipeline (one value for
#: all its seeds); "seed consensus": the run's mean ARI with the other seeds of its
#: pipeline; "consensus": with every other run at hand, whatever its pipeline; the
#: silhouette in the UMAP map the run clustered (:data:`RULE`; none for another space), in
#: whatever space the run clustered ("own space", as its record keeps it) and on
#: the pixels; and the three geometric indices of :mod:`dimclust.validity` in one reference
#: space shared by all runs.
INDICES = {"agreement": True, "seed consensus": True, "consensus": True,
           "silhouette (UMAP map)": True, "silhouette (own space)": True, "silhouette (pixels)": True,
           **{f"{name} (reference)": larger for name, larger in GEOMETRIC.items()}}

#: The indices a run's record keeps among its metrics, by the metric's name there.
_IN_RECORD = {"silhouette (own space)": "silhouette", "silhouette (pixels)": "silhouette_pixels"}


def reference_space(dataset, *, n_samples=None, seed=0):
    """The space every run of ``dataset`` is scored in by the geometric indices: the pixels
    mapped by UMAP to 10 dimensions with N2D's settings (:data:`~dimclust.n2d.N2D_UMAP`),
    seed ``seed`` — the map the ``umap-*`` candidates cluster, taken from the result store
    when one of them ran there.

    Returns
    -------
    ndarray of shape (n_samples, 10)
    """
    from ...pipelines import ClusteringPipeline  # noqa: PLC0415
    X, _, _ = load_for(dataset, n_samples=n_samples)
    pipe = ClusteringPipeline("umap-kmeans", random_state=seed, memory=result_store())
    return pipe.fit(X).embedding_


def run_labels(record):
    """``seed -> cluster labels`` of the seeds whose labels ``record`` keeps."""
    samples = record.get("samples") or {}
    return {r["seed"]: np.asarray(samples[f"seed{r['seed']}_labels"]) for r in record["runs"]
            if f"seed{r['seed']}_labels" in samples}


def run_scores(records, reference=None, *, n_clusters=10):
    """One row per run (a candidate's seed): every label-free index of :data:`INDICES`, then
    the class-label scores, which only judge the indices.

    Parameters
    ----------
    records : dict of str -> dict or None
        ``label -> record`` (:func:`~dimclust.thesis.beyond.find_candidates`).
    reference : ndarray of shape (n_samples, d), optional
        The shared space of the geometric indices (:func:`reference_space`); without it
        their columns are NaN.
    n_clusters : int, default 10

    Returns
    -------
    pandas.DataFrame
        ``pipeline``, ``seed``, ``eligible`` (labels at least ``WHOLE`` of the images in
        ``n_clusters`` clusters, so a rule may pick it), the indices, then ``acc``,
        ``nmi``. An index needing labels the record does not keep is NaN.
    """
    import pandas as pd  # noqa: PLC0415
    pool = [(label, seed, lab) for label, rec in records.items() if rec is not None
            for seed, lab in run_labels(rec).items()]
    rows = []
    for label, rec in records.items():
        if rec is None:
            continue
        labels = run_labels(rec)
        for r in rec["runs"]:
            s, m, lab = r["seed"], r["metrics"], labels.get(r["seed"])
            row = {"pipeline": label, "seed": s,
                   "eligible": is_whole(r, n_clusters),
                   **dict.fromkeys(INDICES, math.nan),
                   "agreement": math.nan if rec.get("agreement") is None else rec["agreement"],
                   **{index: m.get(key, math.nan) for index, key in _IN_RECORD.items()},
                   RULE: _rule_score(rec, r, n_clusters),
                   "acc": m["acc"], "nmi": m["nmi"]}
            if lab is not None:
                same = [o for t, o in labels.items() if t != s]
                others = [o for lb, t, o in pool if (lb, t) != (label, s)]
                if same:
                    row["seed consensus"] = consensus(lab, same)
                if others:
                    row["consensus"] = consensus(lab, others)
                if reference is not None:
                    row.update({f"{k} (reference)": v
                                for k, v in geometric_scores(reference, lab).items()})
            rows.append(row)
    return pd.DataFrame(rows)


def index_quality(scores, metric="acc"):
    """How well each label-free index of :data:`INDICES` ranks the eligible runs of
    :func:`run_scores` by ``metric``.

    Returns
    -------
    pandas.DataFrame
        One row per index with values for at least two runs: ``runs`` scored, Spearman's
        rank correlation with ``metric`` (its sign turned for an index where smaller is
        better, so larger is better for all), the ``metric`` of the run the index ranks
        first (a user with one data set and the index picks pipeline and seed at once;
        a tie goes, as in :func:`choose_run`, to the pipeline whose runs score better on
        average, then to the earlier row), the best ``metric`` among the runs, and
        ``regret``: best minus picked.
    """
    import pandas as pd  # noqa: PLC0415
    from scipy.stats import spearmanr  # noqa: PLC0415
    runs = scores[scores["eligible"]]
    best = float(runs[metric].max()) if len(runs) else math.nan
    rows = []
    for index, larger in INDICES.items():
        have = runs.dropna(subset=[index])
        if len(have) < 2:
            continue
        sign = 1.0 if larger else -1.0
        rho = spearmanr(sign * have[index], have[metric]).statistic
        # ties as the rule breaks them (:func:`choose_run`): the pipeline whose runs score
        # better on average, then the earlier row
        key = pd.DataFrame({"run": sign * have[index],
                            "mean": sign * have.groupby("pipeline")[index].transform("mean")})
        first = key.sort_values(["run", "mean"], ascending=False, kind="stable").index[0]
        picked = float(have.loc[first, metric])
        rows.append({"index": index, "runs": len(have), "spearman": float(rho),
                     f"{metric} of pick": picked, f"best {metric}": best,
                     "regret": best - picked})
    return pd.DataFrame(rows)


def rule_study(folder, dataset="mnist-test"):
    """The label-free indices judged on ``dataset``'s candidate records under ``folder``:
    :func:`run_scores` (the geometric indices in :func:`reference_space` where the data set
    can be loaded here, else without them) and :func:`index_quality` by ACC and by NMI.

    Returns
    -------
    scores : pandas.DataFrame
    quality : pandas.DataFrame
        :func:`index_quality` by ACC, with the NMI columns beside (``spearman nmi``,
        ``nmi of pick``, ``regret nmi``).
    """
    from ...datasets import available  # noqa: PLC0415
    records = find_candidates(folder, dataset)
    reference = reference_space(dataset) if available(dataset) else None
    scores = run_scores(records, reference)
    by_acc, by_nmi = index_quality(scores, "acc"), index_quality(scores, "nmi")
    quality = by_acc.merge(by_nmi[["index", "spearman", "nmi of pick", "regret"]], on="index",
                           suffixes=("", " nmi"))
    return scores, quality
