"""Convolutional autoencoders as scikit-learn transformers (thesis §6.5 and §11.1.2).

The networks — Guo et al.'s CAE (``"guo"``), the thesis's own (``"thesis"``) and the
Keras blog's (``"keras_blog"``) — are described and built in
:mod:`dimclust.architectures`; this module trains them.

Only ``keras.layers``, ``keras.ops`` and ``keras.random`` are used, so the same code runs
on TensorFlow (the CPU default here) and, with ``KERAS_BACKEND=jax``, on a GPU.
"""
from __future__ import annotations

import logging
import os

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from ._training import (
    StoredState,
    divisor_at_most,
    remembered_fit,
    resumable_early_stopping,
    shuffled_batches,
)
from ._validation import Interval, Options, check_images, check_random_state, validate_params
from .architectures import ARCHITECTURES, build_cae, check_shape
from .progress import epoch_bar, predict
from .store import as_store

__all__ = ["ConvAutoencoder", "build_cae", "ARCHITECTURES"]

log = logging.getLogger(__name__)

# TensorFlow's C++ start-up chatter hides the training progress; warnings still show.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

def _fewest_images(validation_split):
    """The fewest images a ``validation_split`` leaves one to validate and one to train on."""
    return next(n for n in range(2, 10_000) if 1 <= round(validation_split * n) < n)


