"""The names of the book's table columns, shared by the code that writes a table and the
code that reads it (:mod:`~dimclust.thesis.views`, :mod:`~dimclust.thesis.readings`).

A table carries numbers: a metric's mean in one column and its standard deviation over
seeds in the column named :func:`sd` of it; :func:`~dimclust.thesis.show` joins the two
into "mean ± sd" for the page.
"""
from __future__ import annotations

from ..experiments.records import SD_SUFFIX

__all__ = ["DATASET", "LABEL", "PIPELINE", "MISSING", "SEEDS", "N", "SECONDS", "ASSIGNED",
           "ours", "thesis", "sd", "printed"]

#: The data set of a row (the thesis's name; ours in brackets where it differs).
DATASET = "data set"
#: The thesis's label of a table row.
LABEL = "row (thesis)"
#: Our pipeline of a row.
PIPELINE = "pipeline"
#: Why a row has no value of ours: "no record", "not run", "no data here", ...
MISSING = "missing"
#: How many seeds and images our value is over, and its mean seconds per seed.
SEEDS, N, SECONDS = "seeds", "n", "seconds/seed"
#: The mean share of the images a clusterer labels (HDBSCAN leaves the rest as noise).
ASSIGNED = "assigned"


def ours(metric):
    """The column of our mean of ``metric``: ``"ours nmi"``."""
    return f"ours {metric}"


def thesis(metric):
    """The column of the thesis's published ``metric``: ``"thesis nmi"``."""
    return f"thesis {metric}"


def sd(column):
    """The column of the standard deviation over seeds of ``column``: ``"ours nmi sd"``."""
    return f"{column}{SD_SUFFIX}"


def printed(column):
    """The column of a published cell that is not one number, as the thesis prints it
    (table 12.2 gives two NMIs for the thesis's CAE on MNIST)."""
    return f"{column} printed"
