"""N2D's pieces (McConville et al. 2019, "N2D: (Not Too) Deep Clustering via Clustering the
Local Manifold of an Autoencoded Embedding"), in one place.

N2D trains an autoencoder, maps its code with UMAP to as many dimensions as clusters, and
clusters that map with a full-covariance Gaussian mixture. Its settings (from its run
script) are used three ways in dimclust: the named pipelines (:data:`RECIPES`: N2D itself,
its stages tried apart, and the same manifold clustering on other embeddings) that
:class:`~dimclust.ClusteringPipeline` takes by name, and DCEC's ``init="umap-gmm"`` start
(:func:`n2d_centres`).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .cluster import make_gmm

__all__ = ["N2D_UMAP", "N2D_GMM", "Recipe", "RECIPES", "n2d_centres"]

#: UMAP as N2D runs it after its autoencoder: as many dimensions as clusters (10),
#: 20 neighbours, ``min_dist`` 0 (its run script).
N2D_UMAP = {"n_neighbors": 20, "min_dist": 0.0}

#: N2D's Gaussian mixture on the UMAP: full covariances.
N2D_GMM = {"covariance_type": "full"}


class Recipe(NamedTuple):
    """A named pipeline: the pipeline it runs and the settings, per part, it runs it with
    (on top of each part's defaults).

    Its ``repr`` shows both, so that a name never hides a setting:

    >>> RECIPES["umap-gmm"]
    Recipe('umap10+gmm', umap={'n_neighbors': 20, 'min_dist': 0.0}, gmm={'covariance_type': 'full'})
    """
    pipeline: str
    params: dict

    def __repr__(self):
        settings = "".join(f", {part}={own!r}" for part, own in self.params.items())
        return f"Recipe({self.pipeline!r}{settings})"


#: Named pipelines (:func:`~dimclust.pipelines.resolve`), each a :class:`Recipe`.
#:
#: - ``"n2d"``: N2D's run script — DEC's autoencoder (pixels-500-500-2000-10, ReLU, MSE,
#:   Adam, batch 256, 1,000 epochs, no early stopping), UMAP to 10 dimensions
#:   (:data:`~dimclust.n2d.N2D_UMAP`), then a full-covariance Gaussian mixture;
#: - ``"cae-umap-gmm"``: the same with Guo et al.'s CAE trained as DCEC pretrains it
#:   (200 epochs, MSE, every image, no early stopping);
#: - ``"umap-kmeans"``, ``"umap-gmm"``, ``"umap-hdbscan"``: N2D's UMAP on the pixels, then
#:   k-means, the Gaussian mixture, or HDBSCAN with the thesis's sizes;
#: - ``"simclr-umap-gmm"``: N2D's UMAP and mixture on the 128-dimensional embedding of a
#:   :class:`~dimclust.ContrastiveEncoder` (its default views; pass
#:   ``{"simclr": {"augmentations": [..., "flip"]}}`` for data that may be mirrored);
#: - ``"simclr-umap-kmeans"`` and ``"simclr-gmm"``: the same embedding with k-means in the
#:   mixture's place, or with the mixture on the embedding itself (no UMAP);
#: - ``"dcec-from-n2d"``: one DCEC with the thesis's settings, its first centres from N2D's
#:   clustering of the pretrained embedding (:class:`~dimclust.DCEC`'s ``init="umap-gmm"``).
RECIPES = {name: Recipe(*recipe) for name, recipe in {
    "n2d": ("dae10+umap10+gmm",
            {"dae": {"epochs": 1000, "batch_size": 256, "learning_rate": 1e-3, "patience": None,
                     "validation_split": 0.0, "loss": "mse"},
             "umap": N2D_UMAP, "gmm": N2D_GMM}),
    "cae-umap-gmm": ("cae10+umap10+gmm",
                     {"cae": {"epochs": 200, "loss": "mse", "patience": None,
                              "validation_split": 0.0},
                      "umap": N2D_UMAP, "gmm": N2D_GMM}),
    "umap-kmeans": ("umap10+kmeans", {"umap": N2D_UMAP}),
    "umap-gmm": ("umap10+gmm", {"umap": N2D_UMAP, "gmm": N2D_GMM}),
    "umap-hdbscan": ("umap10+hdbscan", {"umap": N2D_UMAP}),
    "simclr-umap-gmm": ("simclr128+umap10+gmm", {"umap": N2D_UMAP, "gmm": N2D_GMM}),
    "simclr-umap-kmeans": ("simclr128+umap10+kmeans", {"umap": N2D_UMAP}),
    "simclr-gmm": ("simclr128+gmm", {"gmm": N2D_GMM}),
    "dcec-from-n2d": ("dcec", {"dcec": {"init": "umap-gmm"}}),
}.items()}


def n2d_centres(Z, n_clusters, random_state=None):
    """Centres in ``Z`` from N2D's clustering of it: UMAP, then a Gaussian mixture.

    UMAP maps ``Z`` (n, d) to ``n_clusters`` dimensions with :data:`N2D_UMAP`; a Gaussian
    mixture (:data:`N2D_GMM`) clusters the map; centre ``k`` is the mean of ``Z`` weighted by
    component ``k``'s responsibilities, ``sum_i r_ik z_i / sum_i r_ik`` (defined even for a
    component that wins no point).

    Returns
    -------
    gmm : GaussianMixture
        The mixture, fitted on the UMAP.
    centres : ndarray of shape (n_clusters, d)
    """
    from .reduce import make_umap  # noqa: PLC0415  (imports umap-learn)
    Z = np.asarray(Z, dtype=np.float64)
    U = make_umap(n_clusters, random_state=random_state, **N2D_UMAP).fit_transform(Z)
    gmm = make_gmm(n_clusters, random_state=random_state, **N2D_GMM).fit(U)
    r = gmm.predict_proba(U)
    return gmm, (r.T @ Z) / r.sum(0)[:, None]
