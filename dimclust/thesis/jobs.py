"""The declared long-run campaigns: which jobs, in which order.

``thesis`` is table 13.1's neural rows at the thesis's settings (Guo's CAE pretrained 200
epochs, batch 256, target update every 140 iterations, tol 0.1 %, at most 20,000
iterations: DCEC's defaults, so a job names only what its row changes), then the last
chapter's autoencoder pipelines. The order is the one the project runs them in on two
CPU cores:

1. MNIST's 10,000 test images (a data set of Guo's own DCEC code), seed 0: k-means on
   the pretrained CAE (``maxiter=0``), DCEC with γ = 0.1 and with γ = 1;
2. all 70,000 images of Fashion-MNIST, then of MNIST, seed 0: the four neural rows of
   table 13.1 (CAE10 Guo + k-means, the thesis's CAE10 + k-means on all images, DCEC
   γ = 0.1, DCEC γ = 1: the published DCEC before its variant);
3. seeds 1 and 2 of the above;
4. the last chapter's pipelines on the pretrained autoencoders (Guo CAE → UMAP → GMM,
   DCEC started from UMAP → GMM) and N2D, seeds 0–2.

The GPU kit (``gpu/kit.py``) runs the same list, so whichever runs a job first fills its
record. DCEC's variants wait for the job that pretrains their autoencoder (``after``) and
then reuse it from the result store.
"""
from __future__ import annotations

from ..experiments.job import Job
from .beyond import CANDIDATES, CONTRASTIVE, candidates, without_each_view

__all__ = ["CAMPAIGNS", "thesis_jobs"]

#: Table 13.1's neural rows: key, label, pipeline, parameters, ``after``.
THESIS_ROWS = [
    ("dcec-start", "CAE10 Guo + k-means (DCEC's start)", "dcec", {"dcec": {"maxiter": 0}},
     None),
    ("tcae10+kmeans-all", "thesis CAE10 + k-means (all images)", "tcae10+kmeans", {}, None),
    ("dcec", "DCEC Guo (γ = 0.1)", "dcec", {"dcec": {"gamma": 0.1}}, "dcec-start"),
    ("dcec-gamma1", "DCEC Guo (γ = 1)", "dcec", {"dcec": {"gamma": 1.0}}, "dcec-start"),
]

#: The last chapter's autoencoder pipelines (their settings are the chapter's candidates').
OURS = {"cae-umap-gmm": ("Guo CAE → UMAP10 → GMM", "dcec-start"),
        "dcec-from-n2d": ("Guo CAE → DCEC started from UMAP10 → GMM", "dcec-start"),
        "n2d": ("N2D: DEC autoencoder → UMAP10 → GMM", None)}


def thesis_jobs(seeds=(0, 1, 2), datasets=("mnist-test", "fashion", "mnist")):
    """The ``thesis`` campaign's jobs, their priorities in the order of the module's
    docstring. The thesis's own CAE row runs only on data sets of 70,000 images."""
    from .beyond import candidates  # noqa: PLC0415
    cand = candidates()
    jobs, priority = [], 0
    for seed in seeds:
        for ds in datasets:
            for key, label, pipeline, params, after in THESIS_ROWS:
                if key == "tcae10+kmeans-all" and ds == "mnist-test":
                    continue
                jobs.append(Job(key, label, ds, pipeline, params, seed, priority, after=after))
                priority += 1
    for seed in seeds:
        for ds in datasets:
            for key, (label, after) in OURS.items():
                pipeline, params = cand[label]
                params = {p: {k: v for k, v in own.items()
                              if k not in ("verbose", "steps_per_execution")}
                          for p, own in params.items()}
                jobs.append(Job(key, label, ds, pipeline, params, seed, priority, after=after))
                priority += 1
    return jobs


#: The key of the last chapter's contrastive candidate (:data:`~dimclust.thesis.beyond.CONTRASTIVE`):
#: its named pipeline.
CONTRASTIVE_KEY = CANDIDATES[CONTRASTIVE]

#: Its ablation, ``(key, label)``: the other contrastive candidates, which read the same
#: trained encoder back from the result store (k-means in the mixture's place, or the
#: mixture without UMAP).
CONTRASTIVE_ABLATION = tuple((recipe, label) for label, recipe in CANDIDATES.items()
                             if recipe.startswith("simclr") and label != CONTRASTIVE)


def beyond_jobs(seeds=(0, 1, 2, 3, 4), datasets=("mnist-test", "fashion", "mnist"),
                views_on=("fashion",)):
    """The ``beyond`` campaign's jobs: the last chapter's contrastive candidate at its full
    settings (:func:`~dimclust.thesis.beyond.candidates`, mirror images where the data set
    allows them) on every image of each set, five seeds, a data set's seeds in a row; each
    run followed by its ablation (:data:`CONTRASTIVE_ABLATION`), which waits for it and
    reuses its encoder. Last, on the data sets of ``views_on`` that are in ``datasets``,
    the first seed again with each view left out in turn
    (:func:`~dimclust.thesis.beyond.without_each_view`; keys ``simclr-no-<view>``): a
    training each."""
    seeds = list(seeds)
    jobs, priority = [], 0
    for ds in datasets:
        cand = candidates(dataset=ds)
        for seed in seeds:
            jobs.append(Job(CONTRASTIVE_KEY, CONTRASTIVE, ds, *cand[CONTRASTIVE], seed,
                            priority))
            for i, (other, other_label) in enumerate(CONTRASTIVE_ABLATION, 1):
                jobs.append(Job(other, other_label, ds, *cand[other_label], seed, priority + i,
                                after=CONTRASTIVE_KEY))
            priority += 1 + len(CONTRASTIVE_ABLATION)
    for ds in (d for d in views_on if d in datasets and seeds):
        for view, (label, pipeline, params) in without_each_view(ds).items():
            jobs.append(Job(f"simclr-no-{view}", label, ds, pipeline, params, seeds[0], priority))
            priority += 1
    return jobs


#: Campaign name -> function returning its jobs.
CAMPAIGNS = {"thesis": thesis_jobs, "beyond": beyond_jobs}
