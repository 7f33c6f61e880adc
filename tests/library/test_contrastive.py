"""The contrastive encoder: its views (dimclust.augment), its loss (NT-Xent) and its
training (dimclust.contrastive), on real MNIST and Fashion-MNIST images."""
from pathlib import Path

import numpy as np
import pytest
from conftest import CHILD_PRELUDE, digit_images_sample, kill_when

import dimclust as dc
from dimclust.augment import AUGMENTATIONS, augment, check_augmentations
from dimclust.contrastive import ContrastiveEncoder, view_pairs
from dimclust.contrastive_loss import nt_xent


# -- views ----------------------------------------------------------------------------
@pytest.mark.parametrize("names", [AUGMENTATIONS, *[(a,) for a in AUGMENTATIONS]])
def test_a_view_keeps_shape_dtype_and_range_and_changes_the_image(fashion_small, names):
    X = fashion_small[0][:64]
    V = augment(X, np.random.default_rng(0), names)
    assert V.shape == X.shape and V.dtype == X.dtype
    assert V.min() >= 0 and V.max() <= 1
    changed = np.abs(V - X).reshape(len(X), -1).max(axis=1) > 1e-3
    # flip and erase act on about half the images; the others on nearly every one
    assert changed.mean() > (0.3 if names in (("flip",), ("erase",)) else 0.9)


def test_views_are_seeded(fashion_small):
    X = fashion_small[0][:32]
    a = augment(X, np.random.default_rng(5), AUGMENTATIONS)
    b = augment(X, np.random.default_rng(5), AUGMENTATIONS)
    c = augment(X, np.random.default_rng(6), AUGMENTATIONS)
    np.testing.assert_array_equal(a, b)
    assert np.abs(a - c).mean() > 0.01


def test_each_transformation_does_what_it_says():
    X = np.zeros((200, 28, 28, 1), np.float32)
    X[:, 8:20, 4:12] = 1.0                          # a bar left of centre
    rng = np.random.default_rng(0)
    flipped = augment(X, rng, ("flip",))
    mirrored = np.all(flipped == X[:, :, ::-1], axis=(1, 2, 3))
    same = np.all(flipped == X, axis=(1, 2, 3))
    assert np.all(mirrored | same) and 0.35 < mirrored.mean() < 0.65
    shifted = augment(X, rng, ("shift",), max_shift=3)
    assert np.allclose(shifted.sum(axis=(1, 2, 3)), X[0].sum())     # the bar moves whole
    assert not np.all(shifted == X[:1], axis=(1, 2, 3)).all()
    assert np.all(augment(X, rng, ("shift",), max_shift=0) == X)
    erased = augment(X, rng, ("erase",))
    assert np.all(erased <= X) and (erased.sum(axis=(1, 2, 3)) < X[0].sum()).any()
    cropped = augment(X, rng, ("crop",))            # a zoom: the bar gets larger or moves
    assert (cropped.sum(axis=(1, 2, 3)) > X[0].sum()).mean() > 0.8
    con = augment(np.full((50, 28, 28, 1), 0.5, np.float32), rng, ("contrast",))
    level = con[:, 0, 0, 0]                         # flat images: only the offset b
    assert np.all(np.abs(level - 0.5) <= 0.1 + 1e-6) and level.std() > 0.02


def test_unknown_augmentations_are_named():
    with pytest.raises(ValueError, match=r"\['rotate'\]; choose among"):
        check_augmentations(("shift", "rotate"))
    assert check_augmentations(("contrast", "crop")) == ("crop", "contrast")


def test_an_epoch_of_views_is_the_same_when_resumed_there(digit_images):
    X = digit_images[0][:100]
    whole = view_pairs(X, 32, seed=3, augmentations=("shift", "erase"))
    first_two_epochs = [next(whole)[0] for _ in range(6)]          # 3 batches an epoch
    resumed = view_pairs(X, 32, seed=3, augmentations=("shift", "erase"), start=1)
    for a in first_two_epochs[3:]:
        np.testing.assert_array_equal(a, next(resumed)[0])
    assert first_two_epochs[0].shape == (64, 28, 28, 1)
    assert np.abs(first_two_epochs[0][:32] - first_two_epochs[0][32:]).mean() > 0.01


