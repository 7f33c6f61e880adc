"""Random transformations that keep an image's class: the views of contrastive learning.

A contrastive encoder (:class:`~dimclust.ContrastiveEncoder`) learns to map two random
views of one image close together and views of other images apart; what it becomes blind
to is exactly what these transformations change. They follow SimCLR (Chen et al. 2020,
§3 and appendix A: crops, flips, colour changes) cut down to grey 28×28 images, as the
clustering papers that use them on MNIST and Fashion-MNIST do (DCCS, Zhao et al. 2020;
IIC, Ji et al. 2019), with random erasing (Zhong et al. 2020) in place of colour drops:

``"shift"``
    Translation by up to ``max_shift`` pixels in each direction (zeros come in).
``"crop"``
    A random square of 60–100 % of the side, anywhere in the image, resized back
    (bilinear): a small zoom.
``"flip"``
    Left–right mirror with probability 1/2. Only where the data allow it: a mirrored
    shirt is a shirt, a mirrored 3 is not a digit — so it is off unless asked for.
``"erase"``
    With probability 1/2, one rectangle of 2–25 % of the image set to 0.
``"contrast"``
    ``x' = clip(m + c (x − m) + b, 0, 1)``, ``m`` the image's mean, ``c ∈ [0.6, 1.4]``,
    ``b ∈ [−0.1, 0.1]``.

Everything is NumPy on batches, drawn from a ``numpy.random.Generator`` only, so a seeded
epoch of views can be drawn again exactly (what resuming a training needs). Images keep
their shape and stay in [0, 1].
"""
from __future__ import annotations

import numpy as np

__all__ = ["AUGMENTATIONS", "DEFAULT_AUGMENTATIONS", "augment", "check_augmentations"]

#: Every transformation by name, in the order they are applied.
AUGMENTATIONS = ("crop", "shift", "flip", "erase", "contrast")

#: What a class-keeping view of a digit or a garment may change (no flip: see above).
DEFAULT_AUGMENTATIONS = ("crop", "shift", "erase", "contrast")


def check_augmentations(augmentations):
    """``augmentations`` as a tuple of names in :data:`AUGMENTATIONS`'s order.

    Raises
    ------
    ValueError
        For a name that is not a transformation, listing the valid ones.
    """
    if isinstance(augmentations, str):
        augmentations = (augmentations,)
    names = tuple(augmentations)
    unknown = [a for a in names if a not in AUGMENTATIONS]
    if unknown:
        raise ValueError(f"augmentations has {unknown}; choose among {AUGMENTATIONS}")
    return tuple(a for a in AUGMENTATIONS if a in names)


def _resample(X, scale, top, left):
    """Bilinear resampling of each image ``X[i]`` (h, w, c) from the square that starts at
    (``top[i]``, ``left[i]``) and is ``scale[i]`` times the side; outside pixels are 0."""
    n, h, w, _ = X.shape
    grid = np.arange(h, dtype=np.float32)
    # pixel centres of the output mapped into the input
    r = top[:, None] + (grid[None, :] + 0.5) * scale[:, None] - 0.5      # (n, h)
    c = left[:, None] + (np.arange(w, dtype=np.float32)[None, :] + 0.5) * scale[:, None] - 0.5
    r0, c0 = np.floor(r).astype(int), np.floor(c).astype(int)
    fr, fc = (r - r0)[:, :, None, None], (c - c0)[:, None, :, None]
    padded = np.pad(X, ((0, 0), (1, 1), (1, 1), (0, 0)))       # zeros outside
    rows = np.clip(r0 + 1, 0, h)[:, :, None]                    # +1: the padding
    cols = np.clip(c0 + 1, 0, w)[:, None, :]
    idx = np.arange(n)[:, None, None]

    def at(dr, dc):
        return padded[idx, np.clip(rows + dr, 0, h + 1), np.clip(cols + dc, 0, w + 1)]

    return ((1 - fr) * (1 - fc) * at(0, 0) + (1 - fr) * fc * at(0, 1)
            + fr * (1 - fc) * at(1, 0) + fr * fc * at(1, 1)).astype(X.dtype)