class ConvAutoencoder(StoredState, TransformerMixin, BaseEstimator):
    """A convolutional autoencoder as a scikit-learn transformer (thesis §6.5, §11.1.2).

    Parameters
    ----------
    architecture : {"guo", "thesis", "keras_blog", "dec"}, default "guo"
        The network (:mod:`dimclust.architectures`): Guo et al.'s CAE of DCEC, the
        thesis's own 20,553-parameter CAE, the Keras blog's with a dense code, or DEC's
        fully connected autoencoder that N2D uses (not convolutional).
    embedding_dim : int, default 10
        Size of the bottleneck: 2 for views, 10 or 30 for clustering, 128 as UMAP input.
    loss : {"auto", "mse", "bce"}, default "auto"
        Reconstruction loss; ``"auto"`` is MSE for ``"guo"`` (as DCEC) and ``"dec"`` (as
        N2D) and binary cross-entropy for the other two (as the thesis).
    epochs : int, default 200
    batch_size : int, default 256
    learning_rate : float, default 1e-3
        Adam's step size.
    patience : int, default 10
        Early stopping: stop after this many epochs without a lower validation loss (the
        thesis's rule, appendix §7). ``None`` trains all ``epochs``.
    restore_best_weights : bool, default True
        After early stopping, go back to the weights of the best epoch. The thesis's code
        kept the last weights (Keras's default, ``False``), ``patience`` epochs past the best.
    validation_split : float, default 0.1
        Share of the images held out, at random, to track overfitting (§13.1.2 f). Not
        used when :meth:`fit` is given ``validation_data``.
    steps_per_execution : int, default 1
        Batches per compiled call, at most: the largest divisor of the batches per epoch
        not above it is used, so the result is the same; larger is faster on a GPU.
    memory : str, path or :class:`~dimclust.store.Store`, optional
        Where trained autoencoders are remembered, keyed by the images, every parameter
        that changes the result, and the package versions. With an integer
        ``random_state``, training also checkpoints there at the end of every epoch
        (:class:`~dimclust.checkpoint.EpochCheckpoint`: weights, optimizer state, epoch,
        history, early stopping's state): a run killed at any moment and fitted again
        resumes after its last whole epoch and ends with exactly the weights of an
        uninterrupted run. The checkpoint is deleted once the autoencoder is stored.
    random_state : int, Generator or None, default None
        Seeds weights, the split and shuffling; seeded CPU runs are reproducible.
    verbose : int, default 1
        0 silent, 1 one bar over the epochs (elapsed time, time left, loss), 2 one line
        per epoch.

    Attributes
    ----------
    encoder_, decoder_, autoencoder_ : keras.Model
    history_ : dict
        ``{"loss": [...], "val_loss": [...]}``, one value per epoch.
    input_shape_ : tuple
    loss_ : str
        The reconstruction loss used, ``"mse"`` or ``"bce"``.
    n_epochs_ : int
        Epochs actually trained.
    earlier_seconds_ : float
        Seconds of training that earlier, interrupted legs of this fit took (``0.0`` when
        it ran in one go; set by a fit that trained): a pipeline adds them to the stage's
        time, so a resumed run's record counts the whole training.
    """

    _networks = (("enc", "encoder_"), ("dec", "decoder_"))      # the stored weights

    _constraints = {
        "architecture": Options(*ARCHITECTURES),
        "embedding_dim": Interval(int, 1),
        "loss": Options("auto", "mse", "bce"),
        "epochs": Interval(int, 0),
        "batch_size": Interval(int, 1),
        "learning_rate": Interval(float, 0, open_low=True),
        "patience": Interval(int, 1, none=True),
        "restore_best_weights": Options(True, False),
        "validation_split": Interval(float, 0, 0.99),
        "steps_per_execution": Interval(int, 1),
        "verbose": Interval(int, 0),
    }

    #: ``memory=`` takes a :class:`~dimclust.store.Store` (pipelines pass theirs on).
    remembers_in_store = True

    def __init__(self, architecture="guo", embedding_dim=10, *, loss="auto", epochs=200,
                 batch_size=256, learning_rate=1e-3, patience=10, restore_best_weights=True,
                 validation_split=0.1, steps_per_execution=1, memory=None, random_state=None, verbose=1):
        self.architecture = architecture
        self.embedding_dim = embedding_dim
        self.loss = loss
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.patience = patience
        self.restore_best_weights = restore_best_weights
        self.validation_split = validation_split
        self.steps_per_execution = steps_per_execution
        self.memory = memory
        self.random_state = random_state
        self.verbose = verbose

    def _build(self, input_shape, rng=None, steps_per_execution=1):
        import keras  # noqa: PLC0415
        loss = self.loss if self.loss != "auto" else (
            "mse" if self.architecture in ("guo", "dec") else "bce")
        check_shape(self.architecture, input_shape)
        self.encoder_, self.decoder_ = build_cae(self.architecture, input_shape,
                                                 self.embedding_dim,
                                                 "sigmoid" if loss == "bce" else None, seed=rng)
        inp = keras.Input(shape=input_shape)
        self.autoencoder_ = keras.Model(inp, self.decoder_(self.encoder_(inp)), name="cae")
        self.autoencoder_.compile(
            optimizer=keras.optimizers.Adam(self.learning_rate),
            loss="mse" if loss == "mse" else "binary_crossentropy",
            steps_per_execution=steps_per_execution)
        self.input_shape_ = tuple(int(d) for d in input_shape)
        self.loss_ = loss

    def fit(self, X, y=None, *, validation_data=None):
        """Train on images ``X`` of shape (n, h, w, c) in [0, 1]; returns ``self``.

        Parameters
        ----------
        X : ndarray of shape (n_samples, height, width, channels)
        y : ignored
        validation_data : ndarray of shape (n_val, height, width, channels), optional
            Images that early stopping watches instead of a random ``validation_split``
            of ``X``: the thesis trained on the 60,000 training images and watched the
            10,000 test images (appendix §7).

        Weights, the held-out split and the batch order are drawn from ``random_state``
        alone; the caller's global NumPy and Keras random state is left untouched. With
        ``memory``, an autoencoder trained before on the same images with the same
        parameters and integer seed is loaded instead.
        """
        validate_params(self)
        X = check_images(X)
        if validation_data is not None:
            validation_data = check_images(validation_data, name="validation_data")
            if validation_data.shape[1:] != X.shape[1:]:
                raise ValueError(f"validation_data has images of shape "
                                 f"{validation_data.shape[1:]}, X has {X.shape[1:]}; pass "
                                 f"images of the same shape")
        if validation_data is None and self.validation_split > 0:
            n_val = int(round(self.validation_split * len(X)))
            if not 1 <= n_val < len(X):
                raise ValueError(
                    f"validation_split={self.validation_split} of n_samples={len(X)} leaves "
                    f"{n_val} image(s) to validate on and {len(X) - n_val} to train on; it "
                    f"needs at least one of each: pass at least "
                    f"{_fewest_images(self.validation_split)} images, or "
                    f"validation_split=0.0")
        store = as_store(self.memory)
        if store is None or not isinstance(self.random_state, int):
            return self._fit(X, validation_data)
        params = self.result_params()
        parts = [X, params] if validation_data is None else [X, params, validation_data]
        return remembered_fit(self, store, "cae", parts,
                              lambda ckpt: self._fit(X, validation_data, ckpt),
                              ("encoder_", "decoder_", "autoencoder_", "input_shape_", "loss_",
                               "history_", "n_epochs_"))

    def result_params(self):
        """The parameters that change the trained network: its store key (not ``memory``,
        ``verbose`` or ``steps_per_execution``)."""
        return {k: v for k, v in self.get_params().items()
                if k not in ("memory", "verbose", "steps_per_execution")}

    def _fit(self, X, validation_data=None, ckpt=None):
        rng = check_random_state(self.random_state)
        n_val = 0 if validation_data is not None else int(round(self.validation_split * len(X)))
        steps = -(-(len(X) - n_val) // self.batch_size)
        self._build(X.shape[1:], None if self.random_state is None else rng,
                    divisor_at_most(steps, int(self.steps_per_execution)))
        idx = rng.permutation(len(X))
        val = (X[idx[:n_val]],) * 2 if n_val else None
        if validation_data is not None:
            val = (validation_data, validation_data)
        train = X[np.sort(idx[n_val:])]
        early = None
        if self.patience is not None:
            early = resumable_early_stopping(
                monitor="val_loss" if val else "loss", patience=self.patience,
                restore_best_weights=bool(self.restore_best_weights))
        done = ckpt.load(self.autoencoder_) if ckpt is not None else None
        start, history = (0, {}) if done is None else (done["epoch"], done["history"])
        self.earlier_seconds_ = 0.0 if done is None else done["seconds"]
        if early is not None and done is not None and done["early"] is not None:
            early.resume_from = done["early"]
        callbacks = [early] if early is not None else []
        if ckpt is not None:
            callbacks.append(ckpt.callback(history, early))
        if self.verbose == 1:
            callbacks.append(epoch_bar(self.epochs, start, desc=f"{self.architecture} CAE"))
        log.info("training %s CAE (%d parameters) on %d images, %d watched for early stopping%s",
                 self.architecture, self.autoencoder_.count_params(), len(train),
                 0 if val is None else len(val[0]),
                 f"; resuming after epoch {start}" if start else "")
        if done is not None and done["stopped"]:
            # early stopping had ended the run; only its ending is left to do
            if early is not None and early.restore_best_weights and done["early"]["best_weights"]:
                self.autoencoder_.set_weights(done["early"]["best_weights"])
        else:
            h = self.autoencoder_.fit(shuffled_batches(train, self.batch_size, rng, skip=start),
                                      steps_per_epoch=steps, initial_epoch=start,
                                      epochs=self.epochs, validation_data=val, shuffle=False,
                                      callbacks=callbacks, verbose=2 if self.verbose == 2 else 0)
            if ckpt is None:
                history = h.history
        return self._keep_history(history)

    def transform(self, X):
        """Embed images: ndarray of shape (n, embedding_dim)."""
        X = self._checked_images(X)
        return np.asarray(predict(self.encoder_, X))

    def reconstruct(self, X):
        """Decode the embedding of ``X``: images of the input's shape."""
        X = self._checked_images(X)
        return np.asarray(predict(self.autoencoder_, X))
