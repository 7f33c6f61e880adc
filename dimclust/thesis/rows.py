"""The thesis's table rows as runs: each row's parameters and images at a scale, its
record at the thesis's scale, and :func:`compare`: the published table with our mean and
sd beside each value, as numbers."""
from __future__ import annotations

import math

from .. import datasets as _datasets
from ..experiments.records import find_run, metric_columns
from ..experiments.runner import has_training_split, is_cached, run, seeds_of
from ..experiments.scales import pipeline_params, settings
from .columns import (
    ASSIGNED,
    DATASET,
    LABEL,
    MISSING,
    PIPELINE,
    SECONDS,
    SEEDS,
    N,
    ours,
    printed,
    sd,
    thesis,
)
from .values import thesis_table, thesis_value

__all__ = ["row_params", "row_n_samples", "row_record", "compare", "compare_pipelines"]

#: Training lengths; a scale below ``full`` keeps its own.
_BUDGET = ("epochs", "pretrain_epochs")


def row_params(cfg, row):
    """The parameters our run of a thesis table row gets at ``cfg``: the pipeline's
    (:func:`~dimclust.experiments.pipeline_params`) with the row's own on top.

    At a scale other than ``full`` the scale's training length (epochs) is kept: the
    thesis CAE row's 400 epochs become the quick scale's 10.
    """
    params = pipeline_params(cfg, row["pipeline"])
    for part, own in row.get("params", {}).items():
        if cfg.get("scale") != "full":
            own = {k: v for k, v in own.items() if k not in _BUDGET}
        params[part] = {**params.get(part, {}), **own}
    return params or None


def row_n_samples(cfg, row):
    """Images a row runs on: the scale's, or fewer where the thesis sampled (t-SNE: 10,000)."""
    n, own = cfg["n_samples"], row.get("n_samples")
    return own if n is None else (n if own is None else min(n, own))


def row_record(folder, table, dataset, key):
    """The run record under ``folder`` of one row of a thesis table, at the thesis's scale.

    A record matches when its data set, pipeline, protocol and effective parameters are the
    row's at the ``full`` scale and it used the row's images (all of them, or the row's
    sample); of several, the one with most seeds, then the newest, is returned.

    Returns
    -------
    dict or None
        The record (as :func:`~dimclust.experiments.read_record` gives it), or ``None``.
    """
    trow = next((r for r in thesis_table(table)["rows"] if r["key"] == key), None)
    if trow is None:
        raise KeyError(f"table {table} has no row {key!r}")
    full = settings("full")
    return find_run(folder, dataset, trow["pipeline"], row_params(full, trow),
                    protocol=trow.get("protocol"), n_samples=row_n_samples(full, trow))


def _check_subset(table, what, asked, have):
    """Raise ``KeyError`` naming what of ``asked`` the table does not have, and what it has."""
    unknown = sorted(set(asked) - set(have))
    if unknown:
        raise KeyError(f"table {table} has no {what}(s) {unknown}; its {what}s are {list(have)}")