def _shift(X, rng, max_shift):
    n, h, w, _ = X.shape
    dy, dx = rng.integers(-max_shift, max_shift + 1, size=(2, n))
    padded = np.pad(X, ((0, 0), (max_shift,) * 2, (max_shift,) * 2, (0, 0)))
    rows = (max_shift - dy)[:, None] + np.arange(h)[None, :]
    cols = (max_shift - dx)[:, None] + np.arange(w)[None, :]
    return padded[np.arange(n)[:, None, None], rows[:, :, None], cols[:, None, :]]


def _erase(X, rng):
    n, h, w, _ = X.shape
    area = rng.uniform(0.02, 0.25, n) * h * w
    aspect = np.exp(rng.uniform(np.log(0.3), np.log(3.3), n))
    eh = np.clip(np.round(np.sqrt(area * aspect)), 1, h).astype(int)
    ew = np.clip(np.round(np.sqrt(area / aspect)), 1, w).astype(int)
    y0 = (rng.uniform(size=n) * (h - eh + 1)).astype(int)
    x0 = (rng.uniform(size=n) * (w - ew + 1)).astype(int)
    on = rng.uniform(size=n) < 0.5
    ys, xs = np.arange(h)[None, :], np.arange(w)[None, :]
    inside = (((ys >= y0[:, None]) & (ys < (y0 + eh)[:, None]))[:, :, None]
              & ((xs >= x0[:, None]) & (xs < (x0 + ew)[:, None]))[:, None, :]
              & on[:, None, None])
    return np.where(inside[..., None], np.zeros((), X.dtype), X)


def augment(X, rng, augmentations=DEFAULT_AUGMENTATIONS, *, max_shift=3):
    """One random view of each image of ``X``.

    Parameters
    ----------
    X : ndarray of shape (n, height, width, channels), values in [0, 1]
    rng : numpy.random.Generator
        The only source of randomness.
    augmentations : sequence of str, default :data:`DEFAULT_AUGMENTATIONS`
        Names from :data:`AUGMENTATIONS`, applied in that tuple's order.
    max_shift : int, default 3
        Largest translation of ``"shift"``, in pixels.

    Returns
    -------
    ndarray of X's shape and dtype, values in [0, 1]

    Examples
    --------
    >>> X = np.zeros((2, 28, 28, 1), np.float32); X[:, 10:18, 10:18] = 1
    >>> V = augment(X, np.random.default_rng(0))
    >>> V.shape, bool(V.min() >= 0 and V.max() <= 1), bool((V != X).any())
    ((2, 28, 28, 1), True, True)
    """
    names = check_augmentations(augmentations)
    X = np.asarray(X)
    n, h, w, _ = X.shape
    out = X
    for name in names:
        if name == "crop":
            scale = rng.uniform(0.6, 1.0, n).astype(np.float32)
            top = rng.uniform(size=n).astype(np.float32) * (1 - scale) * h
            left = rng.uniform(size=n).astype(np.float32) * (1 - scale) * w
            out = _resample(out, scale, top, left)
        elif name == "shift":
            out = _shift(out, rng, int(max_shift))
        elif name == "flip":
            flip = rng.uniform(size=n) < 0.5
            out = np.where(flip[:, None, None, None], out[:, :, ::-1], out)
        elif name == "erase":
            out = _erase(out, rng)
        elif name == "contrast":
            c = rng.uniform(0.6, 1.4, n).astype(np.float32)[:, None, None, None]
            b = rng.uniform(-0.1, 0.1, n).astype(np.float32)[:, None, None, None]
            m = out.mean(axis=(1, 2, 3), keepdims=True)
            out = np.clip(m + c * (out - m) + b, 0.0, 1.0)
    return np.clip(out, 0.0, 1.0).astype(X.dtype, copy=False)
