"""Multi-seed experiments, an on-disk result cache, and the thesis's tables beside ours.

:func:`run` fits one pipeline on one data set for several seeds and returns a *record*:
metrics per seed, mean ± sd, wall time per stage, parameters, package versions and
hardware. Each seed's result is cached on disk under a key made of everything that can
change it (data set, sample size, pipeline and parameters, seed, package versions), so
re-running a chapter does not recompute. The cache lives in ``$DIMCLUST_CACHE``, else
``~/.cache/dimclust``. With ``$DIMCLUST_RECORDS`` set, every record is also written there
(JSON and CSV, see :func:`write_record`): that is how executing the book leaves ``results/``.

:func:`compare` lays the thesis's published values (stored once, in
``dimclust/data/thesis.json``) beside our mean ± sd, for tables 12.1, 12.2 and 13.1.
"""
from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import json
import logging
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import datasets
from .metrics import evaluate
from ._provenance import digest, hardware, versions
from .pipelines import ClusteringPipeline, parse_pipeline

__all__ = ["run", "compare", "compare_pipelines", "load_records", "thesis_table", "write_record", "cache_dir", "format_mean_sd",
           "settings", "SCALES", "METRICS"]

log = logging.getLogger(__name__)

METRICS = ("nmi", "ari", "ami", "acc", "silhouette", "assigned")


#: What "quick" (2 CPU cores, minutes) and "full" (the thesis's sizes, a GPU) mean.
SCALES = {
    "quick": {"n_samples": 3000, "epochs": 10, "seeds": 3, "pretrain_epochs": 10,
              "maxiter": 100, "update_interval": 10, "batch_size": 128, "steps_per_execution": 1},
    "full": {"n_samples": None, "epochs": 200, "seeds": 3, "pretrain_epochs": 200,
             "maxiter": 20000, "update_interval": 140, "batch_size": 256,
             "steps_per_execution": 28},
}


def settings(scale="quick", **overrides):
    """The settings of ``scale``, with every override that is not ``None`` applied.

    Examples
    --------
    >>> settings("quick", n_samples=2000)["n_samples"]
    2000
    """
    if scale not in SCALES:
        raise ValueError(f"scale={scale!r}; choose one of {sorted(SCALES)}")
    unknown = set(overrides) - set(SCALES[scale])
    if unknown:
        raise ValueError(f"unknown setting(s) {sorted(unknown)}; known: {sorted(SCALES[scale])}")
    return {**SCALES[scale], **{k: v for k, v in overrides.items() if v is not None}}


def hdbscan_params(n_samples, n_total=70_000):
    """The thesis's ``min_cluster_size=500`` (for 70,000 images) scaled to ``n_samples``."""
    n = n_total if n_samples is None else n_samples
    return {"min_cluster_size": max(10, round(500 * n / n_total))}


def pipeline_params(cfg):
    """Per-pipeline parameters for the tables at the settings ``cfg`` (see :func:`settings`).

    Autoencoders train ``cfg["epochs"]``; DCEC uses the DCEC settings; HDBSCAN's minimum
    cluster size is scaled to the sample size (:func:`hdbscan_params`).
    """
    hd = {"hdbscan": hdbscan_params(cfg["n_samples"])}
    cae = {"cae": {"epochs": cfg["epochs"], "verbose": 0}}
    dcec = {"dcec": {k: cfg[k] for k in ("pretrain_epochs", "maxiter", "update_interval",
                                         "batch_size", "steps_per_execution")} | {"verbose": 0}}
    return {"pca50+hdbscan": hd, "umap2+hdbscan": hd, "umap30+hdbscan": hd,
            "cae10+kmeans": cae, "tcae10+kmeans": {"tcae": cae["cae"]},
            "cae10+umap10+gmm": cae, "dcec": dcec}


