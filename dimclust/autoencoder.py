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

import logging
import os

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ._validation import Interval, Options, check_images, check_random_state, validate_params
from .store import read_npz, write_npz

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


def build_cae(architecture, input_shape, embedding_dim, output_activation=None, seed=None):
    """Build the encoder and decoder of a CAE.

    Parameters
    ----------
    architecture : {"guo", "thesis"}
    input_shape : tuple (height, width, channels)
    embedding_dim : int
    output_activation : str or None
        Last layer's activation; ``None`` means linear for ``"guo"`` (as in DCEC) and
        sigmoid for ``"thesis"``.
    seed : int, Generator or None
        Seeds each layer's own weight initialiser; global random state is not touched.

    Returns
    -------
    encoder, decoder : keras.Model
        ``encoder`` maps images to ``(embedding_dim,)``, ``decoder`` maps back.
    """
    import keras  # noqa: PLC0415
    from keras import layers  # noqa: PLC0415
    _check_shape(architecture, tuple(input_shape))
    h, _, c = input_shape
    rng = None if seed is None else check_random_state(seed)

    def init():                 # a seeded Glorot-uniform initialiser per layer
        if rng is None:
            return {}
        return {"kernel_initializer": keras.initializers.GlorotUniform(
            seed=int(rng.integers(2**31 - 1)))}

    inp = keras.Input(shape=tuple(input_shape), name="image")
    z_in = keras.Input(shape=(embedding_dim,), name="embedding")
    if architecture == "guo":
        pad3 = "same" if h % 8 == 0 else "valid"
        s3 = h // 8 if h % 8 == 0 else (h // 4 - 3) // 2 + 1
        x = layers.Conv2D(32, 5, strides=2, padding="same", activation="relu", name="conv1", **init())(inp)
        x = layers.Conv2D(64, 5, strides=2, padding="same", activation="relu", name="conv2", **init())(x)
        x = layers.Conv2D(128, 3, strides=2, padding=pad3, activation="relu", name="conv3", **init())(x)
        z = layers.Dense(embedding_dim, name="embedding", **init())(layers.Flatten()(x))
        y = layers.Dense(s3 * s3 * 128, activation="relu", name="dense", **init())(z_in)
        y = layers.Reshape((s3, s3, 128))(y)
        y = layers.Conv2DTranspose(64, 3, strides=2, padding=pad3, activation="relu",
                                   name="deconv3", **init())(y)
        y = layers.Conv2DTranspose(32, 5, strides=2, padding="same", activation="relu",
                                   name="deconv2", **init())(y)
        out = layers.Conv2DTranspose(c, 5, strides=2, padding="same",
                                     activation=output_activation, name="deconv1", **init())(y)
    else:
        x = inp
        for i, f in enumerate((16, 8, 8)):
            x = layers.Conv2D(f, 3, padding="same", activation="relu", name=f"conv{i + 1}", **init())(x)
            x = layers.MaxPooling2D(2, padding="same", name=f"pool{i + 1}")(x)
        z = layers.Dense(embedding_dim, name="embedding", **init())(layers.Flatten()(x))
        y = layers.Dense(128, activation="relu", name="dense", **init())(z_in)
        y = layers.Reshape((4, 4, 8))(y)
        for i, (f, pad) in enumerate(((8, "same"), (8, "same"),
                                      (16, "valid" if h == 28 else "same"))):
            y = layers.Conv2D(f, 3, padding=pad, activation="relu", name=f"deconv{3 - i}", **init())(y)
            y = layers.UpSampling2D(2, name=f"up{3 - i}")(y)
        out = layers.Conv2D(c, 3, padding="same", activation=output_activation or "sigmoid",
                            name="output", **init())(y)
    return keras.Model(inp, z, name="encoder"), keras.Model(z_in, out, name="decoder")