def compare(table, cfg=None, *, rows=None, datasets=None, run_missing=True, datasets_map=None,
            records=None, verbose=0):
    """The thesis's ``table`` with our mean and sd beside each published value.

    Parameters
    ----------
    table : {"12.1", "12.2", "13.1"}
    cfg : dict, optional
        Settings from :func:`~dimclust.experiments.settings` (seeds, sample size, the
        parameters of each pipeline, where records go); default the full scale.
    rows : list of str, optional
        A subset of the table's rows, by key (their pipeline, or e.g. ``"dcec-gamma1"``).
    datasets : list of str, optional
        A subset of the table's data sets, by the thesis's names (``"fashion"``, ``"mnist"``,
        ``"cifar10"``), in the table's order.
    run_missing : bool, default True
        Compute results that are not remembered; with ``False`` they show as "not run".
        A data set that cannot be loaded here (CIFAR-10 offline) shows "no data here".
    datasets_map : dict, optional
        Substitute data sets, e.g. ``{"mnist": "mnist-test"}``. By default ``"mnist"``
        becomes ``"mnist-test"`` when the MNIST training images cannot be had; the
        substitution is shown in the table.
    records : str or path, optional
        Take ours from the run records in this folder (:func:`row_record`: the thesis's
        scale) instead of running; a row without one shows "no record".

    Returns
    -------
    pandas.DataFrame
        One row per table row (and data set), its columns named in
        :mod:`~dimclust.thesis.columns`: ``data set``, ``row (thesis)``, ``pipeline``; per
        metric the floats ``thesis <metric>`` (NaN where the thesis gives none, its printed
        text in ``thesis <metric> printed`` where its cell is not one number),
        ``ours <metric>`` and ``ours <metric> sd`` (NaN without a run of ours, the reason in
        ``missing``); ``assigned`` (mean share labelled) with its sd, ``seeds`` and ``n``
        (integers) and ``seconds/seed``. A row with a ``protocol`` (the CAE row: trained on
        the training split, scored on the test split) is run with it.
    """
    import pandas as pd  # noqa: PLC0415
    cfg = cfg or settings("full")
    t = thesis_table(table)
    dsets = [t["dataset"]] if "dataset" in t else t["datasets"]
    if datasets is not None:
        _check_subset(table, "data set", datasets, dsets)
        dsets = [d for d in dsets if d in datasets]
    mapping = dict(datasets_map or {})
    if (records is None and "mnist" in dsets and "mnist" not in mapping
            and not _datasets.available("mnist")):
        mapping["mnist"] = "mnist-test"
    out = []
    _check_subset(table, "row", rows or [], [r["key"] for r in t["rows"]])
    for ds in dsets:
        ours_ds = mapping.get(ds, ds)
        for trow in t["rows"]:
            if rows and trow["key"] not in rows:
                continue
            pipe = trow["pipeline"]
            row = {DATASET: ds if ours_ds == ds else f"{ds} (ours: {ours_ds})",
                   LABEL: trow["label"], PIPELINE: pipe}
            params, n = row_params(cfg, trow), row_n_samples(cfg, trow)
            protocol = trow.get("protocol")
            rec, missing = None, "not run"
            if records is not None:
                rec, missing = row_record(records, table, ds, trow["key"]), "no record"
            elif not _datasets.available(ours_ds):
                missing = "no data here"            # e.g. CIFAR-10 offline
            elif protocol and not has_training_split(ours_ds):
                missing = "needs the training split"
            elif run_missing or all(is_cached(ours_ds, pipe, s, n_samples=n, params=params,
                                              protocol=protocol)
                                    for s in seeds_of(cfg["seeds"])):
                rec = run(ours_ds, pipe, seeds=seeds_of(cfg["seeds"]), n_samples=n, params=params,
                          protocol=protocol, verbose=verbose, records=cfg["records"])
            for m in t["metrics"]:
                v = thesis_value(table, ds, trow["key"], m)
                row[thesis(m)] = float(v) if isinstance(v, (int, float)) else math.nan
                if isinstance(v, str):
                    row[printed(thesis(m))] = v
            if rec:
                row.update(metric_columns(rec, t["metrics"], prefix=ours("")))
                if ASSIGNED not in t["metrics"]:
                    row.update(metric_columns(rec, [ASSIGNED]))
                row.update({MISSING: None, SEEDS: len(rec["seeds"]), N: rec["n_samples"],
                            SECONDS: float(rec["time_mean"]["total"])})
            else:
                row.update({c: math.nan for m in t["metrics"] for c in (ours(m), sd(ours(m)))})
                row[MISSING] = missing
            out.append(row)
    out = pd.DataFrame(out)
    for col in (SEEDS, N):                     # counts stay integers beside rows without a run
        if col in out:
            out[col] = out[col].astype("Int64")
    return out


def compare_pipelines(dataset, variants, cfg=None, *, metrics=("nmi", "ari", "acc")):
    """Mean and sd of several pipelines or parameter variants on one data set.

    Parameters
    ----------
    dataset : str
    variants : dict of str -> str or (pipeline, params)
        Row label -> what to run: a pipeline (run with its parameters at ``cfg``) or a
        ``(pipeline, params)`` pair, e.g. from :func:`~dimclust.experiments.variant`.
    cfg : dict, optional
        Settings from :func:`~dimclust.experiments.settings`; default the full scale.

    Returns
    -------
    pandas.DataFrame
        Indexed by variant: ``<metric>`` and ``<metric> sd`` for each metric and for
        ``assigned``, the seeds' ``agreement`` (mean pairwise ARI, no labels used; NaN with
        one seed), ``seeds``, ``n``, ``seconds/seed``: numbers, formatted by
        :func:`~dimclust.thesis.show`.
    """
    import pandas as pd  # noqa: PLC0415
    cfg = cfg or settings("full")
    rows = {}
    for label, what in variants.items():
        pipeline, params = ((what, pipeline_params(cfg, what) or None) if isinstance(what, str)
                            else what)
        rec = run(dataset, pipeline, seeds=seeds_of(cfg["seeds"]), n_samples=cfg["n_samples"],
                  params=params, records=cfg["records"])
        agreement = rec.get("agreement")
        rows[label] = {**metric_columns(rec, [*metrics, ASSIGNED]),
                       "agreement": math.nan if agreement is None else float(agreement),
                       SEEDS: len(rec["seeds"]), N: rec["n_samples"],
                       SECONDS: float(rec["time_mean"]["total"])}
    return pd.DataFrame.from_dict(rows, orient="index")
