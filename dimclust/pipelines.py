"""Two-stage clustering pipelines named as in the thesis's table 12.1 (ch. 12).

A pipeline is written ``"<reducer><dim>+...+<clusterer>"``: zero or more reducers, each
followed by its output dimension, then one clusterer. Examples: ``"kmeans"`` (raw
pixels), ``"pca50+hdbscan"``, ``"umap2+kmeans"``, ``"cae10+kmeans"``, and N2D's
``"cae10+umap10+gmm"``.

Reducers: ``pca``, ``tsne``, ``umap``, ``cae`` (Guo et al.'s convolutional autoencoder)
and ``tcae`` (the thesis's own CAE). Clusterers: ``kmeans``, ``hdbscan``, ``gmm``, and
``dcec``, which reduces and clusters in one model and so stands alone.

Every part starts from the thesis's settings; ``params={"umap": {"n_neighbors": 15}}``
overrides them.
"""
from __future__ import annotations

import logging
import os
import re
import time
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin

from . import cluster, reduce
from ._provenance import digest, versions
from ._validation import check_features, check_images, check_n_clusters

__all__ = ["ClusteringPipeline", "parse_pipeline", "REDUCERS", "CLUSTERERS", "TABLE_12_1"]

log = logging.getLogger(__name__)


def _cae(architecture):
    def build(dim, seed, verbose=0, **kw):
        from .autoencoder import ConvAutoencoder  # noqa: PLC0415  (imports Keras)
        return ConvAutoencoder(architecture=architecture, embedding_dim=dim, random_state=seed,
                               verbose=verbose, **kw)
    return build


#: reducer name -> (builder(dim, seed, verbose, **params), needs image input)
REDUCERS = {
    "pca": (lambda dim, seed, verbose=0, **kw: reduce.PCA(dim, random_state=seed, **kw), False),
    "tsne": (lambda dim, seed, verbose=0, **kw: reduce.TSNE(dim, random_state=seed,
                                                          verbose=verbose, **kw), False),
    "umap": (lambda dim, seed, verbose=0, **kw: reduce.make_umap(dim, random_state=seed,
                                                               verbose=verbose, **kw), False),
    "cae": (_cae("guo"), True),
    "tcae": (_cae("thesis"), True),
}


def _dcec(k, seed, verbose=0, **kw):
    from .dcec import DCEC  # noqa: PLC0415  (imports Keras)
    return DCEC(n_clusters=k, random_state=seed, verbose=verbose, **kw)


#: clusterer name -> builder(n_clusters, seed, verbose, **params)
CLUSTERERS = {
    "kmeans": lambda k, seed, verbose=0, **kw: cluster.make_kmeans(k, random_state=seed, **kw),
    "hdbscan": lambda k, seed, verbose=0, **kw: cluster.make_hdbscan(**kw),
    "gmm": lambda k, seed, verbose=0, **kw: cluster.make_gmm(k, random_state=seed, **kw),
    "dcec": _dcec,
}

#: The rows of the thesis's table 12.1 (Fashion-MNIST), in its order.
TABLE_12_1 = ("kmeans", "pca50+hdbscan", "tsne2+kmeans", "umap2+kmeans", "umap30+kmeans",
              "umap2+hdbscan", "umap30+hdbscan", "cae10+kmeans")

_PART = re.compile(r"^([a-z]+)(\d*)$")


def parse_pipeline(spec):
    """Split ``spec`` into ``([(reducer, dim), ...], clusterer)``.

    Raises
    ------
    ValueError
        An unknown part, a reducer without dimension, or a misplaced clusterer; the
        message lists the valid parts.
    """
    if not isinstance(spec, str) or not spec.strip():
        raise ValueError(f"pipeline must be a string such as 'umap2+kmeans', got {spec!r}")
    valid = (f"reducers {', '.join(n + '<dim>' for n in REDUCERS)}; "
             f"clusterers {', '.join(CLUSTERERS)} (last)")
    parts = spec.strip().lower().split("+")
    reducers = []
    for i, part in enumerate(parts):
        m = _PART.match(part)
        name, dim = (m.group(1), m.group(2)) if m else (part, "")
        last = i == len(parts) - 1
        if last and name in CLUSTERERS and not dim:
            if name == "dcec" and reducers:
                raise ValueError(f"'dcec' learns its own embedding and stands alone, not in {spec!r}")
            return reducers, name
        if name in REDUCERS and dim and not last:
            if int(dim) < 1:
                raise ValueError(f"reducer {part!r} in {spec!r} needs a dimension >= 1")
            if REDUCERS[name][1] and reducers:
                raise ValueError(f"{part!r} reads images, so it must come first in {spec!r}")
            reducers.append((name, int(dim)))
            continue
        if name in REDUCERS and not dim:
            raise ValueError(f"reducer {part!r} in {spec!r} needs a dimension, e.g. {name}2")
        if name in REDUCERS and last:
            raise ValueError(f"pipeline {spec!r} ends in reducer {part!r}; add a clusterer: {valid}")
        raise ValueError(f"unknown pipeline part {part!r} in {spec!r}; valid parts: {valid}")
    raise AssertionError("unreachable")


