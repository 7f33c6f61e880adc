"""Run one pipeline on one data set for several seeds, remembering each seed's result.

Each seed's result is kept in the result store (:func:`result_store`) under a key made of
everything that can change it — data set, sample size, pipeline and parameters, seed,
package versions — so re-running a chapter does not recompute.
"""
from __future__ import annotations

import datetime as _dt
import logging
import os
from pathlib import Path

import numpy as np

from .. import datasets
from .._provenance import git_commit, hardware, versions
from ..metrics import evaluate, seed_agreement
from ..pipelines import ClusteringPipeline, parse_pipeline, resolve
from ..store import Store, as_store
from .records import METRICS, write_record

__all__ = ["PROTOCOLS", "load_for", "run", "run_seed", "seeds_of", "is_cached", "summarise",
           "select_seeds", "merge_records", "result_store", "cache_dir"]

log = logging.getLogger(__name__)


def cache_dir():
    """Folder of remembered results: ``$DIMCLUST_CACHE`` or ``~/.cache/dimclust``."""
    base = os.environ.get("DIMCLUST_CACHE") or Path(
        os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "dimclust"
    return Path(base).expanduser()


def result_store():
    """The :class:`~dimclust.store.Store` in :func:`cache_dir`: seeds, reductions, autoencoders."""
    return Store(cache_dir())


#: How a record's images are used: ``None``, every stage fits and is scored on the same
#: images; ``"train-test"``, the first reducer trains on the training split and the rest
#: of the pipeline runs, and is scored, on the test split (the thesis's CAE row,
#: appendix §7).
PROTOCOLS = (None, "train-test")


def has_training_split(dataset):
    """Whether ``dataset`` has a training split apart from its test split."""
    return "train" in datasets.DATASETS.get(dataset, {}).get("splits", ())


def _check_protocol(protocol, dataset, pipeline):
    if protocol not in PROTOCOLS:
        raise ValueError(f"protocol={protocol!r}; choose one of {PROTOCOLS}")
    if protocol == "train-test":
        if not has_training_split(dataset):
            raise ValueError(f"protocol='train-test' needs a training split, and {dataset!r} "
                             f"has none; use the whole data set's name (e.g. 'mnist')")
        if not parse_pipeline(pipeline)[0]:
            raise ValueError(f"protocol='train-test' trains the first reducer, and "
                             f"{pipeline!r} has none")


def _seed_parts(dataset, pipeline, seed, n_samples, params, data_seed, protocol=None):
    parts = [dataset, n_samples, data_seed, pipeline, params or {}, seed]
    return parts if protocol is None else [*parts, protocol]


def load_for(dataset, *, n_samples=None, data_seed=0, protocol=None):
    """``(X, y, X_train)``: the images a record scores and, with ``protocol="train-test"``,
    the training images its first reducer learns from (otherwise ``None``).

    With ``n_samples``, each split is subsampled to that size with ``data_seed``.
    """
    if protocol is None:
        X, y = datasets.load(dataset, n_samples=n_samples, random_state=data_seed)
        return X, y, None
    X_train, _ = datasets.load(dataset, subset="train", n_samples=n_samples,
                               random_state=data_seed)
    X, y = datasets.load(dataset, subset="test", n_samples=n_samples, random_state=data_seed)
    return X, y, X_train


def run_seed(dataset, pipeline, seed, *, n_samples=None, params=None, data_seed=0,
             protocol=None, use_cache=True, verbose=0, X=None, y=None, X_train=None,
             store=None):
    """Fit ``pipeline`` once with ``random_state=seed``; returns the seed's result dict.

    ``X, y`` (and ``X_train``) may be passed when already loaded; they must be what
    :func:`load_for` gives for ``dataset``, ``n_samples``, ``data_seed`` and ``protocol``.
    ``store`` is the result store (a :class:`~dimclust.store.Store` or a folder; default
    :func:`result_store`).
    """
    pipeline, params = resolve(pipeline, params)
    store = as_store(store) or result_store()
    parts = _seed_parts(dataset, pipeline, seed, n_samples, params, data_seed, protocol)

    def compute():
        nonlocal X, y, X_train
        if X is None:
            X, y, X_train = load_for(dataset, n_samples=n_samples, data_seed=data_seed,
                                     protocol=protocol)
        est = ClusteringPipeline(pipeline, n_clusters=len(np.unique(y)), params=params,
                                 random_state=seed, verbose=verbose,
                                 memory=store if use_cache else None).fit(
                                     X, y, X_train=X_train)     # y scores DCEC's history
        emb = est.embedding_
        total = sum(est.timings_.values())    # a reused stage counts what it cost
        metrics = evaluate(y, est.labels_, emb, noise="exclude")
        pixels = np.asarray(X).reshape(len(X), -1)
        # the silhouette as the thesis computed it: on the pixels (on the assigned points)
        metrics["silhouette_pixels"] = (metrics["silhouette"] if emb.shape == pixels.shape
                                        else evaluate(y, est.labels_, pixels)["silhouette"])
        result = {"seed": seed,
                  "metrics": metrics,
                  "metrics_all_points": evaluate(y, est.labels_, noise="include"),
                  "timings": {**{k: round(v, 3) for k, v in est.timings_.items()},
                              "total": round(total, 3)},
                  "n": int(len(y)), "embedding_dim": int(emb.shape[1]),
                  "labels": np.asarray(est.labels_, dtype=np.int16)}
        return {**result, **_training_trace(est, y)}

    if not use_cache:
        return compute()
    return store.cached("seed", parts, compute)


def _training_trace(est, y, n_sample=3000):
    """What a deep clusterer leaves to draw its training: phases' times, ``history_``, and a
    sample of points with their embedding before and after (``sample_*`` arrays)."""
    name, last = est.steps_[-1]
    out = {}
    if isinstance(getattr(last, "timings_", None), dict):
        out["timings_detail"] = {f"{name}.{k}": round(v, 3) for k, v in last.timings_.items()}
    if isinstance(getattr(last, "history_", None), list):
        out["history"] = last.history_
    before = getattr(last, "embedding_pretrained_", None)
    if before is not None:
        idx = np.sort(np.random.default_rng(0).choice(len(y), min(len(y), n_sample),
                                                      replace=False))
        out.update(sample_index=idx, sample_y=np.asarray(y)[idx],
                   sample_labels=np.asarray(est.labels_)[idx],
                   sample_before=np.asarray(before[idx], np.float32),
                   sample_after=np.asarray(est.embedding_[idx], np.float32))
    return out


def seeds_of(seeds):
    """``3`` → ``[0, 1, 2]``; a sequence of seeds as a list."""
    out = list(range(seeds)) if isinstance(seeds, (int, np.integer)) else list(seeds)
    if not out:
        raise ValueError(f"seeds={seeds!r}: need at least one seed")
    return out


def is_cached(dataset, pipeline, seed, *, n_samples=None, params=None, data_seed=0,
              protocol=None, store=None):
    """Whether the seed's result is remembered in ``store`` (default :func:`result_store`)."""
    pipeline, params = resolve(pipeline, params)
    store = as_store(store) or result_store()
    return store.contains(
        "seed", _seed_parts(dataset, pipeline, seed, n_samples, params, data_seed, protocol))


def run(dataset, pipeline, *, seeds=3, n_samples=None, params=None, data_seed=0,
        protocol=None, use_cache=True, verbose=0, records=None, store=None):
    """Run ``pipeline`` on ``dataset`` for several seeds and summarise.

    Parameters
    ----------
    dataset : str
        A name accepted by :func:`dimclust.datasets.load`.
    pipeline : str
        A pipeline such as ``"umap2+kmeans"`` (see :mod:`dimclust.pipelines`), or a named
        one such as ``"umap-gmm"``; the record holds the pipeline and settings it names.
    seeds : int or sequence of int, default 3
        ``3`` means seeds 0, 1, 2. The seed is the pipeline's ``random_state``.
    n_samples : int, optional
        Use a random subset of this size, the same subset for every seed (drawn with
        ``data_seed``), so the spread measures the algorithm, not the sample.
    params : dict of dict, optional
        Per-part overrides (see :class:`~dimclust.pipelines.ClusteringPipeline`).
    protocol : {None, "train-test"}, default None
        ``"train-test"``: the first reducer learns from the training split, and the
        pipeline clusters and is scored on the test split (:data:`PROTOCOLS`).
    use_cache : bool, default True
        ``False`` neither reads nor writes the result store: every stage is computed.
    records : str or path, optional
        Also write the record there (:func:`~dimclust.experiments.write_record`).
    store : :class:`~dimclust.store.Store`, str or path, optional
        The result store each seed's result is remembered in (and every reduction and
        trained network on the way); default :func:`result_store`.

    Returns
    -------
    dict
        ``runs`` (one dict per seed), ``mean`` and ``sd`` per metric (sample sd, ``0``
        with one seed), ``agreement`` of the seeds' clusterings (mean pairwise ARI, a
        label-free score), ``time_mean`` per stage and ``total`` (seconds of computation: a
        stage reused from the store counts what it cost when computed), and the context:
        versions, hardware, git commit, date.
    """
    pipeline, params = resolve(pipeline, params)  # a record names what ran, not a recipe
    parse_pipeline(pipeline)                      # fail before loading data
    _check_protocol(protocol, dataset, pipeline)
    seed_list = seeds_of(seeds)
    store = as_store(store) or result_store()
    X = y = X_train = None
    runs = []
    for s in seed_list:
        if X is None and not (use_cache and is_cached(dataset, pipeline, s, n_samples=n_samples,
                                                       params=params, data_seed=data_seed,
                                                       protocol=protocol, store=store)):
            X, y, X_train = load_for(dataset, n_samples=n_samples, data_seed=data_seed,
                                     protocol=protocol)
        res = run_seed(dataset, pipeline, s, n_samples=n_samples, params=params,
                       data_seed=data_seed, protocol=protocol, use_cache=use_cache,
                       verbose=verbose, X=X, y=y, X_train=X_train, store=store)
        runs.append(res)
        log.info("%s %s seed %s: NMI %.3f ACC %.3f (%.0f s)", dataset, pipeline, s,
                 res["metrics"]["nmi"], res["metrics"]["acc"], res["timings"]["total"])
    record = summarise(dataset, pipeline, n_samples, params, data_seed, runs)
    if protocol is not None:
        record["protocol"] = protocol
    if records:
        write_record(record, records)
    return record


def summarise(dataset, pipeline, n_samples, params, data_seed, runs):
    """The record of several seeds' results: mean and sample sd per metric, context.

    Arrays a seed's result holds (the ``sample_*`` of a deep clusterer, and its cluster
    ``labels``) move to the record's ``samples``, keyed ``seed<N>_<name>``, so that
    records of different seeds can be merged (:func:`merge_records`); the seeds'
    ``agreement`` (:func:`~dimclust.metrics.seed_agreement`) is ``None`` with one seed or
    for results remembered before labels were kept.
    """
    mean, sd = {}, {}
    for m in METRICS:
        vals = np.array([r["metrics"].get(m, np.nan) for r in runs], dtype=float)
        mean[m] = float(np.mean(vals))
        sd[m] = float(np.std(vals, ddof=1)) if len(vals) > 1 else 0.0
    stages = runs[0]["timings"].keys()
    labelings = [r.get("labels") for r in runs]
    agreement = (seed_agreement(labelings) if len(runs) > 1
                 and all(lab is not None for lab in labelings) else None)
    samples = {f"seed{r['seed']}_{k}": v for r in runs for k, v in r.items()
               if isinstance(v, np.ndarray)}
    runs = [{k: v for k, v in r.items() if not isinstance(v, np.ndarray)} for r in runs]
    return {"dataset": dataset, "n_samples": runs[0]["n"],
            "data_seed": data_seed, "pipeline": pipeline, "params": params or {},
            "seeds": [r["seed"] for r in runs], "runs": runs, "mean": mean, "sd": sd,
            "agreement": agreement,
            "samples": samples,
            "time_mean": {k: float(np.mean([r["timings"][k] for r in runs])) for k in stages},
            "versions": versions(), "hardware": hardware(), "commit": git_commit(),
            "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")}


