"""Deep Convolutional Embedded Clustering (Guo, Liu, Zhu & Yin 2017; thesis ch. 9 and 13).

:meth:`DCEC.fit` follows the algorithm box of the DCEC chapter, one method per step:
(1) pretrain a convolutional autoencoder (:func:`~dimclust._dcec_pretraining.pretrain`);
(2) :meth:`~DCEC._initialise`
the centres by k-means on the embedding (or, as options, a Gaussian mixture, or N2D's
clustering of the embedding); (3) the clustering phase
(:func:`~dimclust._dcec_clustering.clustering_phase`): alternate a target update (q on all
training images, p by eq. 9.6, the stop test) with ``update_interval`` gradient steps on
``L = L_rec + γ·KL(P‖Q)`` (eq. 9.3/9.5). The steps between two updates run as one Keras
``fit`` over batches read in order from the randomly permuted training images as one cyclic
stream, so every batch is full (the reference code restarts at the top after a short last
batch). The equations are in :mod:`~dimclust.dcec_equations`, the Keras layer and model in
:mod:`~dimclust.dcec_keras`.
"""
from __future__ import annotations

import logging
import time

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.utils.validation import check_is_fitted

from ._dcec_clustering import clustering_phase, initial_centres, update_scores
from ._dcec_pretraining import checkpoint_for, pretrain
from ._provenance import timed
from ._validation import (
    Interval,
    Options,
    check_images,
    check_n_clusters,
    check_random_state,
    seed_int,
    validate_params,
)
from .autoencoder import ARCHITECTURES, ConvAutoencoder
from .dcec_equations import kl_divergence, soft_assignment, target_distribution
from .metrics import NOISE
from .progress import predict

__all__ = ["DCEC", "soft_assignment", "target_distribution", "kl_divergence"]

log = logging.getLogger(__name__)

