"""Readings of results tables: they take the tables' numbers (:mod:`~dimclust.thesis.columns`)
and never their formatted text."""
from __future__ import annotations

import math

import numpy as np

from ..columns import ASSIGNED, DATASET, LABEL, PIPELINE, SEEDS, N, ours, sd, thesis
from ._text import Reading, _listing, _number

__all__ = ["THESIS_FEWEST", "ranking", "against", "strategies"]

#: The fewest images any row of the thesis's tables ran on (t-SNE's sample).
THESIS_FEWEST = 10_000


def ranking(table, metric="nmi", *, label=LABEL, baseline="kmeans", whole=0.9):
    """The order of a results table's rows by ``metric``, ours beside the thesis's.

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`~dimclust.thesis.compare` for one data set or several: a
        ``label`` column, the numbers ``ours <metric>`` and ``thesis <metric>`` and, where
        a row leaves points as noise, ``assigned``.
    metric : str, default "nmi"
    label : str, default "row (thesis)"
        The column that names each row.
    baseline : str, default "kmeans"
        The ``pipeline`` of the row the others are read against (k-means on the pixels).
    whole : float, default 0.9
        A row that assigns a smaller share of the images (HDBSCAN's noise) is scored on
        those it assigns; it is named apart, not ranked with the rows that cluster the set.

    Returns
    -------
    Reading
        For a table of several data sets (a ``data set`` column), one paragraph each.
        The best of our rows, the rows below the baseline, and whether the thesis's rows
        fall in the same order; rows without a value of ours are left out.
    """
    ours_col, thesis_col = ours(metric), thesis(metric)
    if DATASET in table.columns and table[DATASET].nunique() > 1:
        return Reading("\n\n".join(
            f"*{ds}*: " + ranking(part, metric, label=label, baseline=baseline, whole=whole)
            for ds, part in table.groupby(DATASET, sort=False)))
    for col in (label, ours_col):
        if col not in table.columns:
            raise KeyError(f"the table has no column {col!r}; its columns are {list(table.columns)}")
    rows = [r for _, r in table.iterrows() if np.isfinite(_number(r[ours_col]))]
    if not rows:
        why = sorted({str(r.get("missing")) for _, r in table.iterrows()})
        return Reading(f"No row of ours has a {metric.upper()} here ({'; '.join(why)}).")
    assigned = {str(r[label]): _number(r.get(ASSIGNED)) for r in rows}
    partial = [k for k, a in assigned.items() if a < whole]
    scores = {str(r[label]): _number(r[ours_col]) for r in rows}
    ranked = {k: v for k, v in scores.items() if k not in partial}
    M = metric.upper()
    text = ""
    if ranked:
        base = [str(r[label]) for r in rows if r.get(PIPELINE) == baseline]
        order = sorted(ranked, key=ranked.get, reverse=True)
        text = f"Our best row by {M} is {order[0]} ({ranked[order[0]]:.3f})"
        if base and base[0] in ranked and order[0] != base[0]:
            below = [k for k in order if ranked[k] < ranked[base[0]]]
            text += (f"; k-means on the pixels scores {ranked[base[0]]:.3f}, and "
                     + (f"{_listing(below)} {'falls' if len(below) == 1 else 'fall'} below it"
                        if below else "every other row is above it"))
        text += "."
    if partial:
        text += " " + " ".join(f"{k} scores {scores[k]:.3f} on the {assigned[k]:.0%} of the images "
                               f"it assigns, so it is not ranked with the rest." for k in partial)
    if ranked and thesis_col in table.columns:
        theirs = {str(r[label]): _number(r[thesis_col]) for r in rows}
        both = [k for k in order if np.isfinite(theirs.get(k, math.nan))]
        if len(both) >= 2:
            t_order = sorted(both, key=theirs.get, reverse=True)
            text += (" The thesis's values put these rows in the same order." if t_order == both
                     else f" Best first, ours: {' > '.join(both)}; the thesis's: "
                          f"{' > '.join(t_order)}.")
    text += _smaller_than_thesis(rows)
    return Reading(text.strip())


