"""Convolutional autoencoders in Keras 3 (thesis §6.5 and §11.1.2).

Two architectures:

``"guo"``
    The CAE of DCEC (Guo et al. 2017; thesis fig. 11.12): three strided convolutions
    32-64-128, a dense embedding, and the mirrored transposed convolutions. For 28×28×1 and
    a 10-D embedding it has 275,979 parameters.
``"thesis"``
    The thesis's own CAE (figs. 11.5–11.6): Conv16–MaxPool–Conv8–MaxPool–Conv8–MaxPool,
    a dense embedding, Dense(128) reshaped to 4×4×8, and convolutions with up-sampling
    back to the image; sigmoid output and binary cross-entropy.

Only ``keras.layers``, ``keras.ops`` and ``keras.random`` are used, so the same code runs
on TensorFlow (the CPU default here) and, with ``KERAS_BACKEND=jax``, on a GPU.
"""
from __future__ import annotations

import json
import logging
import numbers
import os
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from ._validation import check_images, check_random_state

__all__ = ["ConvAutoencoder", "build_cae", "ARCHITECTURES"]

log = logging.getLogger(__name__)

# TensorFlow's C++ start-up chatter hides the training progress; warnings still show.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

ARCHITECTURES = ("guo", "thesis")


def _check_shape(architecture, shape):
    h, w, _ = shape
    if architecture not in ARCHITECTURES:
        raise ValueError(f"architecture={architecture!r}; choose one of {ARCHITECTURES}")
    if h != w:
        raise ValueError(f"images must be square for the {architecture!r} CAE, got {h}×{w}")
    if architecture == "guo" and h % 4:
        raise ValueError(f"the 'guo' CAE needs a side divisible by 4 (28 or 32), got {h}")
    if architecture == "thesis" and h not in (28, 32):
        raise ValueError(f"the 'thesis' CAE is built for 28×28 or 32×32 images, got {h}×{w}")


def build_cae(architecture, input_shape, embedding_dim, output_activation=None):
    """Build the encoder and decoder of a CAE.

    Parameters
    ----------
    architecture : {"guo", "thesis"}
    input_shape : tuple (height, width, channels)
    embedding_dim : int
    output_activation : str or None
        Last layer's activation; ``None`` means linear for ``"guo"`` (as in DCEC) and
        sigmoid for ``"thesis"``.

    Returns
    -------
    encoder, decoder : keras.Model
        ``encoder`` maps images to ``(embedding_dim,)``, ``decoder`` maps back.
    """
    import keras  # noqa: PLC0415
    from keras import layers  # noqa: PLC0415
    _check_shape(architecture, tuple(input_shape))
    h, _, c = input_shape
    inp = keras.Input(shape=tuple(input_shape), name="image")
    z_in = keras.Input(shape=(embedding_dim,), name="embedding")
    if architecture == "guo":
        pad3 = "same" if h % 8 == 0 else "valid"
        s3 = h // 8 if h % 8 == 0 else (h // 4 - 3) // 2 + 1
        x = layers.Conv2D(32, 5, strides=2, padding="same", activation="relu", name="conv1")(inp)
        x = layers.Conv2D(64, 5, strides=2, padding="same", activation="relu", name="conv2")(x)
        x = layers.Conv2D(128, 3, strides=2, padding=pad3, activation="relu", name="conv3")(x)
        z = layers.Dense(embedding_dim, name="embedding")(layers.Flatten()(x))
        y = layers.Dense(s3 * s3 * 128, activation="relu", name="dense")(z_in)
        y = layers.Reshape((s3, s3, 128))(y)
        y = layers.Conv2DTranspose(64, 3, strides=2, padding=pad3, activation="relu",
                                   name="deconv3")(y)
        y = layers.Conv2DTranspose(32, 5, strides=2, padding="same", activation="relu",
                                   name="deconv2")(y)
        out = layers.Conv2DTranspose(c, 5, strides=2, padding="same",
                                     activation=output_activation, name="deconv1")(y)
    else:
        x = inp
        for i, f in enumerate((16, 8, 8)):
            x = layers.Conv2D(f, 3, padding="same", activation="relu", name=f"conv{i + 1}")(x)
            x = layers.MaxPooling2D(2, padding="same", name=f"pool{i + 1}")(x)
        z = layers.Dense(embedding_dim, name="embedding")(layers.Flatten()(x))
        y = layers.Dense(128, activation="relu", name="dense")(z_in)
        y = layers.Reshape((4, 4, 8))(y)
        for i, (f, pad) in enumerate(((8, "same"), (8, "same"),
                                      (16, "valid" if h == 28 else "same"))):
            y = layers.Conv2D(f, 3, padding=pad, activation="relu", name=f"deconv{3 - i}")(y)
            y = layers.UpSampling2D(2, name=f"up{3 - i}")(y)
        out = layers.Conv2D(c, 3, padding="same", activation=output_activation or "sigmoid",
                            name="output")(y)
    return keras.Model(inp, z, name="encoder"), keras.Model(z_in, out, name="decoder")


def check_fit_params(est):
    """Validate the training parameters shared by ConvAutoencoder and DCEC."""
    for name in ("embedding_dim", "batch_size"):
        v = getattr(est, name, 1)
        if not isinstance(v, numbers.Integral) or v < 1:
            raise ValueError(f"{name}={v!r} must be an integer >= 1")


