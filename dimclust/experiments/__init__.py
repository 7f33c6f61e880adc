"""The engine: scales, the multi-seed runner, run records and long-run campaigns.

It knows pipelines, data sets and the result store, and nothing of the thesis: the
thesis's tables, claims and readings are the book's layer (:mod:`dimclust.thesis`), which
builds on this one.

- :mod:`~dimclust.experiments.scales` — what ``quick`` and ``full`` mean and the
  parameters each pipeline gets there (:func:`settings`, :func:`pipeline_params`,
  :func:`variant`);
- :mod:`~dimclust.experiments.runner` — :func:`run` a pipeline for several seeds, each
  seed's result remembered in the result store;
- :mod:`~dimclust.experiments.records` — write, load and format run records;
- :mod:`~dimclust.experiments.campaign` — long runs, resumable, in priority order
  (the declared ones: :mod:`dimclust.thesis.jobs`);
- :mod:`~dimclust.experiments.artifacts` — pretrained autoencoders shipped beside records.
"""
from .artifacts import load_pretrained, ship_pretrained
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
    metric_columns,
    read_record,
    record_text,
    run_labels,
    write_record,
)
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

__all__ = ["best_run", "describe_run", "load_pretrained", "ship_pretrained",
           "METRICS", "find_records", "find_run", "iter_records", "format_mean_sd",
           "format_metric", "metric_columns", "load_records", "read_record", "record_text", "run_labels",
           "write_record",
           "PROTOCOLS", "cache_dir", "is_cached", "load_for", "result_store", "run", "run_seed",
           "summarise", "SCALES", "hdbscan_params", "part_params", "pipeline_params", "settings",
           "variant"]
