import numpy as np
import pytest

import dimclust as dc
from dimclust.pipelines import ClusteringPipeline, parse_pipeline


def test_parse_valid():
    assert parse_pipeline("kmeans") == ([], "kmeans")
    assert parse_pipeline("umap2+kmeans") == ([("umap", 2)], "kmeans")
    assert parse_pipeline("PCA50+hdbscan") == ([("pca", 50)], "hdbscan")
    assert parse_pipeline("cae10+umap10+gmm") == ([("cae", 10), ("umap", 10)], "gmm")
    assert parse_pipeline("dcec") == ([], "dcec")
    for row in dc.pipelines.TABLE_12_1:
        parse_pipeline(row)


@pytest.mark.parametrize("spec, message", [
    ("umap2+foo", "unknown pipeline part 'foo'"),
    ("isomap2+kmeans", "unknown pipeline part 'isomap2'.*reducers pca<dim>"),
    ("umap+kmeans", "needs a dimension, e.g. umap2"),
    ("umap2", "ends in reducer 'umap2'"),
    ("kmeans+umap2", "unknown pipeline part 'kmeans'"),
    ("pca10+cae10+kmeans", "reads images, so it must come first"),
    ("umap2+dcec", "stands alone"),
    ("", "must be a string"),
])
def test_parse_errors(spec, message):
    with pytest.raises(ValueError, match=message):
        parse_pipeline(spec)


def test_bad_input_errors():
    with pytest.raises(ValueError, match="n_clusters=12 > n_samples=10"):
        ClusteringPipeline("kmeans", n_clusters=12).fit(np.random.rand(10, 3))
    with pytest.raises(ValueError, match="must be 2-D"):
        ClusteringPipeline("kmeans", n_clusters=2).fit(np.arange(10.0))
    X = np.random.rand(20, 4)
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN or infinity .*sample 3"):
        ClusteringPipeline("pca2+kmeans", n_clusters=2).fit(X)
    with pytest.raises(ValueError, match=r"part\(s\) \['umpa'\] that pipeline 'kmeans' "
                                         r"does not have; its parts are \['kmeans'\]"):
        ClusteringPipeline("kmeans", n_clusters=2, params={"umpa": {}}).fit(np.random.rand(20, 3))
    with pytest.raises(ValueError, match=r"\['gmm'\] that pipeline 'pca2\+kmeans'"):
        ClusteringPipeline("pca2+kmeans", n_clusters=2,
                           params={"gmm": {"n_components": 3}}).fit(np.random.rand(20, 3))
    with pytest.raises(TypeError, match=r"params\['kmeans'\]=5; pass a dict"):
        ClusteringPipeline("kmeans", n_clusters=2, params={"kmeans": 5}).fit(np.random.rand(20, 3))
    with pytest.raises(TypeError, match=r"params=\[1\]; pass a dict"):
        ClusteringPipeline("kmeans", n_clusters=2, params=[1]).fit(np.random.rand(20, 3))
    X = np.random.rand(30, 4)
    with pytest.raises(ValueError, match=r"params\['kmeans'\] sets n_clusters.*ClusteringPipeline\(n_clusters="):
        ClusteringPipeline("pca2+kmeans", params={"kmeans": {"n_clusters": 100}}).fit(X)
    with pytest.raises(ValueError, match=r"params\['umap'\] sets n_components.*'umap5'"):
        ClusteringPipeline("umap2+kmeans", params={"umap": {"n_components": 3}}).fit(X)
    with pytest.raises(ValueError, match="Invalid parameter 'n_clusterz'"):
        ClusteringPipeline("pca2+kmeans", params={"kmeans": {"n_clusterz": 3}}).fit(X)


def test_samples_too_few_for_a_part_are_refused_before_any_work():
    X = np.random.default_rng(0).random((40, 4))
    with pytest.raises(ValueError, match=r"umap2 needs at least 4 samples .* got n_samples=3"):
        ClusteringPipeline("umap2+kmeans", n_clusters=2).fit(X[:3])
    with pytest.raises(ValueError, match=r"umap5 needs at least 7 samples"):
        ClusteringPipeline("umap5+kmeans", n_clusters=2).fit(X[:6])
    with pytest.raises(ValueError, match=r"hdbscan needs at least 500 samples .* got "
                                         r"n_samples=40.*smaller min_cluster_size"):
        ClusteringPipeline("pca2+hdbscan").fit(X)
    p = ClusteringPipeline("pca2+hdbscan", params={"hdbscan": {"min_cluster_size": 10}}).fit(X)
    assert len(p.labels_) == 40


