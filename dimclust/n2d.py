"""N2D's pieces (McConville et al. 2019, "N2D: (Not Too) Deep Clustering via Clustering the
Local Manifold of an Autoencoded Embedding"), in one place.

N2D trains an autoencoder, maps its code with UMAP to as many dimensions as clusters, and
clusters that map with a full-covariance Gaussian mixture. Its settings (from its run
script) are used three ways in dimclust: the ``"n2d"`` and ``"*-umap-gmm"`` recipes of
:mod:`dimclust.pipelines`, and DCEC's ``init="umap-gmm"`` start (:func:`n2d_centres`).
"""
from __future__ import annotations

import numpy as np

from .cluster import make_gmm

__all__ = ["N2D_UMAP", "N2D_GMM", "n2d_centres"]

#: UMAP as N2D runs it after its autoencoder: as many dimensions as clusters (10),
#: 20 neighbours, ``min_dist`` 0 (its run script).
N2D_UMAP = {"n_neighbors": 20, "min_dist": 0.0}

#: N2D's Gaussian mixture on the UMAP: full covariances.
N2D_GMM = {"covariance_type": "full"}


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
