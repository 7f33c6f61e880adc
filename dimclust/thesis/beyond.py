"""Beyond the thesis: candidate pipelines with settings fixed in advance, the label-free
rule that picks one of them, and the published numbers they are measured against.

Every candidate is a named pipeline (:data:`~dimclust.pipelines.RECIPES`) with its
settings from N2D's run script (McConville et al. 2019): UMAP to as many dimensions as
there are clusters, 20 neighbours, ``min_dist`` 0, then a full-covariance Gaussian
mixture. The candidates differ only in what UMAP reads (the pixels, Guo et al.'s CAE
embedding, DEC's dense autoencoder embedding as in N2D) and in what clusters the manifold
(k-means, GMM, HDBSCAN with the thesis's sizes). One more is the thesis's DCEC started from
N2D's clustering of its pretrained embedding (``DCEC(init="umap-gmm")``). Nothing is tuned.

The rule (:func:`choose`) uses no class label: among the candidates that label at least
:data:`~dimclust.thesis.WHOLE` of the images in the number of clusters asked
for, and ran with two seeds or more, it takes the one whose seeds agree most
(:func:`~dimclust.metrics.seed_agreement`). Labels then only score the choice.
"""
from __future__ import annotations

import math

from ..experiments.records import find_run, metric_columns
from ..experiments.runner import run, run_seed, seeds_of
from ..experiments.scales import hdbscan_params, part_params, settings
from ..pipelines import resolve
from .columns import MISSING, SEEDS
from .results import WHOLE
from .values import thesis_value
from .views import draw_seeds

__all__ = ["CANDIDATES", "PUBLISHED", "AIMS", "candidates", "run_candidates", "find_candidates",
           "ablation", "aims", "choose", "chosen_labels", "eligible", "shortfall", "versus",
           "versus_chart"]

#: The candidates, in the order the ablation shows them: label -> named pipeline
#: (:data:`~dimclust.pipelines.RECIPES`).
CANDIDATES = {
    "pixels → UMAP10 → k-means": "umap-kmeans",
    "pixels → UMAP10 → GMM": "umap-gmm",
    "pixels → UMAP10 → HDBSCAN": "umap-hdbscan",
    "Guo CAE → UMAP10 → GMM": "cae-umap-gmm",
    "Guo CAE → DCEC started from UMAP10 → GMM": "dcec-umap-gmm",
    "N2D: DEC autoencoder → UMAP10 → GMM": "n2d",
}


#: Published NMI and ACC of the peers, by our data-set name ("mnist" is all 70,000
#: images, "mnist-test" the 10,000 test images). N2D: McConville et al. (2019).
#: The thesis's DCEC comes from its table 13.1 (:func:`~dimclust.thesis.thesis_value`).
PUBLISHED = {
    "N2D (published)": {"mnist": {"nmi": 0.942, "acc": 0.979},
                        "mnist-test": {"nmi": 0.882, "acc": 0.948},
                        "fashion": {"nmi": 0.684, "acc": 0.672}},
}

#: What the last chapter set out to reach (mean over 5 seeds, all images of the set): a
#: little above N2D's published numbers. Missing entries are not aimed at.
AIMS = {"mnist-test": {"nmi": 0.89, "acc": 0.95},
        "mnist": {"acc": 0.98},
        "fashion": {"nmi": 0.70, "acc": 0.70}}


