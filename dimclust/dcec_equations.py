"""The equations of DCEC (thesis ch. 9), written once for NumPy and for ``keras.ops``.

Each function takes ``xp``, the array module: ``numpy`` (the default) or ``keras.ops``,
whose functions used here have NumPy's names and signatures. The Keras layer and loss in
:mod:`dimclust.dcec_keras` call these same functions, so the training loss and the values
logged from NumPy cannot drift apart.
"""
from __future__ import annotations

import numpy as np

__all__ = ["soft_assignment", "target_distribution", "kl_divergence", "EPS"]

#: Floor of p and q inside the logarithm of the KL divergence.
EPS = 1e-7


def soft_assignment(Z, centers, alpha=1.0, xp=np):
    """Student-t soft assignment q_ij (thesis eq. 9.4).

    ``q_ij ∝ (1 + ‖z_i − μ_j‖² / α)^(−(α+1)/2)``, each row normalised to sum to one.

    Parameters
    ----------
    Z : array, shape (n, d)
    centers : array, shape (k, d)
    alpha : float, default 1.0
        Degrees of freedom of the Student-t kernel.
    xp : module, default numpy
        ``numpy`` or ``keras.ops``.

    Returns
    -------
    array, shape (n, k)
    """
    d2 = xp.sum(xp.square(xp.expand_dims(Z, 1) - centers), axis=2)
    q = xp.power(1.0 + d2 / alpha, -(alpha + 1.0) / 2.0)
    return q / xp.sum(q, axis=1, keepdims=True)


def target_distribution(q):
    """Target p_ij = (q_ij² / f_j) / Σ_j' (q_ij'² / f_j'), f_j = Σ_i q_ij (thesis eq. 9.6).

    Computed in NumPy on all training images at each target update.
    """
    w = q ** 2 / q.sum(0)
    return w / w.sum(1, keepdims=True)


def kl_divergence(p, q, xp=np):
    """Clustering loss KL(P‖Q) (thesis eq. 9.5), summed over clusters, averaged over points.

    ``mean_i Σ_j p_ij log(p_ij / q_ij)``, with p and q floored at :data:`EPS`.
    """
    return xp.mean(xp.sum(p * xp.log(xp.maximum(p, EPS) / xp.maximum(q, EPS)), axis=1))
