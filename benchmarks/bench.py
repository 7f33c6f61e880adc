"""Timings on this machine: pipelines, openTSNE vs scikit-learn's t-SNE, CAE and
contrastive-encoder epochs.

    python benchmarks/bench.py                      # everything, Fashion at 10k and 70k
    python benchmarks/bench.py --sizes 10000 --skip tsne-compare
    python benchmarks/bench.py --only cae-epoch contrastive-epoch

Prints tables; times are wall seconds of one run (seed 0), not means.
"""
from __future__ import annotations

import argparse
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


import dimclust as dc  # noqa: E402

PIPELINES = list(dc.pipelines.TABLE_12_1)


def bench_pipelines(sizes, pipelines, cae_epochs):
    print(f"\n## Pipelines on Fashion-MNIST (seed 0; CAE {cae_epochs} epochs)\n")
    print(f"{'pipeline':<16}" + "".join(f"{n:>14}" for n in sizes) + "   stages at largest n")
    for pipe in pipelines:
        row, stages = [], ""
        for n in sizes:
            X, y = dc.datasets.load("fashion", n_samples=n if n < 70000 else None, random_state=0)
            params = {"cae": {"epochs": cae_epochs, "verbose": 0}}
            t0 = time.perf_counter()
            p = dc.ClusteringPipeline(pipe, params=params, random_state=0).fit(X)
            row.append(time.perf_counter() - t0)
            stages = ", ".join(f"{k} {v:.1f}" for k, v in p.timings_.items())
            nmi = dc.evaluate(y, p.labels_)["nmi"]
        print(f"{pipe:<16}" + "".join(f"{t:>13.1f}s" for t in row) + f"   {stages} (NMI {nmi:.3f})",
              flush=True)


def bench_tsne(n):
    from sklearn.manifold import TSNE as SkTSNE
    X, _ = dc.datasets.load("fashion", n_samples=n, random_state=0, flatten=True)
    X = dc.PCA(50, random_state=0).fit_transform(X)        # both get the same 50-D input
    print(f"\n## t-SNE on the same {n} Fashion images (PCA 50 first), {os.cpu_count()} cores\n")
    t0 = time.perf_counter()
    dc.TSNE(random_state=0, n_jobs=-1).fit(X)
    t_open = time.perf_counter() - t0
    print(f"openTSNE (FFT)               {t_open:8.1f} s", flush=True)
    t0 = time.perf_counter()
    SkTSNE(2, init="pca", random_state=0, n_jobs=-1).fit_transform(X)
    t_sk = time.perf_counter() - t0
    print(f"scikit-learn (Barnes-Hut)    {t_sk:8.1f} s")
    print(f"ratio sklearn / openTSNE     {t_sk / t_open:8.1f}×")


def _epoch_seconds(make, X):
    """``(first, further)``: seconds of a 1-epoch fit of ``make(epochs)``, and of each epoch
    after it (a 3-epoch fit minus the 1-epoch one, over two), which leaves out building and
    compiling, paid once."""
    seconds = {}
    for epochs in (1, 3):
        t0 = time.perf_counter()
        make(epochs).fit(X)
        seconds[epochs] = time.perf_counter() - t0
    return seconds[1], (seconds[3] - seconds[1]) / 2


def bench_cae(sizes, architectures=("guo", "thesis")):
    """Seconds per CAE epoch (batch 256) on Fashion-MNIST."""
    import keras
    print(f"\n## One CAE epoch (batch 256), Keras {keras.__version__} on {keras.backend.backend()}\n")
    for arch in architectures:
        for n in sizes:
            X, _ = dc.datasets.load("fashion", n_samples=n if n < 70000 else None, random_state=0)
            first, further = _epoch_seconds(lambda e, arch=arch: dc.ConvAutoencoder(
                arch, epochs=e, batch_size=256, validation_split=0.0, patience=None,
                random_state=0, verbose=0), X)
            print(f"{arch:<8} n={n:<6} first epoch (with building) {first:6.1f} s, "
                  f"each further epoch {further:6.1f} s", flush=True)


def bench_contrastive(sizes):
    """Seconds per epoch of :class:`~dimclust.ContrastiveEncoder` (batch 256, two views of
    each image, every augmentation) on Fashion-MNIST."""
    import keras
    print(f"\n## One contrastive epoch (batch 256 × 2 views), Keras {keras.__version__} on "
          f"{keras.backend.backend()}\n")
    for n in sizes:
        X, _ = dc.datasets.load("fashion", n_samples=n if n < 70000 else None, random_state=0)
        first, further = _epoch_seconds(lambda e: dc.ContrastiveEncoder(
            dc.augment.AUGMENTATIONS, epochs=e, random_state=0, verbose=0), X)
        print(f"contrastive n={n:<6} first epoch (with building) {first:6.1f} s, each further "
              f"epoch {further:6.1f} s; 30 epochs ≈ {(first + 29 * further) / 60:.1f} min",
              flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 70000])
    ap.add_argument("--pipelines", nargs="+", default=PIPELINES)
    ap.add_argument("--cae-epochs", type=int, default=10)
    ap.add_argument("--tsne-n", type=int, default=20000)
    parts = ("pipelines", "tsne-compare", "cae-epoch", "contrastive-epoch")
    ap.add_argument("--only", nargs="+", choices=parts)
    ap.add_argument("--skip", nargs="+", choices=parts, default=[])
    args = ap.parse_args()
    todo = [p for p in (args.only or parts) if p not in args.skip]
    print(f"# dimclust {dc.__version__} benchmarks: {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")
    if "cae-epoch" in todo:
        bench_cae(args.sizes)
    if "contrastive-epoch" in todo:
        bench_contrastive(args.sizes)
    if "tsne-compare" in todo:
        bench_tsne(args.tsne_n)
    if "pipelines" in todo:
        bench_pipelines(args.sizes, args.pipelines, args.cae_epochs)


if __name__ == "__main__":
    main()
