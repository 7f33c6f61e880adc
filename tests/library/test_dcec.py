
import numpy as np
import pytest
from conftest import CHILD_PRELUDE, digit_images_sample, kill_when
from sklearn.exceptions import NotFittedError

import dimclust as dc
from dimclust import DCEC
from dimclust.dcec import kl_divergence, soft_assignment, target_distribution
from dimclust.n2d import n2d_centres
from dimclust.store import read_npz


def test_soft_assignment_hand_case():
    Z = np.array([[0.0, 0.0], [2.0, 0.0]])
    mu = np.array([[0.0, 0.0], [1.0, 0.0]])
    q = soft_assignment(Z, mu, alpha=1.0)
    # point 0: distances² 0 and 1 -> kernels 1 and 1/2 -> q = (2/3, 1/3)
    # point 1: distances² 4 and 1 -> kernels 1/5 and 1/2 -> q = (2/7, 5/7)
    np.testing.assert_allclose(q, [[2 / 3, 1 / 3], [2 / 7, 5 / 7]])
    # alpha = 3: kernel (1 + d²/3)^-2; point 0: 1 and (4/3)^-2 = 9/16
    q3 = soft_assignment(Z[:1], mu, alpha=3.0)
    np.testing.assert_allclose(q3, [[16 / 25, 9 / 25]])


def test_kl_divergence_hand_case():
    p = np.array([[0.5, 0.5], [1.0, 0.0]])
    q = np.array([[0.25, 0.75], [0.5, 0.5]])
    # row 0: 0.5 ln 2 + 0.5 ln(2/3); row 1: 1 ln 2 (+ 0 · ln(0/0.5) = 0); mean of the rows
    expected = ((0.5 * np.log(2) + 0.5 * np.log(2 / 3)) + np.log(2)) / 2
    assert kl_divergence(p, q) == pytest.approx(expected, rel=1e-6)
    assert kl_divergence(q, q) == pytest.approx(0.0, abs=1e-12)


def test_clustering_layer_matches_numpy():
    from dimclust.dcec_keras import ClusteringLayer
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(20, 4)).astype("float32")
    mu = rng.normal(size=(3, 4)).astype("float32")
    for alpha in (1.0, 0.5):
        layer = ClusteringLayer(3, alpha=alpha)
        layer.build((None, 4))
        layer.clusters.assign(mu)
        q = np.asarray(layer(Z))
        np.testing.assert_allclose(q.sum(1), 1.0, rtol=1e-5)
        np.testing.assert_allclose(q, soft_assignment(Z, mu, alpha), rtol=1e-4)
    cfg = layer.get_config()
    assert cfg["n_clusters"] == 3 and cfg["alpha"] == 0.5
    assert type(layer).from_config(cfg).n_clusters == 3


def test_target_distribution_hand_case():
    q = np.array([[0.5, 0.5], [0.9, 0.1]])
    f = q.sum(0)                      # (1.4, 0.6)
    w = q ** 2 / f
    np.testing.assert_allclose(target_distribution(q), w / w.sum(1, keepdims=True))
    # by hand, row 0: (0.25/1.4, 0.25/0.6) normalised
    a, b = 0.25 / 1.4, 0.25 / 0.6
    np.testing.assert_allclose(target_distribution(q)[0], [a / (a + b), b / (a + b)])
    p = target_distribution(q)
    assert p[1, 0] > q[1, 0]          # sharpens confident assignments


@pytest.fixture(scope="module")
def pretrained(digit_images):
    X, _ = digit_images
    return dc.ConvAutoencoder(epochs=8, batch_size=64, random_state=0, verbose=0,
                              validation_split=0.0, patience=None, loss="mse").fit(X)


def test_clustering_updates_lower_kl_on_fixed_batch(digit_images, pretrained):
    X, _ = digit_images
    m = DCEC(pretrained=pretrained, maxiter=0, gamma=1.0, learning_rate=1e-4, batch_size=128,
             random_state=0, verbose=0)
    m.fit(X[:1000])
    xb = X[:128]
    q0 = m.predict_proba(xb)
    p = target_distribution(q0).astype("float32")

    def kl(q):
        return float(np.mean(np.sum(p * np.log(p / q), 1)))

    before = kl(q0)
    m.net_.fit(np.repeat(xb, 5, 0), (np.repeat(xb, 5, 0), np.repeat(p, 5, 0)), batch_size=128,
               epochs=1, shuffle=False, verbose=0)            # five steps on the same batch
    assert kl(m.predict_proba(xb)) < before