def candidates(cfg=None):
    """``label -> (pipeline, params)`` of every candidate at the settings ``cfg``.

    At the ``full`` scale (default) the autoencoders train as their papers did, on every
    image and without early stopping (N2D: 1,000 epochs; Guo's CAE: 200 with MSE, exactly
    as DCEC pretrains it, so a result store shares the network) and DCEC runs with the
    thesis's settings; at another scale they train the scale's epochs, and DCEC runs as the
    DCEC chapter runs it at that scale.
    """
    cfg = cfg or settings("full")
    out = {}
    for label, recipe in CANDIDATES.items():
        pipeline, params = resolve(recipe)
        for part in ("cae", "dae"):
            if part in params and cfg["scale"] != "full":
                params[part]["epochs"] = cfg["epochs"]
        if "hdbscan" in pipeline:
            params["hdbscan"] = hdbscan_params(cfg["n_samples"])
        if "dcec" in params:                   # the thesis's DCEC, or the scale's
            params["dcec"] = {**part_params(cfg, "dcec"), **params["dcec"]}
        out[label] = (pipeline, params)
    return out


def run_candidates(dataset, cfg, *, only=None):
    """Run the candidates (or the labels in ``only``) on ``dataset`` at ``cfg``.

    Returns
    -------
    dict
        ``label -> record`` (see :func:`~dimclust.experiments.run`); records go to
        ``cfg["records"]`` when it is set.
    """
    chosen = candidates(cfg)
    unknown = set(only or ()) - set(chosen)
    if unknown:
        raise ValueError(f"unknown candidate(s) {sorted(unknown)}; the candidates are {list(chosen)}")
    return {label: run(dataset, pipeline, seeds=seeds_of(cfg["seeds"]), n_samples=cfg["n_samples"],
                       params=params, records=cfg["records"])
            for label, (pipeline, params) in chosen.items() if only is None or label in only}


def find_candidates(folder, dataset):
    """``label -> record or None``: each candidate's run record at the full scale under
    ``folder`` (:func:`~dimclust.experiments.find_run`)."""
    return {label: find_run(folder, dataset, pipeline, params)
            for label, (pipeline, params) in candidates().items()}


def aims():
    """What the chapter sets out to reach, stated before any result: per data set and score,
    the aim (:data:`AIMS`) beside N2D's published value it is set against.

    Returns
    -------
    pandas.DataFrame
        Columns "data set", "score", "aim (mean of 5 seeds, every image)", "N2D (published)".
    """
    import pandas as pd  # noqa: PLC0415
    n2d = PUBLISHED["N2D (published)"]
    return pd.DataFrame([{"data set": ds, "score": m.upper(),
                          "aim (mean of 5 seeds, every image)": f"≥ {target:.2f}",
                          "N2D (published)": f"{n2d[ds][m]:.3f}" if m in n2d.get(ds, {}) else "—"}
                         for ds, own in AIMS.items() for m, target in own.items()])


def ablation(records):
    """The candidates side by side: what each stage adds.

    Parameters
    ----------
    records : dict of str -> dict or None
        ``label -> record``, from :func:`run_candidates` or :func:`find_candidates`.

    Returns
    -------
    pandas.DataFrame
        One row per candidate: ``nmi``, ``ari``, ``acc`` and their sd (``nmi sd``, ...), ``assigned``
        (share of images labelled), ``clusters`` found (the fewest–most over seeds),
        ``agreement`` of the seeds (the rule's score), seeds, images and seconds per seed;
        ``missing`` says "not run yet" where there is no record. Numbers, formatted by
        :func:`~dimclust.thesis.show`.
    """
    import pandas as pd  # noqa: PLC0415
    rows = []
    for label, rec in records.items():
        if rec is None:
            rows.append({"pipeline": label, MISSING: "not run yet"})
            continue
        found = sorted({r["metrics"].get("n_clusters") for r in rec["runs"]} - {None})
        rows.append({"pipeline": label, **metric_columns(rec, ("nmi", "ari", "acc")),
                     "assigned": rec["mean"]["assigned"],
                     "clusters": (f"{found[0]}–{found[-1]}" if len(found) > 1
                                  else "".join(map(str, found))),
                     "agreement": rec.get("agreement"),
                     "seeds": len(rec["seeds"]), "images": rec["n_samples"],
                     "seconds/seed": round(rec["time_mean"]["total"])})
    out = pd.DataFrame(rows).reindex(columns=[*dict.fromkeys(k for r in rows for k in r)])
    for col in ("seeds", "images", "seconds/seed"):
        if col in out:
            out[col] = out[col].astype("Int64")
    return out