def cache_dir():
    """Folder of cached per-seed results: ``$DIMCLUST_CACHE`` or ``~/.cache/dimclust``."""
    base = os.environ.get("DIMCLUST_CACHE") or Path(
        os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "dimclust"
    return Path(base).expanduser()


def _seed_key(dataset, pipeline, seed, n_samples, params, data_seed):
    """Cache key of one seed's result: everything that can change it."""
    blob = json.dumps(dict(dataset=dataset, n_samples=n_samples, data_seed=data_seed,
                           pipeline=pipeline, params=params or {}, seed=seed,
                           versions=versions()), sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:24]


def _atomic_write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def run_seed(dataset, pipeline, seed, *, n_samples=None, params=None, data_seed=0,
             use_cache=True, verbose=0, X=None, y=None):
    """Fit ``pipeline`` once with ``random_state=seed``; returns (result dict, labels, embedding).

    The cached ``.npz`` beside the JSON holds the labels and, for embeddings of at most
    three dimensions, the embedding itself (for figures).
    """
    key = _seed_key(dataset, pipeline, seed, n_samples, params, data_seed)
    jpath, npath = cache_dir() / f"{key}.json", cache_dir() / f"{key}.npz"
    if use_cache and jpath.exists() and npath.exists():
        with np.load(npath) as f:
            emb = f["embedding"] if "embedding" in f else None
            log.info("%s %s seed %s: cached (%s)", dataset, pipeline, seed, jpath.name)
            return json.loads(jpath.read_text()), f["labels"], emb
    if X is None:
        X, y = datasets.load(dataset, n_samples=n_samples, random_state=data_seed)
    est = ClusteringPipeline(pipeline, n_clusters=len(np.unique(y)), params=params,
                             random_state=seed, verbose=verbose,
                             memory=cache_dir() / "reduced").fit(X)
    total = sum(est.timings_.values())    # a stage reused from memory counts what it cost
    emb = est.embedding_
    result = {"seed": seed,
              "metrics": evaluate(y, est.labels_, emb, noise="exclude"),
              "metrics_all_points": evaluate(y, est.labels_, noise="include"),
              "timings": {**{k: round(v, 3) for k, v in est.timings_.items()},
                          "total": round(total, 3)},
              "n": int(len(y)), "embedding_dim": int(emb.shape[1])}
    small = emb if emb.shape[1] <= 3 else None
    arrays = {"labels": est.labels_.astype(np.int32)}
    if small is not None:
        arrays["embedding"] = small.astype(np.float32)
    npath.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(npath, **arrays)
    _atomic_write(jpath, json.dumps(result, indent=1))
    return result, est.labels_, small


def run(dataset, pipeline, *, seeds=3, n_samples=None, params=None, data_seed=0,
        use_cache=True, verbose=0):
    """Run ``pipeline`` on ``dataset`` for several seeds and summarise.

    Parameters
    ----------
    dataset : str
        A name accepted by :func:`dimclust.datasets.load`.
    pipeline : str
        A pipeline such as ``"umap2+kmeans"`` (see :mod:`dimclust.pipelines`).
    seeds : int or sequence of int, default 3
        ``3`` means seeds 0, 1, 2. The seed is the pipeline's ``random_state``.
    n_samples : int, optional
        Use a random subset of this size, the same subset for every seed (drawn with
        ``data_seed``), so the spread measures the algorithm, not the sample.
    params : dict of dict, optional
        Per-part overrides (see :class:`~dimclust.pipelines.ClusteringPipeline`).
    use_cache : bool, default True

    Returns
    -------
    dict
        ``runs`` (one dict per seed), ``mean`` and ``sd`` per metric (sample sd, ``0``
        with one seed), ``time_mean`` per stage and ``total`` (seconds of computation: a
        stage reused from the cache counts what it cost when computed), and the context.
    """
    parse_pipeline(pipeline)                      # fail before loading data
    seed_list = list(range(seeds)) if isinstance(seeds, (int, np.integer)) else list(seeds)
    if not seed_list:
        raise ValueError(f"seeds={seeds!r}: need at least one seed")
    X = y = None
    runs = []
    for s in seed_list:
        if X is None and not _cached(dataset, pipeline, s, n_samples, params, data_seed,
                                     use_cache):
            X, y = datasets.load(dataset, n_samples=n_samples, random_state=data_seed)
        res, _, _ = run_seed(dataset, pipeline, s, n_samples=n_samples, params=params,
                             data_seed=data_seed, use_cache=use_cache, verbose=verbose,
                             X=X, y=y)
        runs.append(res)
        log.info("%s %s seed %s: NMI %.3f ACC %.3f (%.0f s)", dataset, pipeline, s,
                 res["metrics"]["nmi"], res["metrics"]["acc"], res["timings"]["total"])
    record = _summarise(dataset, pipeline, n_samples, params, data_seed, runs)
    if os.environ.get("DIMCLUST_RECORDS"):
        write_record(record, os.environ["DIMCLUST_RECORDS"])
    return record


def _cached(dataset, pipeline, seed, n_samples, params, data_seed, use_cache):
    key = _seed_key(dataset, pipeline, seed, n_samples, params, data_seed)
    return use_cache and (cache_dir() / f"{key}.json").exists()


def _summarise(dataset, pipeline, n_samples, params, data_seed, runs):
    mean, sd = {}, {}
    for m in METRICS:
        vals = np.array([r["metrics"].get(m, np.nan) for r in runs], dtype=float)
        mean[m] = float(np.mean(vals))
        sd[m] = float(np.std(vals, ddof=1)) if len(vals) > 1 else 0.0
    stages = runs[0]["timings"].keys()
    return {"dataset": dataset, "n_samples": runs[0]["n"],
            "data_seed": data_seed, "pipeline": pipeline, "params": params or {},
            "seeds": [r["seed"] for r in runs], "runs": runs, "mean": mean, "sd": sd,
            "time_mean": {k: float(np.mean([r["timings"][k] for r in runs])) for k in stages},
            "versions": versions(), "hardware": hardware(),
            "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")}


