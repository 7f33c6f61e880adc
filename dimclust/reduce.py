"""Dimensionality reduction (thesis ch. 4 and 5): PCA, t-SNE and UMAP.

PCA is scikit-learn's and UMAP is umap-learn's, both already scikit-learn estimators and
used as they are. t-SNE is wrapped: openTSNE's FFT-accelerated gradient (Linderman et al.
2019) is many times faster than scikit-learn's Barnes–Hut at 10⁴–10⁵ points, but its
``TSNE.fit`` returns an embedding object instead of the estimator, so :class:`TSNE` gives
it the scikit-learn contract (``fit`` returns ``self``, ``embedding_`` a plain ndarray).
The thesis's own t-SNE was scikit-learn's Barnes–Hut TSNE; :func:`make_sklearn_tsne` gives
it with the defaults of 2020, for the rows that reproduce the thesis's numbers.
"""
from __future__ import annotations

import logging
import warnings

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import PCA
from sklearn.utils.validation import check_is_fitted

from ._validation import Interval, Options, check_features, seed_int, validate_params

__all__ = ["PCA", "TSNE", "make_sklearn_tsne", "make_umap"]

log = logging.getLogger(__name__)


class TSNE(TransformerMixin, BaseEstimator):
    """t-SNE (thesis §5.1) with openTSNE's FFT-interpolated gradients.

    Parameters
    ----------
    n_components : int, default 2
        Output dimension. In 1 or 2 dimensions openTSNE picks the gradient method: FFT
        interpolation from 10,000 points on, Barnes–Hut below (faster there); above 2,
        Barnes–Hut.
    perplexity : float, default 30
        Effective number of neighbours of the Gaussian affinities (thesis eq. 5.2). Above
        ``(n_samples - 1) / 3`` it is lowered to that, with a warning, as openTSNE does.
    learning_rate : float or "auto", default "auto"
        ``"auto"`` is n/12 (Belkina et al. 2019), openTSNE's default.
    n_iter : int, default 500
        Iterations after the 250 of early exaggeration.
    initialization : {"pca", "random", "spectral"}, default "pca"
        PCA initialisation keeps more global structure than random (Kobak & Linderman 2021).
    metric : str, default "euclidean"
    n_jobs : int, default 1
        Threads for neighbours and gradients; -1 uses all cores.
    random_state : int, Generator or None, default None
    verbose : bool, default False

    Attributes
    ----------
    embedding_ : ndarray of shape (n_samples, n_components)
    perplexity_ : float
        The perplexity used: ``perplexity``, or less on few samples.
    kl_divergence_ : float
        Final KL(P‖Q) (thesis eq. 5.4).
    n_features_in_ : int
    """

    _constraints = {"n_components": Interval(int, 1),
                    "perplexity": Interval(float, 0, open_low=True),
                    "n_iter": Interval(int, 0),
                    "initialization": Options("pca", "random", "spectral"),
                    "n_jobs": Interval(int, -1)}

    def __init__(self, n_components=2, *, perplexity=30.0, learning_rate="auto", n_iter=500,
                 initialization="pca", metric="euclidean", n_jobs=1, random_state=None,
                 verbose=False):
        self.n_components = n_components
        self.perplexity = perplexity
        self.learning_rate = learning_rate
        self.n_iter = n_iter
        self.initialization = initialization
        self.metric = metric
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def fit(self, X, y=None):
        """Embed ``X`` of shape (n_samples, n_features); returns ``self``."""
        import openTSNE  # noqa: PLC0415  (slow import)
        validate_params(self)
        dtype = np.asarray(X).dtype
        X = check_features(X, dtype=dtype if dtype in (np.float32, np.float64) else np.float64)
        if len(X) < 2:
            raise ValueError(f"n_samples={len(X)}: t-SNE needs at least 2 samples")
        self.perplexity_ = float(min(self.perplexity, (len(X) - 1) / 3))
        if self.perplexity_ < self.perplexity:           # openTSNE's rule, said once here
            warnings.warn(f"perplexity={self.perplexity} is too high for n_samples={len(X)}; "
                          f"using {self.perplexity_:.4g} = (n_samples - 1) / 3", UserWarning,
                          stacklevel=2)
        if int(3 * self.perplexity_) < 1:          # openTSNE's neighbours: 3 × perplexity
            raise ValueError(f"perplexity={self.perplexity} gives each point no neighbour "
                             f"(t-SNE uses 3 × perplexity of them); pass perplexity >= 1/3")
        tsne = openTSNE.TSNE(
            n_components=self.n_components, perplexity=self.perplexity_,
            learning_rate=self.learning_rate, n_iter=self.n_iter,
            initialization=self.initialization, metric=self.metric, n_jobs=self.n_jobs,
            random_state=seed_int(self.random_state), verbose=bool(self.verbose),
            negative_gradient_method="auto" if self.n_components <= 2 else "bh")
        self._embedding = tsne.fit(X)
        self.embedding_ = np.asarray(self._embedding, dtype=X.dtype)
        self.kl_divergence_ = float(self._embedding.kl_divergence)
        self.n_features_in_ = X.shape[1]
        return self

    def fit_transform(self, X, y=None):
        """Fit and return ``embedding_``."""
        return self.fit(X).embedding_

    def transform(self, X):
        """Place new points into the fitted embedding (openTSNE's out-of-sample optimisation)."""
        check_is_fitted(self, "embedding_")
        X = check_features(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but TSNE is expecting "
                             f"{self.n_features_in_} features as input")
        return np.asarray(self._embedding.transform(X), dtype=self.embedding_.dtype)


