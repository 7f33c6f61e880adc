"""How well an embedding keeps the classes together, before any clusterer: a diagnosis for
the last chapter's candidates on a development set (MNIST's 10,000 test images).

    python benchmarks/embedding_probe.py pixels
    python benchmarks/embedding_probe.py simclr --epochs 30 --temperature 0.5
    python benchmarks/embedding_probe.py simclr --epochs 30 --pooling average
    python benchmarks/embedding_probe.py simclr --epochs 100 --temperature 0.1 --views shift,erase,contrast
    python benchmarks/embedding_probe.py cae            # the shipped 200-epoch Guo CAE of seed 0

Prints, for one seed: the share of each image's 10 nearest neighbours (Euclidean) that
share its class, in the embedding and in the embedding scaled to unit rows (what NT-Xent
compares); then N2D's UMAP (10-D, 20 neighbours, min_dist 0) and a full-covariance GMM on
the embedding (the recipe ``umap-gmm``): the silhouette in the UMAP space (the last chapter's
label-free rule), NMI and ACC; and the seconds each step took. The labels score; no setting here is chosen by them
on the data sets the book reports.
"""
from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

import dimclust as dc  # noqa: E402


def neighbour_purity(F, y, k=10):
    """Share of each point's ``k`` nearest neighbours (itself left out) of its own class:
    :func:`dimclust.quality.class_purity` over all points (its classes weighted by size)."""
    purity = dc.quality.class_purity(F, y, k=k)
    return float(np.average(list(purity.values()), weights=np.bincount(y)[list(purity)]))


def embed(kind, X, dataset, args):
    if kind == "pixels":
        return X.reshape(len(X), -1)
    if kind == "cae":
        from dimclust.experiments.artifacts import load_pretrained
        cae = load_pretrained("results", dataset, args.seed)
        if cae is None:
            raise SystemExit(f"no shipped autoencoder of {dataset}, seed {args.seed}, "
                             "under results/")
        return cae.transform(X)
    views = tuple(args.views.split(",")) if args.views else dc.augment.DEFAULT_AUGMENTATIONS
    enc = dc.ContrastiveEncoder(views, temperature=args.temperature, epochs=args.epochs,
                                pooling=args.pooling, random_state=args.seed, verbose=1)
    return enc.fit_transform(X)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("embedding", choices=("pixels", "cae", "simclr"))
    ap.add_argument("--dataset", default="mnist-test")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=30, help="simclr: epochs")
    ap.add_argument("--temperature", type=float, default=0.5, help="simclr: NT-Xent's τ")
    ap.add_argument("--views", default=None, help="simclr: comma-separated augmentations")
    ap.add_argument("--pooling", default="flatten", choices=dc.contrastive.POOLINGS,
                    help="simclr: how the last feature map becomes one vector")
    args = ap.parse_args()
    X, y = dc.datasets.load(args.dataset)
    t0 = time.perf_counter()
    Z = np.asarray(embed(args.embedding, X, args.dataset, args), dtype=np.float32)
    t1 = time.perf_counter()
    unit = Z / np.maximum(np.linalg.norm(Z, axis=1, keepdims=True), 1e-12)
    print(f"{args.embedding} on {args.dataset} ({len(X):,} images, seed {args.seed}): "
          f"{Z.shape[1]} dimensions in {t1 - t0:.0f} s")
    print(f"10-NN of the same class: {neighbour_purity(Z, y):.3f} "
          f"(unit rows {neighbour_purity(unit, y):.3f})")
    pipeline, params = dc.pipelines.resolve("umap-gmm")         # N2D's UMAP and GMM
    p = dc.ClusteringPipeline(pipeline, params=params, random_state=args.seed).fit(Z)
    m = dc.evaluate(y, p.labels_, p.embedding_)
    print(f"UMAP10 → GMM: silhouette {m['silhouette']:.3f}, NMI {m['nmi']:.3f}, "
          f"ACC {m['acc']:.3f} ({time.perf_counter() - t1:.0f} s)")


if __name__ == "__main__":
    main()
