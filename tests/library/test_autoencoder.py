from pathlib import Path

import numpy as np
import pytest
from conftest import CHILD_PRELUDE, digit_images_sample, kill_when
from sklearn.exceptions import NotFittedError

import dimclust as dc
from dimclust import ConvAutoencoder


def test_guo_parameter_count():
    enc, dec = dc.autoencoder.build_cae("guo", (28, 28, 1), 10)
    assert enc.count_params() + dec.count_params() == 275_979


def test_thesis_cae_is_the_appendix_network():
    """Thesis §11.1.2 / appendix §7: 10,306 + 10,247 = 20,553 parameters, a 1×1×10 code."""
    enc, dec = dc.autoencoder.build_cae("thesis", (28, 28, 1), 10)
    assert (enc.count_params(), dec.count_params()) == (10_306, 10_247)
    convs = [layer for layer in enc.layers if layer.name.startswith("conv")]
    assert [c.filters for c in convs] == [24, 20, 16, 12, 10]
    assert all(c.kernel_size == (3, 3) for c in convs)
    pools = [layer.output.shape[1] for layer in enc.layers if layer.name.startswith("pool")]
    assert pools == [14, 7, 4, 2, 1]                   # down to 1×1×10, no dense layer
    assert not any("dense" in layer.name for layer in enc.layers + dec.layers)
    sides = [layer.output.shape[1] for layer in dec.layers if "up_sampling" in layer.name]
    assert sides == [2, 4, 12, 24]
    assert dec.layers[-1].activation.__name__ == "sigmoid"
    assert ConvAutoencoder("thesis")._constraints["loss"]("auto")
    with pytest.raises(ValueError, match="'thesis' CAE is built for 28×28 images"):
        dc.autoencoder.build_cae("thesis", (32, 32, 3), 10)


@pytest.mark.parametrize("arch, shape", [("guo", (28, 28, 1)), ("guo", (32, 32, 3)),
                                         ("thesis", (28, 28, 1)), ("keras_blog", (28, 28, 1)),
                                         ("keras_blog", (32, 32, 3))])
def test_shapes_round_trip(arch, shape):
    enc, dec = dc.autoencoder.build_cae(arch, shape, 7)
    assert enc.output_shape == (None, 7)
    assert dec.output_shape == (None, *shape)


def test_quick_fit_lowers_validation_loss_and_reconstructs(fashion_small):
    X, _ = fashion_small
    cae = ConvAutoencoder(epochs=4, batch_size=128, random_state=0, verbose=0)
    assert cae.fit(X) is cae
    val = cae.history_["val_loss"]
    assert len(val) == cae.n_epochs_ == 4
    assert val[-1] < val[0]
    baseline = np.mean((X - X.mean(0)) ** 2)           # predicting the mean image
    assert val[-1] < 0.8 * baseline
    Z = cae.transform(X[:50])
    assert Z.shape == (50, 10) and np.isfinite(Z).all()
    R = cae.reconstruct(X[:50])
    assert R.shape == X[:50].shape
    # better than predicting the mean image
    assert np.mean((R - X[:50]) ** 2) < np.mean((X[:50] - X.mean(0)) ** 2)


def test_seeded_fits_are_reproducible_and_save_load(digit_images, tmp_path):
    X = digit_images[0][:600]
    kw = dict(architecture="thesis", embedding_dim=4, epochs=2, batch_size=64,
              random_state=7, verbose=0)
    a = ConvAutoencoder(**kw).fit(X)
    b = ConvAutoencoder(**kw).fit(X)
    np.testing.assert_allclose(a.transform(X), b.transform(X), rtol=1e-5, atol=1e-6)
    a.save(tmp_path / "cae.npz")
    c = ConvAutoencoder.load(tmp_path / "cae.npz")
    np.testing.assert_array_equal(a.transform(X), c.transform(X))
    assert c.get_params() == a.get_params() and c.history_ == a.history_
    # another seed is another network
    d = ConvAutoencoder(**{**kw, "random_state": 8}).fit(X)
    assert np.abs(d.transform(X) - a.transform(X)).max() > 1e-3


