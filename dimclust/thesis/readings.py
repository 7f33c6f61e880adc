"""Readings: the sentence under a figure or table, computed from what it shows.

A chapter's interpretation of a figure must not contradict the figure when the chapter is
re-run with other data, another seed or another scale. Each function here turns computed
values into the one or two sentences a reader needs under a figure or a table and returns
a :class:`Reading`: a ``str`` that Jupyter shows as Markdown.

* :func:`class_separation` — which classes a 2-D map keeps apart and which it mixes.
* :func:`structure` — which reduction keeps neighbourhoods and which the global layout (§11.4).
* :func:`class_split` — the class a clustering spreads most evenly over two clusters (§12.2).
* :func:`density_clusters` — how many clusters HDBSCAN finds and how much it assigns (§12.1.2).
* :func:`ranking` — the order of a results table's rows by a metric, ours beside the thesis's.
* :func:`strategies` — how much each strategy adds over k-means on the pixels, ours and the
  thesis's (the Results chapter's summary).
* :func:`against` — which variants of a method differ from a reference row by more than
  their spread over seeds.
* :func:`choice` — what the label-free rule of the last chapter chose, and how it scores.
"""
from __future__ import annotations

import math
import re

import numpy as np

from .. import quality
from .._validation import check_labels
from . import beyond

__all__ = ["Reading", "class_separation", "structure", "class_split", "density_clusters", "ranking",
           "strategies", "against", "choice"]


class Reading(str):
    """A sentence computed from results; Jupyter renders it as Markdown."""

    def _repr_markdown_(self):
        return str(self)


def _names(classes, class_names):
    return [str(class_names[c]) if class_names is not None else str(c) for c in classes]


def _listing(items):
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def class_separation(Z, y, class_names=None, *, k=10, n=3):
    """Which classes a map keeps apart and which it mixes.

    Parameters
    ----------
    Z : array-like, shape (n_samples, n_components)
        The map (usually 2-D) that a figure draws.
    y : array-like of int, shape (n_samples,)
        True classes (only to describe the map, never to tune it).
    class_names : sequence of str, optional
    k : int, default 10
        Neighbours per point (:func:`~dimclust.quality.class_purity`).
    n : int, default 3
        Classes named at each end.

    Returns
    -------
    Reading
    """
    purity = quality.class_purity(Z, y, k=k)
    order = sorted(purity, key=purity.get, reverse=True)
    n = max(1, min(n, len(order) // 2))
    names = dict(zip(order, _names(order, class_names)))
    best = _listing([f"*{names[c]}* ({purity[c]:.0%})" for c in order[:n]])
    worst = _listing([f"*{names[c]}* ({purity[c]:.0%})" for c in order[::-1][:n]])
    return Reading(f"On this map the classes best kept apart are {best}; the most mixed are "
                   f"{worst} (the share of an image's {k} nearest neighbours on the map that "
                   f"are of its class).")


def structure(table):
    """Which reduction keeps most neighbourhoods and which keeps the global layout.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~dimclust.quality.structure_kept`'s table: one column per reduction, rows
        :data:`~dimclust.quality.KNN_KEPT` and :data:`~dimclust.quality.CENTROID_CORRELATION`.

    Returns
    -------
    Reading
    """
    parts, winners = [], []
    from ..quality import CENTROID_CORRELATION, KNN_KEPT  # noqa: PLC0415
    k = table.attrs.get("k")
    for row, what in ((KNN_KEPT, "keeps the most nearest neighbours"
                       + ("" if k is None else f" (of each point's {k})")),
                      (CENTROID_CORRELATION, "keeps the layout of the classes best")):
        if row not in table.index:
            raise KeyError(f"the table has no row {row!r}; its rows are {list(table.index)}")
        s = table.loc[row].astype(float).sort_values(ascending=False)
        others = ", ".join(f"{m} {v:.2f}" for m, v in s.iloc[1:].items())
        parts.append(f"{s.index[0]} {what} ({s.iloc[0]:.2f}; {others})")
        winners.append(s.index[0])
    return Reading(f"{parts[0]}; {parts[1]}." + ("" if winners[0] == winners[1] else
                   " No single map wins on both: local and global structure trade off."))


def class_split(y, clusters, class_names=None, *, thesis=None):
    """The class a clustering spreads most evenly over two clusters.

    Parameters
    ----------
    y, clusters : array-like of int, shape (n_samples,)
        True classes and cluster labels (``-1``, noise, counts as a cluster of its own).
    class_names : sequence of str, optional
    thesis : str, optional
        The thesis's own observation, appended as a sentence.

    Returns
    -------
    Reading
    """
    import pandas as pd  # noqa: PLC0415
    y, clusters = check_labels(y), check_labels(clusters, name="clusters")
    if len(y) != len(clusters):
        raise ValueError(f"y has {len(y)} labels but clusters has {len(clusters)}")
    shares = pd.crosstab(y, clusters, normalize="index")
    top2 = {c: np.sort(r.to_numpy())[::-1][:2] for c, r in shares.iterrows()}
    split = max(top2, key=lambda c: top2[c][1] if len(top2[c]) > 1 else 0.0)
    first, second = top2[split][0], top2[split][1] if len(top2[split]) > 1 else 0.0
    name = _names([split], class_names)[0]
    text = (f"Every class has at least {shares.max(axis=1).min():.0%} of its images in one "
            f"cluster. The class most split is *{name}*: {first:.0%} of its images in one "
            f"cluster and {second:.0%} in another.")
    return Reading(text + (f" {thesis}" if thesis else ""))


def density_clusters(scores, dataset, *, compare_to="umap2+kmeans"):
    """How many clusters HDBSCAN finds on PCA-50 and on a 2-D UMAP, and how much it assigns,
    beside the thesis's counts where its text gives them (Fashion-MNIST, §12.1.2).

    Parameters
    ----------
    scores : pandas.DataFrame
        One row per pipeline (index ``"pca50+hdbscan"``, ``"umap2+hdbscan"`` and
        ``compare_to``) with ``n_clusters`` and ``assigned`` (from
        :func:`~dimclust.metrics.evaluate`).
    dataset : str
        The data set the scores are of; the thesis's numbers are added only for its own.
    compare_to : str, default "umap2+kmeans"
        The row of a clusterer told how many clusters to find.

    Returns
    -------
    Reading
    """
    from .values import thesis_text_value  # noqa: PLC0415

    def thesis(pipeline, quantity):
        try:
            return thesis_text_value(dataset, pipeline, quantity)
        except KeyError:
            return None

    said = []
    for pipeline, where in (("pca50+hdbscan", "On 50 principal components"),
                            ("umap2+hdbscan", "on UMAP's 2-D map")):
        row = scores.loc[pipeline]
        text = (f"{where} HDBSCAN finds {int(row['n_clusters'])} clusters and assigns "
                f"{row['assigned']:.0%} of the images")
        found, noise = thesis(pipeline, "clusters found"), thesis(pipeline, "share of images left as noise")
        theirs = ([f"{found:.0f} clusters"] if found is not None else []) + (
            [f"{1 - noise:.1%} assigned"] if noise is not None else [])
        said.append(text + (f" (the thesis, on all 70,000 images: {', '.join(theirs)})" if theirs else ""))
    return Reading(f"{said[0]}; {said[1]}. k-means is told to find "
                   f"{int(scores.loc[compare_to]['n_clusters'])}.")


_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)")
_SD = re.compile(r"±\s*(\d+(?:\.\d+)?)")


def _value(cell):
    """The mean of a formatted cell ("0.512 ± 0.004", "0.751 (one run)", 0.5284); NaN else."""
    if isinstance(cell, (int, float, np.floating)) and not isinstance(cell, bool):
        return float(cell)
    m = _NUMBER.match(str(cell)) if cell is not None else None
    return float(m.group(1)) if m else math.nan


def ranking(table, metric="nmi", *, label="row (thesis)", baseline="kmeans", whole=0.9):
    """The order of a results table's rows by ``metric``, ours beside the thesis's.

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`~dimclust.thesis.compare` for one data set: a ``label``
        column, ``ours <metric>`` / ``thesis <metric>`` columns of formatted values and,
        where a row leaves points as noise, ``assigned``.
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
        fall in the same order; rows without a value of ours ("not run") are left out.
    """
    ours_col, thesis_col = f"ours {metric}", f"thesis {metric}"
    if "data set" in table.columns and table["data set"].nunique() > 1:
        return Reading("\n\n".join(
            f"*{ds}*: " + ranking(part, metric, label=label, baseline=baseline, whole=whole)
            for ds, part in table.groupby("data set", sort=False)))
    for col in (label, ours_col):
        if col not in table.columns:
            raise KeyError(f"the table has no column {col!r}; its columns are {list(table.columns)}")
    rows = [r for _, r in table.iterrows() if np.isfinite(_value(r[ours_col]))]
    if not rows:
        why = sorted({str(r[ours_col]) for _, r in table.iterrows()})
        return Reading(f"No row of ours has a {metric.upper()} here ({'; '.join(why)}).")
    assigned = {str(r[label]): _value(r.get("assigned", math.nan)) for r in rows}
    partial = [k for k, a in assigned.items() if a < whole]
    ours = {str(r[label]): _value(r[ours_col]) for r in rows if str(r[label]) not in partial}
    M = metric.upper()
    text = ""
    if ours:
        base = [str(r[label]) for r in rows if r.get("pipeline") == baseline]
        order = sorted(ours, key=ours.get, reverse=True)
        text = f"Our best row by {M} is {order[0]} ({ours[order[0]]:.3f})"
        if base and base[0] in ours and order[0] != base[0]:
            below = [k for k in order if ours[k] < ours[base[0]]]
            text += (f"; k-means on the pixels scores {ours[base[0]]:.3f}, and "
                     + (f"{_listing(below)} {'falls' if len(below) == 1 else 'fall'} below it"
                        if below else "every other row is above it"))
        text += "."
    if partial:
        part = {str(r[label]): _value(r[ours_col]) for r in rows}
        text += " " + " ".join(f"{k} scores {part[k]:.3f} on the {assigned[k]:.0%} of the images "
                               f"it assigns, so it is not ranked with the rest." for k in partial)
    if ours and thesis_col in table.columns:
        theirs = {str(r[label]): _value(r[thesis_col]) for r in rows}
        both = [k for k in order if np.isfinite(theirs.get(k, math.nan))]
        if len(both) >= 2:
            t_order = sorted(both, key=theirs.get, reverse=True)
            text += (" The thesis's values put these rows in the same order." if t_order == both
                     else f" Best first, ours: {' > '.join(both)}; the thesis's: "
                          f"{' > '.join(t_order)}.")
    text += _smaller_than_thesis(rows)
    return Reading(text.strip())


#: The fewest images any row of the thesis's tables ran on (t-SNE's sample).
THESIS_FEWEST = 10_000


def _smaller_than_thesis(rows):
    """A sentence saying that rows run on fewer images than any of the thesis's are another
    experiment, or ``""``; it reads the tables' ``n`` and ``seeds`` columns."""
    sizes = set()
    for r in rows:
        try:
            sizes.add((int(r["n"]), int(r["seeds"])))
        except (KeyError, TypeError, ValueError):     # no run, or a table without counts
            continue
    if not sizes or max(n for n, _ in sizes) >= THESIS_FEWEST:
        return ""
    n, seeds = max(sizes)
    scale = (f"{n:,} images and {seeds} seeds" if len(sizes) == 1
             else f"at most {n:,} images")
    return (f" These runs use {scale}, fewer images than any of the thesis's runs (70,000; "
            f"10,000 for t-SNE): read the order of the rows here, not their values against "
            f"the thesis's. The Results chapter sets our records at the thesis's scale beside "
            f"its values.")


def _sd(cell):
    m = _SD.search(str(cell))
    return float(m.group(1)) if m else 0.0


def against(table, reference, metric="nmi"):
    """Which rows of a variants table differ from ``reference`` by more than their spread.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`~dimclust.thesis.compare_pipelines`: one row per variant, a
        ``metric`` column of "mean ± sd" cells.
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
    ref, ref_sd = _value(table.loc[reference, metric]), _sd(table.loc[reference, metric])
    above, below, within = [], [], []
    for row, cell in table[metric].items():
        v = _value(cell)
        if row == reference or not np.isfinite(v):
            continue
        if abs(v - ref) <= ref_sd + _sd(cell):
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
        (the traditional one first) with ``ours <metric>`` and ``thesis <metric>``.
    metric : str, default "NMI"

    Returns
    -------
    Reading
        One sentence per data set.
    """
    ours_col, thesis_col = f"ours {metric}", f"thesis {metric}"
    out = []
    for ds, part in summary.groupby("data set", sort=False):
        base, *rest = (r for _, r in part.iterrows())
        base_ours, base_thesis = _value(base[ours_col]), _value(base[thesis_col])
        bits = []
        for r in rest:
            name = str(r["strategy"]).split(":")[0]
            ours, theirs = _value(r[ours_col]), _value(r[thesis_col])
            thesis_part = (f" (the thesis: {theirs - base_thesis:+.3f})"
                           if np.isfinite(theirs) and np.isfinite(base_thesis) else "")
            if np.isfinite(ours) and np.isfinite(base_ours):
                bits.append(f"{name} {ours - base_ours:+.3f}{thesis_part}")
            else:
                bits.append(f"{name}: no record of ours yet{thesis_part}")
        out.append(f"*{ds}*: against k-means on the pixels ({base_ours:.3f} {metric}), "
                   + "; ".join(bits) + ".")
    return Reading("\n\n".join(out))


def choice(by_dataset, metric="acc"):
    """What the label-free rule chose on each data set, how it scores, and what the labels
    would have chosen instead.

    Parameters
    ----------
    by_dataset : dict of str -> dict
        ``data set -> {candidate -> record or None}``, from
        :func:`~dimclust.thesis.beyond.run_candidates` or
        :func:`~dimclust.thesis.beyond.find_candidates`.
    metric : str, default "acc"
        The score set beside the aims (:data:`~dimclust.thesis.beyond.AIMS`) and used
        to name the best-scoring candidate.

    Returns
    -------
    Reading
        One sentence per data set.
    """
    M, out = metric.upper(), []
    for ds, recs in by_dataset.items():
        label = beyond.choose(recs)
        if label is None:
            ran = sum(rec is not None for rec in recs.values())
            out.append(f"*{ds}*: " + (
                "no candidate has a record yet." if not ran else
                f"the rule chooses none of the {ran} candidate(s) with a record: it needs two "
                f"seeds or more that put {beyond.WHOLE:.0%} of the images or more into the clusters "
                "asked for."))
            continue
        rec = recs[label]
        text = (f"*{ds}*: the rule chose *{label}* (its {len(rec['seeds'])} seeds agree at "
                f"{rec['agreement']:.3f}), at {M} {rec['mean'][metric]:.3f} and NMI "
                f"{rec['mean']['nmi']:.3f}")
        short = beyond.shortfall(rec, ds)
        gaps = [f"{m.upper()} by {gap:.3f}" for m, gap in short.items() if gap > 0]
        if short:
            text += (f"; short of the aim in {_listing(gaps)}" if gaps else "; the aim is met")
        whole = beyond.eligible(recs)
        best = max(whole, key=lambda k: whole[k]["mean"][metric])
        text += (". It is also the best-scoring candidate by that score." if best == label else
                 f". By the labels, *{best}* would have scored higher "
                 f"({whole[best]['mean'][metric]:.3f}); the rule may not look at them.")
        out.append(text)
    return Reading("\n\n".join(out))
