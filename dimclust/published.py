"""The published settings the code follows, each with its source: one registry.

Every default and architecture that reproduces a published method is listed here, and
``tests/test_published.py`` checks the code against it, so that a one-line change to any
of them (DCEC's update interval, the thesis CAE's LeakyReLU slope, N2D's neighbours ...)
fails a test instead of passing unnoticed.

``SETTINGS`` maps ``(what, setting)`` to ``(value, source)``.
"""
from __future__ import annotations

__all__ = ["SETTINGS", "value"]

_GUO = "Guo et al. 2017 (DCEC), as the thesis ran it (ch. 13, appendix code)"
_THESIS = "Fernández Felguera 2020, §11.1.2 and appendix §7"
_N2D = "McConville et al. 2019 (N2D)"
_DEC = "Xie et al. 2016 (DEC), the autoencoder N2D trains"

SETTINGS = {
    # DCEC's training (Guo's code; thesis ch. 13)
    ("dcec", "pretrain_epochs"): (200, _GUO),
    ("dcec", "batch_size"): (256, _GUO),
    ("dcec", "update_interval"): (140, _GUO),
    ("dcec", "tol"): (0.001, _GUO),
    ("dcec", "maxiter"): (20000, _GUO),
    ("dcec", "gamma"): (0.1, _GUO),
    ("dcec", "alpha"): (1.0, _GUO),
    ("dcec", "learning_rate"): (0.001, _GUO + ": Adam's default step"),
    ("dcec", "embedding_dim"): (10, _GUO),
    ("dcec", "kmeans_n_init"): (20, _GUO),
    # Guo's CAE
    ("guo cae", "filters"): ((32, 64, 128), _GUO),
    ("guo cae", "kernel_size"): ((5, 5, 3), _GUO),
    ("guo cae", "strides"): (2, _GUO),
    ("guo cae", "parameters"): (275_979, _GUO + ": 28×28×1 images, a 10-D code"),
    # The thesis's CAE
    ("thesis cae", "filters"): ((24, 20, 16, 12, 10), _THESIS),
    ("thesis cae", "kernel_size"): (3, _THESIS),
    ("thesis cae", "leaky_relu_slope"): (0.2, _THESIS),
    ("thesis cae", "parameters"): (20_553, _THESIS),
    ("thesis cae", "patience"): (10, _THESIS + ": early stopping"),
    ("thesis cae", "loss"): ("bce", _THESIS + ": binary cross-entropy"),
    # DEC's autoencoder and N2D
    ("dec autoencoder", "widths"): ((500, 500, 2000), _DEC),
    ("dec autoencoder", "parameters"): (3_330_794, _DEC + ": 28×28×1 images, a 10-D code"),
    ("n2d", "umap_n_neighbors"): (20, _N2D),
    ("n2d", "umap_min_dist"): (0.0, _N2D),
    ("n2d", "autoencoder_epochs"): (1000, _N2D),
    ("n2d", "gmm_covariance_type"): ("full", _N2D),
    # the thesis's clusterers (§12.1)
    ("kmeans", "n_init"): (10, "Fernández Felguera 2020, §8.1 and §12.1"),
    ("hdbscan", "min_cluster_size"): (500, "Fernández Felguera 2020, §12.1.2 (70,000 images)"),
    ("hdbscan", "min_samples"): (10, "Fernández Felguera 2020, §12.1.2"),
}


def value(what, setting):
    """The published value of ``setting`` of ``what``, e.g. ``value("dcec", "tol")``.

    Examples
    --------
    >>> value("dcec", "update_interval")
    140
    """
    try:
        return SETTINGS[what, setting][0]
    except KeyError:
        known = sorted(s for w, s in SETTINGS if w == what)
        raise KeyError(f"no published {setting!r} of {what!r}; its settings are "
                       f"{known or sorted({w for w, _ in SETTINGS})}") from None