def test_seeding_leaves_global_state_alone_and_takes_a_generator(digit_images):
    X = digit_images[0][:300]
    np.random.seed(123)
    before = np.random.random()
    np.random.seed(123)
    ConvAutoencoder(embedding_dim=3, epochs=1, batch_size=64, random_state=0, verbose=0).fit(X)
    assert np.random.random() == before          # the caller's global NumPy stream is untouched
    kw = dict(embedding_dim=3, epochs=1, batch_size=64, verbose=0)
    g1 = ConvAutoencoder(random_state=np.random.default_rng(5), **kw).fit(X)
    g2 = ConvAutoencoder(random_state=np.random.default_rng(5), **kw).fit(X)
    np.testing.assert_allclose(g1.transform(X), g2.transform(X), rtol=1e-5, atol=1e-6)


def test_copy_is_independent(digit_images):
    X = digit_images[0][:300]
    a = ConvAutoencoder(embedding_dim=3, epochs=1, batch_size=64, random_state=0, verbose=0).fit(X)
    b = a.copy()
    np.testing.assert_array_equal(a.transform(X), b.transform(X))
    before = a.transform(X)
    b.autoencoder_.fit(X, X, epochs=1, batch_size=64, verbose=0)     # train the copy only
    np.testing.assert_array_equal(a.transform(X), before)
    assert np.abs(b.transform(X) - before).max() > 0


def test_sklearn_params():
    from sklearn.base import clone
    cae = ConvAutoencoder(architecture="thesis", embedding_dim=2, epochs=3)
    assert clone(cae).get_params() == cae.get_params()
    assert cae.set_params(embedding_dim=5).embedding_dim == 5


def test_bad_input():
    X = np.zeros((10, 28, 28, 1), np.float32)
    with pytest.raises(ValueError, match="embedding_dim=0 must be an integer >= 1"):
        ConvAutoencoder(embedding_dim=0, epochs=1).fit(X)
    with pytest.raises(ValueError, match="'keras_blog' CAE is built for 28×28 or 32×32 images, got 30×30"):
        ConvAutoencoder(architecture="keras_blog", epochs=1).fit(np.zeros((10, 30, 30, 1)))
    with pytest.raises(ValueError, match="square"):
        ConvAutoencoder(epochs=1).fit(np.zeros((10, 28, 32, 1)))
    with pytest.raises(ValueError, match="image stack"):
        ConvAutoencoder(epochs=1).fit(np.zeros((10, 784)))
    bad = X.copy()
    bad[2, 3, 3, 0] = np.nan
    with pytest.raises(ValueError, match="NaN .*sample 2"):
        ConvAutoencoder(epochs=1).fit(bad)
    with pytest.raises(ValueError, match="architecture='vgg'"):
        ConvAutoencoder(architecture="vgg", epochs=1).fit(X)
    with pytest.raises(ValueError, match="learning_rate=0 must be a finite number > 0"):
        ConvAutoencoder(learning_rate=0, epochs=1).fit(X)
    with pytest.raises(ValueError, match="loss='l1' must be one of 'auto', 'mse', 'bce'"):
        ConvAutoencoder(loss="l1", epochs=1).fit(X)
    with pytest.raises(NotFittedError):
        ConvAutoencoder().transform(X)


def test_images_outside_the_unit_range_are_refused_with_the_rescaling(digit_images):
    X = digit_images[0][:20]
    with pytest.raises(ValueError, match=r"integer dtype uint8 \(values 0 to 255\).*X / 255\.0"):
        ConvAutoencoder(epochs=1).fit((X * 255).round().astype(np.uint8))
    with pytest.raises(ValueError, match=r"values in \[0, 255\], outside \[0, 1\]"):
        ConvAutoencoder(epochs=1).fit(X * 255)
    with pytest.raises(ValueError, match=r"validation_data has values in \[-1, 1\]"):
        ConvAutoencoder(epochs=1).fit(X, validation_data=2 * X - 1)
    from dimclust import DCEC
    with pytest.raises(ValueError, match="integer dtype"):
        DCEC(pretrain_epochs=1, maxiter=0).fit((X * 255).astype(np.int64))