# -- the loss -------------------------------------------------------------------------
def _nt_xent_by_hand(z1, z2, tau):
    """SimCLR eq. 1 written out as loops over the 2N views."""
    u = np.concatenate([z1, z2]).astype(np.float64)
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    n2 = len(u)
    total = 0.0
    for i in range(n2):
        j = (i + n2 // 2) % n2
        num = np.exp(u[i] @ u[j] / tau)
        den = sum(np.exp(u[i] @ u[k] / tau) for k in range(n2) if k != i)
        total += -np.log(num / den)
    return total / n2


def test_nt_xent_on_a_tiny_batch_equals_the_loss_by_hand():
    z1 = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    z2 = np.array([[1.0, 0.1], [0.2, 1.0], [-1.0, 1.0]])
    # by hand for the first view: u = normalised rows, s = u·u'/τ
    u = np.concatenate([z1, z2]) / np.linalg.norm(np.concatenate([z1, z2]), axis=1)[:, None]
    s0 = u[0] @ u.T / 0.5
    l0 = -(s0[3] - np.log(np.exp(np.delete(s0, 0)).sum()))
    # cosines of view 0 with views 1..5: 0, .707, .995 (its partner), .196, -.707, so
    # l0 = -(1.990 - log(e^0 + e^1.414 + e^1.990 + e^0.392 + e^-1.414)) = 0.6598
    assert l0 == pytest.approx(0.6598, abs=1e-4)
    assert float(nt_xent(z1, z2, 0.5)) == pytest.approx(_nt_xent_by_hand(z1, z2, 0.5), rel=1e-9)
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, 6, 4))
    for tau in (0.1, 0.5, 1.0):
        assert float(nt_xent(a, b, tau)) == pytest.approx(_nt_xent_by_hand(a, b, tau), rel=1e-9)


def test_nt_xent_in_keras_ops_equals_numpy():
    from keras import ops
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(2, 8, 5)).astype(np.float32)
    ours = float(ops.convert_to_numpy(nt_xent(ops.convert_to_tensor(a),
                                              ops.convert_to_tensor(b), 0.5, xp=ops)))
    assert ours == pytest.approx(float(nt_xent(a, b, 0.5)), rel=1e-5)


def test_nt_xent_rewards_views_that_agree():
    rng = np.random.default_rng(2)
    z = rng.normal(size=(16, 8))
    assert nt_xent(z, z + 0.01 * rng.normal(size=z.shape)) < nt_xent(z, rng.normal(size=z.shape))


# -- training -------------------------------------------------------------------------
def test_training_lowers_the_loss_and_embeds(digit_images):
    X = digit_images[0][:512]
    enc = ContrastiveEncoder(embedding_dim=16, epochs=4, batch_size=128, random_state=0,
                             verbose=0).fit(X)
    assert enc.n_epochs_ == 4 and enc.history_["loss"][-1] < enc.history_["loss"][0]
    Z = enc.transform(X[:10])
    assert Z.shape == (10, 16) and np.isfinite(Z).all()
    again = ContrastiveEncoder(embedding_dim=16, epochs=4, batch_size=128, random_state=0,
                               verbose=0).fit(X)
    np.testing.assert_allclose(again.transform(X[:10]), Z, rtol=1e-5, atol=1e-6)


def test_the_embedding_keeps_where_features_are_unless_asked_to_average(digit_images):
    """The last 4 × 4 map of a 28 × 28 image is flattened (each position its own weights);
    ``pooling="average"`` averages it: then a feature moved to another position embeds
    the same."""
    X = digit_images[0][:64]
    kw = dict(embedding_dim=8, epochs=0, random_state=0, verbose=0)
    flat = ContrastiveEncoder(**kw).fit(X)
    mean = ContrastiveEncoder(pooling="average", **kw).fit(X)
    assert flat.backbone_.get_layer("embedding").kernel.shape == (4 * 4 * 128, 8)
    assert mean.backbone_.get_layer("embedding").kernel.shape == (128, 8)
    # a blob in the top-left or the bottom-right corner, a multiple of the three halvings
    # (8 pixels) apart, so the convolutions see the same patch at other positions
    a = np.zeros((1, 28, 28, 1), np.float32)
    a[0, 4:10, 4:10] = 1.0
    b = np.roll(a, (8, 8), axis=(1, 2))
    np.testing.assert_allclose(mean.transform(a), mean.transform(b), rtol=1e-5, atol=1e-5)
    assert not np.allclose(flat.transform(a), flat.transform(b), atol=1e-3)
    with pytest.raises(ValueError, match="pooling='max' must be one of 'flatten', 'average'"):
        ContrastiveEncoder(pooling="max", **kw).fit(X)


def test_bad_input_is_named(digit_images):
    X = digit_images[0][:20]
    with pytest.raises(ValueError, match=r"outside \[0, 1\].*X / 255"):
        ContrastiveEncoder(epochs=1, verbose=0).fit(X * 255)
    with pytest.raises(ValueError, match="choose among"):
        ContrastiveEncoder(augmentations=("zoom",), epochs=1, verbose=0).fit(X)
    with pytest.raises(ValueError, match="at least 2 images"):
        ContrastiveEncoder(epochs=1, verbose=0).fit(X[:1])
    with pytest.raises(ValueError, match="temperature"):
        ContrastiveEncoder(temperature=0.0, verbose=0).fit(X)
    enc = ContrastiveEncoder(epochs=1, batch_size=10, verbose=0).fit(X)
    with pytest.raises(ValueError, match=r"fitted on \(28, 28, 1\)"):
        enc.transform(np.zeros((2, 32, 32, 1), np.float32))


