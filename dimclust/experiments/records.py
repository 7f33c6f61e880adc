"""Run records: write them (JSON + per-seed CSV), load a folder of them, format them."""
from __future__ import annotations

import csv
import io
import json
import math
from functools import cache
from pathlib import Path

import numpy as np

from ..store import atomic_write, digest, read_npz, write_npz

__all__ = ["METRICS", "write_record", "read_record", "iter_records", "find_records", "find_run",
           "best_run", "describe_run", "load_records", "part_defaults", "run_labels",
           "format_mean_sd", "format_metric", "metric_columns", "record_text"]

#: Scores summarised in every record.
METRICS = ("nmi", "ari", "ami", "acc", "silhouette", "silhouette_pixels", "assigned")


def format_mean_sd(mean, sd, digits=3, *, seeds=None):
    """``0.643 ± 0.012``; ``0.662 (one run)`` when ``seeds`` is 1 (the sd of one run says
    nothing); the mean alone where there is no sd (a published value); ``—`` for a missing
    mean."""
    if mean is None or not np.isfinite(mean):
        return "—"
    if seeds is not None and seeds == 1:
        return f"{mean:.{digits}f} (one run)"
    if sd is None or not np.isfinite(sd):
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} ± {sd:.{digits}f}"


def format_metric(record, metric, digits=3):
    """A record's ``metric`` as "mean ± sd", or "value (one run)" when it holds one seed."""
    return format_mean_sd(record["mean"][metric], record["sd"][metric], digits,
                          seeds=len(record["seeds"]))


#: The end of a column's name that holds the standard deviation of the column before it.
SD_SUFFIX = " sd"


def metric_columns(record, metrics, *, prefix=""):
    """A record's ``metrics`` as table cells of plain floats: ``{prefix + m: mean,
    prefix + m + SD_SUFFIX: sd}`` for each ``m``; NaN where the record has no value."""
    out = {}
    for m in metrics:
        mean, sd = record["mean"].get(m), record["sd"].get(m)
        out[f"{prefix}{m}"] = math.nan if mean is None else float(mean)
        out[f"{prefix}{m}{SD_SUFFIX}"] = math.nan if sd is None else float(sd)
    return out


def write_record(record, out_dir):
    """Write ``record`` as ``<dataset>-n<N>-<pipeline>[-<params hash>].json`` and a per-seed
    ``.csv``; its ``samples`` arrays, if any, go to a ``.npz`` of the same name."""
    out_dir = Path(out_dir)
    stem = f"{record['dataset']}-n{record['n_samples']}-{record['pipeline'].replace('+', '_')}"
    if record["params"]:                          # variants of one pipeline keep their own file
        stem += "-" + digest(record["params"])[:8]
    if record.get("protocol"):
        stem += "-" + record["protocol"]
    rows = [{"seed": r["seed"], **{m: r["metrics"].get(m) for m in METRICS},
             **{f"time_{k}": v for k, v in r["timings"].items()}} for r in record["runs"]]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    atomic_write(out_dir / f"{stem}.csv", buf.getvalue())
    samples = record.get("samples") or {}
    if samples:
        write_npz(out_dir / f"{stem}.npz", {"record": f"{stem}.json"}, samples)
    body = {k: v for k, v in record.items() if k != "samples"}
    return atomic_write(out_dir / f"{stem}.json", json.dumps(body, indent=1))


def read_record(path):
    """A record written by :func:`write_record`, with its ``samples`` when there are any."""
    path = Path(path)
    record = json.loads(path.read_text())
    npz = path.with_suffix(".npz")
    record["samples"] = read_npz(npz)[1] if npz.exists() else {}
    return record


def iter_records(folder):
    """``(path, record)`` for every run record (JSON with ``runs``) under ``folder``, its
    ``samples`` not read (:func:`read_record` reads them)."""
    folder = Path(folder)
    for path in sorted(folder.rglob("*.json")) if folder.is_dir() else []:
        rec = json.loads(path.read_text())
        if {"runs", "mean", "sd", "pipeline"} <= set(rec):
            yield path, rec


def find_records(folder, **match):
    """Full records (with ``samples``) under ``folder`` whose fields equal ``match``.

    Examples
    --------
    ``find_records("results/gpu", dataset="fashion", label="DCEC Guo (γ = 0.1)")``
    """
    return [read_record(path) for path, rec in iter_records(folder)
            if all(rec.get(k) == v for k, v in match.items())]


def run_labels(record):
    """``seed -> cluster labels`` of the seeds whose labels ``record`` keeps (in its
    ``samples``, as :func:`~dimclust.experiments.runner.summarise` stores them).

    Returns
    -------
    dict of int -> ndarray of shape (n_samples,)
        Seeds run before labels were kept are absent.
    """
    samples = record.get("samples") or {}
    return {r["seed"]: np.asarray(samples[f"seed{r['seed']}_labels"]) for r in record["runs"]
            if f"seed{r['seed']}_labels" in samples}


@cache
def part_defaults(part):
    """The settings a pipeline part starts from (:data:`~dimclust.grammar.PARTS`; built once
    per part: UMAP's import is slow), or an empty dict for a name that is no part."""
    from ..pipelines import PARTS  # noqa: PLC0415
    return PARTS[part].build(0).get_params() if part in PARTS else {}


#: Parameters that cannot change a result: how much is printed, and how many batches one
#: compiled call runs (the autoencoders and DCEC keep the batches of an epoch the same).
_NO_EFFECT = ("verbose", "steps_per_execution")


def _effective(params):
    """``params`` less what cannot change a result (:data:`_NO_EFFECT`) and less every value
    that equals the part's default, so that two ways of writing one run compare equal."""
    out = {}
    for part, own in (params or {}).items():
        defaults = part_defaults(part)
        kept = {k: v for k, v in own.items()
                if k not in _NO_EFFECT and not (k in defaults and defaults[k] == v)}
        if kept:
            out[part] = kept
    return out


def find_run(folder, dataset, pipeline, params=None, *, protocol=None, n_samples=None):
    """The run record under ``folder`` of ``pipeline`` with ``params`` on ``dataset``.

    A record matches when its data set, pipeline, protocol and effective parameters (less
    ``verbose``, ``steps_per_execution`` and the parts' defaults) are these, and it used ``n_samples`` images — by
    default the most any matching record used (all images, not a quick sample). Of
    several, the one with most seeds, then the newest, is returned.

    Returns
    -------
    dict or None
        The record (as :func:`read_record` gives it), or ``None``.
    """
    want = _effective(params)
    found = [(path, r) for path, r in iter_records(folder)        # JSON only; samples once, below
             if r["dataset"] == dataset and r["pipeline"] == pipeline
             and r.get("protocol") == protocol and _effective(r["params"]) == want]
    if n_samples is not None:
        found = [(p, r) for p, r in found if r["n_samples"] == n_samples]
    elif found:
        largest = max(r["n_samples"] for _, r in found)
        found = [(p, r) for p, r in found if r["n_samples"] == largest]
    best = max(found, key=lambda pr: (len(pr[1]["seeds"]), pr[1].get("created", "")),
               default=None)
    return None if best is None else read_record(best[0])


def best_run(folder, pipeline, params=None, *, dataset=None, protocol=None):
    """The record of ``pipeline`` with ``params`` at the largest scale there is under
    ``folder``, on any data set: ``dataset``'s when it has one, else the one with most
    images; then most seeds, then the newest. ``None`` when there is none.

    Examples
    --------
    ``best_run("results", "dcec", dataset="fashion")``: DCEC as published (γ = 0.1), on
    all of Fashion-MNIST if that has run, else on the data set that ran with most images.
    """
    want = _effective(params)
    found = [(path, r) for path, r in iter_records(folder)
             if r["pipeline"] == pipeline and r.get("protocol") == protocol
             and _effective(r["params"]) == want]
    if not found:
        return None
    best = max(found, key=lambda pr: (pr[1]["dataset"] == dataset, pr[1]["n_samples"],
                                      len(pr[1]["seeds"]), pr[1].get("created", "")))
    return read_record(best[0])


