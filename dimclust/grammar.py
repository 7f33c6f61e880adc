"""The pipeline grammar: the parts a pipeline is made of, by name, and how a pipeline's
name reads (thesis ch. 12, table 12.1's rows).

A pipeline is written ``"<reducer><dim>+...+<clusterer>"``: zero or more reducers, each
followed by its output dimension, then one clusterer (``"kmeans"``, ``"pca50+hdbscan"``,
``"umap2+kmeans"``, N2D's ``"cae10+umap10+gmm"``). :func:`parse_pipeline` reads one;
:func:`resolve` expands a recipe's name (:data:`~dimclust.n2d.RECIPES`) into its pipeline
and settings. Each part is an entry of :data:`PARTS`, which builds it with the thesis's
settings.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from . import cluster, reduce
from .n2d import RECIPES

__all__ = ["Part", "PARTS", "TABLE_12_1", "parse_pipeline", "resolve", "check_size"]


class Part(NamedTuple):
    """A pipeline part: ``build(seed, verbose)`` gives an estimator with default settings.

    ``size`` names the parameter the pipeline sets from the spec (a reducer's dimension,
    a clusterer's number of clusters); ``images`` marks parts that read image stacks, which
    therefore come first.
    """
    build: Callable
    size: str | None
    clusterer: bool
    images: bool = False


def _cae(architecture):
    def build(seed, verbose=0):
        from .autoencoder import ConvAutoencoder  # noqa: PLC0415  (imports Keras)
        return ConvAutoencoder(architecture=architecture, random_state=seed, verbose=verbose)
    return build


def _contrastive(seed, verbose=0):
    from .contrastive import ContrastiveEncoder  # noqa: PLC0415  (imports Keras)
    return ContrastiveEncoder(random_state=seed, verbose=verbose)


def _dcec(seed, verbose=0):
    from .dcec import DCEC  # noqa: PLC0415  (imports Keras)
    return DCEC(random_state=seed, verbose=verbose)


#: Every part by name. Reducers: pca, tsne (openTSNE), sktsne (scikit-learn's, the thesis's),
#: umap, cae (Guo et al.'s CAE), tcae (the thesis's), dae (DEC's dense autoencoder),
#: simclr (:class:`~dimclust.ContrastiveEncoder`, an embedding learnt from augmented views);
#: clusterers: kmeans, hdbscan, gmm, dcec.
PARTS = {
    "pca": Part(lambda seed, verbose=0: reduce.PCA(random_state=seed), "n_components", False),
    "tsne": Part(lambda seed, verbose=0: reduce.TSNE(random_state=seed, verbose=verbose),
                 "n_components", False),
    "sktsne": Part(lambda seed, verbose=0: reduce.make_sklearn_tsne(random_state=seed,
                                                                    verbose=verbose),
                   "n_components", False),
    "umap": Part(lambda seed, verbose=0: reduce.make_umap(random_state=seed, verbose=verbose),
                 "n_components", False),
    "cae": Part(_cae("guo"), "embedding_dim", False, images=True),
    "tcae": Part(_cae("thesis"), "embedding_dim", False, images=True),
    "dae": Part(_cae("dec"), "embedding_dim", False, images=True),
    "simclr": Part(_contrastive, "embedding_dim", False, images=True),
    "kmeans": Part(lambda seed, verbose=0: cluster.make_kmeans(random_state=seed),
                   "n_clusters", True),
    "hdbscan": Part(lambda seed, verbose=0: cluster.make_hdbscan(), None, True),
    "gmm": Part(lambda seed, verbose=0: cluster.make_gmm(random_state=seed),
                "n_components", True),
    "dcec": Part(_dcec, "n_clusters", True, images=True),
}

#: The rows of the thesis's table 12.1 (Fashion-MNIST), in its order; its CAE row is the
#: thesis's own CAE (``tcae``).
TABLE_12_1 = ("kmeans", "pca50+hdbscan", "tsne2+kmeans", "umap2+kmeans", "umap30+kmeans",
              "umap2+hdbscan", "umap30+hdbscan", "tcae10+kmeans")

_PART = re.compile(r"^([a-z]+)(\d*)$")

def resolve(spec, params=None):
    """``(pipeline, params)``: a recipe's pipeline and settings (copies, :data:`RECIPES`) with
    ``params`` on top, or ``spec`` and ``params`` unchanged when ``spec`` is written in the
    grammar (``"umap2+kmeans"``).

    Raises
    ------
    ValueError
        ``spec`` is a name with a hyphen (the grammar has none) that is no recipe's; the
        message lists the recipes.
    """
    if not isinstance(spec, str):
        return spec, params
    name = spec.strip().lower()
    if name not in RECIPES:
        if "-" in name:
            raise ValueError(f"unknown recipe {spec!r}; the recipes are {sorted(RECIPES)}, "
                             "or write a pipeline such as 'umap2+kmeans'")
        return spec, params
    recipe = RECIPES[name]
    merged = {part: dict(p) for part, p in recipe.params.items()}
    for part, p in (params or {}).items():
        merged[part] = {**merged.get(part, {}), **p}
    return recipe.pipeline, merged


def check_size(stage, name, est, n_samples):
    """Refuse, before any work, a sample too small for a part to fit at all."""
    need, why = 1, ""
    if name == "umap":       # spectral initialisation solves for n_components + 1 vectors
        need, why = est.n_components + 2, "its spectral start needs n_components + 2"
    elif name == "tsne":
        need, why = 2, "it embeds pairwise affinities"
    elif name == "sktsne":
        need, why = int(est.perplexity) + 1, "scikit-learn's t-SNE needs perplexity < n_samples"
    elif name == "hdbscan":
        need, why = est.min_cluster_size, "no cluster smaller than min_cluster_size can form"
    if n_samples < need:
        raise ValueError(f"{stage} needs at least {need} samples ({why}), got n_samples="
                         f"{n_samples}; pass more samples"
                         + ("" if name != "hdbscan" else " or a smaller min_cluster_size"))


def parse_pipeline(spec):
    """Split ``spec`` into ``([(reducer, dim), ...], clusterer)``.

    Raises
    ------
    ValueError
        An unknown part, a reducer without dimension, a misplaced clusterer, or a part
        that reads images anywhere but first; the message lists the valid parts.
    """
    if not isinstance(spec, str) or not spec.strip():
        raise ValueError(f"pipeline must be a string such as 'umap2+kmeans', got {spec!r}")
    spec = resolve(spec)[0]
    reducers_ = [n for n, p in PARTS.items() if not p.clusterer]
    valid = (f"reducers {', '.join(n + '<dim>' for n in reducers_)}; "
             f"clusterers {', '.join(n for n in PARTS if PARTS[n].clusterer)} (last)")
    parts = spec.strip().lower().split("+")
    reducers = []
    for i, part in enumerate(parts):
        m = _PART.match(part)
        name, dim = (m.group(1), m.group(2)) if m else (part, "")
        kind, last = PARTS.get(name), i == len(parts) - 1
        if kind is None or (kind.clusterer and not last) or (kind.clusterer and dim):
            raise ValueError(f"unknown pipeline part {part!r} in {spec!r}; valid parts: {valid}; "
                             f"or a recipe's name: {', '.join(sorted(RECIPES))}")
        if kind.images and i > 0:
            what = "stands alone" if kind.clusterer else "must come first"
            raise ValueError(f"{part!r} reads images, so it {what} in {spec!r}")
        if kind.clusterer:
            return reducers, name
        if not dim:
            raise ValueError(f"reducer {part!r} in {spec!r} needs a dimension, e.g. {name}2")
        if last:
            raise ValueError(f"pipeline {spec!r} ends in reducer {part!r}; add a clusterer: {valid}")
        if int(dim) < 1:
            raise ValueError(f"reducer {part!r} in {spec!r} needs a dimension >= 1")
        reducers.append((name, int(dim)))