class ConvAutoencoder(TransformerMixin, BaseEstimator):
    """A convolutional autoencoder as a scikit-learn transformer (thesis §6.5, §11.1.2).

    Parameters
    ----------
    architecture : {"guo", "thesis"}, default "guo"
    embedding_dim : int, default 10
        Size of the bottleneck: 2 for views, 10 or 30 for clustering, 128 as UMAP input.
    loss : {"auto", "mse", "bce"}, default "auto"
        Reconstruction loss; ``"auto"`` is MSE for ``"guo"`` (as DCEC) and binary
        cross-entropy for ``"thesis"`` (as the thesis).
    epochs : int, default 200
    batch_size : int, default 256
    learning_rate : float, default 1e-3
        Adam's step size.
    patience : int, default 10
        Early stopping: stop after this many epochs without a lower validation loss and
        keep the best weights (the thesis's rule). ``None`` trains all ``epochs``.
    validation_split : float, default 0.1
        Share of the images held out, at random, to track overfitting (§13.1.2 f).
    random_state : int or None, default None
        Seeds weights, the split and shuffling; seeded CPU runs are reproducible.
    verbose : int, default 1
        0 silent, 1 a progress bar per epoch, 2 one line per epoch.

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
    """

    def __init__(self, architecture="guo", embedding_dim=10, *, loss="auto", epochs=200,
                 batch_size=256, learning_rate=1e-3, patience=10, validation_split=0.1,
                 random_state=None, verbose=1):
        self.architecture = architecture
        self.embedding_dim = embedding_dim
        self.loss = loss
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.patience = patience
        self.validation_split = validation_split
        self.random_state = random_state
        self.verbose = verbose

    def _loss_name(self):
        if self.loss not in ("auto", "mse", "bce"):
            raise ValueError(f"loss={self.loss!r}; choose 'auto', 'mse' or 'bce'")
        if self.loss == "auto":
            return "mse" if self.architecture == "guo" else "bce"
        return self.loss

    def _build(self, input_shape):
        import keras  # noqa: PLC0415
        check_fit_params(self)
        loss = self._loss_name()
        _check_shape(self.architecture, input_shape)
        if self.random_state is not None:
            keras.utils.set_random_seed(int(self.random_state))
        act = "sigmoid" if loss == "bce" else None
        self.encoder_, self.decoder_ = build_cae(self.architecture, input_shape,
                                                 self.embedding_dim, act)
        inp = keras.Input(shape=input_shape)
        self.autoencoder_ = keras.Model(inp, self.decoder_(self.encoder_(inp)), name="cae")
        self.autoencoder_.compile(
            optimizer=keras.optimizers.Adam(self.learning_rate),
            loss="mse" if loss == "mse" else "binary_crossentropy")
        self.input_shape_ = tuple(input_shape)
        self.loss_ = loss

    def fit(self, X, y=None):
        """Train on images ``X`` of shape (n, h, w, c) in [0, 1]; returns ``self``."""
        import keras  # noqa: PLC0415
        X = check_images(X)
        if not 0 <= self.validation_split < 1:
            raise ValueError(f"validation_split={self.validation_split} must be in [0, 1)")
        self._build(X.shape[1:])
        rng = check_random_state(self.random_state)
        n_val = int(round(self.validation_split * len(X)))
        idx = rng.permutation(len(X))
        val = (X[idx[:n_val]],) * 2 if n_val else None
        train = X[idx[n_val:]]
        callbacks = []
        if self.patience is not None:
            callbacks.append(keras.callbacks.EarlyStopping(
                monitor="val_loss" if val else "loss", patience=self.patience,
                restore_best_weights=True))
        log.info("training %s CAE (%d parameters) on %d images, %d held out",
                 self.architecture, self.autoencoder_.count_params(), len(train), n_val)
        h = self.autoencoder_.fit(train, train, epochs=self.epochs, batch_size=self.batch_size,
                                  validation_data=val, shuffle=True, callbacks=callbacks,
                                  verbose=self.verbose)
        self.history_ = {k: [float(v) for v in vs] for k, vs in h.history.items()}
        self.n_epochs_ = len(self.history_["loss"])
        return self

    def _check_fitted(self, X):
        if not hasattr(self, "autoencoder_"):
            raise RuntimeError("ConvAutoencoder is not fitted yet; call fit(X) first")
        X = check_images(X)
        if X.shape[1:] != self.input_shape_:
            raise ValueError(f"X has images of shape {X.shape[1:]}, but the autoencoder was "
                             f"fitted on {self.input_shape_}")
        return X

    def transform(self, X):
        """Embed images: ndarray of shape (n, embedding_dim)."""
        X = self._check_fitted(X)
        return np.asarray(self.encoder_.predict(X, batch_size=1024, verbose=0))

    def reconstruct(self, X):
        """Decode the embedding of ``X``: images of the input's shape."""
        X = self._check_fitted(X)
        return np.asarray(self.autoencoder_.predict(X, batch_size=1024, verbose=0))

    def save(self, path):
        """Save weights, parameters and history to the folder ``path``."""
        if not hasattr(self, "autoencoder_"):
            raise RuntimeError("ConvAutoencoder is not fitted yet; nothing to save")
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.encoder_.save_weights(path / "encoder.weights.h5")   # weights only, no optimizer
        self.decoder_.save_weights(path / "decoder.weights.h5")
        meta = {"params": self.get_params(), "input_shape": list(self.input_shape_),
                "history": self.history_}
        tmp = path / "meta.json.tmp"
        tmp.write_text(json.dumps(meta, indent=1))
        os.replace(tmp, path / "meta.json")
        return path

    @classmethod
    def load(cls, path):
        """Load a fitted autoencoder saved with :meth:`save`."""
        path = Path(path)
        meta = json.loads((path / "meta.json").read_text())
        est = cls(**meta["params"])
        est._build(tuple(meta["input_shape"]))
        est.encoder_.load_weights(path / "encoder.weights.h5")
        est.decoder_.load_weights(path / "decoder.weights.h5")
        est.history_ = meta["history"]
        est.n_epochs_ = len(est.history_.get("loss", []))
        return est
