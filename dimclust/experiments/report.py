"""What the Results chapter shows: the best of each strategy, ours beside the thesis's,
and tables formatted to be read (no index, "—" for a missing value)."""
from __future__ import annotations

import re

import numpy as np

from .records import find_records, format_metric
from .thesis import row_record, thesis_nmi, thesis_table

__all__ = ["METRIC_NAMES", "STRATEGIES", "WHOLE", "summary", "record_variants", "show"]

_TWO_STAGE = ("pca50+hdbscan", "tsne2+kmeans", "umap2+kmeans", "umap30+kmeans",
              "umap2+hdbscan", "umap30+hdbscan", "tcae10+kmeans")

#: The thesis's three strategies (ch. 12–13) and the table rows of each.
STRATEGIES = {
    "traditional: k-means on the pixels": (("12.1", "kmeans"),),
    "two-stage: reduce, then cluster": tuple(("12.1", k) for k in _TWO_STAGE),
    "deep clustering: DCEC": (("13.1", "dcec"), ("13.1", "dcec-gamma1")),
}


def _label(table, key):
    return next(r["label"] for r in thesis_table(table)["rows"] if r["key"] == key)


def _best(cands):
    return max(cands, key=lambda c: c[0]) if cands else None


#: The least share of images a row must assign to count as a clustering of the whole set.
WHOLE = 0.9


def _partial_in_thesis(key):
    """Whether the thesis marks the row as scored on part of the images (table 12.2's "*")."""
    return any(r["key"] == key and r["label"].endswith("*") for r in thesis_table("12.2")["rows"])


def summary(folder, datasets=("fashion", "mnist")):
    """Per data set and strategy, the best-scoring row (by NMI) of the thesis and of ours,
    among the rows that cluster the whole set.

    This reads the tables; it chooses nothing: every row was run with settings fixed
    beforehand. A row that leaves more than a tenth of the images as noise (HDBSCAN on
    PCA-50, marked "*" by the thesis) is scored on the few it assigns and is left out here;
    HDBSCAN rows that assign nearly everything stay, with their share shown.

    Returns
    -------
    pandas.DataFrame
        data set, strategy, thesis (row and NMI), ours (row, NMI mean ± sd, seeds, n).
    """
    import pandas as pd  # noqa: PLC0415
    rows = []
    for ds in datasets:
        for strategy, members in STRATEGIES.items():
            theirs = _best([(v, _label(t, k)) for t, k in members
                            if isinstance(v := thesis_nmi(t, ds, k), float)
                            and not _partial_in_thesis(k)])
            ours = _best([(r["mean"]["nmi"], _label(t, k), r) for t, k in members
                          if (r := row_record(folder, t, ds, k)) is not None
                          and r["mean"]["assigned"] >= WHOLE])
            note = ""
            if ours and ours[2]["mean"]["assigned"] < 0.999:
                note = f", {ours[2]['mean']['assigned']:.1%} assigned"
            rows.append({
                "data set": ds, "strategy": strategy,
                "thesis: best row": theirs[1] if theirs else "—",
                "thesis NMI": f"{theirs[0]:.4f}" if theirs else "—",
                "ours: best row": ours[1] if ours else "no record yet",
                "ours NMI": format_metric(ours[2], "nmi") if ours else "—",
                "seeds, images": (f"{len(ours[2]['seeds'])}, {ours[2]['n_samples']:,}{note}"
                                  if ours else "—")})
    return pd.DataFrame(rows)


#: How a metric is called on the page.
METRIC_NAMES = {"nmi": "NMI", "ari": "ARI", "acc": "ACC", "ami": "AMI",
                "silhouette_pixels": "silhouette (pixels)", "silhouette": "silhouette",
                "assigned": "assigned"}
_COLUMN_NAMES = {**METRIC_NAMES, "n": "images"}


def _display_name(column):
    """A column's name on the page: a metric's (:data:`METRIC_NAMES`), "images" for ``n``,
    a parameter ``part.name`` as "name" in words; others as they are."""
    if not isinstance(column, str):
        return column
    if column in _COLUMN_NAMES:
        return _COLUMN_NAMES[column]
    return column.split(".")[-1].replace("_", " ") if "." in column else column


def show(df, *, columns=None, index=None, caption=None, label=None, precision=3):
    """``df`` as an HTML table to read: no index, numbers to ``precision`` decimals, a
    missing value as "—", text that wraps to fit the page but never inside "mean ± sd",
    columns by their names on the page (:func:`_display_name`), and ``caption`` above it.

    The book numbers a captioned table like a figure ("Table 10.3"); ``label`` makes it the
    target of ``{tabref}`label``` in the page's text (``book/_ext/numbered_tables.py``).

    ``index`` names the index and shows it as the first column (a table of variants);
    ``columns`` keeps those columns, in that order (one the table lacks shows "—").
    """
    if index is not None:
        df = df.rename_axis(index).reset_index()
    if columns is not None:
        df = df.reindex(columns=list(columns))
    df = df.rename(columns=_display_name)

    def cell(v):
        if isinstance(v, str):
            return v.replace(" ± ", "\u00a0±\u00a0")
        if isinstance(v, (float, np.floating)):
            digits = precision if abs(v) < 10 else 1 if abs(v) < 1000 else 0   # scores; seconds
            return f"{v:,.{digits}f}"
        return f"{v:,}" if isinstance(v, (int, np.integer)) and not isinstance(v, bool) else v
    styler = df.style.hide(axis="index").set_table_styles(
        [{"selector": "td, th", "props": [("text-align", "left"),
                                          ("padding", "0.1em 0.8em 0.1em 0")]},
         {"selector": "caption", "props": [("caption-side", "top"), ("text-align", "left")]}])
    if caption:
        styler = styler.set_caption(caption)
    if label is not None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", str(label)):
            raise ValueError(f"label={label!r}; use lower-case letters, digits and hyphens, "
                             "e.g. 'dcec-variants'")
        styler = styler.set_table_attributes(f'data-label="{label}"')
    return styler.format(cell, na_rep="—")


def record_variants(folder, dataset, pipeline, metrics=("nmi", "ari", "acc")):
    """The records of one pipeline on one data set, side by side: one row per record, a
    column per parameter that differs between them, then mean ± sd of ``metrics``.

    Returns
    -------
    pandas.DataFrame
        Empty when there is no record.
    """
    import pandas as pd  # noqa: PLC0415
    recs = find_records(folder, dataset=dataset, pipeline=pipeline)
    flat = [{f"{part}.{k}": v for part, own in r["params"].items() for k, v in own.items()
             if k != "verbose"} for r in recs]
    keys = sorted({k for f in flat for k in f})
    differ = [k for k in keys if len({repr(f.get(k)) for f in flat}) > 1]
    rows = []
    for rec, f in sorted(zip(recs, flat), key=lambda rf: [repr(rf[1].get(k)) for k in differ]):
        rows.append({**{k: f.get(k, "default") for k in differ},
                     **{m: format_metric(rec, m) for m in metrics},
                     "seeds": len(rec["seeds"]), "images": rec["n_samples"],
                     "seconds/seed": round(rec["time_mean"]["total"])})
    return pd.DataFrame(rows)