def test_a_validation_split_that_leaves_nothing_is_refused_up_front():
    X = np.zeros((5, 28, 28, 1), np.float32)
    with pytest.raises(ValueError, match=r"validation_split=0.1 of n_samples=5 leaves 0 "
                                         r"image\(s\) to validate.*at least 6 images"):
        ConvAutoencoder(epochs=1).fit(X)
    with pytest.raises(ValueError, match="leaves 2 image.*and 0 to train on.*at least 51"):
        ConvAutoencoder(epochs=1, validation_split=0.99).fit(X[:2])
    ConvAutoencoder(epochs=1, validation_split=0.0, batch_size=4, verbose=0).fit(X)


def test_steps_per_execution_and_memory(digit_images, tmp_path):
    X = digit_images[0][:512]
    kw = dict(embedding_dim=3, epochs=2, batch_size=64, random_state=0, verbose=0)
    one = ConvAutoencoder(steps_per_execution=1, **kw).fit(X)
    five = ConvAutoencoder(steps_per_execution=5, **kw).fit(X)     # 7 batches: 5 + 2
    np.testing.assert_allclose(one.transform(X), five.transform(X), rtol=1e-4, atol=1e-5)
    first = ConvAutoencoder(memory=tmp_path, **kw).fit(X)
    np.testing.assert_array_equal(first.transform(X), one.transform(X))
    again = ConvAutoencoder(memory=tmp_path, steps_per_execution=3, **kw).fit(X)
    np.testing.assert_array_equal(again.transform(X), first.transform(X))   # loaded
    assert len(list(tmp_path.glob("cae-*.npz"))) == 1
    ConvAutoencoder(memory=tmp_path, **{**kw, "epochs": 1}).fit(X)          # another key
    assert len(list(tmp_path.glob("cae-*.npz"))) == 2


def test_validation_data_is_what_early_stopping_watches(digit_images):
    """Appendix §7: the thesis trained on one split and watched another for early stopping."""
    X = digit_images[0]
    train, watched = X[:400], X[400:600]
    kw = dict(architecture="thesis", embedding_dim=4, epochs=3, batch_size=64, random_state=0,
              verbose=0)
    cae = ConvAutoencoder(patience=None, **kw).fit(train, validation_data=watched)
    assert cae.n_epochs_ == 3                  # all 400 trained on, none held out of them
    last = cae.autoencoder_.evaluate(watched, watched, verbose=0)
    assert cae.history_["val_loss"][-1] == pytest.approx(last, rel=1e-4)
    held = ConvAutoencoder(patience=None, **kw).fit(train)       # a random 10 % of train
    assert held.history_["val_loss"][-1] != pytest.approx(last, rel=1e-3)
    with pytest.raises(ValueError, match=r"validation_data has images of shape \(8, 8, 1\)"):
        ConvAutoencoder(**kw).fit(train, validation_data=np.zeros((5, 8, 8, 1), np.float32))


def test_restore_best_weights_false_keeps_the_last_epoch(digit_images):
    """Keras's default, which the thesis's code used: stop, but keep the last weights."""
    X = digit_images[0][:300]
    noise = np.random.default_rng(0).random((100, 28, 28, 1)).astype(np.float32)
    kw = dict(architecture="thesis", embedding_dim=4, epochs=6, batch_size=32, patience=1,
              learning_rate=0.01, random_state=0, verbose=0)
    for best in (True, False):
        cae = ConvAutoencoder(restore_best_weights=best, **kw).fit(X, validation_data=noise)
        val = cae.history_["val_loss"]
        assert val[-1] > min(val)               # stopped early, past the best epoch
        now = cae.autoencoder_.evaluate(noise, noise, verbose=0)
        assert now == pytest.approx(min(val) if best else val[-1], rel=1e-4)


def test_layer_table_is_the_network():
    """Figs. 11.5–11.6 as a table: every layer, its output shape and its parameters."""
    t = dc.architectures.layer_table("thesis")
    assert t["parameters"].sum() == 20_553
    assert t.groupby("part")["parameters"].sum().to_dict() == {"encoder": 10_306, "decoder": 10_247}
    assert "1 × 1 × 10" in set(t.loc[t["part"] == "encoder", "output shape"])
    assert t.iloc[-1]["output shape"] == "28 × 28 × 1" and t.iloc[-1]["activation"] == "sigmoid"
    assert dc.architectures.layer_table("guo")["parameters"].sum() == 275_979


