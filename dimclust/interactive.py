"""Explorable 2-D embeddings: hover a point to see its image, class and cluster.

Bokeh draws the scatter; every resource (BokehJS and the thumbnails) is written into one
self-contained HTML page, shown in an ``<iframe>``. So the plot works in a built book read
offline, in Jupyter and in Colab, with no CDN. A legend entry per class hides or shows it.
"""
from __future__ import annotations

import base64
import html
import io

import numpy as np

from ._validation import check_random_state
from .metrics import NOISE

__all__ = ["Explorer", "explore"]


def _thumbnail(image):
    """A data URI of one image (h, w[, c]) in [0, 1] as PNG."""
    from PIL import Image  # noqa: PLC0415  (Pillow comes with Bokeh)
    a = np.clip(np.asarray(image, dtype=np.float32), 0, 1)
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[:, :, 0]
    buf = io.BytesIO()
    Image.fromarray((a * 255).round().astype(np.uint8)).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


class Explorer:
    """A self-contained interactive plot.

    Attributes
    ----------
    html : str
        The whole page: BokehJS inline, the data, the thumbnails.
    n_points : int
        Points drawn.
    """

    def __init__(self, page, n_points, height):
        self.html = page
        self.n_points = n_points
        self.height = height

    def _repr_html_(self):
        return (f'<iframe class="dimclust-explore" srcdoc="{html.escape(self.html)}" '
                f'style="width:100%;height:{self.height + 40}px;border:none" '
                f'title="explorable embedding"></iframe>')

    def save(self, path):
        """Write the page to ``path`` (an ``.html`` file); returns the path."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.html)
        return path


def explore(Z, images, y, labels=None, *, class_names=None, n_points=1000, title=None,
            image_shape=None, random_state=0, width=640, height=520):
    """An interactive scatter of a 2-D embedding (thesis figs. 11.13–11.17, 12.5, 13.3).

    Parameters
    ----------
    Z : ndarray of shape (n_samples, 2)
        The embedding (only the first two columns are drawn).
    images : ndarray of shape (n_samples, h, w[, c]) or (n_samples, pixels)
        The images, in [0, 1], shown on hover; flat rows are reshaped to ``image_shape``.
    y : ndarray of shape (n_samples,)
        True classes: one colour and one legend entry (click to hide) per class.
    labels : ndarray of shape (n_samples,), optional
        Clusters found, shown on hover (``-1``: noise).
    class_names : sequence of str, optional
    n_points : int, default 1000
        Points drawn, a random sample (thumbnails make the page about 1 kB a point).
    title : str, optional
    image_shape : tuple, optional
        Shape of one image when ``images`` are flat rows; default square and grey.
    random_state : int, default 0
        Seeds the sample.
    width, height : int
        Plot size in pixels.

    Returns
    -------
    Explorer
        Shown inline by Jupyter; ``.html`` is the page, ``.save(path)`` writes it.
    """
    from bokeh.embed import file_html  # noqa: PLC0415
    from bokeh.models import ColumnDataSource, HoverTool  # noqa: PLC0415
    from bokeh.palettes import Category10, Category20  # noqa: PLC0415
    from bokeh.plotting import figure  # noqa: PLC0415
    from bokeh.resources import INLINE  # noqa: PLC0415

    Z, y = np.asarray(Z), np.asarray(y)
    if Z.ndim != 2 or Z.shape[1] < 2:
        raise ValueError(f"Z must be a 2-D embedding of shape (n, 2), got shape {Z.shape}")
    if not len(Z) == len(images) == len(y) or (labels is not None and len(labels) != len(Z)):
        raise ValueError(f"Z, images, y (and labels) need one row per point; got {len(Z)}, "
                         f"{len(images)}, {len(y)}"
                         + ("" if labels is None else f", {len(labels)}"))
    images = np.asarray(images)
    if images.ndim == 2:
        side = int(round(np.sqrt(images.shape[1])))
        shape = image_shape or (side, side)
        if int(np.prod(shape)) != images.shape[1]:
            raise ValueError(f"images have {images.shape[1]} pixels, not a square grey image; "
                             f"pass image_shape, e.g. (32, 32, 3)")
        images = images.reshape(len(images), *shape)
    rng = check_random_state(random_state)
    idx = np.sort(rng.choice(len(Z), min(n_points, len(Z)), replace=False))
    classes = np.unique(y)
    palette = Category10[10] if len(classes) <= 10 else Category20[20]
    names = list(class_names) if class_names is not None else [str(c) for c in classes]

    fig = figure(width=width, height=height, title=title, tools="pan,wheel_zoom,box_zoom,reset",
                 active_scroll="wheel_zoom")
    fig.xaxis.visible = fig.yaxis.visible = False
    fig.grid.visible = False
    for i, c in enumerate(classes):
        sel = idx[y[idx] == c]
        cluster = (["—"] * len(sel) if labels is None else
                   ["noise" if v == NOISE else str(v) for v in np.asarray(labels)[sel]])
        src = ColumnDataSource({"x": Z[sel, 0], "y": Z[sel, 1],
                                "img": [_thumbnail(images[j]) for j in sel],
                                "cls": [names[i]] * len(sel), "cluster": cluster})
        fig.scatter("x", "y", source=src, size=5, alpha=0.7, color=palette[i % len(palette)],
                    legend_label=names[i])
    fig.add_tools(HoverTool(tooltips="""
        <div class="dimclust-tip">
          <img src="@img" width="56" height="56" style="image-rendering: pixelated">
          <div>class: <b>@cls</b></div><div>cluster: <b>@cluster</b></div>
        </div>"""))
    fig.legend.click_policy = "hide"
    fig.legend.location = "top_left"
    fig.add_layout(fig.legend[0], "right")
    page = file_html(fig, INLINE, title or "embedding")
    return Explorer(page, len(idx), height)
