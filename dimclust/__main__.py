"""Command line: ``python -m dimclust run ...``, ``table 12.1`` and ``campaign thesis``.

Examples
--------
    python -m dimclust run --dataset fashion --pipeline umap2+kmeans --seeds 5
    python -m dimclust run --dataset mnist-test --pipeline kmeans --seeds 3 --json
    python -m dimclust table 12.1 --n-samples 10000 --seeds 3
    python -m dimclust campaign thesis --status
    nice python -m dimclust -v campaign thesis --out results/cpu --jobs 2

SIGTERM is handled as Ctrl-C: a training stops, its last checkpoint (after the last
whole epoch or target update) stays in the result store, and the same command resumes.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys


def _params(text):
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        raise argparse.ArgumentTypeError(f"--params must be JSON, e.g. "
                                         f"'{{\"umap\": {{\"n_neighbors\": 15}}}}': {e}") from e
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("--params must be a JSON object keyed by part name")
    return value


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m dimclust",
                                 description="Clustering experiments of the dimclust book.")
    ap.add_argument("-v", "--verbose", action="count", default=0,
                    help="log progress (-v), and show library progress bars (-vv)")
    sub = ap.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="run one pipeline over several seeds")
    r.add_argument("--dataset", required=True,
                   help="mnist, mnist-test, fashion, cifar10 or digits")
    r.add_argument("--pipeline", required=True, help="e.g. kmeans, umap2+kmeans, cae10+kmeans")
    r.add_argument("--seeds", type=int, default=3, help="number of seeds, 0..N-1 (default 3)")
    r.add_argument("--n-samples", type=int, default=None, help="random subset size (default all)")
    r.add_argument("--params", type=_params, default=None,
                   help="JSON overrides per part, e.g. '{\"umap\": {\"n_neighbors\": 15}}'")
    r.add_argument("--out", default=os.environ.get("DIMCLUST_RECORDS") or "results/runs",
                   help="folder for the JSON/CSV record (default $DIMCLUST_RECORDS, "
                        "else results/runs)")
    r.add_argument("--protocol", choices=["train-test"], default=None,
                   help="train-test: the first reducer learns from the training split; the "
                        "pipeline is scored on the test split (the thesis's CAE row)")
    r.add_argument("--no-cache", action="store_true", help="recompute even if cached")
    r.add_argument("--json", action="store_true", help="print the JSON record instead of a table")

    t = sub.add_parser("table", help="a thesis table with our mean ± sd beside it")
    t.add_argument("table", choices=["12.1", "12.2", "13.1"])
    t.add_argument("--seeds", type=int, default=3)
    t.add_argument("--n-samples", type=int, default=None)
    t.add_argument("--rows", nargs="*", help="only these pipelines")
    t.add_argument("--cached-only", action="store_true",
                   help="show cached results only; do not compute missing ones")

    c = sub.add_parser("campaign", help="run a declared list of long jobs, resumably")
    c.add_argument("name", help="the campaign: thesis (table 13.1), beyond (the last chapter)")
    c.add_argument("--out", default=os.environ.get("DIMCLUST_RECORDS") or "results/cpu",
                   help="folder of its run records (default $DIMCLUST_RECORDS, else "
                        "results/cpu)")
    c.add_argument("--status", action="store_true",
                   help="list the jobs: done, running, waiting or to do, with hours")
    c.add_argument("--jobs", type=int, default=1,
                   help="processes side by side, sharing the result store (default 1)")
    c.add_argument("--hours", type=float, default=None,
                   help="start no new job after this many hours")
    c.add_argument("--only", default=None, metavar="PATTERNS",
                   help="only the jobs whose names match one of these comma-separated "
                        "shell patterns, e.g. 'dcec-gamma1/*/seed1,dcec/fashion/*'")

    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose or not getattr(args, "json", False)
                        else logging.WARNING, format="%(asctime)s %(name)s: %(message)s",
                        datefmt="%H:%M:%S", stream=sys.stderr)
    from . import experiments, thesis  # noqa: PLC0415
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        if args.command == "campaign":
            return _campaign(args)
        if args.command == "run":
            rec = experiments.run(args.dataset, args.pipeline, seeds=args.seeds,
                                  n_samples=args.n_samples, params=args.params,
                                  protocol=args.protocol, use_cache=not args.no_cache, verbose=max(0, args.verbose - 1))
            path = experiments.write_record(rec, args.out)
            body = {k: v for k, v in rec.items() if k != "samples"}      # arrays stay in the .npz
            print(json.dumps(body, indent=1) if args.json
                  else f"{experiments.record_text(rec)}\n\nrecord: {path}")
        else:
            cfg = experiments.settings("full", n_samples=args.n_samples, seeds=args.seeds)
            df = thesis.compare(args.table, cfg, rows=args.rows,
                                     run_missing=not args.cached_only,
                                     verbose=max(0, args.verbose - 1))
            print(thesis.thesis_table(args.table)["title"])
            print("(thesis: the published value; ours: mean ± sd over seeds)\n")
            print(df.to_string(index=False))
    except (ValueError, TypeError, KeyError, OSError) as e:
        # A bad argument or missing data: one line that names the fix, not a traceback.
        message = e.args[0] if isinstance(e, KeyError) and e.args else e
        print(f"{ap.prog}: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{ap.prog}: interrupted; the last checkpoint is kept in the result store: "
              "run the same command again to resume", file=sys.stderr)
        return 130
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _campaign(args):
    from .experiments import campaign  # noqa: PLC0415
    from .thesis import jobs  # noqa: PLC0415
    if args.name not in jobs.CAMPAIGNS:
        raise ValueError(f"unknown campaign {args.name!r}; the campaigns are "
                         f"{sorted(jobs.CAMPAIGNS)}")
    if args.jobs < 1:
        raise ValueError(f"--jobs {args.jobs}: give 1 or more processes")
    todo = jobs.CAMPAIGNS[args.name]()
    if args.only:
        todo = campaign.select(todo, args.only.split(","))
    if args.status:
        print(campaign.status_text(todo, args.out))
        return 0
    failed = campaign.run_campaign(
        todo, args.out, n_jobs=args.jobs, verbose=1,
        stop_after=None if args.hours is None else args.hours * 3600,
        command=campaign.worker_command(args.name, args.out, args.verbose, only=args.only))
    print(campaign.status_text(todo, args.out))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