def test_saved_and_loaded_encoders_embed_alike(tmp_path, digit_images):
    X = digit_images[0][:100]
    enc = ContrastiveEncoder(("shift", "flip"), embedding_dim=8, epochs=1, batch_size=50,
                             random_state=1, verbose=0).fit(X)
    back = ContrastiveEncoder.load(enc.save(tmp_path / "enc.npz"))
    assert back.get_params()["augmentations"] == ("shift", "flip")
    np.testing.assert_array_equal(back.transform(X), enc.transform(X))


RESUMABLE = """
import sys, dimclust as dc
from dimclust.contrastive import ContrastiveEncoder
from conftest import digit_images_sample
X = digit_images_sample(512)
ContrastiveEncoder(embedding_dim=16, epochs=10, batch_size=128, random_state=0, verbose=0,
                   memory=sys.argv[1]).fit(X)
"""


def _epochs_checkpointed(store_dir):
    from dimclust.store import read_npz
    files = list(Path(store_dir).glob("contrastive-checkpoint-*.npz"))
    try:
        return read_npz(files[0])[0]["epoch"] if files else 0
    except (OSError, ValueError, KeyError):         # being replaced right now
        return 0


def test_training_killed_and_fitted_again_ends_with_the_weights_of_an_uninterrupted_run(
        tmp_path, digit_images):
    store = tmp_path / "store"
    kill_when(CHILD_PRELUDE + RESUMABLE, store, lambda: _epochs_checkpointed(store) >= 3, tmp_path / "child.log")
    saved = _epochs_checkpointed(store)
    assert 3 <= saved < 10, "the child was not killed mid-training"
    import time

    from dimclust.store import read_npz, write_npz
    path = next(store.glob("contrastive-checkpoint-*.npz"))
    meta, arrays = read_npz(path)
    assert meta["seconds"] > 0                    # the epochs the killed child trained
    meta["seconds"] = killed_leg = 1000.0         # unmistakable in the stage's time
    write_npz(path, meta, arrays)
    X = digit_images_sample(512)
    kw = dict(embedding_dim=16, epochs=10, batch_size=128, random_state=0, verbose=0)
    # resumed as a pipeline's first stage: the stage's time counts the killed leg too
    t0 = time.perf_counter()
    pipe = dc.ClusteringPipeline("simclr16+kmeans", random_state=0, memory=store, params={
        "simclr": {k: v for k, v in kw.items() if k not in ("embedding_dim", "random_state")}}
    ).fit(X)
    this_leg = time.perf_counter() - t0
    resumed = pipe.steps_[0][1]
    assert resumed.earlier_seconds_ == killed_leg
    assert killed_leg < pipe.timings_["simclr16"] < killed_leg + this_leg
    assert not list(store.glob("contrastive-checkpoint-*.npz"))     # cleared once stored
    whole = ContrastiveEncoder(**kw).fit(X)
    assert whole.earlier_seconds_ == 0.0
    assert resumed.n_epochs_ == whole.n_epochs_ == 10
    np.testing.assert_allclose(resumed.history_["loss"], whole.history_["loss"], rtol=1e-5)
    for a, b in zip(resumed.net_.get_weights(), whole.net_.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    hit = ContrastiveEncoder(memory=store, **kw).fit(X)             # now from the store
    np.testing.assert_array_equal(hit.transform(X[:5]), resumed.transform(X[:5]))


def test_the_scikit_learn_contract():
    from sklearn.base import clone
    enc = ContrastiveEncoder(("crop", "flip"), embedding_dim=7, epochs=2, random_state=3)
    assert clone(enc).get_params() == enc.get_params()
    assert enc.get_params()["augmentations"] == ("crop", "flip")    # stored unchanged
    assert not hasattr(enc, "backbone_")                            # nothing before fit


def test_the_pipeline_part_and_recipe(digit_images):
    X = digit_images[0][:300]
    pipe = dc.ClusteringPipeline("simclr8+kmeans", n_clusters=10, random_state=0,
                                 params={"simclr": {"epochs": 1, "batch_size": 100}}).fit(X)
    assert pipe.labels_.shape == (300,) and pipe.embedding_.shape == (300, 8)
    enc = pipe.steps_[0][1]
    assert isinstance(enc, ContrastiveEncoder) and enc.n_epochs_ == 1
    spec, params = dc.pipelines.resolve("simclr-umap-gmm")
    assert spec == "simclr128+umap10+gmm" and params["gmm"]["covariance_type"] == "full"
