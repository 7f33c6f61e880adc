"""Probe the public API and the command line with bad inputs, as a demanding new user would.

    python benchmarks/probe_inputs.py

Each probe is a call that should either work or be refused with a ``ValueError`` /
``TypeError`` (or the command line's one-line ``error:`` and status 2) naming what is wrong.
Prints one line per probe (``ok``, ``refused`` with the message, or ``CRASH`` with the
exception) and the counts. Tiny real data (scikit-learn's digits, 28×28 zeros); a few
seconds a probe.
"""
from __future__ import annotations

import contextlib
import io
import tempfile
import warnings

import numpy as np

import dimclust as dc
from dimclust.__main__ import main

Z = np.random.default_rng(0).random((40, 4))
IMG = np.zeros((20, 28, 28, 1), np.float32)
OUT = tempfile.mkdtemp(prefix="dimclust-probes-")


def cli(*argv):
    def call():
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                code = main(["run", "--dataset", "digits", "--n-samples", "60", "--no-cache",
                             "--out", OUT, *argv])
            except SystemExit as e:
                code = e.code
        last = err.getvalue().strip().splitlines()[-1] if err.getvalue().strip() else ""
        if code == 2 and "Traceback" not in err.getvalue():
            raise ValueError(last)
        if code not in (0, None):
            raise RuntimeError(f"exit {code}: {last}")
    return call


PROBES = {
    "params for a part the pipeline lacks": cli("--pipeline", "pca2+kmeans", "--params",
                                                '{"gmm": {"n_components": 3}}'),
    "params of a part not a dict": cli("--pipeline", "pca2+kmeans", "--params", '{"kmeans": 5}'),
    "params not an object": cli("--pipeline", "kmeans", "--params", "[1]"),
    "UMAP on 3 samples": cli("--pipeline", "umap2+kmeans", "--n-samples", "3"),
    "a clusterer first": cli("--pipeline", "kmeans+umap2"),
    "two clusterers": cli("--pipeline", "umap2+kmeans+gmm"),
    "t-SNE with perplexity above n/3": cli("--pipeline", "tsne2+kmeans", "--n-samples", "20"),
    "HDBSCAN on 2 samples": cli("--pipeline", "pca2+hdbscan", "--n-samples", "2"),
    "a misspelt data set": cli("--dataset", "fashon", "--pipeline", "kmeans"),
    "uint8 images into the CAE": lambda: dc.ConvAutoencoder(epochs=1).fit(IMG.astype(np.uint8)),
    "0-255 floats into DCEC": lambda: dc.DCEC(pretrain_epochs=1).fit(IMG + 255),
    "a validation split that leaves nothing": lambda: dc.ConvAutoencoder(epochs=1).fit(IMG[:4]),
    "empty table": lambda: dc.ClusteringPipeline("pca2+kmeans").fit(np.zeros((0, 4))),
    "empty image stack": lambda: dc.ClusteringPipeline("kmeans").fit(np.zeros((0, 0, 0))),
    "NaN in the table": lambda: dc.ClusteringPipeline("kmeans", n_clusters=2).fit(
        np.where(Z > 0.9, np.nan, Z)),
    "complex data": lambda: dc.ClusteringPipeline("kmeans", n_clusters=2).fit(Z + 1j),
    "strings": lambda: dc.ClusteringPipeline("kmeans", n_clusters=2).fit(Z.astype(str)),
    "more clusters than samples": lambda: dc.ClusteringPipeline("kmeans", n_clusters=50).fit(Z),
    "n_clusters a float": lambda: dc.ClusteringPipeline("kmeans", n_clusters=2.5).fit(Z),
    "flat data into the CAE": lambda: dc.ConvAutoencoder(epochs=1).fit(Z),
    "30×30 images into the CAE": lambda: dc.ConvAutoencoder(epochs=1).fit(np.zeros((8, 30, 30))),
    "empty labels scored": lambda: dc.nmi([], []),
    "labels of other lengths": lambda: dc.cluster_accuracy([0, 1], [0]),
    "float labels": lambda: dc.ari([0, 1], [0.5, 1]),
    "default TSNE on 20 points": lambda: dc.TSNE(n_iter=10).fit(Z[:20]),
}


def verdict(call):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call()
    except (ValueError, TypeError, KeyError) as e:
        return "refused", str(e).splitlines()[0][:110]
    except Exception as e:  # noqa: BLE001
        return "CRASH", f"{type(e).__name__}: {str(e)[:100]}"
    return "ok", ""


if __name__ == "__main__":
    counts = {}
    for name, call in PROBES.items():
        v, text = verdict(call)
        counts[v] = counts.get(v, 0) + 1
        print(f"{v:<8} {name:<40} {text}")
    print("\n" + ", ".join(f"{n} {v}" for v, n in counts.items()) + f" of {len(PROBES)} probes")