def choose(records, n_clusters=10):
    """The candidate the label-free rule picks, or ``None`` when none qualifies.

    Among the :func:`eligible` records, the one whose seeds' clusterings agree most (mean
    pairwise ARI between seeds, :func:`~dimclust.metrics.seed_agreement`). No class label
    is read.
    """
    agreement = {label: rec["agreement"] for label, rec in eligible(records, n_clusters).items()}
    return max(agreement, key=agreement.get) if agreement else None


def chosen_labels(dataset, records, cfg, *, fallback="pixels → UMAP10 → GMM"):
    """The candidate the rule picks from ``records`` and its first seed's cluster labels.

    Parameters
    ----------
    dataset : str
    records : dict of str -> dict
        ``label -> record`` from :func:`run_candidates` on ``dataset`` at ``cfg``.
    cfg : dict
        The settings the records ran at (:func:`~dimclust.experiments.settings`).
    fallback : str, default "pixels → UMAP10 → GMM"
        The candidate drawn when the rule cannot choose (one seed, say): N2D's clusterer on
        the pixels.

    Returns
    -------
    label : str
    labels : ndarray of int, shape (n_samples,)
        From the result store (the seed's result); computed again only for a result
        remembered before labels were kept.
    """
    label = choose(records) or fallback
    pipeline, params = candidates(cfg)[label]
    seed = records[label]["seeds"][0] if records.get(label) else seeds_of(cfg["seeds"])[0]
    kw = dict(n_samples=cfg["n_samples"], params=params)
    res = run_seed(dataset, pipeline, seed, **kw)
    if "labels" not in res:
        res = run_seed(dataset, pipeline, seed, use_cache=False, **kw)
    return label, res["labels"]


def eligible(records, n_clusters=10):
    """The records the rule may choose from: two seeds or more, with their agreement, at
    least ``WHOLE`` of the images labelled, and ``n_clusters`` clusters found by every seed.

    The last condition keeps the rule to the task every candidate is set (10 clusters):
    a method that chooses its own number, as HDBSCAN does, can be stable by finding a few
    large clusters, and agreement would then reward the easier task.
    """
    return {label: rec for label, rec in records.items()
            if rec is not None and rec.get("agreement") is not None
            and len(rec["seeds"]) >= 2 and rec["mean"]["assigned"] >= WHOLE
            and all(r["metrics"].get("n_clusters") == n_clusters for r in rec["runs"])}


def shortfall(record, dataset):
    """``metric -> how far the record's mean falls short of the aim`` on ``dataset``
    (:data:`AIMS`); zero or less where the aim is met, empty where there is none."""
    return {m: target - record["mean"][m] for m, target in AIMS.get(dataset, {}).items()}


def _references(ds):
    """``[(who, {metric: value})]``: the published values ``ds`` is measured against — the
    thesis's DCEC (table 13.1, all 70,000 images) where it ran the set, then the peers."""
    refs = []
    if ds in ("mnist", "fashion"):
        refs.append(("thesis: DCEC Guo (table 13.1)",
                     {m: thesis_value("13.1", ds, "dcec", m) for m in ("nmi", "acc")}))
    return refs + [(who, published[ds]) for who, published in PUBLISHED.items() if ds in published]


