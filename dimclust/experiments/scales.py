"""What a chapter runs at each scale, and the parameters each pipeline gets there.

``quick`` is sized for two CPU cores (minutes a chapter); ``full`` is the thesis's scale
(all images, 200 epochs; a GPU for the neural rows).
"""
from __future__ import annotations

__all__ = ["SCALES", "settings", "hdbscan_params", "pipeline_params", "part_params", "variant"]

#: What "quick" (2 CPU cores, minutes) and "full" (the thesis's sizes, a GPU) mean.
SCALES = {
    "quick": {"n_samples": 3000, "epochs": 10, "seeds": 3, "pretrain_epochs": 10,
              "maxiter": 100, "update_interval": 10, "batch_size": 128, "steps_per_execution": 1},
    "full": {"n_samples": None, "epochs": 200, "seeds": 3, "pretrain_epochs": 200,
             "maxiter": 20000, "update_interval": 140, "batch_size": 256,
             "steps_per_execution": 28},
}

_DCEC_KEYS = ("pretrain_epochs", "maxiter", "update_interval", "batch_size",
              "steps_per_execution")


def settings(scale="quick", **overrides):
    """The settings of ``scale``, with every override that is not ``None`` applied.

    The result also holds ``records``: the folder where run records are written, or
    ``None`` (the default). ``book/build.py --records DIR`` passes it to the chapters as
    their papermill parameter ``records``, and they hand it on here.

    Examples
    --------
    >>> settings("quick", n_samples=2000)["n_samples"]
    2000
    """
    if scale not in SCALES:
        raise ValueError(f"scale={scale!r}; choose one of {sorted(SCALES)}")
    unknown = set(overrides) - set(SCALES[scale]) - {"records"}
    if unknown:
        raise ValueError(f"unknown setting(s) {sorted(unknown)}; known: {sorted(SCALES[scale])}")
    cfg = {**SCALES[scale], "scale": scale, "records": None}
    return {**cfg, **{k: v for k, v in overrides.items() if v is not None}}


def hdbscan_params(n_samples, n_total=70_000):
    """The thesis's ``min_cluster_size=500`` (for 70,000 images) scaled to ``n_samples``."""
    n = n_total if n_samples is None else n_samples
    return {"min_cluster_size": max(10, round(500 * n / n_total))}


def pipeline_params(cfg, pipeline=None):
    """Per-part parameters of ``pipeline`` at the settings ``cfg`` (see :func:`settings`).

    Autoencoders train ``cfg["epochs"]``; DCEC uses the DCEC settings; HDBSCAN's minimum
    cluster size is scaled to the sample size (:func:`hdbscan_params`). Without
    ``pipeline``, a dict of every pipeline that gets parameters.

    Examples
    --------
    >>> pipeline_params(settings("quick"), "umap2+hdbscan")
    {'hdbscan': {'min_cluster_size': 21}}
    """
    if pipeline is None:
        return {p: pipeline_params(cfg, p) for p in
                ("pca50+hdbscan", "umap2+hdbscan", "umap30+hdbscan", "cae10+kmeans",
                 "tcae10+kmeans", "cae10+umap10+gmm", "dcec")}
    from ..pipelines import parse_pipeline  # noqa: PLC0415
    reducers, clusterer = parse_pipeline(pipeline)
    names = [r for r, _ in reducers] + [clusterer]
    return {name: part_params(cfg, name) for name in names if part_params(cfg, name)}


def part_params(cfg, part):
    """The parameters of one part at ``cfg``, e.g. ``DCEC(**part_params(cfg, "dcec"))``."""
    if part in ("cae", "tcae"):
        return {"epochs": cfg["epochs"], "verbose": 0}
    if part == "hdbscan":
        return hdbscan_params(cfg["n_samples"])
    if part == "dcec":
        return {k: cfg[k] for k in _DCEC_KEYS} | {"verbose": 0}
    return {}


def variant(cfg, pipeline, **overrides):
    """``(pipeline, params)`` at ``cfg`` with ``overrides`` for the pipeline's last part.

    Examples
    --------
    >>> variant(settings("quick"), "dcec", gamma=1.0)[1]["dcec"]["gamma"]
    1.0
    """
    from ..pipelines import parse_pipeline  # noqa: PLC0415
    params = pipeline_params(cfg, pipeline)
    last = parse_pipeline(pipeline)[1]
    if overrides:
        params[last] = {**params.get(last, {}), **overrides}
    return pipeline, params or None
