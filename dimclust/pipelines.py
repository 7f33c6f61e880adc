"""Two-stage clustering pipelines named as in the thesis's table 12.1 (ch. 12).

A pipeline is written ``"<reducer><dim>+...+<clusterer>"``: zero or more reducers, each
followed by its output dimension, then one clusterer. Examples: ``"kmeans"`` (raw
pixels), ``"pca50+hdbscan"``, ``"umap2+kmeans"``, ``"cae10+kmeans"``, and N2D's
``"cae10+umap10+gmm"``.

Reducers: ``pca``, ``tsne`` (openTSNE), ``sktsne`` (scikit-learn's t-SNE as the thesis ran
it), ``umap``, ``cae`` (Guo et al.'s convolutional autoencoder),
``tcae`` (the thesis's own CAE) and ``dae`` (DEC's fully connected autoencoder). Clusterers: ``kmeans``, ``hdbscan``, ``gmm``, and
``dcec``, which reduces and clusters in one model and so stands alone. Each part is an
entry of :data:`PARTS`; the pipeline treats them all alike (an estimator with
``fit_transform`` or ``fit_predict``; ``memory=`` is passed on to parts that declare
``remembers_in_store``).

Every part starts from the thesis's settings; ``params={"umap": {"n_neighbors": 15}}``
overrides them. A few pipelines have a name of their own (:data:`RECIPES`): ``"n2d"`` is
N2D (McConville et al. 2019) with its own settings, and ``"umap-gmm"``, ``"umap-kmeans"``,
``"umap-hdbscan"`` and ``"cae-umap-gmm"`` are its stages tried apart (the last chapter's
candidates). A recipe sets its own settings (N2D's UMAP takes 20 neighbours where the
thesis's takes 30); its ``repr`` lists them, e.g. ``RECIPES["umap-gmm"]``. They live with
N2D's other pieces in :mod:`dimclust.n2d`.
"""
from __future__ import annotations

import inspect
import logging

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin

from ._provenance import timed
from ._validation import check_features, check_images, check_n_clusters, seed_int
from .grammar import PARTS, TABLE_12_1, check_size, parse_pipeline, resolve
from .n2d import RECIPES
from .store import as_store

__all__ = ["ClusteringPipeline", "parse_pipeline", "resolve", "PARTS", "RECIPES",
           "TABLE_12_1"]

log = logging.getLogger(__name__)


def _checked_params(params, parts, spec):
    """``params`` as a dict of per-part keyword dicts, every key a part of ``spec``."""
    if params is None:
        return {}
    if not isinstance(params, dict):
        raise TypeError(f"params={params!r}; pass a dict of part name -> keyword arguments, "
                        f"e.g. {{'umap': {{'n_neighbors': 15}}}}")
    unknown = sorted(set(params) - set(parts))
    if unknown:
        raise ValueError(f"params has part(s) {unknown} that pipeline {spec!r} does not have; "
                         f"its parts are {sorted(set(parts))}")
    for part, own in params.items():
        if not isinstance(own, dict):
            raise TypeError(f"params[{part!r}]={own!r}; pass a dict of {part}'s keyword "
                            f"arguments, e.g. {{{part!r}: {{...}}}}")
    return dict(params)


def _earlier_seconds(est):
    """Seconds that interrupted legs of ``est``'s fit took before this one resumed it
    (``earlier_seconds_`` of a resumable training; 0 for any other estimator)."""
    return float(getattr(est, "earlier_seconds_", 0.0))


def _fit_apart(est, train, X):
    """``est`` fitted on ``train``; an estimator that early-stops watches ``X``."""
    watches = "validation_data" in inspect.signature(est.fit).parameters
    return est.fit(train, validation_data=X) if watches else est.fit(train)


