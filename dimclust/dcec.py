"""Deep Convolutional Embedded Clustering (Guo, Liu, Zhu & Yin 2017; thesis ch. 9 and 13).

1. Pretrain a convolutional autoencoder (MSE, Adam).
2. Initialise cluster centres with k-means (``n_init=20``) on the embedding — or, as the
   thesis proposes in §13.1.2 (a), with a Gaussian mixture.
3. Train encoder, decoder and centres jointly on ``L = L_rec + γ·KL(P‖Q)`` (eq. 9.3/9.5),
   where ``Q`` is the Student-t soft assignment (eq. 9.4) and ``P`` the sharpened target
   (eq. 9.6), recomputed on all the data every ``update_interval`` iterations; stop when
   fewer than ``tol`` of the labels changed since the last update, or at ``maxiter``.

The clustering phase runs the iterations between two target updates as one ``fit`` call
over those batches (``steps_per_execution`` batches per compiled call), instead of the
reference's Python loop of ``train_on_batch`` calls; the sequence of batches, targets and
updates is the reference's.
"""
from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin

from ._provenance import digest, versions
from ._validation import check_images, check_n_clusters
from .autoencoder import ConvAutoencoder, check_fit_params
from .dcec_model import keras_parts, soft_assignment, target_distribution
from .metrics import NOISE, evaluate

__all__ = ["DCEC", "soft_assignment", "target_distribution", "ClusteringLayer"]