def make_umap(n_components=2, *, n_neighbors=30, min_dist=0.0, random_state=None,
              verbose=False, **kwargs):
    """umap-learn's UMAP with the thesis's settings: 30 neighbours (its prose, §11.1.1), min_dist 0.

    The code behind the thesis's tables used 25 neighbours (appendix §3.1); the table rows
    pass that explicitly (``dimclust/data/thesis.json``).

    A seeded UMAP is reproducible but runs single-threaded (umap-learn's rule);
    ``random_state=None`` uses every core. A ``Generator`` gives one integer seed.
    """
    import umap  # noqa: PLC0415  (numba compilation on import)
    random_state = seed_int(random_state)
    if random_state is not None:
        kwargs.setdefault("n_jobs", 1)   # what umap-learn does anyway, without its warning
    return umap.UMAP(n_components=n_components, n_neighbors=n_neighbors, min_dist=min_dist,
                     random_state=random_state, verbose=verbose, **kwargs)


def make_sklearn_tsne(n_components=2, *, perplexity=30.0, learning_rate=200.0, max_iter=1000,
                      init="random", random_state=None, verbose=0, **kwargs):
    """scikit-learn's Barnes–Hut t-SNE with the defaults it had in 2020 (version 0.22).

    The thesis ran this optimiser (its §11.1.1 and appendix: perplexity 25, learning rate
    10, 600 s on 10,000 images), so its table rows are reproduced with it rather than with
    :class:`TSNE`. The two differ in more than speed: scikit-learn keeps the factor 4 of
    the gradient (thesis eq. 5.6) that openTSNE leaves out, so its ``learning_rate`` of 10
    moves points as far as openTSNE's of 40 (scikit-learn's documentation says so);
    scikit-learn counts the 250 iterations of early exaggeration inside ``max_iter`` and
    stops early when the error stalls for 300 iterations; its random start is Gaussian
    with standard deviation 10⁻⁴.

    Parameters
    ----------
    n_components : int, default 2
    perplexity : float, default 30
        Must be below n_samples.
    learning_rate : float, default 200
        scikit-learn's default until version 1.2 (now ``"auto"``).
    max_iter : int, default 1000
        Iterations in all, early exaggeration included.
    init : {"random", "pca"}, default "random"
        ``"random"`` was the default until version 1.2 (now ``"pca"``).
    random_state : int, Generator or None, default None
    verbose : int, default 0
    **kwargs
        Passed on to :class:`sklearn.manifold.TSNE`.

    Returns
    -------
    sklearn.manifold.TSNE
        Unfitted; ``fit_transform(X)`` gives an array of shape (n_samples, n_components).
    """
    from sklearn.manifold import TSNE as SkTSNE  # noqa: PLC0415
    return SkTSNE(n_components=n_components, perplexity=perplexity,
                  learning_rate=learning_rate, max_iter=max_iter, init=init,
                  method="barnes_hut", random_state=seed_int(random_state),
                  verbose=int(verbose), **kwargs)
