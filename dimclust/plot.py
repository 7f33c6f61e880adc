"""The thesis's figures. Each function draws one kind of figure and returns the ``Figure``.

Colours: one colour per class from a qualitative map, with the class names on a colour
bar; HDBSCAN's noise (label ``-1``) is grey.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap

from .metrics import NOISE

__all__ = ["embedding", "embeddings", "clusterings", "centers_as_images", "sample_grid", "pixel_values",
           "loss_curves", "reconstructions", "explained_variance", "dcec_training"]

NOISE_COLOR = (0.75, 0.75, 0.75, 0.6)


def _cmap(k):
    base = plt.get_cmap("tab10" if k <= 10 else "tab20")
    return ListedColormap([base(i % base.N) for i in range(k)])


def _scatter(ax, Z, labels, names=None, s=1.0, colorbar=True):
    Z = np.asarray(Z)
    if Z.ndim != 2 or Z.shape[1] < 2:
        raise ValueError(f"need a 2-D embedding of shape (n, 2), got {Z.shape}")
    labels = np.asarray(labels)
    noise = labels == NOISE
    if noise.any():
        ax.scatter(*Z[noise, :2].T, s=s, color=NOISE_COLOR, rasterized=True, label="noise")
    values = np.unique(labels[~noise])
    k = len(values)
    idx = np.searchsorted(values, labels[~noise])
    cmap = _cmap(k)
    sc = ax.scatter(*Z[~noise, :2].T, c=idx, s=s, cmap=cmap,
                    norm=BoundaryNorm(np.arange(k + 1) - 0.5, k), rasterized=True)
    ax.set_xticks([])
    ax.set_yticks([])
    if colorbar and k <= 20:
        cb = ax.figure.colorbar(sc, ax=ax, ticks=np.arange(k), fraction=0.046, pad=0.02)
        cb.ax.set_yticklabels([names[v] if names is not None else str(v) for v in values])
    return sc


def embedding(Z, y, *, class_names=None, title=None, s=1.0, figsize=(7, 6)):
    """2-D embedding coloured by class, class names on the colour bar (figs. 11.1–11.3).

    Parameters
    ----------
    Z : ndarray, shape (n, 2)
    y : ndarray of int, shape (n,)
    class_names : list of str, optional
        ``class_names[i]`` names label ``i`` (e.g. ``dimclust.datasets.class_names("fashion")``).
    """
    return embeddings({title or "": Z}, y, class_names=class_names, s=s, ncols=1,
                      figsize=figsize)


def embeddings(panels, y=None, *, class_names=None, s=0.5, ncols=3, figsize=None):
    """Several 2-D embeddings coloured by class: of the same points with one shared colour
    bar, or of different data sets (figs. 11.13–11.17) with a colour bar each.

    Parameters
    ----------
    panels : dict of str -> ndarray (n, 2) or (ndarray, y, class_names)
        Panel title -> embedding (e.g. one per perplexity, or before/after DCEC); a
        ``(Z, y, class_names)`` triple gives a panel its own points, classes and names.
    y : ndarray of int, shape (n,), optional
        Classes of the points shared by every panel given as an array.
    """
    n = len(panels)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize or (4.6 * ncols + 1, 4.2 * nrows),
                             layout="constrained", squeeze=False)
    for i, (ax, (title, Z)) in enumerate(zip(axes.flat, panels.items())):
        if isinstance(Z, tuple):                  # a data set of its own: its own colour bar
            _scatter(ax, Z[0], Z[1], Z[2], s=s, colorbar=True)
        else:
            if y is None:
                raise ValueError(f"panel {title!r} is an array, so y is needed; or pass "
                                 f"(Z, y, class_names) triples")
            _scatter(ax, Z, y, class_names, s=s, colorbar=i == n - 1)
        if title:
            ax.set_title(title)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig


def clusterings(Z, labelings, *, ncols=2, s=0.5, figsize=None):
    """Several clusterings drawn on one embedding (fig. 12.2's 2×2; noise grey, figs. 12.3–12.4).

    Parameters
    ----------
    Z : ndarray, shape (n, 2)
    labelings : dict of str -> labels
        Panel title -> labels, e.g. ``{"classes": y, "k-means": km, "HDBSCAN": hd}``.
    """
    n = len(labelings)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize or (5.5 * ncols, 4.8 * nrows),
                             layout="constrained", squeeze=False)
    for ax, (title, labels) in zip(axes.flat, labelings.items()):
        _scatter(ax, Z, labels, s=s, colorbar=False)
        k = len(np.unique(np.asarray(labels)[np.asarray(labels) != NOISE]))
        noise = float(np.mean(np.asarray(labels) == NOISE))
        ax.set_title(f"{title} ({k} groups" + (f", {noise:.1%} noise)" if noise else ")"))
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig


def _images(axes, images, titles=None, cmap="gray"):
    for i, ax in enumerate(np.ravel(axes)):
        ax.set_axis_off()
        if i < len(images):
            img = np.asarray(images[i])
            ax.imshow(img[..., 0] if img.shape[-1] == 1 else np.clip(img, 0, 1), cmap=cmap)
            if titles is not None:
                ax.set_title(titles[i], fontsize=8)


def centers_as_images(centers, image_shape=(28, 28, 1), *, titles=None, ncols=5):
    """Cluster centres in pixel space drawn as images (fig. 12.1)."""
    centers = np.asarray(centers).reshape(-1, *image_shape)
    nrows = int(np.ceil(len(centers) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.6 * ncols, 1.7 * nrows),
                             layout="constrained", squeeze=False)
    _images(axes, centers, titles or [f"cluster {i}" for i in range(len(centers))])
    return fig


def sample_grid(X, y, *, class_names=None, per_class=8, random_state=0):
    """A grid of random images, one row per class (fig. 10.2)."""
    rng = np.random.default_rng(random_state)
    classes = np.unique(y)
    fig, axes = plt.subplots(len(classes), per_class, figsize=(1.1 * per_class, 1.1 * len(classes)),
                             layout="constrained", squeeze=False)
    for row, c in zip(axes, classes):
        pick = rng.choice(np.flatnonzero(y == c), size=min(per_class, np.sum(y == c)), replace=False)
        _images(row, X[pick])
        row[0].set_axis_on()
        row[0].set_xticks([])
        row[0].set_yticks([])
        row[0].set_ylabel(class_names[c] if class_names is not None else str(c),
                          rotation=0, ha="right", va="center", fontsize=9)
    return fig


def pixel_values(image, *, title=None):
    """One image with its pixel values written in the cells (§10.1: an image is a vector)."""
    img = np.asarray(image)[..., 0]
    fig, ax = plt.subplots(figsize=(9, 9), layout="constrained")
    ax.imshow(img, cmap="gray_r")
    for (i, j), v in np.ndenumerate(img):
        if v > 0:
            ax.text(j, i, f"{v:.1f}".lstrip("0") if v < 1 else "1", ha="center", va="center",
                    fontsize=5, color="white" if v > 0.5 else "black")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title or f"{img.shape[0]}×{img.shape[1]} = {img.size} numbers")
    return fig


def loss_curves(history, *, title="Autoencoder training"):
    """Training and validation loss per epoch (fig. 11.7); ``history`` as ``history_``."""
    fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    for key, style in (("loss", "-"), ("val_loss", "--")):
        if key in history:
            ax.plot(np.arange(1, len(history[key]) + 1), history[key], style,
                    label="training" if key == "loss" else "validation")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title(title)
    ax.legend()
    return fig


def reconstructions(X, R, *, n=10):
    """Originals (top) and reconstructions (bottom) (fig. 11.8)."""
    fig, axes = plt.subplots(2, n, figsize=(1.1 * n, 2.5), layout="constrained", squeeze=False)
    _images(axes[0], X[:n])
    _images(axes[1], R[:n])
    axes[0, 0].set_title("original", fontsize=8, loc="left")
    axes[1, 0].set_title("reconstruction", fontsize=8, loc="left")
    return fig


def explained_variance(pca, *, marks=(2, 10, 50)):
    """Cumulative explained variance of a fitted PCA (thesis §4, §11.1.1)."""
    cum = np.cumsum(pca.explained_variance_ratio_)
    fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    ax.plot(np.arange(1, len(cum) + 1), cum)
    for m in marks:
        if m <= len(cum):
            ax.annotate(f"{m}: {cum[m - 1]:.0%}", (m, cum[m - 1]), textcoords="offset points",
                        xytext=(8, -12), fontsize=8)
            ax.plot(m, cum[m - 1], "o", color="C1")
    ax.set_xlabel("number of components")
    ax.set_ylabel("cumulative explained variance")
    ax.set_ylim(0, 1.02)
    return fig


def dcec_training(history):
    """DCEC's clustering phase (fig. 13.2): scores and losses per target update."""
    its = [h["iteration"] for h in history]
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    for key in ("acc", "nmi", "ari"):
        if key in history[0]:
            a.plot(its, [h[key] for h in history], marker=".", label=key.upper())
    a.plot(its[1:], [h["delta_label"] for h in history[1:]], ":", color="gray",
           label="labels changed")
    a.set_xlabel("iteration")
    a.set_title("clustering scores")
    a.legend()
    for key in ("reconstruction", "clustering", "val_reconstruction"):
        pts = [(h["iteration"], h[key]) for h in history if key in h]
        if pts:
            b.plot(*zip(*pts), marker=".", label=key.replace("_", " "))
    b.set_xlabel("iteration")
    b.set_yscale("log")
    b.set_title("losses")
    b.legend()
    return fig