def describe_run(record):
    """Where and how long a record ran, in one sentence (hours per seed by stage)."""
    hw = record.get("hardware", {})
    where = ", ".join(hw.get("gpus", [])) or f"{hw.get('cpu_count')} CPU cores"
    t = record["time_mean"]
    detail = record["runs"][0].get("timings_detail", {})
    stages = [(k.split(".", 1)[1], v) for k, v in detail.items()
              if k.split(".", 1)[1] in ("pretrain", "cluster_steps", "target_updates")]
    parts = "; ".join(f"{name.replace('_', ' ')} {v / 3600:.2f} h" for name, v in stages
                      if v >= 18)
    seeds = len(record["seeds"])
    backend = {"tensorflow": "TensorFlow", "jax": "JAX"}.get(hw.get("keras_backend"),
                                                             hw.get("keras_backend", "?"))
    return (f"{record['n_samples']:,} images of {record['dataset']}, "
            f"{seeds} seed{'s' if seeds > 1 else ''}, on {where} "
            f"({backend}): {t['total'] / 3600:.2f} h a seed"
            + (f" ({parts})" if parts else "")
            + ("; its pretrained autoencoder reused from an earlier run"
               if 0 <= detail.get("dcec.pretrain", -1) < 60 else "")
            + f"; made {record.get('created', '')[:10]}")


def load_records(folder):
    """All run records (``*.json`` written by :func:`write_record`) under ``folder``, as a table.

    Returns
    -------
    pandas.DataFrame
        One row per record: data set, n, pipeline, seeds, NMI/ARI/ACC mean and sd (``nmi``, ``nmi sd``, ...), seconds
        per seed, the hardware (GPU name, else CPU), the Keras backend and the date.
    """
    import pandas as pd  # noqa: PLC0415
    rows = []
    for _, rec in iter_records(folder):
        hw = rec.get("hardware", {})
        rows.append({"data set": rec["dataset"], "n": rec["n_samples"],
                     "row": rec.get("label", rec["pipeline"]), "pipeline": rec["pipeline"],
                     "seeds": len(rec["seeds"]),
                     **metric_columns(rec, ("nmi", "ari", "acc")),
                     "assigned": rec["mean"]["assigned"],
                     "seconds/seed": round(rec["time_mean"]["total"], 1),
                     "hardware": ", ".join(hw.get("gpus", [])) or
                                 f"{hw.get('cpu_count')} CPU cores ({hw.get('machine')})",
                     "backend": hw.get("keras_backend"), "date": rec.get("created", "")[:10]})
    return pd.DataFrame(rows)


def record_text(record):
    """A record as the command line prints it: one line per seed, then mean ± sd and the
    seeds' agreement."""
    lines = [f"{record['pipeline']} on {record['dataset']} (n={record['n_samples']}, "
             f"seeds {record['seeds']})", ""]
    head = ["seed", "NMI", "ARI", "AMI", "ACC", "silhouette", "assigned", "seconds"]
    lines.append("  ".join(f"{h:>10}" for h in head))
    for r in record["runs"]:
        m = r["metrics"]
        vals = [m["nmi"], m["ari"], m["ami"], m["acc"], m.get("silhouette", float("nan")),
                m["assigned"], r["timings"]["total"]]
        lines.append(f"{r['seed']:>10}  " + "  ".join(f"{v:>10.3f}" for v in vals))
    lines.append("")
    for k in METRICS:
        lines.append(f"{k:>17}: {format_mean_sd(record['mean'][k], record['sd'][k])}")
    if record.get("agreement") is not None:
        lines.append(f"{'seed agreement':>17}: {record['agreement']:.3f} (mean ARI between "
                     "seeds, no labels used)")
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in record["time_mean"].items())
    lines.append(f"{'time':>10}: {stages} (mean per seed)")
    return "\n".join(lines)
