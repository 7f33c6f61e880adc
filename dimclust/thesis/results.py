"""What the Results chapter shows: the best row of each of the thesis's strategies, ours
beside the thesis's, and the records of one pipeline side by side."""
from __future__ import annotations

import math

from ..experiments.records import find_records, metric_columns, part_defaults
from .columns import ASSIGNED, DATASET, SECONDS, SEEDS, N, sd
from .rows import row_record
from .values import thesis_nmi, thesis_table

__all__ = ["STRATEGIES", "WHOLE", "SUMMARY_COLUMNS", "summary", "summary_scale", "record_variants"]

_TWO_STAGE = ("pca50+hdbscan", "tsne2+kmeans", "umap2+kmeans", "umap30+kmeans",
              "umap2+hdbscan", "umap30+hdbscan", "tcae10+kmeans")

#: The thesis's three strategies (ch. 12–13) and the table rows of each.
STRATEGIES = {
    "traditional": (("12.1", "kmeans"),),                            # k-means on the pixels
    "two-stage": tuple(("12.1", k) for k in _TWO_STAGE),              # reduce, then cluster
    "deep clustering": (("13.1", "dcec"), ("13.1", "dcec-gamma1")),  # DCEC
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
        data set, strategy, the thesis's best row and its NMI, ours (row, ``ours NMI`` and
        its sd, ``seeds``, ``n`` and the share ``assigned``): numbers, formatted by
        :func:`~dimclust.thesis.show`.
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
            row = {DATASET: ds, "strategy": strategy,
                   "thesis: best row": theirs[1] if theirs else "—",
                   "thesis NMI": theirs[0] if theirs else math.nan,
                   "ours: best row": ours[1] if ours else "no record yet",
                   "ours NMI": math.nan, sd("ours NMI"): math.nan, SEEDS: None, N: None,
                   ASSIGNED: math.nan}
            if ours:
                rec = ours[2]
                cells = metric_columns(rec, ["nmi", ASSIGNED])
                row.update({"ours NMI": cells["nmi"], sd("ours NMI"): cells[sd("nmi")],
                            SEEDS: len(rec["seeds"]), N: rec["n_samples"],
                            ASSIGNED: cells[ASSIGNED]})
            rows.append(row)
    out = pd.DataFrame(rows)
    for col in (SEEDS, N):
        if col in out:
            out[col] = out[col].astype("Int64")
    return out


#: The columns of :func:`summary` a page shows; the images and seeds of ours go in the
#: caption (:func:`summary_scale`).
SUMMARY_COLUMNS = (DATASET, "strategy", "thesis: best row", "thesis NMI", "ours: best row",
                   "ours NMI", ASSIGNED)


def summary_scale(table):
    """What our rows of a :func:`summary` table ran on, for its caption:
    ``"70,000 images, 3 or 1 seeds"``; ``"no run"`` where no row has one."""
    images = " or ".join(f"{int(n):,}" for n in table[N].dropna().unique())
    seeds = sorted({int(s) for s in table[SEEDS].dropna()}, reverse=True)
    if not images:
        return "no run"
    return f"{images} images, {' or '.join(map(str, seeds))} seed{'s' if seeds != [1] else ''}"


def record_variants(folder, dataset, pipeline, metrics=("nmi", "ari", "acc")):
    """The records of one pipeline on one data set, side by side: one row per record, a
    column per parameter that differs between them, then mean ± sd of ``metrics``.

    A record stores the parameters it was given; one it was not given reads as the part's
    own default (:data:`~dimclust.grammar.PARTS`), so a setting written out at its default
    value is no difference.

    Returns
    -------
    pandas.DataFrame
        Empty when there is no record.
    """
    import pandas as pd  # noqa: PLC0415
    recs = find_records(folder, dataset=dataset, pipeline=pipeline)
    given = [{(part, k): v for part, own in r["params"].items() for k, v in own.items()
              if k != "verbose"} for r in recs]
    defaults = {part: part_defaults(part) for part in {p for g in given for p, _ in g}}
    keys = sorted({key for g in given for key in g})
    flat = [{f"{p}.{k}": g.get((p, k), defaults[p].get(k, "default")) for p, k in keys}
            for g in given]
    differ = [f"{p}.{k}" for p, k in keys if len({repr(f[f"{p}.{k}"]) for f in flat}) > 1]

    def order(value):            # numbers by size, before any text
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return (0, value, "") if number else (1, 0, repr(value))

    rows = []
    for rec, f in sorted(zip(recs, flat), key=lambda rf: [order(rf[1][k]) for k in differ]):
        rows.append({**{k: f[k] for k in differ},
                     **metric_columns(rec, metrics),
                     SEEDS: len(rec["seeds"]), "images": rec["n_samples"],
                     SECONDS: float(rec["time_mean"]["total"])})
    return pd.DataFrame(rows)
