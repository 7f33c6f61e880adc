"""scikit-learn's own estimator checks, on every estimator they can apply to.

ConvAutoencoder, ContrastiveEncoder and DCEC need image stacks (n, h, w, c) of a size
their networks are built for, while the checks feed small 2-D tables; they are covered by
their own tests (test_autoencoder.py, test_contrastive.py, test_dcec.py) instead. The checks that fail for a
stated reason are listed below with it.
"""
from sklearn.utils.estimator_checks import parametrize_with_checks

from dimclust import TSNE, ClusteringPipeline

EXPECTED_FAILURES = {
    "pca2+kmeans": {
        "check_fit2d_1sample": "PCA to 2 dimensions needs at least 2 samples",
        "check_fit2d_1feature": "PCA to 2 dimensions needs at least 2 features",
    },
    "TSNE": {
        "check_transformer_general": "transform() places new points by optimising them into "
                                     "the fitted map, so transform(X_train) is not embedding_",
        "check_transformer_general(readonly_memmap=True)": "as check_transformer_general",
        "check_transformer_data_not_an_array": "as check_transformer_general",
    },
}


def _expected(est):
    return EXPECTED_FAILURES.get(getattr(est, "pipeline", type(est).__name__), {})


@parametrize_with_checks([ClusteringPipeline("pca2+kmeans", n_clusters=3, random_state=0),
                          ClusteringPipeline("kmeans", n_clusters=3, random_state=0),
                          TSNE(random_state=0)],
                         expected_failed_checks=_expected)
def test_sklearn_compatible(estimator, check):
    check(estimator)