def test_dec_autoencoder_is_n2ds_network():
    """DEC's / N2D's fully connected autoencoder: 784-500-500-2000-10, linear code and output."""
    t = dc.architectures.layer_table("dec")
    dense = t[t["type"] == "Dense"]
    assert dense["output shape"].tolist() == ["500", "500", "2000", "10", "2000", "500", "500", "784"]
    assert t["parameters"].sum() == 3_330_794
    assert dense["activation"].tolist() == ["relu"] * 3 + ["linear"] + ["relu"] * 3 + ["linear"]
    enc, dec = dc.autoencoder.build_cae("dec", (32, 32, 3), 7)          # any image shape
    assert enc.output_shape == (None, 7) and dec.output_shape == (None, 32, 32, 3)


RESUMABLE = """
import sys, dimclust as dc
from conftest import digit_images_sample
X = digit_images_sample(600)
dc.ConvAutoencoder({arch!r}, 10, epochs=12, batch_size=64, patience={patience},
                   validation_split=0.1, random_state=0, verbose=0, memory=sys.argv[1]).fit(X)
"""


def _epochs_checkpointed(store_dir):
    from dimclust.store import read_npz
    files = list(Path(store_dir).glob("cae-checkpoint-*.npz"))
    return read_npz(files[0])[0]["epoch"] if files else 0


@pytest.mark.parametrize("arch, patience", [("guo", None), ("thesis", 2), ("dec", None)])
def test_training_killed_and_fitted_again_ends_as_an_uninterrupted_run(
        tmp_path, digit_images, arch, patience):
    """A SIGKILL at any moment, then the same fit: the run resumes after its last whole
    epoch (weights, Adam's state, batch order, history, early stopping) and ends with the
    weights of a run never interrupted."""
    store = tmp_path / "store"
    code = RESUMABLE.format(arch=arch, patience=patience)
    kill_when(CHILD_PRELUDE + code, store, lambda: _epochs_checkpointed(store) >= 3, tmp_path / "child.log")
    saved = _epochs_checkpointed(store)
    assert 3 <= saved < 12, "the child was not killed mid-training"
    from dimclust.store import read_npz
    killed_leg = read_npz(next(store.glob("cae-checkpoint-*.npz")))[0]["seconds"]
    assert killed_leg > 0                         # the epochs the killed child trained
    X = digit_images_sample(600)
    kw = dict(epochs=12, batch_size=64, patience=patience, validation_split=0.1,
              random_state=0, verbose=0)
    resumed = ConvAutoencoder(arch, 10, memory=store, **kw).fit(X)
    assert not list(store.glob("cae-checkpoint-*.npz"))     # cleared once stored
    whole = ConvAutoencoder(arch, 10, **kw).fit(X)
    assert resumed.n_epochs_ == whole.n_epochs_
    assert resumed.earlier_seconds_ == killed_leg and whole.earlier_seconds_ == 0.0
    assert len(resumed.history_["val_loss"]) == whole.n_epochs_
    np.testing.assert_allclose(resumed.history_["loss"], whole.history_["loss"], rtol=1e-6)
    for a, b in zip(resumed.autoencoder_.get_weights(), whole.autoencoder_.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_a_checkpoint_of_other_settings_is_refused(tmp_path, digit_images):
    from dimclust.checkpoint import EpochCheckpoint
    X = digit_images[0][:200]
    cae = ConvAutoencoder("guo", 10, epochs=1, batch_size=64, patience=None, random_state=0,
                          verbose=0)
    cae._build(X.shape[1:])
    ckpt = EpochCheckpoint(tmp_path / "c.npz", settings="aaa")
    cb = ckpt.callback({})
    cb.set_model(cae.autoencoder_)
    cae.autoencoder_.optimizer.build(cae.autoencoder_.trainable_variables)
    cb.on_epoch_end(0, {"loss": 1.0})
    with pytest.raises(ValueError, match="other parameters or data.*delete it"):
        EpochCheckpoint(tmp_path / "c.npz", settings="bbb").load(cae.autoencoder_)
    other = ConvAutoencoder("guo", 5, epochs=1)
    other._build(X.shape[1:])
    with pytest.raises(ValueError, match="shape"):
        EpochCheckpoint(tmp_path / "c.npz", settings="aaa").load(other.autoencoder_)
