"""Same seed, same results: scores of several pipelines on all of MNIST-test, to compare commits.

    python benchmarks/same_seed.py run OUT.json          # at one commit (fresh DIMCLUST_CACHE)
    python benchmarks/same_seed.py compare A.json B.json # a table, 'identical' per seed

A refactor that should not change results runs ``run`` before and after, each with its own
empty ``$DIMCLUST_CACHE``, and ``compare``s.
"""
from __future__ import annotations

import argparse
import json
import math
import time

PIPELINES = [("kmeans", None), ("pca50+hdbscan", None), ("umap2+kmeans", None),
             ("umap2+hdbscan", None), ("tsne2+kmeans", None), ("pca10+gmm", None),
             ("cae10+kmeans", {"cae": {"epochs": 3, "verbose": 0}})]
KEYS = ("nmi", "ari", "acc", "assigned")


def run(out, seeds=2):
    from dimclust import experiments
    rows = {}
    for pipe, params in PIPELINES:
        t0 = time.time()
        rec = experiments.run("mnist-test", pipe, seeds=seeds, params=params)
        rows[pipe] = [{k: r["metrics"][k] for k in KEYS} for r in rec["runs"]]
        print(pipe, rows[pipe], f"{time.time() - t0:.0f} s", flush=True)
    with open(out, "w") as f:
        json.dump(rows, f, indent=1)


def compare(a_path, b_path):
    a, b = json.load(open(a_path)), json.load(open(b_path))
    def fmt(v):
        return "nan" if isinstance(v, float) and math.isnan(v) else f"{v:.4f}"

    print("| pipeline | seed | NMI | ARI | ACC | identical |\n|---|---|---|---|---|---|")
    for pipe in a:
        for seed, (x, y) in enumerate(zip(a[pipe], b[pipe])):
            same = all(x[k] == y[k] or (math.isnan(x[k]) and math.isnan(y[k])) for k in x)
            cells = " | ".join(f"{fmt(x[k])} → {fmt(y[k])}" for k in ("nmi", "ari", "acc"))
            print(f"| {pipe} | {seed} | {cells} | {'yes' if same else 'no'} |")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("out")
    c = sub.add_parser("compare")
    c.add_argument("a")
    c.add_argument("b")
    args = ap.parse_args()
    run(args.out) if args.command == "run" else compare(args.a, args.b)