log = logging.getLogger(__name__)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def __getattr__(name):
    if name == "ClusteringLayer":
        return keras_parts()[1]
    raise AttributeError(name)




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
    init : {"kmeans", "gmm"}, default "kmeans"
        Centre initialisation: k-means with 20 restarts, or the means of a Gaussian
        mixture (§13.1.2 a).
    min_confidence : float, default 0.0
        Points whose largest q is below this get label ``-1`` (§13.1.2 d).
    validation_split : float, default 0.0
        Share of images held out of training to track their losses (§13.1.2 f).
    learning_rate : float, default 1e-3
        Adam's step in both phases.
    pretrained : ConvAutoencoder, optional
        A fitted autoencoder to start from instead of pretraining (shares one pretraining
        across a γ sweep, say). It must have this ``architecture`` and ``embedding_dim``.
    steps_per_execution : int, default 1
        Batches per compiled call; larger is faster on a GPU, the result is the same.
    memory : str or path, optional
        Folder caching pretrained autoencoders, keyed by the training images, the
        architecture, the pretraining parameters, the seed and the package versions: DCEC
        runs that differ only in their clustering phase (γ, α, init, ...) pretrain once.
    checkpoint_dir : str or path, optional
        Write the full training state atomically every update; ``fit`` on the same folder
        resumes where it stopped.
    random_state : int or None, default None
    verbose : int, default 1

    Attributes
    ----------
    labels_ : ndarray of int, shape (n_samples,)
    cluster_centers_ : ndarray, shape (n_clusters, embedding_dim)
    history_ : list of dict
        One entry per target update: ``iteration``, ``loss``, ``clustering``,
        ``reconstruction``, ``delta_label`` (share of labels changed), and ``acc``,
        ``nmi``, ``ari`` when ``y`` was given; ``val_*`` losses with ``validation_split``.
    embedding_pretrained_ : ndarray, shape (n_samples, embedding_dim)
        The embedding before the clustering phase (for fig. 13.3).
    autoencoder_ : ConvAutoencoder
        The pretrained autoencoder (its weights are trained further by DCEC).
    coverage_ : float
        Share of points with a label (1.0 unless ``min_confidence`` is set).
    n_iter_ : int
        Clustering iterations run.
    timings_ : dict
        Wall seconds of ``pretrain``, ``init`` and ``cluster``.
    """

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

    # -- validation -------------------------------------------------------------------
    def _validate(self, X):
        X = check_images(X)
        check_n_clusters(self.n_clusters, len(X))
        check_fit_params(self)
        for name, lo in (("alpha", 0.0), ("gamma", 0.0), ("tol", 0.0)):
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and v >= lo and np.isfinite(v)) or \
                    (name == "alpha" and v <= 0):
                raise ValueError(f"{name}={v!r} must be a finite number "
                                 f"{'> 0' if name == 'alpha' else '>= 0'}")
        if self.init not in ("kmeans", "gmm"):
            raise ValueError(f"init={self.init!r}; choose 'kmeans' or 'gmm'")
        if not 0 <= self.min_confidence < 1:
            raise ValueError(f"min_confidence={self.min_confidence} must be in [0, 1)")
        if int(self.update_interval) < 1:
            raise ValueError(f"update_interval={self.update_interval!r} must be >= 1")
        if int(self.maxiter) < 0:
            raise ValueError(f"maxiter={self.maxiter!r} must be >= 0 (0: no clustering phase)")
        return X

    # -- phases -----------------------------------------------------------------------
    def _pretrain(self, X_train):
        ckpt = Path(self.checkpoint_dir) / "pretrained" if self.checkpoint_dir else None
        if self.pretrained is not None:
            cae = self.pretrained
            if (cae.architecture, cae.embedding_dim) != (self.architecture, self.embedding_dim):
                raise ValueError(
                    f"pretrained has architecture={cae.architecture!r}, embedding_dim="
                    f"{cae.embedding_dim}, but this DCEC has architecture="
                    f"{self.architecture!r}, embedding_dim={self.embedding_dim}; pass a "
                    "matching autoencoder or set the DCEC's parameters to match")
            # train a copy: the caller's autoencoder stays as it was
            cae = _copy_cae(cae)
        elif ckpt is not None and (ckpt / "meta.json").exists():
            log.info("DCEC: loading pretrained autoencoder from %s", ckpt)
            cae = ConvAutoencoder.load(ckpt)
        elif self.memory is not None and (self._memory_path(X_train) / "meta.json").exists():
            log.info("DCEC: pretrained autoencoder from %s", self._memory_path(X_train))
            cae = ConvAutoencoder.load(self._memory_path(X_train))
        else:
            log.info("DCEC: pretraining the %s autoencoder for %d epochs",
                     self.architecture, self.pretrain_epochs)
            cae = ConvAutoencoder(self.architecture, self.embedding_dim, loss="mse",
                                  epochs=self.pretrain_epochs, batch_size=self.batch_size,
                                  learning_rate=self.learning_rate, patience=None,
                                  validation_split=0.0, random_state=self.random_state,
                                  verbose=self.verbose).fit(X_train)
            if ckpt is not None:
                cae.save(ckpt)
            if self.memory is not None:
                cae.save(self._memory_path(X_train))
        return cae

    def _memory_path(self, X_train):
        key = digest(X_train, self.architecture, self.embedding_dim, self.pretrain_epochs,
                      self.batch_size, self.learning_rate, self.random_state, versions())
        return Path(self.memory) / f"pretrained-{key[:24]}"

    def _init_centers(self, Z):
        from .cluster import make_gmm, make_kmeans  # noqa: PLC0415
        if self.init == "kmeans":
            km = make_kmeans(self.n_clusters, n_init=20, random_state=self.random_state).fit(Z)
            return km.cluster_centers_, km.labels_
        gmm = make_gmm(self.n_clusters, n_init=3, random_state=self.random_state).fit(Z)
        return gmm.means_, gmm.predict(Z)

    def fit(self, X, y=None):
        """Pretrain, initialise and train DCEC on images ``X`` (n, h, w, c); returns ``self``.

        ``y`` is used only to log ACC/NMI/ARI in ``history_``.
        """
        keras, _, DCECNet, NaNGuard = keras_parts()
        X = self._validate(X)
        y = None if y is None else np.asarray(y)
        rng = np.random.default_rng(self.random_state)
        n_val = int(round(self.validation_split * len(X)))
        perm = rng.permutation(len(X))
        val_idx, train_idx = np.sort(perm[:n_val]), perm[n_val:]
        X_train, X_val = X[train_idx], X[val_idx]
        self.timings_ = {}

        t0 = time.perf_counter()
        self.autoencoder_ = cae = self._pretrain(X_train)
        self.timings_["pretrain"] = time.perf_counter() - t0
        self.net_ = net = DCECNet(cae.encoder_, cae.decoder_, self.n_clusters, self.alpha,
                                  self.gamma, name="dcec")
        net.compile(optimizer=keras.optimizers.Adam(self.learning_rate),
                    steps_per_execution=int(self.steps_per_execution))
        net(X_train[:1])                                   # build all weights
        self.embedding_pretrained_ = self._embed(X)

        state = self._load_checkpoint(net, len(X_train))
        t0 = time.perf_counter()
        if state is None:
            centers, _ = self._init_centers(self.embedding_pretrained_[train_idx])
            net.clustering.clusters.assign(np.asarray(centers, dtype="float32"))
            state = {"iteration": 0, "position": 0, "labels": None, "pending": {},
                     "history": []}
        self.timings_["init"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        self._cluster(net, X_train, X_val, y, train_idx, val_idx, state, NaNGuard)
        self.timings_["cluster"] = time.perf_counter() - t0
        self.cluster_centers_ = np.asarray(net.clustering.clusters)
        self.labels_ = self.predict(X)
        self.coverage_ = float(np.mean(self.labels_ != NOISE))
        return self

    def _cluster(self, net, X_train, X_val, y, train_idx, val_idx, state, NaNGuard):
        """The clustering phase: target updates every ``update_interval`` iterations.

        Batches are read in order from the (randomly permuted) training images as one
        cyclic stream, so every batch is full; the reference restarts at the top after a
        short last batch instead.
        """
        n, bs, ui = len(X_train), min(self.batch_size, len(X_train)), int(self.update_interval)
        self.history_ = state["history"]
        last, ite, pos = state["labels"], state["iteration"], state["position"]
        pending = state.get("pending", {})
        while True:
            q = self._q(X_train)
            labels = q.argmax(1)
            p = target_distribution(q).astype(np.float32)
            delta = 1.0 if last is None else float(np.mean(labels != last))
            self.history_.append({"iteration": ite, **pending, "delta_label": delta})
            self._log_update(labels, y, train_idx, X_val)
            last = labels
            if ite > 0 and delta < self.tol:
                log.info("DCEC: %.4f of labels changed < tol=%g at iteration %d; stopping",
                         delta, self.tol, ite)
                break
            if ite >= self.maxiter:
                break
            steps = min(ui, int(self.maxiter) - ite)
            idx = (pos + np.arange(steps * bs)) % n
            h = net.fit(X_train[idx], (X_train[idx], p[idx]), batch_size=bs, epochs=1,
                        shuffle=False, verbose=0, callbacks=[NaNGuard(ite)])
            pos = int((pos + steps * bs) % n)
            ite += steps
            pending = {k: float(v[-1]) for k, v in h.history.items()}
            self._checkpoint(net, {"iteration": ite, "position": pos, "labels": last,
                                   "pending": pending, "history": self.history_})
        self.n_iter_ = ite

    def _log_update(self, labels, y, train_idx, X_val):
        entry = self.history_[-1]
        if y is not None:
            entry.update({k: v for k, v in evaluate(y[train_idx], labels).items()
                          if k in ("acc", "nmi", "ari")})
        if len(X_val):
            rec, qv = self.net_.predict(X_val, batch_size=1024, verbose=0)
            qv = np.asarray(qv)
            pv = target_distribution(qv)
            entry["val_reconstruction"] = float(np.mean((np.asarray(rec) - X_val) ** 2))
            entry["val_clustering"] = float(np.mean(np.sum(
                pv * np.log(np.maximum(pv, 1e-7) / np.maximum(qv, 1e-7)), axis=1)))
        if self.verbose:
            msg = ", ".join(f"{k} {v:.4f}" for k, v in entry.items() if k != "iteration")
            print(f"DCEC iteration {entry['iteration']}: {msg}", flush=True)
        log.debug("DCEC update %s", entry)

    # -- checkpoints ------------------------------------------------------------------
    def _checkpoint(self, net, state):
        if not self.checkpoint_dir:
            return
        folder = Path(self.checkpoint_dir)
        folder.mkdir(parents=True, exist_ok=True)
        arrays = {f"w{i}": np.asarray(w) for i, w in enumerate(net.weights)}
        arrays.update({f"o{i}": np.asarray(v) for i, v in enumerate(net.optimizer.variables)})
        if state["labels"] is not None:
            arrays["labels"] = state["labels"]
        meta = {k: v for k, v in state.items() if k != "labels"}
        meta["params"] = {k: v for k, v in self.get_params().items() if k != "pretrained"}
        arrays["meta"] = np.frombuffer(json.dumps(meta, default=str).encode(), dtype=np.uint8)
        tmp = folder / "state.tmp.npz"
        np.savez(tmp, **arrays)
        os.replace(tmp, folder / "state.npz")          # atomic: a kill leaves the old one

    def _load_checkpoint(self, net, n_train):
        path = Path(self.checkpoint_dir) / "state.npz" if self.checkpoint_dir else None
        if path is None or not path.exists():
            return None
        with np.load(path) as f:
            meta = json.loads(f["meta"].tobytes().decode())
            if len(net.optimizer.variables) <= 1:
                net.optimizer.build(net.trainable_variables)
            for i, w in enumerate(net.weights):
                w.assign(f[f"w{i}"])
            for i, v in enumerate(net.optimizer.variables):
                v.assign(f[f"o{i}"])
            labels = f["labels"] if "labels" in f else None
        if labels is not None and len(labels) != n_train:
            raise ValueError(f"checkpoint in {path.parent} was made on {len(labels)} training "
                             f"images, not {n_train}; use another checkpoint_dir")
        log.info("DCEC: resuming from %s at iteration %d", path, meta["iteration"])
        return {"iteration": meta["iteration"], "position": meta["position"],
                "labels": labels, "pending": meta.get("pending", {}), "history": meta["history"]}

    # -- inference --------------------------------------------------------------------
    def _embed(self, X):
        return np.asarray(self.autoencoder_.encoder_.predict(X, batch_size=1024, verbose=0))

    def _q(self, X):
        return np.asarray(self.net_.predict(X, batch_size=1024, verbose=0)[1])

    def _check_fitted(self, X):
        if not hasattr(self, "net_"):
            raise RuntimeError("DCEC is not fitted yet; call fit(X) first")
        return check_images(X)

    def predict_proba(self, X):
        """Soft assignment q (eq. 9.4): ndarray of shape (n, n_clusters), rows sum to 1."""
        return self._q(self._check_fitted(X))

    def predict(self, X):
        """Hard labels ``argmax q``; ``-1`` where ``max q < min_confidence``."""
        q = self.predict_proba(X)
        labels = q.argmax(1)
        if self.min_confidence:
            labels = np.where(q.max(1) >= self.min_confidence, labels, NOISE)
        return labels

    def fit_predict(self, X, y=None):
        """Fit and return ``labels_``."""
        return self.fit(X, y).labels_

    def transform(self, X):
        """The learned embedding, shape (n, embedding_dim)."""
        return self._embed(self._check_fitted(X))


def _copy_cae(cae):
    new = ConvAutoencoder(**cae.get_params())
    new._build(cae.input_shape_)
    for dst, src in ((new.encoder_, cae.encoder_), (new.decoder_, cae.decoder_)):
        dst.set_weights(src.get_weights())
    new.history_ = dict(cae.history_)
    new.n_epochs_ = cae.n_epochs_
    return new
