"""What the resumable Keras trainings of dimclust share (:class:`~dimclust.ConvAutoencoder`,
:class:`~dimclust.ContrastiveEncoder`).

A long training here is remembered in the result store and checkpointed there after every
epoch (:func:`remembered_fit`); a fitted estimator saves, loads and copies itself through
one ``(meta, arrays)`` state (:class:`StoredState`). What makes a resumed run end with the
weights of an uninterrupted one: batches drawn from the estimator's own generator, epoch
by epoch (:func:`shuffled_batches`), early stopping that restarts from its saved state
(:func:`resumable_early_stopping`), and compiled executions that divide an epoch
(:func:`divisor_at_most`).
"""
from __future__ import annotations

import logging

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._validation import check_images
from .checkpoint import EpochCheckpoint
from .store import read_npz, write_npz

__all__ = ["shuffled_batches", "resumable_early_stopping", "divisor_at_most", "StoredState",
           "remembered_fit"]

log = logging.getLogger(__name__)


def shuffled_batches(X, batch_size, rng, skip=0):
    """Endless ``(x, x)`` batches, each epoch in a new order drawn from ``rng``.

    Shuffling here, from the estimator's own generator (and in sequence, however far
    Keras reads ahead), makes a seeded fit reproducible without seeding Keras's or NumPy's
    global random state. ``skip`` epochs' orders are drawn and thrown away first: a run
    resumed after ``skip`` epochs sees the batches the uninterrupted run would have seen.
    """
    for _ in range(skip):
        rng.permutation(len(X))
    while True:
        order = rng.permutation(len(X))
        for i in range(0, len(X), batch_size):
            x = X[np.sort(order[i:i + batch_size])]
            yield x, x


def resumable_early_stopping(**kwargs):
    """Keras's ``EarlyStopping`` that can start from a checkpoint's state
    (``resume_from``: ``wait``, ``best``, ``best_epoch``, ``stopped_epoch``,
    ``best_weights``) instead of from scratch."""
    import keras  # noqa: PLC0415

    class _EarlyStopping(keras.callbacks.EarlyStopping):
        resume_from = None

        def on_train_begin(self, logs=None):
            super().on_train_begin(logs)
            for k, v in (self.resume_from or {}).items():
                setattr(self, k, v)

    return _EarlyStopping(**kwargs)


def divisor_at_most(steps, k):
    """The largest divisor of ``steps`` not above ``k``.

    Keras runs whole executions of ``steps_per_execution`` batches, so one that does not
    divide the batches of an epoch would add batches to it and change the result.
    """
    return max(d for d in range(1, min(k, steps) + 1) if steps % d == 0)


class StoredState:
    """A fitted Keras estimator's state as ``(meta, arrays)`` — its parameters, input shape
    and loss history; the weights of its networks — and the save, load and copy built on it.

    A subclass names its networks in ``_networks`` (``(prefix, attribute)`` pairs: the
    weights of ``attribute`` are stored as ``<prefix>0``, ``<prefix>1``, ...) and builds
    them for an input shape in ``_build(input_shape)``.
    """

    _networks = ()

    def _stored_params(self):
        """The parameters as stored: without ``memory``; a Generator seed as ``None``."""
        params = {k: v for k, v in self.get_params().items() if k != "memory"}
        if not isinstance(params["random_state"], (int, type(None))):
            params["random_state"] = None       # a Generator cannot be stored
        return params

    @classmethod
    def _params_from_store(cls, params):
        """The constructor's keyword arguments from the stored parameters."""
        return dict(params)

    def state(self):
        """``(meta, arrays)``: parameters, input shape, history and weights (no optimizer)."""
        check_is_fitted(self, self._networks[0][1])
        arrays = {f"{prefix}{i}": np.asarray(w) for prefix, name in self._networks
                  for i, w in enumerate(getattr(self, name).get_weights())}
        return {"params": self._stored_params(), "input_shape": list(self.input_shape_),
                "history": self.history_}, arrays

    @classmethod
    def from_state(cls, meta, arrays):
        """A fitted estimator from what :meth:`state` returned."""
        est = cls(**cls._params_from_store(meta["params"]))
        est._build(tuple(meta["input_shape"]))
        for prefix, name in cls._networks:
            net = getattr(est, name)
            net.set_weights([arrays[f"{prefix}{i}"] for i in range(len(net.weights))])
        return est._keep_history(meta["history"])

    def _keep_history(self, history):
        """Keep a training's loss history (``{name: [value per epoch]}``) as ``history_``
        and the epochs it ran as ``n_epochs_``; returns ``self``."""
        self.history_ = {k: [float(v) for v in vs] for k, vs in history.items()}
        self.n_epochs_ = len(self.history_.get("loss", []))
        return self

    def _checked_images(self, X):
        """``X`` checked as images of the shape this fitted estimator was trained on."""
        check_is_fitted(self, self._networks[0][1])
        X = check_images(X)
        if X.shape[1:] != self.input_shape_:
            raise ValueError(f"X has images of shape {X.shape[1:]}, but the "
                             f"{type(self).__name__} was fitted on {self.input_shape_}")
        return X

    def copy(self):
        """An independent fitted copy: same weights, training one leaves the other as it was."""
        return type(self).from_state(*self.state())

    def save(self, path):
        """Save to the file ``path`` (``.npz``); returns the path."""
        return write_npz(path, *self.state())

    @classmethod
    def load(cls, path):
        """Load a fitted estimator saved with :meth:`save`."""
        return cls.from_state(*read_npz(path))


def remembered_fit(est, store, kind, parts, fit, attributes):
    """Fit ``est`` through ``store``: load what it remembers under ``kind`` and ``parts``
    (the images and every setting that changes the result), or train with an
    :class:`~dimclust.checkpoint.EpochCheckpoint` in the store — ``fit(ckpt)`` must train
    ``est`` and return it — resuming a run that was killed; returns ``est``.

    The checkpoint is deleted once the trained estimator is stored. When it was loaded,
    ``attributes`` (the fitted state) are copied onto ``est``.
    """
    key = store.key(kind, *parts)
    ckpt = EpochCheckpoint(store.path(f"{kind}-checkpoint", key), settings=key)
    cls = type(est)
    fitted = store.cached(kind, parts, lambda: fit(ckpt), dump=cls.state, load=cls.from_state)
    ckpt.clear()
    if fitted is not est:
        log.info("%s loaded from %s", cls.__name__, store)
        for name in attributes:
            setattr(est, name, getattr(fitted, name))
    return est
