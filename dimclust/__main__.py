"""Command line: ``python -m dimclust run ...`` and ``python -m dimclust table 12.1``.

Examples
--------
    python -m dimclust run --dataset fashion --pipeline umap2+kmeans --seeds 5
    python -m dimclust run --dataset mnist-test --pipeline kmeans --seeds 3 --json
    python -m dimclust table 12.1 --n-samples 10000 --seeds 3
"""
from __future__ import annotations

import argparse
import json
import logging
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


def _table_text(record):
    from .experiments import format_mean_sd
    lines = [f"{record['pipeline']} on {record['dataset']} (n={record['n_samples']}, "
             f"seeds {record['seeds']})", ""]
    head = ["seed", "NMI", "ARI", "AMI", "ACC", "silhouette", "assigned", "seconds"]
    lines.append("  ".join(f"{h:>10}" for h in head))
    for r in record["runs"]:
        m = r["metrics"]
        vals = [m["nmi"], m["ari"], m["ami"], m["acc"], m.get("silhouette", float("nan")),
                m["assigned"], r["timings"]["total"]]
        lines.append(f"{r['seed']:>10}  " + "  ".join(f"{v:>10.3f}" for v in vals))
    mean, sd = record["mean"], record["sd"]
    lines.append("")
    for k in ("nmi", "ari", "ami", "acc", "silhouette", "assigned"):
        lines.append(f"{k:>10}: {format_mean_sd(mean[k], sd[k])}")
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in record["time_mean"].items())
    lines.append(f"{'time':>10}: {stages} (mean per seed)")
    return "\n".join(lines)


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
    r.add_argument("--out", default="results/runs",
                   help="folder for the JSON/CSV record (default results/runs)")
    r.add_argument("--no-cache", action="store_true", help="recompute even if cached")
    r.add_argument("--json", action="store_true", help="print the JSON record instead of a table")

    t = sub.add_parser("table", help="a thesis table with our mean ± sd beside it")
    t.add_argument("table", choices=["12.1", "12.2", "13.1"])
    t.add_argument("--seeds", type=int, default=3)
    t.add_argument("--n-samples", type=int, default=None)
    t.add_argument("--rows", nargs="*", help="only these pipelines")
    t.add_argument("--cached-only", action="store_true",
                   help="show cached results only; do not compute missing ones")

    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose or not getattr(args, "json", False)
                        else logging.WARNING, format="%(asctime)s %(name)s: %(message)s",
                        datefmt="%H:%M:%S", stream=sys.stderr)
    from . import experiments  # noqa: PLC0415
    if args.command == "run":
        rec = experiments.run(args.dataset, args.pipeline, seeds=args.seeds,
                              n_samples=args.n_samples, params=args.params,
                              use_cache=not args.no_cache, verbose=max(0, args.verbose - 1))
        path = experiments.write_record(rec, args.out)
        if args.json:
            print(json.dumps(rec, indent=1))
        else:
            print(_table_text(rec))
            print(f"\nrecord: {path}")
    else:
        df = experiments.compare(args.table, seeds=args.seeds, n_samples=args.n_samples,
                                 rows=args.rows, run_missing=not args.cached_only,
                                 verbose=max(0, args.verbose - 1))
        print(experiments.thesis_table(args.table)["title"])
        print("(thesis: the published value; ours: mean ± sd over seeds)\n")
        print(df.to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