def _shuffled_batches(X, batch_size, rng):
    """Endless ``(x, x)`` batches, each epoch in a new order drawn from ``rng``.

    Shuffling here, from the estimator's own generator (and in sequence, however far
    Keras reads ahead), makes a seeded fit reproducible without seeding Keras's or NumPy's
    global random state.
    """
    while True:
        order = rng.permutation(len(X))
        for i in range(0, len(X), batch_size):
            x = X[np.sort(order[i:i + batch_size])]
            yield x, x


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

    _constraints = {
        "architecture": Options(*ARCHITECTURES),
        "embedding_dim": Interval(int, 1),
        "loss": Options("auto", "mse", "bce"),
        "epochs": Interval(int, 0),
        "batch_size": Interval(int, 1),
        "learning_rate": Interval(float, 0, open_low=True),
        "patience": Interval(int, 1, none=True),
        "validation_split": Interval(float, 0, 0.99),
        "verbose": Interval(int, 0),
    }

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

    def _build(self, input_shape, rng=None):
        import keras  # noqa: PLC0415
        loss = self.loss if self.loss != "auto" else ("mse" if self.architecture == "guo"
                                                      else "bce")
        _check_shape(self.architecture, input_shape)
        self.encoder_, self.decoder_ = build_cae(self.architecture, input_shape,
                                                 self.embedding_dim,
                                                 "sigmoid" if loss == "bce" else None, seed=rng)
        inp = keras.Input(shape=input_shape)
        self.autoencoder_ = keras.Model(inp, self.decoder_(self.encoder_(inp)), name="cae")
        self.autoencoder_.compile(
            optimizer=keras.optimizers.Adam(self.learning_rate),
            loss="mse" if loss == "mse" else "binary_crossentropy")
        self.input_shape_ = tuple(int(d) for d in input_shape)
        self.loss_ = loss

    def fit(self, X, y=None):
        """Train on images ``X`` of shape (n, h, w, c) in [0, 1]; returns ``self``.

        Weights, the held-out split and the batch order are drawn from ``random_state``
        alone; the caller's global NumPy and Keras random state is left untouched.
        """
        import keras  # noqa: PLC0415
        validate_params(self)
        X = check_images(X)
        rng = check_random_state(self.random_state)
        self._build(X.shape[1:], None if self.random_state is None else rng)
        n_val = int(round(self.validation_split * len(X)))
        idx = rng.permutation(len(X))
        val = (X[idx[:n_val]],) * 2 if n_val else None
        train = X[np.sort(idx[n_val:])]
        callbacks = []
        if self.patience is not None:
            callbacks.append(keras.callbacks.EarlyStopping(
                monitor="val_loss" if val else "loss", patience=self.patience,
                restore_best_weights=True))
        log.info("training %s CAE (%d parameters) on %d images, %d held out",
                 self.architecture, self.autoencoder_.count_params(), len(train), n_val)
        h = self.autoencoder_.fit(_shuffled_batches(train, self.batch_size, rng),
                                  steps_per_epoch=-(-len(train) // self.batch_size),
                                  epochs=self.epochs, validation_data=val,
                                  shuffle=False, callbacks=callbacks, verbose=self.verbose)
        self.history_ = {k: [float(v) for v in vs] for k, vs in h.history.items()}
        self.n_epochs_ = len(self.history_.get("loss", []))
        return self

    def _checked(self, X):
        check_is_fitted(self, "autoencoder_")
        X = check_images(X)
        if X.shape[1:] != self.input_shape_:
            raise ValueError(f"X has images of shape {X.shape[1:]}, but the autoencoder was "
                             f"fitted on {self.input_shape_}")
        return X

    def transform(self, X):
        """Embed images: ndarray of shape (n, embedding_dim)."""
        X = self._checked(X)
        return np.asarray(self.encoder_.predict(X, batch_size=1024, verbose=0))

    def reconstruct(self, X):
        """Decode the embedding of ``X``: images of the input's shape."""
        X = self._checked(X)
        return np.asarray(self.autoencoder_.predict(X, batch_size=1024, verbose=0))

    # -- state: copy, save, load ------------------------------------------------------
    def state(self):
        """``(meta, arrays)``: parameters, input shape, history and weights (no optimizer)."""
        check_is_fitted(self, "autoencoder_")
        arrays = {f"{part}{i}": np.asarray(w)
                  for part, net in (("enc", self.encoder_), ("dec", self.decoder_))
                  for i, w in enumerate(net.get_weights())}
        params = self.get_params()
        if not isinstance(params["random_state"], (int, type(None))):
            params["random_state"] = None       # a Generator cannot be stored
        return {"params": params, "input_shape": list(self.input_shape_), "history": self.history_}, arrays

    @classmethod
    def from_state(cls, meta, arrays):
        """A fitted autoencoder from what :meth:`state` returned."""
        est = cls(**meta["params"])
        est._build(tuple(meta["input_shape"]))
        for part, net in (("enc", est.encoder_), ("dec", est.decoder_)):
            net.set_weights([arrays[f"{part}{i}"] for i in range(len(net.weights))])
        est.history_ = meta["history"]
        est.n_epochs_ = len(est.history_.get("loss", []))
        return est

    def copy(self):
        """An independent fitted copy: same weights, training one leaves the other as it was."""
        return type(self).from_state(*self.state())

    def save(self, path):
        """Save to the file ``path`` (``.npz``); returns the path."""
        return write_npz(path, *self.state())

    @classmethod
    def load(cls, path):
        """Load a fitted autoencoder saved with :meth:`save`."""
        return cls.from_state(*read_npz(path))
