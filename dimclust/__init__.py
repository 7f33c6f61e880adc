"""dimclust — dimensionality reduction for clustering with deep neural networks.

The executable companion to Fernández Felguera (UPC, 2020): traditional clustering,
two-stage reduce-then-cluster pipelines, convolutional autoencoders and DCEC, on MNIST,
Fashion-MNIST and CIFAR-10.

Keras is imported only when a network is built (:class:`ConvAutoencoder`, :class:`DCEC`,
:mod:`dimclust.dcec_keras`).
"""
from . import cluster, datasets, grammar, metrics, n2d, pipelines, quality, reduce, store
from .metrics import ami, ari, cluster_accuracy, evaluate, nmi, silhouette
from .pipelines import ClusteringPipeline, parse_pipeline
from .reduce import PCA, TSNE

__version__ = "0.1.0"

__all__ = ["datasets", "metrics", "quality", "n2d", "reduce", "cluster", "grammar", "pipelines",
           "experiments", "thesis", "plot", "diagrams", "store", "dcec_keras", "architectures",
           "interactive", "explore",
           "cluster_accuracy", "nmi", "ami", "ari", "silhouette", "evaluate",
           "ClusteringPipeline", "parse_pipeline", "PCA", "TSNE", "ConvAutoencoder",
           "ContrastiveEncoder", "DCEC", "augment", "contrastive",
           "__version__"]

_LAZY = {"ConvAutoencoder": ("autoencoder", "ConvAutoencoder"),
         "ContrastiveEncoder": ("contrastive", "ContrastiveEncoder"),
         "contrastive": ("contrastive", None), "augment": ("augment", None), "DCEC": ("dcec", "DCEC"),
         "experiments": ("experiments", None), "plot": ("plot", None), "diagrams": ("diagrams", None),
         "thesis": ("thesis", None),
         "autoencoder": ("autoencoder", None), "dcec": ("dcec", None),
         "dcec_keras": ("dcec_keras", None), "architectures": ("architectures", None),
         "explore": ("interactive", "explore"), "interactive": ("interactive", None)}


def __getattr__(name):
    # Keras and matplotlib load only when their parts are used (PEP 562).
    if name in _LAZY:
        import importlib
        module, attr = _LAZY[name]
        mod = importlib.import_module(f".{module}", __name__)
        return getattr(mod, attr) if attr else mod
    raise AttributeError(f"module 'dimclust' has no attribute {name!r}")
