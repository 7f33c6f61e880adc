"""The thesis's published values, stored once in ``dimclust/data/thesis.json``: its
tables 12.1, 12.2 and 13.1, the values its text gives outside them, its list of figures
and how each row was run (prose, code, ours)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

__all__ = ["thesis_figures", "thesis_table", "thesis_value", "thesis_nmi", "thesis_text_values",
           "thesis_text_value", "thesis_protocol"]



@lru_cache(maxsize=1)
def _thesis():
    return json.loads((Path(__file__).parent.parent / "data" / "thesis.json").read_text())


def thesis_table(table):
    """The thesis's table ``"12.1"``, ``"12.2"`` or ``"13.1"`` as stored (published values only)."""
    tables = _thesis()["tables"]
    if table not in tables:
        raise KeyError(f"unknown table {table!r}; the thesis tables stored are {sorted(tables)}")
    return tables[table]


def thesis_value(table, dataset, row, metric):
    """One published value (a number, or the printed text of a two-value cell), or ``None``.

    ``row`` is the row's key: its pipeline, or a name such as ``"dcec-gamma1"``.
    """
    t = thesis_table(table)
    vals = t["values"] if "dataset" in t else t["values"].get(dataset, {})
    return vals.get(row, {}).get(metric)


def thesis_nmi(table, dataset, key):
    """The thesis's NMI of a row on ``dataset``, or ``None``; table 12.1 is Fashion's
    alone, so a row of it on another data set is looked up in table 12.2."""
    if table == "12.1" and dataset != thesis_table("12.1")["dataset"]:
        table = "12.2"
    return thesis_value(table, dataset, key, "nmi")


def thesis_figures():
    """The thesis's list of figures: number (``"11.2"``) -> title."""
    return dict(_thesis()["figures"])


def thesis_text_values():
    """The values the thesis gives outside its tables (noise shares, clusters found, AMI)."""
    return list(_thesis()["text"])


def thesis_text_value(dataset, pipeline, quantity):
    """One value the thesis gives in its text, e.g.
    ``thesis_text_value("fashion", "pca50+hdbscan", "clusters found")``."""
    found = [t["value"] for t in _thesis()["text"]
             if (t["dataset"], t["pipeline"], t["quantity"]) == (dataset, pipeline, quantity)]
    if not found:
        have = sorted({t["quantity"] for t in _thesis()["text"]
                       if (t["dataset"], t["pipeline"]) == (dataset, pipeline)})
        raise KeyError(f"the thesis's text gives no {quantity!r} for {pipeline} on {dataset}; "
                       f"it gives {have or 'nothing for that pair'}")
    return found[0]


def thesis_protocol():
    """How each row was run: parameter, the thesis's prose, its code, and ours."""
    return _thesis()["protocol"]["rows"]