def versus(by_dataset):
    """The chosen pipeline beside the thesis's DCEC, N2D's published numbers and the aims.

    Parameters
    ----------
    by_dataset : dict of str -> dict
        ``data set -> {label -> record or None}``, e.g. ``{"mnist": find_candidates(...)}``.

    Returns
    -------
    pandas.DataFrame
        Per data set: the row the rule chose (``nmi``, ``acc`` and their sd, ``seeds``),
        the thesis's DCEC (table 13.1, all 70,000 images) and N2D (published: one value,
        no sd), and the aim, with whether our mean reaches it and by how much it falls
        short. Numbers, formatted by :func:`~dimclust.thesis.show`.
    """
    import pandas as pd  # noqa: PLC0415
    rows = []
    for ds, recs in by_dataset.items():
        label = choose(recs)
        rec = recs.get(label) if label else None
        aim = AIMS.get(ds, {})
        met = ([f"{m.upper()} {'met' if gap <= 0 else f'short by {gap:.3f}'}"
                for m, gap in shortfall(rec, ds).items()] if rec is not None else [])
        scores = (metric_columns(rec, ("nmi", "acc")) if rec is not None
                  else dict.fromkeys(["nmi", "nmi sd", "acc", "acc sd"], math.nan))
        rows.append({"data set": ds, "who": f"ours: {label}" if label else "ours: nothing chosen yet",
                     **scores, SEEDS: len(rec["seeds"]) if rec is not None else None,
                     "aim": ", ".join(f"{m.upper()} ≥ {v:.2f}" for m, v in aim.items()) or "—",
                     "reached": "; ".join(met) or "—"})
        for who, values in _references(ds):
            rows.append({"data set": ds, "who": who, **{m: float(v) for m, v in values.items()},
                         "aim": "", "reached": ""})
    out = pd.DataFrame(rows)
    out[SEEDS] = out[SEEDS].astype("Int64")
    return out


def versus_chart(by_dataset, metrics=("nmi", "acc")):
    """:func:`versus` drawn: a panel per data set and metric, a row per method.

    Ours (the row the rule chose) shows each seed (grey) and mean ± sd (black); the thesis's
    DCEC (table 13.1) is a red diamond, N2D's published value a blue square, and the aim a
    dashed line. A data set with nothing chosen yet shows the published values only.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt  # noqa: PLC0415
    sets = list(by_dataset)
    fig, axes = plt.subplots(len(metrics), len(sets), figsize=(3.6 * len(sets) + 1.6,
                                                               1.5 * len(metrics) + 1.0),
                             squeeze=False)
    marks = {"thesis": dict(marker="D", color="#d62728"), "published": dict(marker="s",
                                                                            color="#1f77b4")}
    for col, ds in enumerate(sets):
        label = choose(by_dataset[ds])
        rec = by_dataset[ds].get(label) if label else None
        for row, m in enumerate(metrics):
            ax = axes[row][col]
            names = ["ours" if rec is None else f"ours ({len(rec['seeds'])} seeds)"]
            if rec is not None:
                draw_seeds(ax, rec, m, 0)
            for who, values in _references(ds):
                if m in values:
                    thesis = who.startswith("thesis")
                    names.append("thesis DCEC" if thesis else who.replace(" (published)", ""))
                    ax.scatter([values[m]], [len(names) - 1], s=30, zorder=4,
                               **marks["thesis" if thesis else "published"])
            if m in AIMS.get(ds, {}):
                ax.axvline(AIMS[ds][m], ls="--", color="0.3", lw=1)
            ax.set_yticks(range(len(names)), names, fontsize=8)
            ax.set_ylim(len(names) - 0.5, -0.5)
            ax.set_xlabel(m.upper(), fontsize=9)
            ax.grid(axis="x", alpha=0.3)
            if row == 0:
                ax.set_title(ds, fontsize=10)
    handles = [plt.Line2D([], [], marker="o", color="black", ls="", label="ours: mean ± sd"),
               plt.Line2D([], [], marker="o", color="0.6", ls="", ms=4, label="ours: each seed"),
               plt.Line2D([], [], ls="", label="thesis (published)", **marks["thesis"]),
               plt.Line2D([], [], ls="", label="N2D (published)", **marks["published"]),
               plt.Line2D([], [], ls="--", color="0.3", label="aim")]
    fig.legend(handles=handles, loc="lower center", ncol=5, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    return fig
