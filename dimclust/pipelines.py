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
candidates).
"""
from __future__ import annotations

import inspect
import logging
import re
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin

from . import cluster, reduce
from ._provenance import timed
from ._validation import check_features, check_images, check_n_clusters, seed_int
from .n2d import N2D_GMM, N2D_UMAP
from .store import as_store

__all__ = ["ClusteringPipeline", "parse_pipeline", "resolve", "PARTS", "RECIPES",
           "TABLE_12_1"]

log = logging.getLogger(__name__)


class Part(NamedTuple):
    """A pipeline part: ``build(seed, verbose)`` gives an estimator with default settings.

    ``size`` names the parameter the pipeline sets from the spec (a reducer's dimension,
    a clusterer's number of clusters); ``images`` marks parts that read image stacks, which
    therefore come first.
    """
    build: Callable
    size: str | None
    clusterer: bool
    images: bool = False


def _cae(architecture):
    def build(seed, verbose=0):
        from .autoencoder import ConvAutoencoder  # noqa: PLC0415  (imports Keras)
        return ConvAutoencoder(architecture=architecture, random_state=seed, verbose=verbose)
    return build


def _contrastive(seed, verbose=0):
    from .contrastive import ContrastiveEncoder  # noqa: PLC0415  (imports Keras)
    return ContrastiveEncoder(random_state=seed, verbose=verbose)


def _dcec(seed, verbose=0):
    from .dcec import DCEC  # noqa: PLC0415  (imports Keras)
    return DCEC(random_state=seed, verbose=verbose)


#: Every part by name. Reducers: pca, tsne (openTSNE), sktsne (scikit-learn's, the thesis's),
#: umap, cae (Guo et al.'s CAE), tcae (the thesis's), dae (DEC's dense autoencoder),
#: simclr (:class:`~dimclust.ContrastiveEncoder`, an embedding learnt from augmented views);
#: clusterers: kmeans, hdbscan, gmm, dcec.
PARTS = {
    "pca": Part(lambda seed, verbose=0: reduce.PCA(random_state=seed), "n_components", False),
    "tsne": Part(lambda seed, verbose=0: reduce.TSNE(random_state=seed, verbose=verbose),
                 "n_components", False),
    "sktsne": Part(lambda seed, verbose=0: reduce.make_sklearn_tsne(random_state=seed,
                                                                    verbose=verbose),
                   "n_components", False),
    "umap": Part(lambda seed, verbose=0: reduce.make_umap(random_state=seed, verbose=verbose),
                 "n_components", False),
    "cae": Part(_cae("guo"), "embedding_dim", False, images=True),
    "tcae": Part(_cae("thesis"), "embedding_dim", False, images=True),
    "dae": Part(_cae("dec"), "embedding_dim", False, images=True),
    "simclr": Part(_contrastive, "embedding_dim", False, images=True),
    "kmeans": Part(lambda seed, verbose=0: cluster.make_kmeans(random_state=seed),
                   "n_clusters", True),
    "hdbscan": Part(lambda seed, verbose=0: cluster.make_hdbscan(), None, True),
    "gmm": Part(lambda seed, verbose=0: cluster.make_gmm(random_state=seed),
                "n_components", True),
    "dcec": Part(_dcec, "n_clusters", True, images=True),
}

#: The rows of the thesis's table 12.1 (Fashion-MNIST), in its order; its CAE row is the
#: thesis's own CAE (``tcae``).
TABLE_12_1 = ("kmeans", "pca50+hdbscan", "tsne2+kmeans", "umap2+kmeans", "umap30+kmeans",
              "umap2+hdbscan", "umap30+hdbscan", "tcae10+kmeans")

_PART = re.compile(r"^([a-z]+)(\d*)$")

#: Named pipelines (:func:`resolve`): ``(pipeline, settings)``.
#:
#: - ``"n2d"``: N2D's run script — DEC's autoencoder (pixels-500-500-2000-10, ReLU, MSE,
#:   Adam, batch 256, 1,000 epochs, no early stopping), UMAP to 10 dimensions
#:   (:data:`~dimclust.n2d.N2D_UMAP`), then a full-covariance Gaussian mixture;
#: - ``"cae-umap-gmm"``: the same with Guo et al.'s CAE trained as DCEC pretrains it
#:   (200 epochs, MSE, every image, no early stopping);
#: - ``"umap-kmeans"``, ``"umap-gmm"``, ``"umap-hdbscan"``: N2D's UMAP on the pixels, then
#:   k-means, the Gaussian mixture, or HDBSCAN with the thesis's sizes;
#: - ``"simclr-umap-gmm"``: N2D's UMAP and mixture on the 128-dimensional embedding of a
#:   :class:`~dimclust.ContrastiveEncoder` (its default views; pass
#:   ``{"simclr": {"augmentations": [..., "flip"]}}`` for data that may be mirrored);
#: - ``"dcec-umap-gmm"``: DCEC with the thesis's settings, its first centres from N2D's
#:   clustering of the pretrained embedding (:class:`~dimclust.DCEC`'s ``init="umap-gmm"``).
RECIPES = {
    "n2d": ("dae10+umap10+gmm",
            {"dae": {"epochs": 1000, "batch_size": 256, "learning_rate": 1e-3, "patience": None,
                     "validation_split": 0.0, "loss": "mse"},
             "umap": N2D_UMAP, "gmm": N2D_GMM}),
    "cae-umap-gmm": ("cae10+umap10+gmm",
                     {"cae": {"epochs": 200, "loss": "mse", "patience": None,
                              "validation_split": 0.0},
                      "umap": N2D_UMAP, "gmm": N2D_GMM}),
    "umap-kmeans": ("umap10+kmeans", {"umap": N2D_UMAP}),
    "umap-gmm": ("umap10+gmm", {"umap": N2D_UMAP, "gmm": N2D_GMM}),
    "umap-hdbscan": ("umap10+hdbscan", {"umap": N2D_UMAP}),
    "simclr-umap-gmm": ("simclr128+umap10+gmm", {"umap": N2D_UMAP, "gmm": N2D_GMM}),
    "dcec-umap-gmm": ("dcec", {"dcec": {"init": "umap-gmm"}}),
}


def resolve(spec, params=None):
    """``(pipeline, params)``: a recipe's pipeline and settings (copies) with ``params`` on
    top, or ``spec`` and ``params`` unchanged when ``spec`` is not a recipe's name."""
    if not isinstance(spec, str) or spec.strip().lower() not in RECIPES:
        return spec, params
    pipeline, own = RECIPES[spec.strip().lower()]
    merged = {part: dict(p) for part, p in own.items()}
    for part, p in (params or {}).items():
        merged[part] = {**merged.get(part, {}), **p}
    return pipeline, merged


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


def _check_size(stage, name, est, n_samples):
    """Refuse, before any work, a sample too small for a part to fit at all."""
    need, why = 1, ""
    if name == "umap":       # spectral initialisation solves for n_components + 1 vectors
        need, why = est.n_components + 2, "its spectral start needs n_components + 2"
    elif name == "tsne":
        need, why = 2, "it embeds pairwise affinities"
    elif name == "sktsne":
        need, why = int(est.perplexity) + 1, "scikit-learn's t-SNE needs perplexity < n_samples"
    elif name == "hdbscan":
        need, why = est.min_cluster_size, "no cluster smaller than min_cluster_size can form"
    if n_samples < need:
        raise ValueError(f"{stage} needs at least {need} samples ({why}), got n_samples="
                         f"{n_samples}; pass more samples"
                         + ("" if name != "hdbscan" else " or a smaller min_cluster_size"))


def parse_pipeline(spec):
    """Split ``spec`` into ``([(reducer, dim), ...], clusterer)``.

    Raises
    ------
    ValueError
        An unknown part, a reducer without dimension, a misplaced clusterer, or a part
        that reads images anywhere but first; the message lists the valid parts.
    """
    if not isinstance(spec, str) or not spec.strip():
        raise ValueError(f"pipeline must be a string such as 'umap2+kmeans', got {spec!r}")
    spec = resolve(spec)[0]
    reducers_ = [n for n, p in PARTS.items() if not p.clusterer]
    valid = (f"reducers {', '.join(n + '<dim>' for n in reducers_)}; "
             f"clusterers {', '.join(n for n in PARTS if PARTS[n].clusterer)} (last)")
    parts = spec.strip().lower().split("+")
    reducers = []
    for i, part in enumerate(parts):
        m = _PART.match(part)
        name, dim = (m.group(1), m.group(2)) if m else (part, "")
        kind, last = PARTS.get(name), i == len(parts) - 1
        if kind is None or (kind.clusterer and not last) or (kind.clusterer and dim):
            raise ValueError(f"unknown pipeline part {part!r} in {spec!r}; valid parts: {valid}")
        if kind.images and i > 0:
            what = "stands alone" if kind.clusterer else "must come first"
            raise ValueError(f"{part!r} reads images, so it {what} in {spec!r}")
        if kind.clusterer:
            return reducers, name
        if not dim:
            raise ValueError(f"reducer {part!r} in {spec!r} needs a dimension, e.g. {name}2")
        if last:
            raise ValueError(f"pipeline {spec!r} ends in reducer {part!r}; add a clusterer: {valid}")
        if int(dim) < 1:
            raise ValueError(f"reducer {part!r} in {spec!r} needs a dimension >= 1")
        reducers.append((name, int(dim)))


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
            _check_size(stage, name, est, len(Z) if X_train is None or i else len(X_train))
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
            if store is not None:
                store.put("reduced", key, {"seconds": self.timings_[stage]}, {"Z": Z})
            self.steps_.append((stage, est))
        est = self._part(clusterer, self.n_clusters, params, seed)
        _check_size(clusterer, clusterer, est, len(Z))
        with timed(self.timings_, clusterer, log):
            self.labels_ = np.asarray(est.fit_predict(Z, y) if clusterer == "dcec"
                                      else est.fit_predict(Z))
        self.steps_.append((clusterer, est))
        self.embedding_ = getattr(est, "embedding_", None)
        if self.embedding_ is None:
            self.embedding_ = Z.reshape(len(Z), -1)
        return self
