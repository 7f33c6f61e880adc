"""The code's defaults and networks are the published settings (dimclust.published)."""
import pytest

from dimclust import DCEC, ConvAutoencoder, _dcec_clustering
from dimclust.architectures import build_cae
from dimclust.cluster import make_hdbscan, make_kmeans
from dimclust.n2d import N2D_UMAP
from dimclust.pipelines import resolve
from dimclust.published import SETTINGS, value


def _layers(model, kind):
    return [layer for layer in model.layers if type(layer).__name__ == kind]


def _code_value(what, setting):
    """Where the code keeps each published setting."""
    if what == "dcec":
        if setting == "kmeans_n_init":
            return _dcec_clustering.KMEANS_N_INIT
        return DCEC().get_params()[setting]
    if what in ("guo cae", "thesis cae", "dec autoencoder"):
        arch = {"guo cae": "guo", "thesis cae": "thesis", "dec autoencoder": "dec"}[what]
        enc, dec = build_cae(arch, (28, 28, 1), 10)
        convs = _layers(enc, "Conv2D")
        if setting == "parameters":
            return enc.count_params() + dec.count_params()
        if setting == "filters":
            return tuple(c.filters for c in convs)
        if setting == "kernel_size":
            sizes = tuple(c.kernel_size[0] for c in convs)
            return sizes if what == "guo cae" else set(sizes).pop()
        if setting == "strides":
            return {c.strides[0] for c in convs}.pop()
        if setting == "leaky_relu_slope":
            slopes = {round(float(layer.negative_slope), 6)
                      for m in (enc, dec) for layer in _layers(m, "LeakyReLU")}
            assert len(slopes) == 1, slopes
            return slopes.pop()
        if setting == "widths":
            return tuple(d.units for d in _layers(enc, "Dense")[:-1])
        if setting == "patience":
            return ConvAutoencoder("thesis").patience
        if setting == "loss":
            cae = ConvAutoencoder("thesis")
            cae._build((28, 28, 1))
            return cae.loss_
    if what == "n2d":
        pipeline, params = resolve("n2d")
        return {"umap_n_neighbors": N2D_UMAP["n_neighbors"], "umap_min_dist": N2D_UMAP["min_dist"],
                "autoencoder_epochs": params["dae"]["epochs"],
                "gmm_covariance_type": params["gmm"]["covariance_type"]}[setting]
    if what == "kmeans":
        return make_kmeans().n_init
    if what == "hdbscan":
        return getattr(make_hdbscan(), setting)
    raise AssertionError(f"no place in the code is known for {what} {setting}")


@pytest.mark.parametrize("what, setting", sorted(SETTINGS))
def test_the_code_follows_the_published_setting(what, setting):
    assert _code_value(what, setting) == value(what, setting), SETTINGS[what, setting][1]


def test_unknown_settings_name_the_known_ones():
    with pytest.raises(KeyError, match="its settings are"):
        value("dcec", "momentum")
