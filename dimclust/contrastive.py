"""An embedding that is blind to what does not change an image's class: contrastive
learning (SimCLR, Chen et al. 2020) as a scikit-learn transformer.

Why not another autoencoder: an autoencoder is scored on every pixel, so its code must keep
where a stroke is and how dark it is as carefully as what the object is — and on
Fashion-MNIST a shirt shifted by three pixels is farther, pixel by pixel, from itself than
from many pullovers. The thesis (ch. 14) found autoencoders disappointing as reducers, and
on all 70,000 Fashion-MNIST images every reconstruction-based pipeline on record stops near
NMI 0.65. The published methods above that line (DCCS, Zhao et al. 2020; IIC, Ji et al.
2019; SCAN, Van Gansbeke et al. 2020) all learn *invariance* instead: two random views of
one image (:mod:`dimclust.augment`) should map close together, views of other images
apart. That is SimCLR's objective, NT-Xent (:func:`~dimclust.contrastive_loss.nt_xent`),
which this module trains on a small CNN; UMAP and a GMM then cluster its embedding as in
N2D (McConville et al. 2020).
"""
from __future__ import annotations

import logging
import os

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from ._training import StoredState, remembered_fit
from ._validation import Interval, Options, check_images, check_random_state, validate_params
from .augment import DEFAULT_AUGMENTATIONS, augment, check_augmentations
from .progress import epoch_bar, predict
from .store import as_store

__all__ = ["ContrastiveEncoder", "POOLINGS", "UPDATES", "epochs_for", "view_pairs"]

#: Updates of the network a full training makes (:func:`epochs_for`): 30 epochs of
#: 70,000 images in batches of 256.
UPDATES = 8_000

#: How the encoder's last feature map (4 × 4 × 128 for 28 × 28 images) becomes one vector:
#: ``"flatten"`` keeps each position's features, ``"average"`` (global average pooling, as
#: SimCLR's ResNet) averages them over the positions.
POOLINGS = ("flatten", "average")

