"""Experiments: scales, the multi-seed runner, run records, and the thesis's tables.

- :mod:`~dimclust.experiments.scales` — what ``quick`` and ``full`` mean and the
  parameters each pipeline gets there (:func:`settings`, :func:`pipeline_params`,
  :func:`variant`);
- :mod:`~dimclust.experiments.runner` — :func:`run` a pipeline for several seeds, each
  seed's result remembered in the result store;
- :mod:`~dimclust.experiments.records` — write, load and format run records;
- :mod:`~dimclust.experiments.campaign` and :mod:`~dimclust.experiments.jobs` — the
  declared long runs, resumable (``python -m dimclust campaign thesis``);
- :mod:`~dimclust.experiments.artifacts` — pretrained autoencoders shipped beside records;
- :mod:`~dimclust.experiments.thesis` — the published tables beside ours (:func:`compare`);
- :mod:`~dimclust.experiments.claims` — the thesis's claims checked against run records;
- :mod:`~dimclust.experiments.report` — the Results chapter's summary and table format;
- :mod:`~dimclust.experiments.views` — the thesis's tables for reading, and drawn;
- :mod:`~dimclust.experiments.beyond` — the candidates of the last chapter and the
  label-free rule that picks one.
"""
from . import beyond
from .artifacts import load_pretrained, ship_pretrained
from .claims import CLAIMS, CONCLUSIONS, check_claims, conclusions
from .records import (
    METRICS,
    best_run,
    describe_run,
    find_records,
    find_run,
    format_mean_sd,
    format_metric,
    iter_records,
    load_records,
    read_record,
    record_text,
    write_record,
)
from .report import METRIC_NAMES, STRATEGIES, record_variants, show, summary
from .runner import (
    PROTOCOLS,
    cache_dir,
    is_cached,
    load_for,
    result_store,
    run,
    run_seed,
    summarise,
)
from .scales import SCALES, hdbscan_params, part_params, pipeline_params, settings, variant
from .thesis import (
    compare,
    compare_pipelines,
    row_n_samples,
    row_params,
    row_record,
    thesis_figures,
    thesis_nmi,
    thesis_protocol,
    thesis_table,
    thesis_text_value,
    thesis_text_values,
    thesis_value,
)
from .views import chart, score_table, view

__all__ = ["best_run", "describe_run", "load_pretrained", "ship_pretrained", "beyond", "STRATEGIES", "record_variants", "show", "summary", "METRIC_NAMES", "chart", "score_table", "view", "CLAIMS", "CONCLUSIONS", "check_claims", "conclusions", "METRICS", "find_records", "find_run", "iter_records", "format_mean_sd", "format_metric", "load_records", "read_record", "record_text",
           "write_record",
           "PROTOCOLS", "cache_dir", "is_cached", "load_for", "result_store", "run", "run_seed", "summarise",
           "SCALES", "hdbscan_params", "part_params", "pipeline_params", "settings", "variant",
           "compare", "compare_pipelines", "row_n_samples", "row_params", "row_record", "thesis_nmi", "thesis_protocol",
           "thesis_figures", "thesis_table", "thesis_text_value", "thesis_text_values", "thesis_value"]