def _full_runs(record):
    """``record``'s runs as :func:`summarise` takes them: each with the commit and hardware
    it ran with and its arrays back from the record's ``samples``."""
    samples = record.get("samples") or {}
    return [{"commit": record.get("commit"), "hardware": record.get("hardware"), **r,
             **{k.split("_", 1)[1]: v for k, v in samples.items()
                if k.startswith(f"seed{r['seed']}_")}} for r in record["runs"]]


def select_seeds(record, seeds):
    """The record of ``record``'s runs with the given ``seeds`` only, summarised again
    (:func:`summarise`: means, sd and agreement of those seeds); each run keeps its commit
    and hardware.

    Raises
    ------
    ValueError
        A seed the record has no run of.
    """
    seeds = list(seeds)
    missing = sorted(set(seeds) - set(record["seeds"]))
    if missing or not seeds:
        raise ValueError(f"seeds {missing or seeds} are not among the record's "
                         f"{record['seeds']}; pass some of those")
    runs = [r for r in _full_runs(record) if r["seed"] in seeds]
    out = summarise(record["dataset"], record["pipeline"], record["n_samples"],
                    record["params"], record["data_seed"], runs)
    if record.get("protocol") is not None:
        out["protocol"] = record["protocol"]
    return out


def merge_records(old, new):
    """One record of the seeds of ``old`` and ``new`` (records of the same run made at
    different times, as a campaign makes them one seed at a time); a seed in both is
    taken from ``new``. Each seed keeps the commit and hardware it ran with, and the
    context (versions, date) is ``new``'s.
    """
    keys = ("dataset", "n_samples", "data_seed", "pipeline", "protocol")
    if any(old.get(k) != new.get(k) for k in keys):
        diff = {k: (old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)}
        raise ValueError(f"records of different runs cannot be merged: {diff}")
    runs = {r["seed"]: r for rec in (old, new) for r in _full_runs(rec)}
    merged = summarise(new["dataset"], new["pipeline"], new["n_samples"], new["params"],
                       new["data_seed"], [runs[s] for s in sorted(runs)])
    if new.get("protocol") is not None:
        merged["protocol"] = new["protocol"]
    return merged
