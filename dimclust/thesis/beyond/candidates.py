"""The last chapter's candidates: named pipelines with settings fixed in advance, run and
found in the records, and set side by side (:func:`ablation`).

Every candidate is a named pipeline (:data:`~dimclust.n2d.RECIPES`) with its settings from
N2D's run script (McConville et al. 2019): UMAP to as many dimensions as there are
clusters, 20 neighbours, ``min_dist`` 0, then a full-covariance Gaussian mixture. The
candidates differ only in what UMAP reads (the pixels, Guo et al.'s CAE embedding, DEC's
dense autoencoder embedding as in N2D) and in what clusters the manifold (k-means, GMM,
HDBSCAN with the thesis's sizes). One more is the thesis's DCEC started from N2D's
clustering of its pretrained embedding (``DCEC(init="umap-gmm")``). The last three read, in
the autoencoder's place, an embedding learnt to be blind to small changes that keep an
image's class (:class:`~dimclust.ContrastiveEncoder`: its default views, and mirror images
on data whose classes allow them), then UMAP and the mixture, UMAP and k-means, or the
mixture alone: one trained network, three ways on from it. Nothing is tuned.
:func:`without_each_view` sets the views apart: the contrastive candidate trained with one
of its views left out at a time.
"""
from __future__ import annotations

import copy

from ...augment import DEFAULT_AUGMENTATIONS, check_augmentations
from ...contrastive import epochs_for
from ...datasets import DATASETS
from ...experiments.records import find_run, metric_columns
from ...experiments.runner import run, seeds_of, select_seeds
from ...experiments.scales import hdbscan_params, part_params, settings
from ...pipelines import resolve
from ..columns import MISSING

__all__ = ["CANDIDATES", "CONTRASTIVE", "candidates", "run_candidates", "find_candidates",
           "ablation", "without_each_view", "find_without_each_view"]

#: The candidates, in the order the ablation shows them: label -> named pipeline
#: (:data:`~dimclust.n2d.RECIPES`).
CANDIDATES = {
    "pixels → UMAP10 → k-means": "umap-kmeans",
    "pixels → UMAP10 → GMM": "umap-gmm",
    "pixels → UMAP10 → HDBSCAN": "umap-hdbscan",
    "Guo CAE → UMAP10 → GMM": "cae-umap-gmm",
    "Guo CAE → DCEC started from UMAP10 → GMM": "dcec-from-n2d",
    "N2D: DEC autoencoder → UMAP10 → GMM": "n2d",
    "contrastive CNN → UMAP10 → GMM": "simclr-umap-gmm",
    "contrastive CNN → UMAP10 → k-means": "simclr-umap-kmeans",
    "contrastive CNN → GMM (no UMAP)": "simclr-gmm",
}


def candidates(cfg=None, dataset=None):
    """``label -> (pipeline, params)`` of every candidate at the settings ``cfg``, for
    ``dataset``.

    At the ``full`` scale (default) the autoencoders train as their papers did, on every
    image and without early stopping (N2D: 1,000 epochs; Guo's CAE: 200 with MSE, exactly
    as DCEC pretrains it, so a result store shares the network) and DCEC runs with the
    thesis's settings; at another scale they train the scale's epochs, and DCEC runs as the
    DCEC chapter runs it at that scale. The contrastive encoder trains about 8,000 updates
    at the ``full`` scale (:func:`~dimclust.contrastive.epochs_for`: 30 epochs of 70,000
    images, 206 of 10,000) and the scale's epochs below it, and adds mirror images to its views
    where ``dataset``'s classes allow them (``mirrors`` in :data:`~dimclust.datasets.DATASETS`).
    """
    cfg = cfg or settings("full")
    mirrors = DATASETS.get(dataset, {}).get("mirrors", False)
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
        if pipeline.startswith("simclr"):
            n = cfg["n_samples"] or DATASETS.get(dataset, {}).get("n")
            own = ({"epochs": cfg["epochs"]} if cfg["scale"] != "full" else
                   {"epochs": epochs_for(n)} if n else {})
            if mirrors:
                own["augmentations"] = list(check_augmentations([*DEFAULT_AUGMENTATIONS, "flip"]))
            if own:
                params["simclr"] = own
        out[label] = (pipeline, params)
    return out


