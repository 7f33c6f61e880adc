"""How the last chapter's label-free rule (:mod:`~dimclust.thesis.beyond.rule`) was fixed:
label-free indices judged by how they rank runs whose labels are known.

The rule (:data:`~dimclust.thesis.beyond.rule.RULE`) was chosen among label-free indices
(:data:`INDICES`) by how well each ranks the runs of MNIST's 10,000 test images by their
accuracy (:func:`rule_study`). Seed agreement, the first rule
(:func:`~dimclust.metrics.seed_agreement`), ranked them backwards there: the steadiest
pipeline, UMAP on the pixels then k-means, is also one of the least accurate. The
silhouette in whatever space a run clustered, the second, was fixed there before any
Fashion-MNIST score of the contrastive candidates was read; more runs of MNIST's test images
then showed it grading a run's own work: DCEC's joint training pulls every point towards its
cluster's centre, so its silhouette in its own embedding measures what it optimised (there
it topped every UMAP map's, at a lower accuracy than the best of them). A silhouette
compares clusterings fairly only in spaces of one kind, so the rule now ranks the runs that
cluster one kind of space, a 10-D UMAP map with N2D's settings, by their silhouette there
(:func:`~dimclust.thesis.beyond.rule.clusters_a_umap_map`).
Indices in one space shared by all runs fail for the opposite reason: every such space
favours the runs that clustered it or its like (the 10-D UMAP of the pixels ranks the pixel
candidates first).
"""
from __future__ import annotations

import math

from ...experiments.records import run_labels
from ...experiments.runner import load_for, result_store
from ...validity import GEOMETRIC, consensus, geometric_scores
from .candidates import find_candidates
from .rule import RULE, is_whole, rule_score

__all__ = ["INDICES", "reference_space", "run_scores", "index_quality", "rule_study"]

#: The label-free indices :func:`run_scores` computes for every run, and whether larger is
#: better. "seed agreement": the mean ARI between the seeds of the run's pipeline (one value for
#: all its seeds); "seed consensus": the run's mean ARI with the other seeds of its
#: pipeline; "consensus": with every other run at hand, whatever its pipeline; the
#: silhouette in the UMAP map the run clustered (:data:`~dimclust.thesis.beyond.rule.RULE`;
#: none for another space), in whatever space the run clustered ("own space", as its record
#: keeps it) and on the pixels; and the three geometric indices of :mod:`dimclust.validity`
#: in one reference space shared by all runs.
INDICES = {"seed agreement": True, "seed consensus": True, "consensus": True,
           "silhouette (UMAP map)": True, "silhouette (own space)": True,
           "silhouette (pixels)": True,
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
                   "seed agreement": (math.nan if rec.get("agreement") is None
                                      else rec["agreement"]),
                   **{index: m.get(key, math.nan) for index, key in _IN_RECORD.items()},
                   RULE: rule_score(rec, r, n_clusters),
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
        first (a user with one data set and the index picks pipeline and seed at once; a
        tie goes, as in :func:`~dimclust.thesis.beyond.rule.choose_run`, to the pipeline
        whose runs score better on average, then to the earlier row), the best ``metric``
        among the runs, and ``regret``: best minus picked.
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
        # ties as the rule breaks them (choose_run): the pipeline whose runs score
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
