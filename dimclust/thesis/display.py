"""How a table looks on the page: no index, numbers to a fixed precision, "—" for a
missing value, metrics by their names on the page, a numbered caption (:func:`show`).
Formatting happens here, once; the tables themselves carry numbers."""
from __future__ import annotations

import math
import re

import numpy as np

from ..experiments.records import format_mean_sd
from .columns import SEEDS, sd, thesis

__all__ = ["METRIC_NAMES", "THESIS_DIGITS", "is_missing", "mean_sd_cells", "show"]


#: Decimals of the thesis's published values, as its tables print them.
THESIS_DIGITS = 4

#: How a metric is called on the page.
METRIC_NAMES = {"nmi": "NMI", "ari": "ARI", "acc": "ACC", "ami": "AMI",
                "silhouette_pixels": "silhouette (pixels)", "silhouette": "silhouette",
                "assigned": "assigned"}
_COLUMN_NAMES = {**METRIC_NAMES, "n": "images", "seconds/seed": "seconds per seed"}


def _display_name(column):
    """A column's name on the page: a metric's (:data:`METRIC_NAMES`), "images" for ``n``,
    "seconds per seed" (words that wrap) for ``seconds/seed``,
    a parameter ``part.name`` as "name" in words; others as they are."""
    if not isinstance(column, str):
        return column
    if column in _COLUMN_NAMES:
        return _COLUMN_NAMES[column]
    return column.split(".")[-1].replace("_", " ") if _is_setting(column) else column


def _is_setting(column):
    """Whether a column holds a pipeline part's setting: it is named ``part.name``."""
    return isinstance(column, str) and "." in column


def is_missing(value):
    """Whether a table cell holds no value: ``None``, NaN or pandas' ``NA`` (text is a value)."""
    import pandas as pd  # noqa: PLC0415
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def mean_sd_cells(means, sds, seeds=None, precision=3):
    """Cells reading "mean ± sd" (:func:`~dimclust.experiments.format_mean_sd`): "mean (one
    run)" where ``seeds`` is 1, "—" where the mean is missing; a cell that is already text
    stays as it is."""
    seeds = [None] * len(means) if seeds is None else seeds
    return [m if isinstance(m, str) else
            format_mean_sd(None if is_missing(m) else m, None if is_missing(s) else s,
                           precision, seeds=None if is_missing(n) else int(n))
            for m, s, n in zip(means, sds, seeds)]


def _join_mean_sd(df, precision, *, seeds_shown=False):
    """``df`` with each column that has an :func:`~dimclust.thesis.columns.sd` column
    beside it shown as "mean ± sd" (:func:`mean_sd_cells`), the sd column dropped.

    Where the page shows the ``seeds`` column (``seeds_shown``), a row of one seed shows its
    mean alone: the "1" beside it already says it is one run."""
    pairs = [c for c in df.columns if isinstance(c, str) and sd(c) in df.columns]
    if not pairs:
        return df
    df = df.copy()
    seeds = list(df[SEEDS]) if SEEDS in df.columns else None
    for col in pairs:
        sds = list(df[sd(col)])
        if seeds_shown and seeds is not None:
            sds = [math.nan if not is_missing(n) and n == 1 else s for s, n in zip(sds, seeds)]
            df[col] = mean_sd_cells(list(df[col]), sds, None, precision)
        else:
            df[col] = mean_sd_cells(list(df[col]), sds, seeds, precision)
    return df.drop(columns=[sd(c) for c in pairs])


def show(df, *, columns=None, index=None, caption=None, label=None, precision=3):
    """``df`` as an HTML table to read: no index, numbers to ``precision`` decimals, a
    missing value as "—", text that wraps to fit the page but never inside "mean ± sd" or a
    column of one-word names,
    columns by their names on the page (:func:`_display_name`), and ``caption`` above it.

    The book numbers a captioned table like a figure ("Table 10.3"); ``label`` makes it the
    target of ``{tabref}`label``` in the page's text (``book/_ext/numbered_tables.py``).

    ``index`` names the index and shows it as the first column (a table of variants);
    ``columns`` keeps those columns, in that order (one the table lacks shows "—").
    A column with a standard-deviation column beside it (``"nmi"`` and ``"nmi sd"``,
    :mod:`~dimclust.thesis.columns`) shows as "mean ± sd"; with a ``seeds`` column, a row
    of one seed shows "mean (one run)", or the mean alone where the seeds column is shown. A column of the thesis's values (``thesis …``)
    keeps the 4 decimals its tables print.
    """
    shown = SEEDS in df.columns and (columns is None or SEEDS in columns)
    df = _join_mean_sd(df, precision, seeds_shown=shown)
    if index is not None:
        df = df.rename_axis(index).reset_index()
    if columns is not None:
        df = df.reindex(columns=list(columns))
    names = list(df.columns)
    df = df.rename(columns=_display_name)

    def formatter(places, setting=False):
        def cell(v):
            if isinstance(v, str):
                return v.replace(" ± ", "\u00a0±\u00a0")
            if setting and isinstance(v, (float, np.floating)):
                return f"{v:g}"                 # a setting as it is written: γ = 0.1, not 0.100
            if isinstance(v, (float, np.floating)):
                digits = places if abs(v) < 10 else 1 if abs(v) < 1000 else 0  # scores; seconds
                return f"{v:,.{digits}f}"
            return f"{v:,}" if isinstance(v, (int, np.integer)) and not isinstance(v, bool) else v
        return cell
    styler = df.style.hide(axis="index").set_table_styles(
        [{"selector": "td, th", "props": [("text-align", "left"),
                                          ("padding", "0.1em 0.5em 0.1em 0")]},
         {"selector": "caption", "props": [("caption-side", "top"), ("text-align", "left")]}])
    if caption:
        styler = styler.set_caption(caption)
    if label is not None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", str(label)):
            raise ValueError(f"label={label!r}; use lower-case letters, digits and hyphens, "
                             "e.g. 'dcec-variants'")
        styler = styler.set_table_attributes(f'data-label="{label}"')
    for col, name in zip(df.columns, names):   # the thesis's values as it prints them: 4 decimals
        places = THESIS_DIGITS if str(col).startswith(thesis("")) else precision
        styler = styler.format(formatter(places, _is_setting(name)), subset=[col], na_rep="—")
        if _one_word(df[col]):   # a name such as "mnist-test" is not broken at its hyphen
            styler = styler.set_properties(subset=[col], **{"white-space": "nowrap"})
    return styler


def _one_word(values, longest=12):
    """Whether every text cell of ``values`` is one short word (at most ``longest``
    characters, no space) and there is at least one."""
    texts = [v for v in values if isinstance(v, str)]
    return bool(texts) and all(" " not in v and len(v) <= longest for v in texts)
