"""The contrastive loss NT-Xent (SimCLR, Chen et al. 2020, eq. 1), once for NumPy and for
``keras.ops``.

As :mod:`dimclust.dcec_equations`, the function takes ``xp``, the array module: the Keras
network of :class:`~dimclust.ContrastiveEncoder` trains on the ``keras.ops`` version and
the tests compare the NumPy one with a loss computed by hand.
"""
from __future__ import annotations

import numpy as np

__all__ = ["nt_xent"]


def _normalise(z, xp):
    return z / xp.sqrt(xp.sum(xp.square(z), axis=1, keepdims=True) + 1e-12)


def nt_xent(z1, z2, temperature=0.5, xp=np):
    """Normalised-temperature cross-entropy of two batches of views (SimCLR eq. 1).

    Row ``i`` of ``z1`` and of ``z2`` are two views of one image. With ``u`` the 2N rows
    of both, each scaled to unit length, and ``s_ij = u_i · u_j / τ``, the loss of view
    ``i`` whose partner is ``j(i)`` is

        ℓ_i = −log( exp(s_i,j(i)) / Σ_{k ≠ i} exp(s_ik) ),

    and the loss is the mean of ℓ over all 2N views: each view must pick its partner out
    of the 2N − 1 others.

    Parameters
    ----------
    z1, z2 : array of shape (N, d)
    temperature : float, default 0.5
        τ; SimCLR's value for batches of a few hundred.
    xp : module, default numpy
        ``numpy`` or ``keras.ops``.

    Returns
    -------
    scalar array

    Examples
    --------
    Two views that agree exactly and are orthogonal to the other image's:

    >>> z = np.eye(2)
    >>> round(float(nt_xent(z, z, temperature=1.0)), 4)   # log(1 + 2/e)
    0.5514
    """
    u = _normalise(xp.concatenate([z1, z2], axis=0), xp)
    n = xp.shape(z1)[0]          # a tensor while TensorFlow traces an unknown batch
    s = xp.matmul(u, xp.transpose(u)) / temperature
    s = s - 1e9 * xp.eye(2 * n, dtype=s.dtype)              # a view is not its own partner
    m = xp.max(s, axis=1, keepdims=True)
    lse = xp.squeeze(m, axis=1) + xp.log(xp.sum(xp.exp(s - m), axis=1))
    pos = xp.sum(u[:n] * u[n:], axis=1) / temperature
    return xp.mean(lse - xp.concatenate([pos, pos], axis=0))