#: The contrastive candidate whose views :func:`without_each_view` leaves out one at a time.
CONTRASTIVE = "contrastive CNN → UMAP10 → GMM"


def without_each_view(dataset, cfg=None):
    """The :data:`CONTRASTIVE` candidate on ``dataset`` with each of its views left out in
    turn, every other setting as :func:`candidates` gives it.

    What a view adds is the candidate's score minus the score without it, as SimCLR's
    authors measured their transformations on ImageNet (Chen et al. 2020, §3), here on
    small grey images.

    Parameters
    ----------
    dataset : str
        Its views are the candidate's there: the default ones
        (:data:`~dimclust.augment.DEFAULT_AUGMENTATIONS`), and mirror images where the
        data set's classes allow them.
    cfg : dict, optional
        The settings (:func:`~dimclust.experiments.settings`); default the full scale.

    Returns
    -------
    dict
        ``view -> (label, pipeline, params)``, labels reading
        ``"contrastive CNN without <view> → UMAP10 → GMM"``.

    Examples
    --------
    >>> list(without_each_view("mnist"))
    ['crop', 'shift', 'erase', 'contrast']
    >>> without_each_view("fashion")["flip"][0]
    'contrastive CNN without flip → UMAP10 → GMM'
    """
    pipeline, params = candidates(cfg, dataset)[CONTRASTIVE]
    views = params.get("simclr", {}).get("augmentations", list(DEFAULT_AUGMENTATIONS))
    out = {}
    for view in views:
        own = copy.deepcopy(params)
        own.setdefault("simclr", {})["augmentations"] = [v for v in views if v != view]
        out[view] = (CONTRASTIVE.replace("CNN", f"CNN without {view}"), pipeline, own)
    return out


def find_without_each_view(folder, dataset, seed=0):
    """The records of :func:`without_each_view` on ``dataset`` under ``folder``, after the
    :data:`CONTRASTIVE` candidate's own with every view: all its seeds, then seed ``seed``
    alone, the run each view's is paired with (same seed, one view fewer).

    Returns
    -------
    dict of str -> dict or None
        ``label -> record or None``, ready for :func:`ablation`.
    """
    pipeline, params = candidates(dataset=dataset)[CONTRASTIVE]
    full = find_run(folder, dataset, pipeline, params)
    every = CONTRASTIVE.replace("CNN", "CNN with every view")
    paired = (select_seeds(full, [seed]) if full is not None and seed in full["seeds"]
              else None)
    return {every: full, every.replace("view", f"view, seed {seed}"): paired} | {
        label: find_run(folder, dataset, pipeline, params)
        for label, pipeline, params in without_each_view(dataset).values()}


def run_candidates(dataset, cfg, *, only=None):
    """Run the candidates (or the labels in ``only``) on ``dataset`` at ``cfg``.

    Returns
    -------
    dict
        ``label -> record`` (see :func:`~dimclust.experiments.run`); records go to
        ``cfg["records"]`` when it is set.
    """
    chosen = candidates(cfg, dataset)
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
            for label, (pipeline, params) in candidates(dataset=dataset).items()}


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
        ``silhouette`` in the space each run clustered (mean over seeds; where that is a UMAP
        map, the rule picks the run where it is largest), ``agreement`` of the seeds, seeds,
        images and seconds per seed;
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
                     "silhouette": rec["mean"].get("silhouette"),
                     "agreement": rec.get("agreement"),
                     "seeds": len(rec["seeds"]), "images": rec["n_samples"],
                     "seconds/seed": round(rec["time_mean"]["total"])})
    out = pd.DataFrame(rows).reindex(columns=[*dict.fromkeys(k for r in rows for k in r)])
    for col in ("seeds", "images", "seconds/seed"):
        if col in out:
            out[col] = out[col].astype("Int64")
    return out
