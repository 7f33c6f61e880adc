"""The thesis's published tables (stored once, in ``dimclust/data/thesis.json``), and
our mean ± sd beside them."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .. import datasets
from .records import format_mean_sd
from .runner import is_cached, run
from .scales import pipeline_params, settings

__all__ = ["thesis_table", "thesis_value", "compare", "compare_pipelines"]


@lru_cache(maxsize=1)
def _thesis():
    return json.loads((Path(__file__).parent.parent / "data" / "thesis.json").read_text())


def thesis_table(table):
    """The thesis's table ``"12.1"``, ``"12.2"`` or ``"13.1"`` as stored (published values only)."""
    tables = _thesis()["tables"]
    if table not in tables:
        raise KeyError(f"unknown table {table!r}; the thesis tables stored are {sorted(tables)}")
    return tables[table]


def thesis_value(table, dataset, pipeline, metric):
    """One published value, or ``None`` where the thesis gives none."""
    t = thesis_table(table)
    vals = t["values"] if "dataset" in t else t["values"].get(dataset, {})
    return vals.get(pipeline, {}).get(metric)


def _seeds(cfg):
    s = cfg["seeds"]
    return list(range(s)) if isinstance(s, int) else list(s)


def compare(table, cfg=None, *, rows=None, run_missing=True, datasets_map=None, verbose=0):
    """The thesis's ``table`` with our mean ± sd beside each published value.

    Parameters
    ----------
    table : {"12.1", "12.2", "13.1"}
    cfg : dict, optional
        Settings from :func:`~dimclust.experiments.settings` (seeds, sample size, the
        parameters of each pipeline, where records go); default the full scale.
    rows : list of str, optional
        A subset of the table's pipelines.
    run_missing : bool, default True
        Compute results that are not remembered; with ``False`` they show as "not run".
    datasets_map : dict, optional
        Substitute data sets, e.g. ``{"mnist": "mnist-test"}``. By default ``"mnist"``
        becomes ``"mnist-test"`` when the MNIST training images cannot be had; the
        substitution is shown in the table.

    Returns
    -------
    pandas.DataFrame
        One row per pipeline (and data set), columns ``thesis <metric>`` and ``ours <metric>``.
    """
    import pandas as pd  # noqa: PLC0415
    cfg = cfg or settings("full")
    t = thesis_table(table)
    dsets = [t["dataset"]] if "dataset" in t else t["datasets"]
    mapping = dict(datasets_map or {})
    if "mnist" in dsets and "mnist" not in mapping and not datasets.available("mnist"):
        mapping["mnist"] = "mnist-test"
    out = []
    for ds in dsets:
        ours_ds = mapping.get(ds, ds)
        for pipe in rows or t["rows"]:
            row = {"data set": ds if ours_ds == ds else f"{ds} (ours: {ours_ds})",
                   "pipeline": pipe}
            params = pipeline_params(cfg, pipe) or None
            rec = None
            if run_missing or all(is_cached(ours_ds, pipe, s, n_samples=cfg["n_samples"],
                                            params=params) for s in _seeds(cfg)):
                rec = run(ours_ds, pipe, seeds=_seeds(cfg), n_samples=cfg["n_samples"],
                          params=params, verbose=verbose, records=cfg["records"])
            for m in t["metrics"]:
                v = thesis_value(table, ds, pipe, m)
                row[f"thesis {m}"] = "—" if v is None else f"{v:.4g}"
                row[f"ours {m}"] = (format_mean_sd(rec["mean"][m], rec["sd"][m])
                                    if rec else "not run")
            if rec:
                row.update({"seeds": len(rec["seeds"]), "n": rec["n_samples"],
                            "seconds/seed": round(rec["time_mean"]["total"], 1)})
            out.append(row)
    return pd.DataFrame(out)


def compare_pipelines(dataset, variants, cfg=None, *, metrics=("nmi", "ari", "acc")):
    """Mean ± sd of several pipelines or parameter variants on one data set.

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
        One row per variant: ``<metric>`` as "mean ± sd", ``assigned``, ``seconds/seed``.
    """
    import pandas as pd  # noqa: PLC0415
    cfg = cfg or settings("full")
    rows = {}
    for label, what in variants.items():
        pipeline, params = ((what, pipeline_params(cfg, what) or None) if isinstance(what, str)
                            else what)
        rec = run(dataset, pipeline, seeds=_seeds(cfg), n_samples=cfg["n_samples"],
                  params=params, records=cfg["records"])
        rows[label] = {**{m: format_mean_sd(rec["mean"][m], rec["sd"][m]) for m in metrics},
                       "assigned": format_mean_sd(rec["mean"]["assigned"], rec["sd"]["assigned"]),
                       "seeds": len(rec["seeds"]), "n": rec["n_samples"],
                       "seconds/seed": round(rec["time_mean"]["total"], 1)}
    return pd.DataFrame(rows).T
