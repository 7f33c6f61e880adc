"""The pieces of DCEC's model (thesis ch. 9): soft assignment, target distribution, and
the Keras layer, model and callback built on them.

The Keras classes are made on first use (:func:`keras_parts`), so that importing
:mod:`dimclust` does not import Keras.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["soft_assignment", "target_distribution", "keras_parts"]


def soft_assignment(Z, centers, alpha=1.0):
    """Student-t soft assignment q_ij (thesis eq. 9.4), in NumPy.

    ``q_ij ∝ (1 + ‖z_i − μ_j‖² / α)^(−(α+1)/2)``, each row normalised to sum to one.

    Parameters
    ----------
    Z : ndarray, shape (n, d)
    centers : ndarray, shape (k, d)
    alpha : float, default 1.0
        Degrees of freedom of the Student-t kernel.

    Returns
    -------
    ndarray, shape (n, k)
    """
    d2 = ((Z[:, None, :] - centers[None, :, :]) ** 2).sum(-1)
    q = (1.0 + d2 / alpha) ** (-(alpha + 1.0) / 2.0)
    return q / q.sum(1, keepdims=True)


def target_distribution(q):
    """Target p_ij = (q_ij² / f_j) / Σ_j' (q_ij'² / f_j'), f_j = Σ_i q_ij (thesis eq. 9.6)."""
    w = q ** 2 / q.sum(0)
    return w / w.sum(1, keepdims=True)


@lru_cache(maxsize=None)
def keras_parts():
    """Keras classes, built on first use so that importing dimclust does not import Keras."""
    import keras  # noqa: PLC0415
    from keras import ops  # noqa: PLC0415

    @keras.saving.register_keras_serializable(package="dimclust")
    class ClusteringLayer(keras.layers.Layer):
        """Cluster centres as weights; outputs the soft assignment q (thesis eq. 9.4)."""

        def __init__(self, n_clusters, alpha=1.0, **kwargs):
            super().__init__(**kwargs)
            self.n_clusters = int(n_clusters)
            self.alpha = float(alpha)

        def build(self, input_shape):
            self.clusters = self.add_weight(shape=(self.n_clusters, input_shape[-1]),
                                            initializer="glorot_uniform", name="clusters")

        def call(self, z):
            d2 = ops.sum(ops.square(ops.expand_dims(z, 1) - self.clusters), axis=2)
            q = ops.power(1.0 + d2 / self.alpha, -(self.alpha + 1.0) / 2.0)
            return q / ops.sum(q, axis=1, keepdims=True)

        def get_config(self):
            return {**super().get_config(), "n_clusters": self.n_clusters, "alpha": self.alpha}

    class DCECNet(keras.Model):
        """Encoder → (decoder, clustering layer); loss L_rec + γ·KL(P‖Q) in compute_loss."""

        def __init__(self, encoder, decoder, n_clusters, alpha, gamma, **kwargs):
            super().__init__(**kwargs)
            self.encoder, self.decoder = encoder, decoder
            self.clustering = ClusteringLayer(n_clusters, alpha, name="clustering")
            self.gamma = float(gamma)
            self.loss_tracker = keras.metrics.Mean(name="loss")
            self.rec_tracker = keras.metrics.Mean(name="reconstruction")
            self.kl_tracker = keras.metrics.Mean(name="clustering")

        def call(self, x):
            z = self.encoder(x)
            return self.decoder(z), self.clustering(z)

        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
            x_target, p = y
            recon, q = y_pred
            rec = ops.mean(ops.square(x_target - recon))
            eps = 1e-7
            kl = ops.mean(ops.sum(p * ops.log(ops.maximum(p, eps) / ops.maximum(q, eps)), axis=1))
            loss = rec + self.gamma * kl
            self.loss_tracker.update_state(loss)
            self.rec_tracker.update_state(rec)
            self.kl_tracker.update_state(kl)
            return loss

        @property
        def metrics(self):
            return [self.loss_tracker, self.rec_tracker, self.kl_tracker]

    class NaNGuard(keras.callbacks.Callback):
        """Stop at the first non-finite batch loss, naming the iteration and the terms."""

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

    return keras, ClusteringLayer, DCECNet, NaNGuard
