"""The book's layer: the thesis's published values, its rows as runs, its claims, the last
chapter's candidates and rule, and the tables and readings the chapters show.

It builds on the engine (:mod:`dimclust.experiments`) and the library; neither imports it,
and ``import dimclust`` does not load it.

- :mod:`~dimclust.thesis.values` — the published tables, text values, figures and protocol;
- :mod:`~dimclust.thesis.rows` — a table's rows as runs, and :func:`compare`: ours beside
  the published values;
- :mod:`~dimclust.thesis.claims` — the thesis's claims checked against run records;
- :mod:`~dimclust.thesis.results` — the Results chapter's best row per strategy, and a
  pipeline's records side by side;
- :mod:`~dimclust.thesis.columns` — the names of the tables' columns, shared by writers and
  readers (the tables carry numbers: a mean, and its sd in a column beside it);
- :mod:`~dimclust.thesis.display` — how a table looks on the page (:func:`show`);
- :mod:`~dimclust.thesis.views` — the thesis's tables for reading, and drawn;
- :mod:`~dimclust.thesis.beyond` — the last chapter's candidates and the label-free rule;
- :mod:`~dimclust.thesis.readings` — the sentences a chapter draws from its results;
- :mod:`~dimclust.thesis.jobs` — the declared long-run campaign ``thesis``.
"""
from . import beyond, columns, readings
from .claims import CLAIMS, CONCLUSIONS, check_claims, conclusions
from .display import METRIC_NAMES, show
from .results import STRATEGIES, SUMMARY_COLUMNS, WHOLE, record_variants, summary, summary_scale
from .rows import compare, compare_pipelines, row_n_samples, row_params, row_record
from .values import (
    thesis_figures,
    thesis_nmi,
    thesis_protocol,
    thesis_table,
    thesis_text_value,
    thesis_text_values,
    thesis_value,
)
from .views import chart, score_table, view

__all__ = ["beyond", "columns", "readings", "CLAIMS", "CONCLUSIONS", "check_claims", "conclusions",
           "METRIC_NAMES", "show", "STRATEGIES", "SUMMARY_COLUMNS", "WHOLE", "record_variants",
           "summary", "summary_scale",
           "compare", "compare_pipelines", "row_n_samples", "row_params", "row_record",
           "thesis_figures", "thesis_nmi", "thesis_protocol", "thesis_table",
           "thesis_text_value", "thesis_text_values", "thesis_value",
           "chart", "score_table", "view"]
