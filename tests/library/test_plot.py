import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import dimclust as dc  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_embedding_colourbar_names_classes(fashion_small):
    X, y = fashion_small
    Z = dc.PCA(2).fit_transform(X.reshape(len(X), -1))
    fig = dc.plot.embedding(Z, y, class_names=dc.datasets.class_names("fashion"), title="PCA")
    cbar = fig.axes[-1]
    assert [t.get_text() for t in cbar.get_yticklabels()] == dc.datasets.class_names("fashion")
    assert fig.axes[0].get_title() == "PCA"
    with pytest.raises(ValueError, match=r"need a 2-D embedding"):
        dc.plot.embedding(Z[:, :1], y)


def test_embeddings_of_two_data_sets_have_a_colour_bar_each(fashion_small, digit_images):
    panels = {name: (dc.PCA(2).fit_transform(X.reshape(len(X), -1)), y, dc.datasets.class_names(name))
              for name, (X, y) in (("fashion", fashion_small), ("mnist-test", digit_images))}
    fig = dc.plot.embeddings(panels, ncols=2)
    labels = [[t.get_text() for t in ax.get_yticklabels()] for ax in fig.axes[2:]]
    assert labels == [dc.datasets.class_names("fashion"), dc.datasets.class_names("mnist-test")]
    with pytest.raises(ValueError, match="so y is needed"):
        dc.plot.embeddings({"a": panels["fashion"][0]})


def test_clusterings_grey_noise_and_titles():
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(300, 2))
    y = rng.integers(0, 3, 300)
    hd = y.copy()
    hd[:30] = -1
    fig = dc.plot.clusterings(Z, {"classes": y, "HDBSCAN": hd, "k-means": y})
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert titles == ["classes (3 groups)", "HDBSCAN (3 groups, 10.0% noise)", "k-means (3 groups)"]
    noise_colors = fig.axes[1].collections[0].get_facecolors()
    np.testing.assert_allclose(noise_colors[0], dc.plot.NOISE_COLOR)


def test_image_figures(digit_images):
    X, y = digit_images
    assert len(dc.plot.sample_grid(X, y, per_class=4).axes) == 40
    assert len(dc.plot.centers_as_images(X[:10].reshape(10, -1)).axes) == 10
    assert len(dc.plot.reconstructions(X, X, n=6).axes) == 12
    assert dc.plot.pixel_values(X[0]).axes[0].texts      # pixel values are written
    pca = dc.PCA(20).fit(X.reshape(len(X), -1))
    assert dc.plot.explained_variance(pca).axes[0].lines


def test_training_figures():
    fig = dc.plot.loss_curves({"loss": [3, 2, 1], "val_loss": [3.5, 2.5, 2]})
    assert [line.get_label() for line in fig.axes[0].lines] == ["training", "validation"]
    hist = [{"iteration": 0, "delta_label": 1.0, "acc": 0.5, "nmi": 0.4, "ari": 0.3},
            {"iteration": 140, "delta_label": 0.1, "acc": 0.6, "nmi": 0.5, "ari": 0.4,
             "reconstruction": 0.02, "clustering": 0.1}]
    fig = dc.plot.dcec_training(hist)
    assert len(fig.axes[0].lines) == 4 and len(fig.axes[1].lines) == 2