def write_record(record, out_dir):
    """Write ``record`` as ``<dataset>-n<N>-<pipeline>[-<params hash>].json`` and a per-seed ``.csv``."""
    out_dir = Path(out_dir)
    stem = f"{record['dataset']}-n{record['n_samples']}-{record['pipeline'].replace('+', '_')}"
    if record["params"]:                          # variants of one pipeline keep their own file
        stem += "-" + digest(record["params"])[:8]
    _atomic_write(out_dir / f"{stem}.json", json.dumps(record, indent=1))
    rows = [{"seed": r["seed"], **{m: r["metrics"].get(m) for m in METRICS},
             **{f"time_{k}": v for k, v in r["timings"].items()}} for r in record["runs"]]
    with open(out_dir / f"{stem}.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return out_dir / f"{stem}.json"


def format_mean_sd(mean, sd, digits=3):
    """``0.643 ± 0.012``; ``—`` for a missing value."""
    if mean is None or not np.isfinite(mean):
        return "—"
    return f"{mean:.{digits}f} ± {sd:.{digits}f}"


@lru_cache(maxsize=1)
def _thesis():
    return json.loads((Path(__file__).parent / "data" / "thesis.json").read_text())


def thesis_table(table):
    """The thesis's table ``"12.1"``, ``"12.2"`` or ``"13.1"`` as stored (published values only)."""
    tables = _thesis()["tables"]
    if table not in tables:
        raise KeyError(f"unknown table {table!r}; the thesis tables stored are {sorted(tables)}")
    return tables[table]


def thesis_value(table, dataset, pipeline, metric):
    t = thesis_table(table)
    vals = t["values"] if "dataset" in t else t["values"].get(dataset, {})
    return vals.get(pipeline, {}).get(metric)


def compare(table, *, seeds=3, n_samples=None, params=None, run_missing=True, rows=None,
            datasets_map=None, verbose=0):
    """The thesis's ``table`` with our mean ± sd beside each published value.

    Parameters
    ----------
    table : {"12.1", "12.2", "13.1"}
    seeds, n_samples, params
        As in :func:`run`; ``params`` is keyed by pipeline, then by part.
    run_missing : bool, default True
        Compute results that are not cached; with ``False`` they show as "not run".
    rows : list of str, optional
        A subset of the table's pipelines.
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
            rec = None
            pipe_params = (params or {}).get(pipe)
            if run_missing or all(_cached(ours_ds, pipe, s, n_samples, pipe_params, 0, True)
                                  for s in (range(seeds) if isinstance(seeds, int) else seeds)):
                rec = run(ours_ds, pipe, seeds=seeds, n_samples=n_samples, params=pipe_params,
                          verbose=verbose)
            for m in t["metrics"]:
                v = thesis_value(table, ds, pipe, m)
                row[f"thesis {m}"] = "—" if v is None else f"{v:.4g}"
                row[f"ours {m}"] = (format_mean_sd(rec["mean"][m], rec["sd"][m])
                                    if rec else "not run")
            if rec:
                row["seeds"] = len(rec["seeds"])
                row["n"] = rec["n_samples"]
                row["seconds/seed"] = round(rec["time_mean"]["total"], 1)
            out.append(row)
    return pd.DataFrame(out)


def compare_pipelines(dataset, variants, *, seeds=3, n_samples=None, metrics=("nmi", "ari", "acc")):
    """Mean ± sd of several pipelines or parameter variants on one data set.

    Parameters
    ----------
    dataset : str
    variants : dict of str -> (pipeline, params)
        Row label -> what to run, e.g. ``{"γ = 1": ("dcec", {"dcec": {"gamma": 1.0}})}``.
    seeds, n_samples
        As in :func:`run` (results are cached, so rows shared with other tables are free).

    Returns
    -------
    pandas.DataFrame
        One row per variant: ``<metric>`` as "mean ± sd", ``assigned``, ``seconds/seed``.
    """
    import pandas as pd  # noqa: PLC0415
    rows = {}
    for label, (pipeline, params) in variants.items():
        rec = run(dataset, pipeline, seeds=seeds, n_samples=n_samples, params=params)
        rows[label] = {**{m: format_mean_sd(rec["mean"][m], rec["sd"][m]) for m in metrics},
                       "assigned": format_mean_sd(rec["mean"]["assigned"], rec["sd"]["assigned"]),
                       "seeds": len(rec["seeds"]), "n": rec["n_samples"],
                       "seconds/seed": round(rec["time_mean"]["total"], 1)}
    return pd.DataFrame(rows).T


def load_records(folder):
    """All run records (``*.json`` written by :func:`write_record`) under ``folder``, as a table.

    Returns
    -------
    pandas.DataFrame
        One row per record: data set, n, pipeline, seeds, NMI/ARI/ACC mean ± sd, seconds
        per seed, the hardware (GPU name, else CPU), the Keras backend and the date.
    """
    import pandas as pd  # noqa: PLC0415
    rows = []
    for path in sorted(Path(folder).rglob("*.json")):
        rec = json.loads(path.read_text())
        if not {"runs", "mean", "sd", "pipeline"} <= set(rec):
            continue
        hw = rec.get("hardware", {})
        rows.append({"data set": rec["dataset"], "n": rec["n_samples"], "pipeline": rec["pipeline"],
                     "seeds": len(rec["seeds"]),
                     **{m: format_mean_sd(rec["mean"][m], rec["sd"][m]) for m in ("nmi", "ari", "acc")},
                     "assigned": round(rec["mean"]["assigned"], 3),
                     "seconds/seed": round(rec["time_mean"]["total"], 1),
                     "hardware": ", ".join(hw.get("gpus", [])) or
                                 f"{hw.get('cpu_count')} CPU cores ({hw.get('machine')})",
                     "backend": hw.get("keras_backend"), "date": rec.get("created", "")[:10]})
    return pd.DataFrame(rows)