def test_loss_is_reconstruction_plus_gamma_times_kl(digit_images, pretrained):
    """The training loss on a fixed batch is mean((x - x̂)²) + γ·KL(P‖Q) (eq. 9.3), for two γ."""
    from dimclust.dcec_keras import DCECNet
    X, _ = digit_images
    xb = X[:64]
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(10), size=64).astype("float32")
    for gamma in (0.1, 1.0):
        cae = pretrained.copy()
        net = DCECNet(cae.encoder_, cae.decoder_, 10, alpha=1.0, gamma=gamma)
        recon, q = (np.asarray(a, dtype=np.float64) for a in net(xb))
        rec = np.mean((xb - recon) ** 2)
        kl = np.mean(np.sum(p * np.log(p / q), axis=1))          # eq. 9.5, written out here
        loss = float(net.compute_loss(y=(xb, p), y_pred=net(xb)))
        assert loss == pytest.approx(rec + gamma * kl, rel=1e-4)
        assert kl > 0.01 and rec > 1e-4                           # both terms matter


def test_fit_attributes_and_published_init(digit_images, pretrained):
    X, y = digit_images
    X, y = X[:1000], y[:1000]
    weights_before = [w.copy() for w in pretrained.autoencoder_.get_weights()]
    m = DCEC(pretrained=pretrained, maxiter=60, update_interval=20, tol=0.0, batch_size=128,
             random_state=0, verbose=0)
    labels = m.fit_predict(X, y)
    h = m.history_
    assert [e["iteration"] for e in h] == [0, 20, 40, 60] and m.n_iter_ == 60
    assert {"acc", "nmi", "ari", "delta_label"} <= set(h[0])
    assert {"loss", "clustering", "reconstruction"} <= set(h[1])
    assert labels.shape == (1000,) and m.cluster_centers_.shape == (10, 10)
    assert m.embedding_pretrained_.shape == (1000, 10)
    np.testing.assert_allclose(m.transform(X), m.embedding_, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(m.predict_proba(X).sum(1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(m.predict(X), labels)
    assert dc.nmi(y, labels) > 0.35
    assert h[-1]["nmi"] > h[0]["nmi"] - 0.02     # clustering training does not undo the init
    # the published start: k-means with 20 restarts (Guo et al. 2017) on the embedding
    assert m.init_estimator_.n_init == 20 and m.init_estimator_.n_clusters == 10
    # the pretrained autoencoder passed in was copied and left as it was; the copy trained on
    for before, after in zip(weights_before, pretrained.autoencoder_.get_weights()):
        np.testing.assert_array_equal(before, after)
    assert any(np.abs(a - b).max() > 0 for a, b in
               zip(weights_before, m.autoencoder_.autoencoder_.get_weights()))
    assert set(m.timings_) == {"pretrain", "init", "target_updates", "cluster_steps"}


def test_stop_rule(digit_images, pretrained):
    X, _ = digit_images
    kw = dict(pretrained=pretrained, maxiter=200, update_interval=20, batch_size=128,
              random_state=0, verbose=0)
    # tol = 1: any update with fewer than all labels changed stops at once
    m = DCEC(tol=1.0, **kw).fit(X[:600])
    assert m.n_iter_ == 20 and len(m.history_) == 2 and m.history_[1]["delta_label"] < 1.0
    # in general: stop at the first update (after the start) below tol, else at maxiter
    m = DCEC(tol=0.01, **kw).fit(X[:600])
    deltas = [e["delta_label"] for e in m.history_[1:]]
    assert all(d >= 0.01 for d in deltas[:-1])
    assert deltas[-1] < 0.01 or m.n_iter_ == 200


def test_tol_zero_runs_to_maxiter(digit_images, pretrained):
    X, _ = digit_images
    m = DCEC(pretrained=pretrained, maxiter=30, update_interval=10, tol=0.0, batch_size=128,
             random_state=0, verbose=0).fit(X[:600])
    assert m.n_iter_ == 30 and [e["iteration"] for e in m.history_] == [0, 10, 20, 30]


def test_options_min_confidence_gmm_validation(digit_images, pretrained):
    X, _ = digit_images
    m = DCEC(pretrained=pretrained, init="gmm", alpha=2.0, min_confidence=0.5, maxiter=20,
             update_interval=10, validation_split=0.2, batch_size=128,
             random_state=np.random.default_rng(0), verbose=0).fit(X[:800])
    assert m.init_estimator_.n_components == 10
    assert -1 in m.labels_ and 0 < m.coverage_ < 1
    assert m.coverage_ == pytest.approx(np.mean(m.labels_ != -1))
    assert "val_reconstruction" in m.history_[-1] and "val_clustering" in m.history_[-1]


def test_init_from_n2d_clustering_of_the_embedding(digit_images, pretrained):
    X, y = digit_images
    X, y = X[:1000], y[:1000]
    kw = dict(pretrained=pretrained, maxiter=0, batch_size=128, random_state=0, verbose=0)
    m = DCEC(init="umap-gmm", **kw).fit(X, y)
    gmm, centres = n2d_centres(m.embedding_pretrained_, 10, random_state=0)
    np.testing.assert_allclose(m.cluster_centers_, centres, rtol=1e-5, atol=1e-5)
    assert m.init_estimator_.covariance_type == "full" and m.init_estimator_.n_components == 10
    # each centre is a weighted mean of the embedding: in its units and inside its range
    Z = m.embedding_pretrained_
    assert np.all(centres >= Z.min(0) - 1e-6) and np.all(centres <= Z.max(0) + 1e-6)
    _, scaled = n2d_centres(4.0 * Z, 10, random_state=0)
    assert np.abs(scaled / 4.0 - centres).max() < 0.05 * Z.std()
    # the start differs from k-means's: another clustering of the same embedding
    kmeans_start = DCEC(**kw).fit(X, y)
    assert not np.allclose(np.sort(m.cluster_centers_, 0), np.sort(kmeans_start.cluster_centers_, 0),
                           atol=1e-3)


def test_nan_guard(digit_images, pretrained):
    X, _ = digit_images
    m = DCEC(pretrained=pretrained, learning_rate=1e38, maxiter=200, update_interval=100,
             batch_size=128, random_state=0, verbose=0)
    with pytest.raises(FloatingPointError, match=r"non-finite by iteration \d+: reconstruction="):
        m.fit(X[:600])


def test_bad_input(pretrained):
    X = np.zeros((50, 28, 28, 1), np.float32)
    X[4, 0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        DCEC(pretrain_epochs=1).fit(X)
    with pytest.raises(ValueError, match="n_clusters=60 > n_samples=50"):
        DCEC(n_clusters=60).fit(np.zeros((50, 28, 28, 1)))
    with pytest.raises(ValueError, match="alpha=0 must be a finite number > 0"):
        DCEC(alpha=0).fit(np.zeros((50, 28, 28, 1)))
    with pytest.raises(ValueError, match="init='spectral'"):
        DCEC(init="spectral").fit(np.zeros((50, 28, 28, 1)))
    with pytest.raises(ValueError, match="embedding_dim=5"):
        DCEC(pretrained=pretrained, embedding_dim=5).fit(np.zeros((50, 28, 28, 1)))
    with pytest.raises(NotFittedError):
        DCEC().predict(np.zeros((5, 28, 28, 1)))


CHILD = """
import sys, dimclust as dc
from conftest import digit_images_sample
X = digit_images_sample(600)
dc.DCEC(pretrain_epochs=1, batch_size=64, maxiter=400, update_interval=10, tol=0.0,
        random_state=0, verbose=0, checkpoint_dir=sys.argv[1]).fit(X)
"""


def _checkpoint_iteration(folder):
    return read_npz(folder / "state.npz")[0]["iteration"]


def test_resume_after_kill_gives_the_uninterrupted_result(tmp_path, digit_images):
    ckpt = tmp_path / "ckpt"
    kill_when(CHILD_PRELUDE + CHILD, ckpt, lambda: (ckpt / "state.npz").exists()
              and _checkpoint_iteration(ckpt) >= 60, tmp_path / "child.log")
    saved = _checkpoint_iteration(ckpt)
    assert 60 <= saved < 400 and saved % 10 == 0          # saved after whole intervals only
    from dimclust.store import read_npz
    killed_leg = read_npz(ckpt / "state.npz")[0]["seconds"]
    assert killed_leg > 0                  # pretraining and clustering up to the checkpoint
    X = digit_images_sample(600)
    kw = dict(pretrain_epochs=1, batch_size=64, maxiter=400, update_interval=10, tol=0.0,
              random_state=0, verbose=0)
    resumed = DCEC(checkpoint_dir=ckpt, **kw).fit(X)
    assert resumed.timings_["pretrain"] < 5      # the pretrained autoencoder was reloaded
    assert resumed.n_iter_ == 400
    assert resumed.earlier_seconds_ == killed_leg
    its = [e["iteration"] for e in resumed.history_]
    assert its == list(range(0, 401, 10))       # history continues without a gap or repeat
    # the same seed without interruption reaches the same model
    whole = DCEC(**kw).fit(X)
    assert whole.earlier_seconds_ == 0.0
    np.testing.assert_array_equal(resumed.labels_, whole.labels_)
    np.testing.assert_allclose(resumed.cluster_centers_, whole.cluster_centers_,
                               rtol=1e-4, atol=1e-5)


def test_steps_per_execution_changes_speed_not_result(digit_images, pretrained):
    X, _ = digit_images
    kw = dict(pretrained=pretrained, maxiter=20, update_interval=10, batch_size=128,
              random_state=0, verbose=0)
    a = DCEC(steps_per_execution=1, **kw).fit(X[:600])
    b = DCEC(steps_per_execution=5, **kw).fit(X[:600])
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_allclose(a.cluster_centers_, b.cluster_centers_, rtol=1e-4, atol=1e-6)


def test_pretraining_is_remembered_and_shared_with_a_cae_stage(digit_images, tmp_path):
    X = digit_images[0][:512]
    kw = dict(pretrain_epochs=1, batch_size=64, update_interval=10, random_state=0, verbose=0,
              memory=tmp_path)
    start = DCEC(maxiter=0, **kw).fit(X)
    assert len(list(tmp_path.glob("cae-*.npz"))) == 1
    other = DCEC(maxiter=10, gamma=1.0, **kw).fit(X)           # another clustering phase
    np.testing.assert_array_equal(other.embedding_pretrained_, start.embedding_pretrained_)
    cae = {"epochs": 1, "batch_size": 64, "loss": "mse", "patience": None,
           "validation_split": 0.0, "verbose": 0}
    p = dc.ClusteringPipeline("cae10+kmeans", random_state=0, memory=tmp_path,
                              params={"cae": cae}).fit(X)
    assert len(list(tmp_path.glob("cae-*.npz"))) == 1          # loaded, not trained again
    np.testing.assert_allclose(p.embedding_, start.embedding_pretrained_, rtol=1e-5, atol=1e-6)


def test_a_checkpoint_resumes_only_under_its_own_settings(tmp_path, digit_images):
    X = digit_images[0][:300]
    kw = dict(pretrain_epochs=1, batch_size=64, maxiter=20, update_interval=10, tol=0.0,
              verbose=0, checkpoint_dir=tmp_path / "ckpt")
    DCEC(random_state=0, **kw).fit(X)
    for other in ({"random_state": 1}, {"random_state": 0, "gamma": 5.0},
                  {"random_state": 0, "n_clusters": 5}):
        with pytest.raises(ValueError, match="other parameters or data.*delete it"):
            DCEC(**{**kw, **other}).fit(X)
    with pytest.raises(ValueError, match="other parameters or data"):
        DCEC(random_state=0, **kw).fit(X[:250])


def test_with_memory_a_fit_checkpoints_in_the_store_and_clears_it(tmp_path, digit_images):
    X = digit_images[0][:300]
    est = DCEC(pretrain_epochs=1, batch_size=64, maxiter=20, update_interval=10, verbose=0,
               random_state=0, memory=tmp_path).fit(X)
    assert est.n_iter_ > 0
    assert not list(tmp_path.glob("*checkpoint*"))       # nothing left once it ended
    assert list(tmp_path.glob("cae-*.npz"))               # the pretraining is remembered


def test_a_pipeline_hands_labels_to_dcec_to_score_its_history_and_nothing_else(
        digit_images, tmp_path):
    X, y = digit_images[0][:512], digit_images[1][:512]
    params = {"dcec": dict(pretrain_epochs=1, batch_size=64, update_interval=10, maxiter=30,
                           tol=0.0, verbose=0)}
    blind = dc.ClusteringPipeline("dcec", random_state=0, memory=tmp_path,
                                  params=params).fit(X)
    seeing = dc.ClusteringPipeline("dcec", random_state=0, memory=tmp_path,
                                   params=params).fit(X, y)
    history = seeing.steps_[-1][1].history_
    assert {"acc", "nmi", "ari"} <= set(history[-1])          # fig. 13.2's score curves
    assert "acc" not in blind.steps_[-1][1].history_[-1]
    np.testing.assert_array_equal(seeing.labels_, blind.labels_)   # y changed nothing
    # a reducer never sees y: UMAP would use it to supervise its embedding
    Z = np.random.default_rng(0).random((60, 5))
    u = dc.ClusteringPipeline("umap2+kmeans", n_clusters=2, random_state=0)
    np.testing.assert_array_equal(u.fit(Z, np.arange(60) % 2).embedding_, u.fit(Z).embedding_)
