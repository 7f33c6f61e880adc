"""Keras parts of :class:`~dimclust.ContrastiveEncoder`: the small CNN and the network that
trains it on NT-Xent (:func:`~dimclust.contrastive_loss.nt_xent`).

This module imports Keras; only ``keras.layers`` and ``keras.ops`` are used, so TensorFlow
runs it on a CPU and JAX on a GPU.
"""
from __future__ import annotations

import keras
from keras import layers, ops

from .contrastive_loss import nt_xent

__all__ = ["build_backbone", "build_head", "ContrastiveNet", "WIDTHS"]

#: Filters of the backbone's four 3×3 convolutions (the first keeps the size, the others
#: halve it: 28 → 28 → 14 → 7 → 4).
WIDTHS = (16, 32, 64, 128)


def _seeded(rng):
    def init():
        if rng is None:
            return {}
        return {"kernel_initializer": keras.initializers.HeUniform(
            seed=int(rng.integers(2**31 - 1)))}
    return init


def build_backbone(input_shape, embedding_dim, rng=None, pooling="flatten"):
    """The encoder: four convolutions (:data:`WIDTHS`), each with batch normalisation and
    ReLU, the last map flattened or averaged (``pooling``, one of
    :data:`~dimclust.contrastive.POOLINGS`, which the estimator checks), and a linear layer
    to ``embedding_dim``: images (n, h, w, c) → (n, embedding_dim)."""
    init = _seeded(rng)
    inp = keras.Input(shape=tuple(input_shape), name="image")
    x = inp
    for i, width in enumerate(WIDTHS):
        x = layers.Conv2D(width, 3, strides=1 if i == 0 else 2, padding="same",
                          use_bias=False, name=f"conv{i + 1}", **init())(x)
        x = layers.BatchNormalization(name=f"bn{i + 1}")(x)
        x = layers.ReLU()(x)
    x = layers.Flatten()(x) if pooling == "flatten" else layers.GlobalAveragePooling2D()(x)
    z = layers.Dense(embedding_dim, name="embedding", **init())(x)
    return keras.Model(inp, z, name="backbone")


def build_head(embedding_dim, projection_dim, rng=None):
    """SimCLR's projection head g: Dense(embedding_dim) + ReLU → Dense(projection_dim).
    The loss is computed on its output; the embedding used downstream is its input."""
    init = _seeded(rng)
    inp = keras.Input(shape=(embedding_dim,), name="embedding")
    x = layers.Dense(embedding_dim, activation="relu", name="hidden", **init())(inp)
    return keras.Model(inp, layers.Dense(projection_dim, name="projection", **init())(x),
                       name="head")


class ContrastiveNet(keras.Model):
    """Backbone → head, trained on NT-Xent: each batch holds two views of N images, the
    first N rows and the last N rows, and no targets."""

    def __init__(self, backbone, head, temperature=0.5, **kwargs):
        super().__init__(**kwargs)
        self.backbone, self.head = backbone, head
        self.temperature = float(temperature)

    def call(self, x, training=False):
        return self.head(self.backbone(x, training=training), training=training)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        z1, z2 = ops.split(y_pred, 2, axis=0)
        return nt_xent(z1, z2, self.temperature, xp=ops)

    def get_config(self):
        return {**super().get_config(), "temperature": self.temperature,
                "backbone": keras.saving.serialize_keras_object(self.backbone),
                "head": keras.saving.serialize_keras_object(self.head)}

    @classmethod
    def from_config(cls, config):
        backbone = keras.saving.deserialize_keras_object(config.pop("backbone"))
        head = keras.saving.deserialize_keras_object(config.pop("head"))
        return cls(backbone, head, **config)