def test_tsne_lowers_a_perplexity_the_data_cannot_carry_with_a_warning():
    X = np.random.default_rng(0).random((40, 5))
    with pytest.warns(UserWarning, match=r"perplexity=30.0 is too high for n_samples=40; "
                                         r"using 13 = \(n_samples - 1\) / 3"):
        t = dc.TSNE(n_iter=50, random_state=0).fit(X)
    assert t.perplexity_ == 13.0 and t.perplexity == 30.0        # the parameter is kept
    assert t.embedding_.shape == (40, 2)
    assert dc.TSNE(perplexity=5, n_iter=50, random_state=0).fit(X).perplexity_ == 5.0
    with pytest.raises(ValueError, match=r"perplexity=0.25 gives each point no neighbour.*"
                                         r"perplexity >= 1/3"):
        dc.TSNE(perplexity=0.25).fit(X)


def test_generator_seed_and_parameters_reach_the_parts():
    X = np.random.default_rng(0).random((60, 5))
    p = ClusteringPipeline("pca3+kmeans", n_clusters=4, random_state=np.random.default_rng(1),
                           params={"kmeans": {"n_init": 2}}).fit(X)
    pca, km = p.steps_[0][1], p.steps_[1][1]
    assert pca.n_components == 3 and km.n_clusters == 4 and km.n_init == 2
    assert isinstance(km.random_state, int) and km.random_state == pca.random_state


def test_estimator_contract():
    from sklearn.base import clone
    p = ClusteringPipeline("umap2+kmeans", n_clusters=7, params={"umap": {"n_neighbors": 5}},
                           random_state=3)
    assert clone(p).get_params() == p.get_params()
    assert p.set_params(n_clusters=4).n_clusters == 4


def test_kmeans_raw_and_pca_on_real_data(digit_images):
    X, y = digit_images
    raw = ClusteringPipeline("kmeans", random_state=0).fit(X)
    assert raw.embedding_.shape == (len(X), 784) and set(raw.timings_) == {"kmeans"}
    pca = ClusteringPipeline("pca50+kmeans", random_state=0).fit(X)
    assert pca.embedding_.shape == (len(X), 50)
    # PCA to 50 keeps k-means' structure: both far above chance, and close to each other
    a, b = dc.nmi(y, raw.labels_), dc.nmi(y, pca.labels_)
    assert a > 0.4 and b > 0.4 and abs(a - b) < 0.08
    again = ClusteringPipeline("kmeans", random_state=0).fit(X)
    np.testing.assert_array_equal(raw.labels_, again.labels_)


def test_umap_beats_raw_kmeans_and_memory(fashion_small, tmp_path):
    X, y = fashion_small
    raw = ClusteringPipeline("kmeans", random_state=0).fit_predict(X)
    p = ClusteringPipeline("umap2+kmeans", random_state=0, memory=tmp_path).fit(X)
    assert p.embedding_.shape == (2000, 2)
    assert dc.nmi(y, p.labels_) > dc.nmi(y, raw)       # the thesis's central finding (§12)
    assert len(list(tmp_path.glob("reduced-*.npz"))) == 1 and p.n_features_in_ == 784
    q = ClusteringPipeline("umap2+hdbscan", random_state=0, memory=tmp_path,
                           params={"hdbscan": {"min_cluster_size": 50}}).fit(X)
    assert q.reused_ == ["umap2"] and q.steps_[0][1] is None      # reused, with its cost
    assert q.timings_["umap2"] == pytest.approx(p.timings_["umap2"])
    np.testing.assert_array_equal(q.embedding_, p.embedding_)
    r = dc.evaluate(y, q.labels_)
    assert r["n_clusters"] >= 3 and r["assigned"] > 0.8 and r["nmi"] > 0.5


def test_tsne_wrapper(digit_images):
    X, y = digit_images
    X = X.reshape(len(X), -1)
    t = dc.TSNE(random_state=0, n_jobs=2)
    assert t.fit(X[:1600]) is t
    assert t.embedding_.shape == (1600, 2) and isinstance(t.embedding_, np.ndarray)
    assert t.kl_divergence_ > 0
    km = dc.cluster.make_kmeans(10, random_state=0)
    on_tsne = dc.nmi(y[:1600], km.fit_predict(t.embedding_))
    on_raw = dc.nmi(y[:1600], km.fit_predict(X[:1600]))
    assert on_tsne > on_raw + 0.1          # t-SNE separates digits better than raw pixels
    new = t.transform(X[1600:1700])
    assert new.shape == (100, 2)


def test_sklearn_tsne_part_is_the_optimiser_of_2020(digit_images):
    X, y = digit_images
    X = X.reshape(len(X), -1)[:600]
    p = ClusteringPipeline("sktsne2+kmeans", n_clusters=10, random_state=0,
                           params={"sktsne": {"perplexity": 25, "learning_rate": 10,
                                              "max_iter": 400}}).fit(X)
    tsne = p.steps_[0][1]
    # scikit-learn 0.22's defaults, not today's ("pca" start, learning rate "auto")
    assert (tsne.init, tsne.method, tsne.learning_rate, tsne.perplexity) == \
        ("random", "barnes_hut", 10, 25)
    assert p.embedding_.shape == (600, 2)
    on_raw = dc.nmi(y[:600], dc.cluster.make_kmeans(10, random_state=0).fit_predict(X))
    assert dc.nmi(y[:600], p.labels_) > on_raw            # it does separate the digits
    with pytest.raises(ValueError, match=r"sktsne2 needs at least 26 samples .*perplexity"):
        ClusteringPipeline("sktsne2+kmeans", n_clusters=2,
                           params={"sktsne": {"perplexity": 25}}).fit(X[:20])


