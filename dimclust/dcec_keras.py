"""Keras pieces of the autoencoders and of DCEC (thesis ch. 6 and 9).

This module imports Keras; :mod:`dimclust` imports it only when a network is built, so
``import dimclust`` stays light. Only ``keras.ops`` is used, so every backend runs it.
"""
from __future__ import annotations

import keras
import numpy as np
from keras import ops

from .dcec_equations import kl_divergence, soft_assignment

__all__ = ["ClusteringLayer", "DCECNet", "NaNGuard"]


@keras.saving.register_keras_serializable(package="dimclust")
class ClusteringLayer(keras.layers.Layer):
    """Cluster centres as weights; outputs the soft assignment q (thesis eq. 9.4).

    Parameters
    ----------
    n_clusters : int
    alpha : float, default 1.0
        Degrees of freedom of the Student-t kernel.
    """

    def __init__(self, n_clusters, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.n_clusters = int(n_clusters)
        self.alpha = float(alpha)

    def build(self, input_shape):
        self.clusters = self.add_weight(shape=(self.n_clusters, input_shape[-1]),
                                        initializer="glorot_uniform", name="clusters")

    def call(self, z):
        return soft_assignment(z, self.clusters, self.alpha, xp=ops)

    def get_config(self):
        return {**super().get_config(), "n_clusters": self.n_clusters, "alpha": self.alpha}


class DCECNet(keras.Model):
    """Encoder → (decoder, clustering layer), trained on L = L_rec + γ·KL(P‖Q) (thesis eq. 9.3).

    ``L_rec`` is the mean squared error over pixels and images of the batch, the KL term
    is :func:`~dimclust.dcec_equations.kl_divergence` (batch mean); ``fit`` takes targets
    ``(images, p)``.
    """

    def __init__(self, encoder, decoder, n_clusters, alpha=1.0, gamma=0.1, **kwargs):
        super().__init__(**kwargs)
        self.encoder, self.decoder = encoder, decoder
        self.clustering = ClusteringLayer(n_clusters, alpha, name="clustering")
        self.gamma = float(gamma)
        self.trackers = {name: keras.metrics.Mean(name=name)
                         for name in ("loss", "reconstruction", "clustering")}

    def call(self, x):
        z = self.encoder(x)
        return self.decoder(z), self.clustering(z)

    def loss_terms(self, x_target, p, recon, q):
        """``(L, L_rec, KL)`` for a batch."""
        rec = ops.mean(ops.square(x_target - recon))
        kl = kl_divergence(p, q, xp=ops)
        return rec + self.gamma * kl, rec, kl

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        terms = self.loss_terms(*y, *y_pred)
        for tracker, value in zip(self.trackers.values(), terms):
            tracker.update_state(value)
        return terms[0]

    @property
    def metrics(self):
        return list(self.trackers.values())

    def get_config(self):
        return {**super().get_config(), "n_clusters": self.clustering.n_clusters,
                "alpha": self.clustering.alpha, "gamma": self.gamma}


class NaNGuard(keras.callbacks.Callback):
    """Stop at the first non-finite batch loss, naming the iteration and the loss terms."""

    def __init__(self, first_iteration):
        super().__init__()
        self.first = first_iteration

    def on_train_batch_end(self, batch, logs=None):
        logs = logs or {}
        if not np.isfinite(float(logs.get("loss", 0.0))):
            raise FloatingPointError(
                f"DCEC loss became non-finite by iteration {self.first + batch}: "
                f"reconstruction={float(logs.get('reconstruction', np.nan))}, "
                f"clustering={float(logs.get('clustering', np.nan))}; lower the learning "
                "rate or gamma, or check the input scaling")
