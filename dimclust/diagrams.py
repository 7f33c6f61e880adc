"""Diagrams of the networks, drawn from the Keras models themselves.

:func:`network` draws an autoencoder layer by layer from
:func:`~dimclust.architectures.layer_table` (the thesis's figs. 11.5–11.6 and 11.12, Guo et
al.'s CAE); with ``n_clusters`` it adds DCEC's clustering layer on the embedding and the two
losses it trains on (the thesis's fig. 13.1; L = L_rec + γ·KL(P‖Q), eqs. 9.3 and 9.5). Each box is
one layer, its height growing with the layer's number of values, labelled with its type
and output shape, so the picture changes when the architecture does.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

__all__ = ["network"]

_COLOURS = {"encoder": "#9ecae1", "embedding": "#fdae6b", "decoder": "#a1d99b",
            "clustering": "#fc9272", "loss": "#f0f0f0"}
_SHORT = {"InputLayer": "input", "Conv2D": "conv", "Conv2DTranspose": "deconv",
          "Dense": "dense", "Flatten": "flatten", "Reshape": "reshape",
          "MaxPooling2D": "max-pool", "UpSampling2D": "upsample", "LeakyReLU": "LeakyReLU",
          "BatchNormalization": "batch norm"}


def _size(shape):
    return int(np.prod([int(d) for d in shape.split(" × ")]))


def network(table, *, n_clusters=None, title=None, figsize=None):
    """Draw an autoencoder, and with ``n_clusters`` DCEC built on it.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~dimclust.architectures.layer_table` of the autoencoder: one row per layer
        with ``part``, ``type``, ``output shape``.
    n_clusters : int, optional
        Add DCEC's clustering layer (soft assignments to ``n_clusters`` centres, thesis
        eq. 9.4) on the embedding, and the losses: reconstruction on the decoder's output,
        KL(P‖Q) on the assignments.
    title : str, optional
    figsize : (float, float), optional
        Default: wide enough for one column per layer.

    Returns
    -------
    matplotlib.figure.Figure
    """
    layers = table.to_dict("records")
    # the decoder's input repeats the encoder's embedding: one box for both
    layers = [r for r in layers if not (r["part"] == "decoder" and r["type"] == "InputLayer")]
    n = len(layers)
    fig, ax = plt.subplots(figsize=figsize or (max(8.0, 0.95 * n + 1.5),
                                               4.6 if n_clusters else 3.4))
    sizes = np.array([_size(r["output shape"]) for r in layers], dtype=float)
    heights = 0.6 + 2.2 * np.log1p(sizes) / np.log1p(sizes.max())
    embedding = max(i for i, r in enumerate(layers) if r["part"] == "encoder")
    x_of = {}
    for i, (r, h) in enumerate(zip(layers, heights)):
        part = "embedding" if i == embedding else r["part"]
        x = i * 1.0
        x_of[i] = x
        ax.add_patch(FancyBboxPatch((x - 0.36, -h / 2), 0.72, h, boxstyle="round,pad=0.02",
                                    fc=_COLOURS[part], ec="0.3", lw=0.8))
        label = "embedding" if i == embedding else _SHORT.get(r["type"], r["type"])
        ax.text(x, h / 2 + 0.12, label, ha="center", va="bottom", fontsize=8)
        ax.text(x, -h / 2 - 0.12, r["output shape"].replace(" × ", "×"), ha="center",
                va="top", fontsize=7, color="0.25")
        if i:
            ax.add_patch(FancyArrowPatch((x_of[i - 1] + 0.37, 0), (x - 0.37, 0),
                                         arrowstyle="-|>", mutation_scale=8, color="0.35"))
    end = x_of[n - 1]
    ax.text(end + 0.55, 0, "reconstruction\nL_rec", ha="left", va="center", fontsize=8,
            bbox=dict(boxstyle="round", fc=_COLOURS["loss"], ec="0.5"))
    top = 1.5
    if n_clusters:
        xe, yq = x_of[embedding], -2.3
        ax.add_patch(FancyBboxPatch((xe + 0.64, yq - 0.3), 1.6, 0.6, boxstyle="round,pad=0.02",
                                    fc=_COLOURS["clustering"], ec="0.3", lw=0.8))
        ax.text(xe + 1.44, yq, f"clustering layer\nq: {n_clusters} centres", ha="center",
                va="center", fontsize=8)
        ax.add_patch(FancyArrowPatch((xe, -heights[embedding] / 2 - 0.35), (xe + 0.62, yq),
                                     arrowstyle="-|>", mutation_scale=8, color="0.35",
                                     connectionstyle="arc3,rad=0.25"))
        ax.add_patch(FancyArrowPatch((xe + 2.28, yq), (xe + 2.9, yq), arrowstyle="-|>",
                                     mutation_scale=8, color="0.35"))
        ax.text(xe + 2.95, yq, "clustering loss\nγ·KL(P‖Q)", ha="left", va="center",
                fontsize=8, bbox=dict(boxstyle="round", fc=_COLOURS["loss"], ec="0.5"))
        top = 1.7
    ax.set_xlim(-0.6, end + 2.4)
    ax.set_ylim(-2.75 if n_clusters else -1.9, top)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig
