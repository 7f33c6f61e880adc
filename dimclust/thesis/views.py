"""The thesis's tables as a reader reads them: ours beside theirs, each with its scale.

:func:`~dimclust.thesis.compare` gives one column per source and metric, with counts
and timings beside: everything, for a program. :func:`view` folds that into a table that
fits a page — per metric, ours and the thesis's side by side under one heading; the scale
of ours (images and seeds) in its header when every row shares it, else in a column; a
missing value as "—" with the reason under the table — and, for a chapter run at a small
scale, the record at the thesis's scale beside the chapter's own result. :func:`chart`
draws the same comparison: every seed of ours, its mean ± sd, and the thesis's one value.
"""
from __future__ import annotations

from ..experiments.records import SD_SUFFIX
from .columns import ASSIGNED, DATASET, LABEL, MISSING, SEEDS, N, ours, printed, sd, thesis
from .display import METRIC_NAMES, THESIS_DIGITS, is_missing, mean_sd_cells, show
from .results import WHOLE
from .rows import row_record
from .values import thesis_table, thesis_value

__all__ = ["view", "chart", "draw_seeds", "score_table"]

#: What a missing cell of ours means, said once under the table.
_WHY = {"no record": "no run at this scale is on record yet",
        "not run": "not run at this scale",
        "no data here": "the data set cannot be loaded where this book was built",
        "needs the training split": "the row needs the data set's training split"}


def _metrics(table):
    return [c[len(ours("")):] for c in table.columns
            if c.startswith(ours("")) and not c.endswith(SD_SUFFIX)]


def _scale(n, seeds):
    return f"{int(n):,} images, {int(seeds)} seed{'s' if int(seeds) != 1 else ''}"


def _ours(table, metric):
    """The cells of our ``metric`` for display, and the reasons of the missing ones."""
    why = {str(r) for v, r in zip(table[ours(metric)], table.get(MISSING, [None] * len(table)))
           if is_missing(v) and not is_missing(r) and str(r) in _WHY}
    return mean_sd_cells(list(table[ours(metric)]), list(table[sd(ours(metric))]),
                         list(table[SEEDS])), why


def _published(table, metric):
    """The thesis's values as its tables print them, to 4 decimals; a cell that is not one
    number as printed."""
    text = table.get(printed(thesis(metric)), [None] * len(table))
    return [t if isinstance(t, str) else "—" if is_missing(v) else f"{v:.{THESIS_DIGITS}f}"
            for v, t in zip(table[thesis(metric)], text)]


def _source_label(table, name):
    """``"ours, 3,000 images, 3 seeds"`` when every row with a run shares its scale, else
    ``name`` (the scale then goes in a column of its own)."""
    if N not in table:
        return name, None
    ran = table.dropna(subset=[N])
    scales = {(int(n), int(s)) for n, s in zip(ran[N], ran[SEEDS])}
    if len(scales) == 1:
        return f"{name}, {_scale(*scales.pop())}", None
    return name, [("—" if is_missing(n) else _scale(n, s))
                  for n, s in zip(table[N].astype(object), table[SEEDS].astype(object))]


def _assigned(table):
    """The share each row labels, for display ("all" where it labels every image), or
    ``None`` where every row labels every image."""
    if ASSIGNED not in table or not (table[ASSIGNED] < 1).any():
        return None
    cells = mean_sd_cells(list(table[ASSIGNED]), list(table[sd(ASSIGNED)]), list(table[SEEDS]))
    return ["all" if not is_missing(a) and a >= 1 else c for a, c in zip(table[ASSIGNED], cells)]


def view(table, *, full=None, metrics=None, caption=None, label=None):
    """A :func:`~dimclust.thesis.compare` table, formatted once, to be read.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`~dimclust.thesis.compare`, run here or read from records.
    full : pandas.DataFrame, optional
        The same table read from the records at the thesis's scale
        (``compare(..., records=...)``), shown beside ``table`` for a chapter that runs at
        a smaller one.
    metrics : list of str, optional
        Which of the table's metrics to show, e.g. ``["nmi", "acc"]``; default all.
    caption : str, optional
        Shown above the table; the reasons for "—" cells follow it.
    label : str, optional
        The table's target for ``{tabref}`` (:func:`~dimclust.thesis.show`).

    Returns
    -------
    pandas.io.formats.style.Styler
        Two header rows: the metric, then the source ("ours, 3,000 images, 3 seeds",
        "ours at the thesis's scale", "thesis"). The DataFrame is ``.data``.
    """
    import pandas as pd  # noqa: PLC0415
    metrics = list(metrics or _metrics(table))
    unknown = sorted(set(metrics) - set(_metrics(table)))
    if unknown:
        raise ValueError(f"metrics {unknown} are not in the table; it has {_metrics(table)}")
    if full is not None and len(full) != len(table):
        raise ValueError(f"full has {len(full)} rows and table {len(table)}; pass the same "
                         f"table and rows read from the records")
    ours, ours_scales = _source_label(table, "ours" if full is None else "ours here")
    sources = [(table, ours, ours_scales)]
    if full is not None:
        header, scales = _source_label(full, "ours at the thesis's scale")
        sources.append((full, header, scales))
    cols, why = {}, set()
    if table[DATASET].nunique() > 1:
        cols[("", DATASET)] = list(table[DATASET])
    cols[("", LABEL)] = list(table[LABEL])
    for m in metrics:
        name = METRIC_NAMES.get(m, m)
        for t, header, _ in sources:
            cols[(name, header)], reasons = _ours(t, m)
            why |= reasons
        cols[(name, "thesis")] = _published(table, m)
    for _, header, scales in sources:
        if scales is not None:
            cols[("scale", header)] = scales
    for t, header, _ in sources:
        if ASSIGNED not in metrics and (shares := _assigned(t)) is not None:
            cols[(ASSIGNED, header)] = shares
    df = pd.DataFrame(cols)
    df.columns = pd.MultiIndex.from_tuples(df.columns)
    notes = [f"— : {_WHY[w]}." for w in sorted(why)]
    text = " ".join(([caption] if caption else []) + notes) or None
    return show(df, caption=text, label=label)


def draw_seeds(ax, record, metric, y, *, whole=True):
    """Draw a record's seeds (grey dots) and its mean ± sd (black; hollow when the record
    is not a clustering of the whole set) at height ``y`` of ``ax``."""
    seeds = [run["metrics"][metric] for run in record["runs"]]
    ax.scatter(seeds, [y] * len(seeds), s=12, color="0.6", zorder=2)
    ax.errorbar(record["mean"][metric], y, xerr=record["sd"][metric], fmt="o", color="black",
                ms=4, capsize=3, zorder=3, mfc="black" if whole else "white")


def chart(table, records, *, metric="nmi", datasets=None, title=None):
    """Ours beside the thesis's, drawn: each seed of each row, its mean ± sd, the thesis's value.

    Parameters
    ----------
    table : {"12.1", "12.2", "13.1"}
    records : str or path
        The folder of run records (the thesis's scale, :func:`row_record`).
    metric : str, default "nmi"
    datasets : list of str, optional
        The data sets to draw, one panel each; default the table's.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        One horizontal row per table row: grey dots the seeds, a black bar mean ± sd, a red
        diamond the thesis's value; a row without a record shows only the diamond. A row
        that labels less than :data:`~dimclust.thesis.WHOLE` of the images
        (HDBSCAN's noise) has a hollow mean and its share under its name: it is not a
        clustering of the whole set.
    """
    import matplotlib.pyplot as plt  # noqa: PLC0415
    t = thesis_table(table)
    dsets = datasets or ([t["dataset"]] if "dataset" in t else t["datasets"])
    rows = t["rows"]
    fig, axes = plt.subplots(1, len(dsets), figsize=(4.2 * len(dsets) + 2.2, 0.42 * len(rows) + 1.2),
                             sharey=True, squeeze=False)
    partial = {}                       # row -> share assigned, for rows scored on part
    for ax, ds in zip(axes[0], dsets):
        for i, r in enumerate(rows):
            rec = row_record(records, table, ds, r["key"])
            if rec is not None:
                whole = rec["mean"].get("assigned", 1.0) >= WHOLE
                draw_seeds(ax, rec, metric, i, whole=whole)
                if not whole:        # scored on the images it labels: not a whole clustering
                    partial[i] = min(partial.get(i, 1.0), rec["mean"]["assigned"])
            v = thesis_value(table, ds, r["key"], metric)
            if isinstance(v, (int, float)):
                ax.scatter([v], [i], marker="D", s=30, color="#d62728", zorder=4)
        ax.set_title(ds, fontsize=10)
        ax.set_xlabel(METRIC_NAMES.get(metric, metric))
        ax.grid(axis="x", alpha=0.3)
    axes[0][0].set_yticks(range(len(rows)), [
        r["label"] + ("" if i not in partial else f"\n(on the {partial[i]:.0%} it labels)"
                      if len(dsets) == 1 else "\n(on the images it labels)")
        for i, r in enumerate(rows)], fontsize=8)
    axes[0][0].invert_yaxis()
    handles = [plt.Line2D([], [], marker="o", color="black", ls="", label="ours: mean ± sd"),
               plt.Line2D([], [], marker="o", color="0.6", ls="", ms=4, label="ours: each seed"),
               plt.Line2D([], [], marker="D", color="#d62728", ls="", label="thesis")]
    if partial:
        handles.insert(1, plt.Line2D([], [], marker="o", color="black", mfc="white", ls="",
                                     label="ours, scored on part of the images"))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=8, frameon=False)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


def score_table(y, labelings, *, metrics=("acc", "nmi", "ari"), noise="exclude"):
    """Scores of several clusterings of the same images, one row each, as numbers.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The classes; they only score the clusterings.
    labelings : dict of str -> array-like of shape (n_samples,)
        Name of each clustering -> its cluster labels (``-1``: noise).
    metrics : sequence of str, default ("acc", "nmi", "ari")
        Keys of :func:`~dimclust.evaluate`.
    noise : {"exclude", "include"}, default "exclude"
        Passed to :func:`~dimclust.evaluate`.

    Returns
    -------
    pandas.DataFrame
        Columns "clustering", "clusters", "assigned" (the share not left as noise), then
        the metrics by their names (:data:`METRIC_NAMES`): plain floats, formatted only
        by :func:`~dimclust.thesis.show`.
    """
    import pandas as pd  # noqa: PLC0415

    from ..metrics import evaluate  # noqa: PLC0415
    rows = []
    for name, labels in labelings.items():
        r = evaluate(y, labels, noise=noise)
        rows.append({"clustering": name, "clusters": int(r["n_clusters"]),
                     "assigned": float(r["assigned"]),
                     **{METRIC_NAMES.get(m, m): float(r[m]) for m in metrics}})
    return pd.DataFrame(rows)