def _smaller_than_thesis(rows):
    """A sentence saying that rows run on fewer images than any of the thesis's are another
    experiment, or ``""``; it reads the tables' ``n`` and ``seeds`` columns."""
    sizes = {(int(r[N]), int(r[SEEDS])) for r in rows
             if np.isfinite(_number(r.get(N))) and np.isfinite(_number(r.get(SEEDS)))}
    if not sizes or max(n for n, _ in sizes) >= THESIS_FEWEST:
        return ""
    n, seeds = max(sizes)
    scale = (f"{n:,} images and {seeds} seeds" if len(sizes) == 1
             else f"at most {n:,} images")
    return (f" These runs use {scale}, fewer images than any of the thesis's runs (70,000; "
            f"10,000 for t-SNE): read the order of the rows here, not their values against "
            f"the thesis's. The Results chapter sets our records at the thesis's scale beside "
            f"its values.")


def against(table, reference, metric="nmi"):
    """Which rows of a variants table differ from ``reference`` by more than their spread.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`~dimclust.thesis.compare_pipelines`: one row per variant, the
        numbers ``<metric>`` and ``<metric> sd``.
    reference : str
        The row (index label) the others are read against.
    metric : str, default "nmi"

    Returns
    -------
    Reading
        Rows whose mean lies further from the reference's than the two standard
        deviations added together are named above or below it; the rest are within the
        spread (with few seeds, a difference inside it is not evidence of an effect).
    """
    if reference not in table.index:
        raise KeyError(f"no row {reference!r}; the rows are {list(table.index)}")
    if metric not in table.columns:
        raise KeyError(f"the table has no column {metric!r}; its columns are {list(table.columns)}")
    spread = (table[sd(metric)] if sd(metric) in table.columns else 0.0 * table[metric])
    spread = spread.map(_number).fillna(0.0)
    ref, ref_sd = _number(table.loc[reference, metric]), spread[reference]
    above, below, within = [], [], []
    for row, v in table[metric].map(_number).items():
        if row == reference or not np.isfinite(v):
            continue
        if abs(v - ref) <= ref_sd + spread[row]:
            within.append(row)
        else:
            (above if v > ref else below).append(f"{row} ({v:.3f})")
    M = metric.upper()
    text = f"Against {reference} ({ref:.3f} {M}): "
    text += "; ".join(part for part in (
        f"above it by more than the spread over seeds: {_listing(above)}" if above else "",
        f"below it: {_listing(below)}" if below else "",
        f"within the spread: {_listing(within)}" if within else "") if part) + "."
    return Reading(text)


def strategies(summary, metric="NMI"):
    """How much each strategy adds over the first (k-means on the pixels), ours and the thesis's.

    Parameters
    ----------
    summary : pandas.DataFrame
        From :func:`~dimclust.thesis.summary`: per data set, one row per strategy
        (the traditional one first) with the numbers ``ours <metric>`` and
        ``thesis <metric>``.
    metric : str, default "NMI"

    Returns
    -------
    Reading
        One sentence per data set.
    """
    ours_col, thesis_col = ours(metric), thesis(metric)
    out = []
    for ds, part in summary.groupby(DATASET, sort=False):
        base, *rest = (r for _, r in part.iterrows())
        base_ours, base_thesis = _number(base[ours_col]), _number(base[thesis_col])
        bits = []
        for r in rest:
            name = str(r["strategy"]).split(":")[0]
            mine, theirs = _number(r[ours_col]), _number(r[thesis_col])
            thesis_part = (f" (the thesis: {theirs - base_thesis:+.3f})"
                           if np.isfinite(theirs) and np.isfinite(base_thesis) else "")
            if np.isfinite(mine) and np.isfinite(base_ours):
                bits.append(f"{name} {mine - base_ours:+.3f}{thesis_part}")
            else:
                bits.append(f"{name}: no record of ours yet{thesis_part}")
        out.append(f"*{ds}*: against k-means on the pixels ({base_ours:.3f} {metric}), "
                   + "; ".join(bits) + ".")
    return Reading("\n\n".join(out))