log = logging.getLogger(__name__)

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _batches_per_epoch(n_samples, batch_size):
    """Whole batches an epoch of :func:`view_pairs` makes: at least one."""
    return max(1, int(n_samples) // min(int(batch_size), int(n_samples)))


def epochs_for(n_samples, updates=UPDATES, batch_size=256):
    """Epochs that make about ``updates`` updates of batches of ``batch_size`` from
    ``n_samples`` images (one update per whole batch, as :func:`view_pairs` draws them).

    A contrastive encoder learns from the number of batches it sees, not from the number of
    times it sees an image: on MNIST's 10,000 test images (the development set, seed 0)
    30 epochs (1,170 updates) keep 0.92 of each image's 10 nearest neighbours in its class,
    100 epochs (3,900) 0.96. Sizing every training by its updates gives a subset as long a
    training as the whole set (30 epochs of 70,000 images, 206 of 10,000) and one seed on
    70,000 images fits in an hour on two CPU cores.

    Examples
    --------
    >>> epochs_for(70_000), epochs_for(10_000)
    (30, 206)
    """
    return max(1, -(-int(updates) // _batches_per_epoch(n_samples, batch_size)))


def view_pairs(X, batch_size, seed, augmentations, max_shift=3, start=0):
    """Endless batches for contrastive training, from epoch ``start`` on.

    Epoch ``e`` draws everything — the order of the images and both views of each — from
    ``numpy.random.default_rng([seed, e])`` alone, so it is the same whether a run gets to
    it directly or resumes there after a kill, and however far ahead Keras reads.

    Yields
    ------
    tuple of one ndarray of shape (2 · batch, h, w, c)
        The first view of each image of the batch, then the second, in the same order
        (what :class:`~dimclust._contrastive_net.ContrastiveNet` splits in halves). An
        epoch is ``max(1, n // batch_size)`` whole batches; the last images of an order
        that does not fill a batch wait for another epoch's order.
    """
    n = len(X)
    size = min(int(batch_size), n)
    epoch = int(start)
    while True:
        g = np.random.default_rng([int(seed), epoch])
        order = g.permutation(n)
        for i in range(_batches_per_epoch(n, size)):
            x = X[np.sort(order[i * size:(i + 1) * size])]
            yield (np.concatenate([augment(x, g, augmentations, max_shift=max_shift),
                                   augment(x, g, augmentations, max_shift=max_shift)]),)
        epoch += 1


class ContrastiveEncoder(StoredState, TransformerMixin, BaseEstimator):
    """A small CNN trained so that two random views of an image embed close together
    (SimCLR, Chen et al. 2020), as a scikit-learn transformer.

    The network (:mod:`dimclust._contrastive_net`) is four 3×3 convolutions of 16, 32, 64
    and 128 filters with batch normalisation, the last 4 × 4 map flattened, and a linear
    layer to ``embedding_dim``; a two-layer projection head maps that to ``projection_dim``, where
    the loss is computed, and is dropped after training (SimCLR §4.2: the layer before the
    head keeps more of what a downstream task needs). The views are the class-keeping
    transformations of :mod:`dimclust.augment`.

    Parameters
    ----------
    augmentations : sequence of str, default ("crop", "shift", "erase", "contrast")
        Transformations making the views (:data:`~dimclust.augment.AUGMENTATIONS`); add
        ``"flip"`` for data whose mirror image is of the same class (Fashion-MNIST, not
        digits).
    embedding_dim : int, default 128
        Size of the embedding :meth:`transform` returns.
    pooling : {"flatten", "average"}, default "flatten"
        How the last feature map becomes one vector. SimCLR's ResNet averages it over the
        positions (global average pooling); on a 4 × 4 map of a 28 × 28 image that throws
        away where each feature is — which half of a digit holds the loop, whether a garment
        has sleeves — and the classes are then far less separable: on MNIST's 10,000 test
        images (the development set), 30 epochs, seed 0, the share of each image's 10
        nearest neighbours of its own class is 0.85 with ``"average"`` and 0.92 with
        ``"flatten"`` (``benchmarks/embedding_probe.py``).
    projection_dim : int, default 64
        Size of the projection head's output, where NT-Xent is computed.
    temperature : float, default 0.5
        NT-Xent's τ (SimCLR's value for batches of a few hundred).
    epochs : int, default 30
    batch_size : int, default 256
        Images per batch; each gives two views, so a batch holds 2 × 256 rows and every
        image has 2 × 255 negatives.
    learning_rate : float, default 1e-3
        Adam's step size.
    max_shift : int, default 3
        Largest translation of the ``"shift"`` view, in pixels.
    memory : str, path or :class:`~dimclust.store.Store`, optional
        Where trained encoders are remembered, keyed by the images, every parameter that
        changes the result and the code. With an integer ``random_state`` the training
        also checkpoints there after every epoch; a run killed at any moment and fitted
        again resumes after its last whole epoch and ends with the weights an
        uninterrupted run ends with.
    random_state : int, Generator or None, default None
        Seeds the weights, the batch order and every view.
    verbose : int, default 1
        0 silent, 1 one bar over the epochs (time left, loss), 2 a line per epoch.

    Attributes
    ----------
    backbone_ : keras.Model
        Images (n, h, w, c) → embeddings (n, embedding_dim).
    head_ : keras.Model
    history_ : dict
        ``{"loss": [...]}``, NT-Xent per epoch.
    input_shape_ : tuple
    n_epochs_ : int
    earlier_seconds_ : float
        Seconds of training that earlier, interrupted legs of this fit took (``0.0`` when
        it ran in one go; set by a fit that trained): a pipeline adds them to the stage's
        time, so a resumed run's record counts the whole training.

    Examples
    --------
    >>> from dimclust import datasets
    >>> X, y = datasets.load("digits")
    >>> Z = ContrastiveEncoder(epochs=2, random_state=0, verbose=0).fit_transform(X)
    >>> Z.shape
    (1797, 128)
    """

    _constraints = {
        "embedding_dim": Interval(int, 1),
        "pooling": Options(*POOLINGS),
        "projection_dim": Interval(int, 1),
        "temperature": Interval(float, 0, open_low=True),
        "epochs": Interval(int, 0),
        "batch_size": Interval(int, 2),
        "learning_rate": Interval(float, 0, open_low=True),
        "max_shift": Interval(int, 0),
        "verbose": Interval(int, 0),
    }

    #: ``memory=`` takes a :class:`~dimclust.store.Store` (pipelines pass theirs on).
    remembers_in_store = True

    def __init__(self, augmentations=DEFAULT_AUGMENTATIONS, *, embedding_dim=128,
                 pooling="flatten", projection_dim=64, temperature=0.5, epochs=30, batch_size=256,
                 learning_rate=1e-3, max_shift=3, memory=None, random_state=None, verbose=1):
        self.augmentations = augmentations
        self.embedding_dim = embedding_dim
        self.pooling = pooling
        self.projection_dim = projection_dim
        self.temperature = temperature
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.max_shift = max_shift
        self.memory = memory
        self.random_state = random_state
        self.verbose = verbose

    def _build(self, input_shape, rng=None):
        import keras  # noqa: PLC0415

        from ._contrastive_net import ContrastiveNet, build_backbone, build_head  # noqa: PLC0415
        if min(input_shape[:2]) < 8:
            raise ValueError(f"images of {input_shape[0]}×{input_shape[1]} pixels are too small "
                             "for the encoder's three halvings; pass images of at least 8×8")
        self.backbone_ = build_backbone(input_shape, self.embedding_dim, rng, self.pooling)
        self.head_ = build_head(self.embedding_dim, self.projection_dim, rng)
        self.net_ = ContrastiveNet(self.backbone_, self.head_, self.temperature)
        self.net_(np.zeros((2, *input_shape), np.float32))        # build it: weights exist
        self.net_.compile(optimizer=keras.optimizers.Adam(self.learning_rate))
        self.input_shape_ = tuple(int(d) for d in input_shape)

    def result_params(self):
        """The parameters that change the trained network: its store key."""
        params = {k: v for k, v in self.get_params().items() if k not in ("memory", "verbose")}
        return {**params, "augmentations": list(check_augmentations(self.augmentations))}

    def fit(self, X, y=None):
        """Train on images ``X`` of shape (n, h, w, c) in [0, 1]; returns ``self``.

        Parameters
        ----------
        X : ndarray of shape (n_samples, height, width, channels)
            At least 8×8 pixels; at least 2 images.
        y : ignored

        With ``memory`` and an integer ``random_state``, an encoder trained before on the
        same images with the same parameters is loaded instead, and an interrupted
        training resumes.
        """
        validate_params(self)
        check_augmentations(self.augmentations)
        X = check_images(X)
        if len(X) < 2:
            raise ValueError(f"n_samples={len(X)}: contrastive training needs at least 2 "
                             "images (each batch contrasts an image with the others)")
        store = as_store(self.memory)
        if store is None or not isinstance(self.random_state, int):
            return self._fit(X)
        return remembered_fit(self, store, "contrastive", [X, self.result_params()],
                              lambda ckpt: self._fit(X, ckpt),
                              ("backbone_", "head_", "net_", "input_shape_", "history_",
                               "n_epochs_"))

    def _fit(self, X, ckpt=None):
        rng = check_random_state(self.random_state)
        self._build(X.shape[1:], None if self.random_state is None else rng)
        seed = int(rng.integers(2**31 - 1))
        steps = _batches_per_epoch(len(X), self.batch_size)
        done = ckpt.load(self.net_) if ckpt is not None else None
        start, history = (0, {}) if done is None else (done["epoch"], done["history"])
        self.earlier_seconds_ = 0.0 if done is None else done["seconds"]
        callbacks = [] if ckpt is None else [ckpt.callback(history)]
        if self.verbose == 1:
            callbacks.append(epoch_bar(self.epochs, start, desc="contrastive"))
        log.info("training the contrastive encoder (%d parameters) on %d images, views: %s%s",
                 self.net_.count_params(), len(X), ", ".join(check_augmentations(
                     self.augmentations)), f"; resuming after epoch {start}" if start else "")
        if start < self.epochs:
            batches = view_pairs(X, self.batch_size, seed, self.augmentations,
                                 self.max_shift, start)
            h = self.net_.fit(batches, steps_per_epoch=steps, initial_epoch=start,
                              epochs=self.epochs, callbacks=callbacks, shuffle=False,
                              verbose=2 if self.verbose == 2 else 0)
            if ckpt is None:
                history = h.history
        return self._keep_history(history)

    def transform(self, X):
        """Embed images: ndarray of shape (n, embedding_dim)."""
        return np.asarray(predict(self.backbone_, self._checked_images(X)))

    # -- state: as stored ------------------------------------------------------------
    _networks = (("b", "backbone_"), ("h", "head_"))          # the stored weights

    def _stored_params(self):
        params = super()._stored_params()
        params["augmentations"] = list(check_augmentations(params["augmentations"]))
        return params

    @classmethod
    def _params_from_store(cls, params):
        return {**params, "augmentations": tuple(params["augmentations"])}
