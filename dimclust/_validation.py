"""Input checks shared by every estimator and metric.

Each check raises an error that names the bad value and says how to fix it.
"""
from __future__ import annotations

import numbers

import numpy as np

__all__ = ["check_features", "check_images", "check_labels", "check_random_state",
           "seed_int", "check_n_clusters", "Interval", "Options", "validate_params"]


def check_features(X, *, name="X", allow_images=True, dtype=np.float32):
    """Return ``X`` as a finite 2-D float array of shape ``(n_samples, n_features)``.

    Image stacks ``(n, h, w, c)`` are flattened when ``allow_images`` is true.
    """
    X = _numeric(X, name)
    if X.ndim > 2 and allow_images:
        X = X.reshape(X.shape[0], int(np.prod(X.shape[1:])))
    if X.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (n_samples, n_features), got shape {X.shape}. Reshape your "
            "data either using X.reshape(-1, 1) if it has a single feature or "
            "X.reshape(1, -1) if it is a single sample")
    if X.shape[0] < 1 or X.shape[1] < 1:
        what = "sample(s)" if X.shape[0] < 1 else "feature(s)"
        raise ValueError(f"{name} has 0 {what} (shape={X.shape}) while a minimum of 1 is "
                         "required.")
    X = np.asarray(X, dtype=dtype)
    _check_finite(X, name)
    return X


def check_images(X, *, name="X"):
    """Return ``X`` as a finite float32 image stack ``(n, height, width, channels)`` in [0, 1].

    Integer images (0–255) and values outside [0, 1] are refused with the rescaling to use:
    the autoencoders end in a sigmoid, and the thesis's CAE trains on cross-entropy, which
    means nothing outside [0, 1].

    A 3-D stack ``(n, h, w)`` gets a channel axis; flat input is rejected because
    the image shape cannot be guessed.
    """
    X = _numeric(X, name)
    if X.ndim == 3:
        X = X[..., None]
    if X.ndim != 4:
        raise ValueError(
            f"{name} must be an image stack (n, height, width, channels), got shape {X.shape}; "
            "load with dimclust.datasets.load(..., flatten=False)")
    if X.size == 0:
        raise ValueError(f"{name} has no pixels (shape={X.shape}); pass at least one image "
                         "of at least one pixel")
    if X.dtype.kind in "iu":
        raise ValueError(
            f"{name} has integer dtype {X.dtype} (values {X.min()} to {X.max()}); the "
            "autoencoders expect floats in [0, 1]: pass X / 255.0 for 8-bit images")
    X = np.asarray(X, dtype=np.float32)
    _check_finite(X, name)
    lo, hi = float(X.min()), float(X.max())
    if lo < 0 or hi > 1:
        raise ValueError(
            f"{name} has values in [{lo:.4g}, {hi:.4g}], outside [0, 1] where the "
            "autoencoders' sigmoid output and cross-entropy loss live; rescale it (X / 255.0 "
            "for 8-bit images, or (X - X.min()) / (X.max() - X.min()))")
    return X


def _numeric(X, name):
    if hasattr(X, "toarray") or type(X).__module__.startswith("scipy.sparse"):
        raise TypeError(f"{name} is a sparse matrix; sparse data are not supported, "
                        "pass X.toarray()")
    X = np.asarray(X)
    if X.dtype.kind == "c":
        raise ValueError(f"{name} has dtype {X.dtype}: Complex data not supported")
    if X.dtype.kind == "O":
        try:
            X = X.astype(np.float64)
        except (TypeError, ValueError) as e:
            raise TypeError(f"{name} must be numeric, got dtype object ({e})") from e
    if X.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be numeric, got dtype {X.dtype}")
    return X


def _check_finite(X, name):
    if not np.isfinite(X).all():
        bad = np.argwhere(~np.isfinite(X.reshape(len(X), -1)))[0, 0]
        raise ValueError(f"{name} contains NaN or infinity (first in sample {bad}); "
                         "remove or impute those samples first")


def check_labels(y, *, name="y"):
    """Return ``y`` as a 1-D integer array; floats are accepted only when integral."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {y.shape}; use y.ravel()")
    if y.dtype.kind in "iu" or y.dtype == bool:
        return y.astype(np.int64)
    if y.dtype.kind == "f":
        if not np.isfinite(y).all() or not np.all(y == np.round(y)):
            bad = y[~(np.isfinite(y) & (y == np.round(y)))][0]
            raise ValueError(f"{name} must hold integer labels, found {bad.item()!r}")
        return y.astype(np.int64)
    raise ValueError(f"{name} must hold integer labels, got dtype {y.dtype}")


def check_random_state(random_state):
    """Turn ``None``, an int, a ``Generator`` or a ``RandomState`` into a ``Generator``.

    A ``Generator`` is used as it is (and advanced by whoever draws from it).
    """
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(2**31 - 1))
    if random_state is None or isinstance(random_state, numbers.Integral):
        return np.random.default_rng(random_state)
    raise ValueError(f"random_state={random_state!r}; pass None, an int or a "
                     "numpy.random.Generator")


def seed_int(random_state):
    """An integer seed for libraries that take no ``Generator`` (scikit-learn, umap, Keras).

    ``None`` and ints pass through unchanged (so a seed means the same everywhere); a
    ``Generator`` or ``RandomState`` gives one draw.
    """
    if random_state is None or isinstance(random_state, numbers.Integral):
        return None if random_state is None else int(random_state)
    return int(check_random_state(random_state).integers(2**31 - 1))


class Interval:
    """Numbers (``kind`` int or real) in ``[low, high]``; ``open_low`` excludes ``low``."""

    def __init__(self, kind, low=None, high=None, *, open_low=False, none=False):
        self.kind, self.low, self.high, self.open_low, self.none = kind, low, high, open_low, none

    def __call__(self, v):
        if v is None:
            return self.none
        types = numbers.Integral if self.kind is int else numbers.Real
        if isinstance(v, bool) or not isinstance(v, types) or not np.isfinite(v):
            return False
        if self.low is not None and (v <= self.low if self.open_low else v < self.low):
            return False
        return self.high is None or v <= self.high

    def __str__(self):
        what = "an integer" if self.kind is int else "a finite number"
        lo = "" if self.low is None else f"{'>' if self.open_low else '>='} {self.low}"
        hi = "" if self.high is None else f"<= {self.high}"
        rng = " and ".join(x for x in (lo, hi) if x)
        return f"{what}{' ' + rng if rng else ''}{' or None' if self.none else ''}"


class Options:
    """One of the given values."""

    def __init__(self, *values):
        self.values = values

    def __call__(self, v):
        return any(v == o and type(v) is type(o) for o in self.values)

    def __str__(self):
        return "one of " + ", ".join(repr(v) for v in self.values)


def validate_params(est):
    """Check ``est``'s parameters against its class's ``_constraints`` (called in ``fit``).

    Raises
    ------
    ValueError
        Naming the parameter, the bad value and what it must be.
    """
    params = est.get_params(deep=False)
    for name, constraint in type(est)._constraints.items():
        if not constraint(params[name]):
            raise ValueError(f"{name}={params[name]!r} must be {constraint} "
                             f"({type(est).__name__})")


def check_n_clusters(n_clusters, n_samples):
    """Validate a requested number of clusters against the data size."""
    if not isinstance(n_clusters, numbers.Integral) or n_clusters < 1:
        raise ValueError(f"n_clusters={n_clusters!r} must be a positive integer")
    if n_clusters > n_samples:
        raise ValueError(f"n_clusters={n_clusters} > n_samples={n_samples}; "
                         "use fewer clusters or more data")
    return int(n_clusters)
