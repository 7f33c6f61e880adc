"""Clustering algorithms (thesis ch. 8): k-means, HDBSCAN and a Gaussian mixture.

All three are used as their libraries ship them; these factories only fix the thesis's
settings in one place and check ``n_clusters`` against the data with a clear message.
"""
from __future__ import annotations

from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture

__all__ = ["make_kmeans", "make_hdbscan", "make_gmm"]


def make_kmeans(n_clusters=10, *, n_init=10, random_state=None, **kwargs):
    """k-means with k-means++ seeding and ``n_init`` restarts (thesis §8.1, §12.1: n_init 10)."""
    return KMeans(n_clusters=n_clusters, init="k-means++", n_init=n_init,
                  random_state=random_state, **kwargs)


def make_hdbscan(*, min_samples=10, min_cluster_size=500, **kwargs):
    """HDBSCAN (Campello et al. 2013; thesis ch. 8, §12.1.2: min_samples 10, min_cluster_size 500).

    Points in no cluster get label ``-1``; ``probabilities_`` holds membership strengths.
    HDBSCAN is deterministic, so it takes no ``random_state``.
    """
    import hdbscan  # noqa: PLC0415
    return hdbscan.HDBSCAN(min_samples=min_samples, min_cluster_size=min_cluster_size, **kwargs)


def make_gmm(n_clusters=10, *, covariance_type="full", n_init=1, random_state=None, **kwargs):
    """Gaussian mixture fitted by EM (used by N2D and the §13.1.2(a) DCEC initialisation)."""
    return GaussianMixture(n_components=n_clusters, covariance_type=covariance_type,
                           n_init=n_init, random_state=random_state, **kwargs)