class ClusteringPipeline(ClusterMixin, BaseEstimator):
    """Reduce, then cluster (thesis ch. 12): the two-stage approach as one estimator.

    Parameters
    ----------
    pipeline : str, default "umap2+kmeans"
        See the module docstring for the grammar, or a recipe's name (:data:`RECIPES`,
        e.g. ``"n2d"``).
    n_clusters : int, default 10
        Clusters for k-means, GMM and DCEC (HDBSCAN chooses its own number).
    params : dict of dict, optional
        Per-part overrides, keyed by part name: ``{"umap": {"n_neighbors": 15}}``.
    random_state : int or None, default None
        Seed passed to every part that draws random numbers.
    verbose : int, default 0
    memory : str, path or :class:`~dimclust.store.Store`, optional
        Where reducer outputs are remembered, keyed by the input data, the reducers so
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

    def _part(self, name, size, params, seed):
        """The estimator of one part: defaults, the spec's size, then the user's params."""
        part, own = PARTS[name], params.get(name, {})
        reserved = {part.size, "random_state"} & set(own)
        if reserved:
            how = {"random_state": "ClusteringPipeline(random_state=...)",
                   part.size: ("ClusteringPipeline(n_clusters=...)" if part.clusterer
                               else f"the dimension in the name, e.g. '{name}5'")}
            raise ValueError(f"params[{name!r}] sets {', '.join(sorted(reserved))}, which the "
                             f"pipeline sets itself; use {' and '.join(how[r] for r in sorted(reserved))}")
        est = part.build(seed, self.verbose)
        if part.size is not None:
            est.set_params(**{part.size: size})
        if getattr(est, "remembers_in_store", False) and self.memory is not None:
            est.set_params(memory=as_store(self.memory))
        return est.set_params(**own)

    def fit(self, X, y=None, *, X_train=None):
        """Fit every stage on ``X`` (images (n, h, w, c) or flat (n, d)); returns ``self``.

        Parameters
        ----------
        X : ndarray
        y : array-like of shape (n_samples,), optional
            True labels, handed only to a clusterer that scores its own training with them
            (DCEC logs ACC/NMI/ARI in ``history_``, thesis fig. 13.2); they never change a
            clustering, and no reducer sees them (UMAP would supervise its embedding).
        X_train : ndarray, optional
            Data the first reducer is trained on instead; ``X`` is then only transformed
            by it (an autoencoder also watches ``X`` for early stopping). The thesis's CAE
            row was made so: trained on the 60,000 training images, scored on the 10,000
            test images (appendix §7).
        """
        spec, params = resolve(self.pipeline, self.params)
        reducers, clusterer = parse_pipeline(spec)
        if X_train is not None and not reducers:
            raise ValueError(f"X_train is given, but pipeline {self.pipeline!r} has no reducer "
                             f"to train on it; drop X_train or add a reducer")
        params = _checked_params(params, [name for name, _ in reducers] + [clusterer], spec)
        first = reducers[0][0] if reducers else clusterer
        Z = check_images(X) if PARTS[first].images else check_features(X)
        self.n_features_in_ = int(np.prod(Z.shape[1:]))
        if PARTS[clusterer].size is not None:
            check_n_clusters(self.n_clusters, len(Z))
        seed = seed_int(self.random_state)
        store = as_store(self.memory)
        key = Z                             # the data are hashed once, then keys chain
        self.steps_, self.timings_, self.reused_ = [], {}, []
        for i, (name, dim) in enumerate(reducers):
            stage = f"{name}{dim}"
            est = self._part(name, dim, params, seed)
            check_size(stage, name, est, len(Z) if X_train is None or i else len(X_train))
            train = None
            if i == 0 and X_train is not None:
                train = check_images(X_train) if PARTS[name].images else check_features(X_train)
            if store is not None:
                key = store.key("reduced", key, stage, params.get(name, {}), seed,
                                *([] if train is None else [train]))
                hit = store.get("reduced", key)
                if hit is not None:
                    log.info("%s: %s loaded from %s", self.pipeline, stage, store)
                    Z, self.timings_[stage] = hit[1]["Z"], float(hit[0]["seconds"])
                    self.reused_.append(stage)
                    self.steps_.append((stage, None))
                    continue
            with timed(self.timings_, stage, log):
                Z = np.asarray(est.fit_transform(Z) if train is None
                               else _fit_apart(est, train, Z).transform(Z), dtype=np.float32)
            self.timings_[stage] += _earlier_seconds(est)
            if store is not None:
                store.put("reduced", key, {"seconds": self.timings_[stage]}, {"Z": Z})
            self.steps_.append((stage, est))
        est = self._part(clusterer, self.n_clusters, params, seed)
        check_size(clusterer, clusterer, est, len(Z))
        with timed(self.timings_, clusterer, log):
            self.labels_ = np.asarray(est.fit_predict(Z, y) if clusterer == "dcec"
                                      else est.fit_predict(Z))
        self.timings_[clusterer] += _earlier_seconds(est)
        self.steps_.append((clusterer, est))
        self.embedding_ = getattr(est, "embedding_", None)
        if self.embedding_ is None:
            self.embedding_ = Z.reshape(len(Z), -1)
        return self