class DCEC(ClusterMixin, BaseEstimator):
    """Deep Convolutional Embedded Clustering (thesis ch. 9, 13; Guo et al. 2017).

    Parameters
    ----------
    n_clusters : int, default 10
    architecture : {"guo", "thesis"}, default "guo"
        The convolutional autoencoder (see :class:`~dimclust.ConvAutoencoder`).
    embedding_dim : int, default 10
    alpha : float, default 1.0
        Degrees of freedom of the Student-t kernel (eq. 9.4); §13.1.2 (e) tries others.
    gamma : float, default 0.1
        Weight of the clustering loss (eq. 9.5); §13.1.2 (c) sweeps it.
    batch_size : int, default 256
    pretrain_epochs : int, default 200
    maxiter : int, default 20000
        Most clustering iterations (batches).
    update_interval : int, default 140
        Iterations between two target updates (and stop checks).
    tol : float, default 0.001
        Stop when fewer than this share of labels change between two updates.
    init : {"kmeans", "gmm", "umap-gmm"}, default "kmeans"
        Centre initialisation: k-means with 20 restarts, the means of a Gaussian
        mixture (§13.1.2 a), or N2D's clustering of the embedding (McConville et al.
        2019): UMAP to ``n_clusters`` dimensions with N2D's settings
        (:data:`~dimclust.n2d.N2D_UMAP`), a full-covariance Gaussian mixture there,
        and as each centre the embedding's mean weighted by that component's
        responsibilities — DCEC started from the best clustering of its own embedding
        that the last chapter tries.
    min_confidence : float, default 0.0
        Points whose largest q is below this get label ``-1`` (§13.1.2 d).
    validation_split : float, default 0.0
        Share of images held out of training to track their losses (§13.1.2 f).
    learning_rate : float, default 1e-3
        Adam's step in both phases.
    pretrained : ConvAutoencoder, optional
        A fitted autoencoder to start from instead of pretraining (shares one pretraining
        across a γ sweep, say); it is copied, not changed. It must have this
        ``architecture`` and ``embedding_dim``.
    steps_per_execution : int, default 1
        Batches per compiled call; larger is faster on a GPU, the result is the same.
    memory : str, path or :class:`~dimclust.store.Store`, optional
        Where the pretrained autoencoder is remembered (see
        :class:`~dimclust.ConvAutoencoder`): DCEC runs that differ only in their
        clustering phase (γ, α, init, ...) pretrain once, and a ``cae`` pipeline stage
        with the same settings (MSE, no early stopping, nothing held out) reuses it.
    checkpoint_dir : str or path, optional
        Write the full training state atomically after every interval; ``fit`` on the
        same folder resumes where it stopped, and refuses (``ValueError``) to resume a
        checkpoint made with other parameters or images. Without it, a fit with
        ``memory`` and an integer ``random_state`` checkpoints in the store (both phases:
        the pretraining every epoch, the clustering every interval) and deletes the
        checkpoint when it ends.
    random_state : int, Generator or None, default None
        Seeds the pretraining, the split, the batch order and the initial clustering.
    verbose : int, default 1
        0 silent; 1 progress bars (pretraining epochs, clustering iterations).

    Attributes
    ----------
    labels_ : ndarray of int, shape (n_samples,)
    embedding_ : ndarray, shape (n_samples, embedding_dim)
        The learned embedding of the training images, after the clustering phase.
    cluster_centers_ : ndarray, shape (n_clusters, embedding_dim)
    history_ : list of dict
        One entry per target update: ``iteration``, ``loss``, ``clustering``,
        ``reconstruction``, ``delta_label`` (share of labels changed), and ``acc``,
        ``nmi``, ``ari`` when ``y`` was given; ``val_*`` losses with ``validation_split``.
    embedding_pretrained_ : ndarray, shape (n_samples, embedding_dim)
        The embedding before the clustering phase (for fig. 13.3).
    autoencoder_ : ConvAutoencoder
        The pretrained autoencoder (its weights are trained further by DCEC).
    init_estimator_ : KMeans or GaussianMixture or None
        The fitted clusterer that placed the first centres (``None`` after a resume; with
        ``init="umap-gmm"`` the mixture fitted on the UMAP).
    coverage_ : float
        Share of points with a label (1.0 unless ``min_confidence`` is set).
    n_iter_ : int
        Clustering iterations run.
    timings_ : dict
        Wall seconds of ``pretrain``, ``init``, ``target_updates`` and ``cluster_steps`` in
        this call of ``fit`` (a resumed fit: this leg only).
    earlier_seconds_ : float
        Seconds that earlier, interrupted legs of this fit took (saved with each
        checkpoint; ``0.0`` for a fit run in one go): a pipeline adds them to the stage's
        time, so a resumed run's record counts the whole training.
    """

    #: ``memory=`` takes a :class:`~dimclust.store.Store` (pipelines pass theirs on).
    remembers_in_store = True

    _constraints = {
        "n_clusters": Interval(int, 1), "architecture": Options(*ARCHITECTURES),
        "embedding_dim": Interval(int, 1), "alpha": Interval(float, 0, open_low=True),
        "gamma": Interval(float, 0), "batch_size": Interval(int, 1),
        "pretrain_epochs": Interval(int, 0), "maxiter": Interval(int, 0),
        "update_interval": Interval(int, 1), "tol": Interval(float, 0, 1),
        "init": Options("kmeans", "gmm", "umap-gmm"), "min_confidence": Interval(float, 0, 0.999999),
        "validation_split": Interval(float, 0, 0.99),
        "learning_rate": Interval(float, 0, open_low=True),
        "steps_per_execution": Interval(int, 1), "verbose": Interval(int, 0),
    }

    def __init__(self, n_clusters=10, *, architecture="guo", embedding_dim=10, alpha=1.0,
                 gamma=0.1, batch_size=256, pretrain_epochs=200, maxiter=20000,
                 update_interval=140, tol=0.001, init="kmeans", min_confidence=0.0,
                 validation_split=0.0, learning_rate=1e-3, pretrained=None,
                 steps_per_execution=1, memory=None, checkpoint_dir=None, random_state=None,
                 verbose=1):
        self.n_clusters = n_clusters
        self.architecture = architecture
        self.embedding_dim = embedding_dim
        self.alpha = alpha
        self.gamma = gamma
        self.batch_size = batch_size
        self.pretrain_epochs = pretrain_epochs
        self.maxiter = maxiter
        self.update_interval = update_interval
        self.tol = tol
        self.init = init
        self.min_confidence = min_confidence
        self.validation_split = validation_split
        self.learning_rate = learning_rate
        self.pretrained = pretrained
        self.steps_per_execution = steps_per_execution
        self.memory = memory
        self.checkpoint_dir = checkpoint_dir
        self.random_state = random_state
        self.verbose = verbose

    def fit(self, X, y=None):
        """Pretrain, initialise and train DCEC on images ``X`` (n, h, w, c); returns ``self``.

        ``y`` is used only to log ACC/NMI/ARI in ``history_``.
        """
        import keras  # noqa: PLC0415

        from .dcec_keras import DCECNet  # noqa: PLC0415  (imports Keras)
        validate_params(self)
        X = check_images(X)
        check_n_clusters(self.n_clusters, len(X))
        rng = check_random_state(self.random_state)
        seed = seed_int(self.random_state)
        perm = rng.permutation(len(X))
        n_val = int(round(self.validation_split * len(X)))
        val_idx, train_idx = np.sort(perm[:n_val]), np.sort(perm[n_val:])
        X_train, X_val = X[train_idx], X[val_idx]
        self.timings_, t0 = {}, time.perf_counter()

        ckpt = checkpoint_for(self, X)
        with timed(self.timings_, "pretrain"):
            self.autoencoder_ = pretrain(self, X_train, seed, ckpt)
        self.net_ = net = DCECNet(self.autoencoder_.encoder_, self.autoencoder_.decoder_,
                                  self.n_clusters, self.alpha, self.gamma, name="dcec")
        net.compile(optimizer=keras.optimizers.Adam(self.learning_rate),
                    steps_per_execution=int(self.steps_per_execution))
        net(X_train[:1])                                   # build every weight
        self.embedding_pretrained_ = self._embed(X)
        with timed(self.timings_, "init"):
            state = ckpt and ckpt.load(net, len(X_train))
            if state is None:
                self._initialise(net, self.embedding_pretrained_[train_idx], seed)
                state = {"iteration": 0, "position": 0, "labels": None, "pending": {},
                         "history": []}
            else:
                self.init_estimator_ = None
        # what interrupted legs of this fit took: up to the checkpoint resumed from, or
        # the pretraining's earlier epochs (this leg is timed as usual). A fit killed
        # between the end of its pretraining and its first clustering checkpoint reloads
        # the pretrained network and counts the pretraining's seconds as 0.
        self.earlier_seconds_ = float(state["seconds"] if "seconds" in state else
                                      getattr(self.autoencoder_, "earlier_seconds_", 0.0))
        order = train_idx[rng.permutation(len(train_idx))]     # the cyclic batch stream
        y_train = None if y is None else np.asarray(y)[order]
        self.history_, self.n_iter_ = clustering_phase(         # step 3
            net, X[order], q_of=self._q, scores=lambda labels: update_scores(net, labels, y_train, X_val),
            state=state, update_interval=self.update_interval, maxiter=self.maxiter,
            tol=self.tol, batch_size=self._batch(X_train), timings=self.timings_, ckpt=ckpt,
            seconds=lambda: self.earlier_seconds_ + time.perf_counter() - t0,
            verbose=self.verbose)

        self.cluster_centers_ = np.asarray(net.clustering.clusters)
        self.embedding_ = self._embed(X)
        self.labels_ = self._labels(soft_assignment(self.embedding_, self.cluster_centers_,
                                                    self.alpha))
        self.coverage_ = float(np.mean(self.labels_ != NOISE))
        if ckpt is not None and not self.checkpoint_dir:
            ckpt.clear()                 # the store's own checkpoint: the run is complete
        return self

    # -- the steps of the algorithm ---------------------------------------------------
    def make_autoencoder(self, random_state):
        """The unfitted autoencoder that step 1 pretrains: this DCEC's ``architecture``,
        ``embedding_dim``, ``batch_size``, ``learning_rate`` and ``pretrain_epochs``, MSE,
        every training image, no early stopping (Guo et al. 2017), and its ``memory``;
        seeded with ``random_state``. Fitted on the same images, it is the pretraining
        the store remembers for this DCEC."""
        return ConvAutoencoder(
            self.architecture, self.embedding_dim, loss="mse", epochs=self.pretrain_epochs,
            batch_size=self.batch_size, learning_rate=self.learning_rate, patience=None,
            validation_split=0.0, steps_per_execution=self.steps_per_execution,
            memory=self.memory, random_state=random_state, verbose=self.verbose)

    def _initialise(self, net, Z_train, seed):
        """Step 2: the first centres (:func:`~dimclust._dcec_clustering.initial_centres`)."""
        self.init_estimator_, centers = initial_centres(Z_train, self.n_clusters, self.init, seed)
        net.clustering.clusters.assign(np.asarray(centers, dtype="float32"))

    # -- helpers and inference --------------------------------------------------------
    def _batch(self, X_train):
        return min(int(self.batch_size), len(X_train))

    def _embed(self, X):
        return np.asarray(predict(self.autoencoder_.encoder_, X))

    def _q(self, X):
        return soft_assignment(self._embed(X), np.asarray(self.net_.clustering.clusters),
                               self.alpha)

    def _labels(self, q):
        labels = q.argmax(1)
        if self.min_confidence:
            labels = np.where(q.max(1) >= self.min_confidence, labels, NOISE)
        return labels

    def predict_proba(self, X):
        """Soft assignment q (eq. 9.4): ndarray of shape (n, n_clusters), rows sum to 1."""
        check_is_fitted(self, "net_")
        return self._q(check_images(X))

    def predict(self, X):
        """Hard labels ``argmax q``; ``-1`` where ``max q < min_confidence``."""
        return self._labels(self.predict_proba(X))

    def fit_predict(self, X, y=None):
        """Fit and return ``labels_``."""
        return self.fit(X, y).labels_

    def transform(self, X):
        """The learned embedding, shape (n, embedding_dim)."""
        check_is_fitted(self, "net_")
        return self._embed(check_images(X))