def test_gmm_and_hdbscan_factories(digit_images):
    X, y = digit_images
    Z = dc.PCA(10, random_state=0).fit_transform(X.reshape(len(X), -1))
    g = dc.cluster.make_gmm(10, random_state=0).fit_predict(Z)
    assert len(np.unique(g)) == 10 and dc.nmi(y, g) > 0.3
    h = dc.cluster.make_hdbscan(min_cluster_size=20).fit(Z)
    assert h.labels_.min() >= -1 and h.probabilities_.shape == (len(Z),)


def test_first_reducer_trained_apart(digit_images):
    """X_train: the first reducer learns from other images, X is only transformed."""
    X, y = digit_images
    train, test = X[:1000], X[1000:2000]
    p = ClusteringPipeline("pca5+kmeans", random_state=0).fit(test, X_train=train)
    expected = dc.reduce.PCA(5, random_state=0).fit(train.reshape(1000, -1)).transform(
        test.reshape(len(test), -1))
    np.testing.assert_allclose(p.embedding_, expected, rtol=1e-4, atol=1e-4)
    assert p.labels_.shape == (len(test),)
    with pytest.raises(ValueError, match="pipeline 'kmeans' has no reducer"):
        ClusteringPipeline("kmeans").fit(test, X_train=train)


def test_n2d_recipe(digit_images):
    """N2D (McConville et al. 2019) by name: DEC's dense autoencoder → UMAP 10-D → GMM,
    with its paper's settings under the user's."""
    from dimclust.pipelines import RECIPES, resolve
    spec, params = resolve("n2d", {"dae": {"epochs": 2}})
    assert spec == "dae10+umap10+gmm" and params["dae"]["epochs"] == 2
    assert params["dae"]["patience"] is None and params["umap"]["n_neighbors"] == 20
    assert RECIPES["n2d"][1]["dae"]["epochs"] == 1000            # the recipe itself untouched
    assert resolve("umap2+kmeans", None) == ("umap2+kmeans", None)
    assert parse_pipeline("n2d") == ([("dae", 10), ("umap", 10)], "gmm")
    X, y = digit_images
    p = ClusteringPipeline("n2d", params={"dae": {"epochs": 2, "verbose": 0}},
                           random_state=0).fit(X[:600])
    assert [name for name, _ in p.steps_] == ["dae10", "umap10", "gmm"]
    dae, umap, gmm = (est for _, est in p.steps_)
    assert dae.architecture == "dec" and dae.loss_ == "mse" and dae.n_epochs_ == 2
    assert umap.n_neighbors == 20 and umap.min_dist == 0.0 and gmm.covariance_type == "full"
    assert p.embedding_.shape == (600, 10) and len(set(p.labels_)) > 5


def test_named_stages_of_n2d_and_their_records(tmp_path, monkeypatch):
    """N2D's stages by name (the last chapter's candidates); a record names what ran."""
    from dimclust import experiments
    from dimclust.n2d import N2D_UMAP
    from dimclust.pipelines import RECIPES, resolve
    assert N2D_UMAP == {"n_neighbors": 20, "min_dist": 0.0}          # N2D's run script
    for name in ("umap-kmeans", "umap-gmm", "umap-hdbscan", "cae-umap-gmm"):
        pipeline, params = resolve(name)
        assert params["umap"] == N2D_UMAP and pipeline.split("+")[-2] == "umap10"
    assert resolve("cae-umap-gmm")[1]["cae"] == {"epochs": 200, "loss": "mse", "patience": None,
                                                 "validation_split": 0.0}
    resolve("umap-gmm")[1]["umap"]["n_neighbors"] = 5                  # a copy
    assert RECIPES["umap-gmm"][1]["umap"]["n_neighbors"] == 20
    monkeypatch.setenv("DIMCLUST_CACHE", str(tmp_path))
    rec = experiments.run("digits", "umap-kmeans", seeds=1, n_samples=500)
    assert rec["pipeline"] == "umap10+kmeans" and rec["params"] == {"umap": N2D_UMAP}
    again = experiments.run("digits", "umap10+kmeans", seeds=1, n_samples=500,
                            params={"umap": dict(N2D_UMAP)})
    assert again["runs"] == rec["runs"]                                 # the same result, cached
    assert experiments.is_cached("digits", "umap-kmeans", 0, n_samples=500)