class ClusteringPipeline(ClusterMixin, BaseEstimator):
    """Reduce, then cluster (thesis ch. 12): the two-stage approach as one estimator.

    Parameters
    ----------
    pipeline : str, default "umap2+kmeans"
        See the module docstring for the grammar.
    n_clusters : int, default 10
        Clusters for k-means, GMM and DCEC (HDBSCAN chooses its own number).
    params : dict of dict, optional
        Per-part overrides, keyed by part name: ``{"umap": {"n_neighbors": 15}}``.
    random_state : int or None, default None
        Seed passed to every part that draws random numbers.
    verbose : int, default 0
    memory : str or path, optional
        Folder where reducer outputs are cached, keyed by the input data, the reducers so
        far, their parameters, the seed and the package versions (as scikit-learn's
        ``Pipeline(memory=...)``): ``umap2+kmeans`` and ``umap2+hdbscan`` then share one
        UMAP fit. DCEC keeps its pretrained autoencoders there too.

    Attributes
    ----------
    labels_ : ndarray of int, shape (n_samples,)
        Cluster of each point, ``-1`` for HDBSCAN's noise.
    embedding_ : ndarray, shape (n_samples, dim)
        What the clusterer saw (the last reducer's output, or the flattened pixels).
    steps_ : list of (name, fitted estimator)
        The estimator is ``None`` for a stage loaded from ``memory``.
    timings_ : dict
        Wall seconds per stage, e.g. ``{"umap2": 57.1, "kmeans": 2.3}``. A stage loaded from
        ``memory`` reports the seconds it took when it was computed.
    reused_ : list of str
        Stages loaded from ``memory`` instead of computed.
    """

    def __init__(self, pipeline="umap2+kmeans", n_clusters=10, *, params=None,
                 random_state=None, verbose=0, memory=None):
        self.pipeline = pipeline
        self.memory = memory
        self.n_clusters = n_clusters
        self.params = params
        self.random_state = random_state
        self.verbose = verbose

    def fit(self, X, y=None):
        """Fit every stage on ``X`` (images (n, h, w, c) or flat (n, d)); returns ``self``."""
        reducers, clusterer = parse_pipeline(self.pipeline)
        params = dict(self.params or {})
        unknown = set(params) - set(REDUCERS) - set(CLUSTERERS)
        if unknown:
            raise ValueError(f"params has unknown part(s) {sorted(unknown)}; "
                             f"keys are part names such as 'umap' or 'kmeans'")
        needs_images = clusterer == "dcec" or (reducers and REDUCERS[reducers[0][0]][1])
        Z = check_images(X) if needs_images else check_features(X)
        if clusterer in ("kmeans", "gmm", "dcec"):
            check_n_clusters(self.n_clusters, len(Z))
        self.steps_, self.timings_ = [], {}
        key = digest(Z) if self.memory is not None else None
        self.reused_ = []
        for name, dim in reducers:
            est = REDUCERS[name][0](dim, self.random_state,
                                    **{"verbose": self.verbose, **params.get(name, {})})
            stage = f"{name}{dim}"
            if key is not None:
                key = digest(key, stage, params.get(name, {}), self.random_state, versions())
                path = Path(self.memory) / f"reduced-{key[:24]}.npz"
                if path.exists():
                    log.info("%s: %s loaded from %s", self.pipeline, stage, path)
                    with np.load(path) as f:
                        Z, self.timings_[stage] = f["Z"], float(f["seconds"])
                    self.reused_.append(stage)
                    self.steps_.append((stage, None))
                    continue
            Z = np.asarray(self._timed(stage, lambda: est.fit_transform(Z)), dtype=np.float32)
            if key is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(".tmp.npz")
                np.savez(tmp, Z=Z, seconds=self.timings_[stage])
                os.replace(tmp, path)
            self.steps_.append((stage, est))
        opts = {"verbose": self.verbose, **params.get(clusterer, {})}
        if clusterer == "dcec" and self.memory is not None:
            opts.setdefault("memory", self.memory)
        est = CLUSTERERS[clusterer](self.n_clusters, self.random_state, **opts)
        self.labels_ = np.asarray(self._timed(clusterer, lambda: est.fit_predict(Z)))
        self.steps_.append((clusterer, est))
        self.embedding_ = est.transform(Z) if clusterer == "dcec" else Z.reshape(len(Z), -1)
        return self

    def _timed(self, stage, work):
        log.info("%s: %s ...", self.pipeline, stage)
        t0 = time.perf_counter()
        out = work()
        self.timings_[stage] = time.perf_counter() - t0
        log.info("%s: %s done in %.1f s", self.pipeline, stage, self.timings_[stage])
        return out
