import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest

import dimclust as dc
from dimclust import DCEC
from dimclust.dcec import soft_assignment, target_distribution


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


def test_clustering_layer_matches_numpy():
    from dimclust.dcec import ClusteringLayer
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
def pretrained(mnist_test_small):
    X, _ = mnist_test_small
    return dc.ConvAutoencoder(epochs=8, batch_size=64, random_state=0, verbose=0,
                              validation_split=0.0, patience=None, loss="mse").fit(X)


def test_clustering_updates_lower_kl_on_fixed_batch(mnist_test_small, pretrained):
    X, _ = mnist_test_small
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


def test_fit_stop_rule_and_attributes(mnist_test_small, pretrained):
    X, y = mnist_test_small
    X, y = X[:1000], y[:1000]
    m = DCEC(pretrained=pretrained, maxiter=400, update_interval=20, tol=0.05, batch_size=128,
             random_state=0, verbose=0)
    labels = m.fit_predict(X, y)
    h = m.history_
    assert h[0]["iteration"] == 0 and {"acc", "nmi", "ari", "delta_label"} <= set(h[0])
    assert {"loss", "clustering", "reconstruction"} <= set(h[1])
    # stopped at the first update after iteration 0 with fewer than tol labels changed
    changed = [e["delta_label"] for e in h[1:]]
    assert changed[-1] < 0.05 and all(c >= 0.05 for c in changed[:-1]) or m.n_iter_ == 400
    assert m.n_iter_ == h[-1]["iteration"]
    assert labels.shape == (1000,) and m.cluster_centers_.shape == (10, 10)
    assert m.embedding_pretrained_.shape == (1000, 10)
    assert m.transform(X).shape == (1000, 10)
    np.testing.assert_allclose(m.predict_proba(X).sum(1), 1.0, rtol=1e-5)
    assert dc.nmi(y, labels) > 0.35
    assert h[-1]["nmi"] > h[0]["nmi"] - 0.02     # clustering training does not undo the init
    # the pretrained autoencoder passed in was copied, not trained further
    np.testing.assert_array_equal(pretrained.encoder_.get_weights()[0],
                                  m.autoencoder_.encoder_.get_weights()[0] * 0
                                  + pretrained.encoder_.get_weights()[0])
    assert m.autoencoder_ is not pretrained


def test_tol_zero_runs_to_maxiter(mnist_test_small, pretrained):
    X, _ = mnist_test_small
    m = DCEC(pretrained=pretrained, maxiter=30, update_interval=10, tol=0.0, batch_size=128,
             random_state=0, verbose=0).fit(X[:600])
    assert m.n_iter_ == 30 and [e["iteration"] for e in m.history_] == [0, 10, 20, 30]


def test_options_min_confidence_gmm_validation(mnist_test_small, pretrained):
    X, _ = mnist_test_small
    m = DCEC(pretrained=pretrained, init="gmm", alpha=2.0, min_confidence=0.5, maxiter=20,
             update_interval=10, validation_split=0.2, batch_size=128, random_state=0,
             verbose=0).fit(X[:800])
    assert -1 in m.labels_ and 0 < m.coverage_ < 1
    assert m.coverage_ == pytest.approx(np.mean(m.labels_ != -1))
    assert "val_reconstruction" in m.history_[-1] and "val_clustering" in m.history_[-1]


def test_nan_guard(mnist_test_small, pretrained):
    X, _ = mnist_test_small
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
    with pytest.raises(ValueError, match="alpha=0"):
        DCEC(alpha=0).fit(np.zeros((50, 28, 28, 1)))
    with pytest.raises(ValueError, match="init='spectral'"):
        DCEC(init="spectral").fit(np.zeros((50, 28, 28, 1)))
    with pytest.raises(ValueError, match="embedding_dim=5"):
        DCEC(pretrained=pretrained, embedding_dim=5).fit(np.zeros((50, 28, 28, 1)))


CHILD = """
import sys, dimclust as dc
X, _ = dc.datasets.load("mnist-test", n_samples=600, random_state=0)
dc.DCEC(pretrain_epochs=1, batch_size=64, maxiter=400, update_interval=10, tol=0.0,
        random_state=0, verbose=1, checkpoint_dir=sys.argv[1]).fit(X)
"""


def _checkpoint_iteration(folder):
    with np.load(folder / "state.npz") as f:
        return json.loads(f["meta"].tobytes().decode())["iteration"]


def test_resume_after_kill(tmp_path, mnist_test_small):
    ckpt = tmp_path / "ckpt"
    log = open(tmp_path / "child.log", "w")
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(ckpt)], stdout=log,
                             stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.time() + 600         # generous: a loaded machine is slow, not wrong
    while time.time() < deadline:
        if (ckpt / "state.npz").exists() and _checkpoint_iteration(ckpt) >= 60:
            break
        assert child.poll() is None, open(tmp_path / "child.log").read()
        time.sleep(0.2)
    child.kill()
    child.wait()
    log.close()
    saved = _checkpoint_iteration(ckpt)
    reached = max(int(line.split()[2].rstrip(":")) for line in
                  open(tmp_path / "child.log") if line.startswith("DCEC iteration"))
    assert saved < 400 and reached - saved <= 10          # at most one interval lost
    X, _ = dc.datasets.load("mnist-test", n_samples=600, random_state=0)
    m = DCEC(pretrain_epochs=1, batch_size=64, maxiter=400, update_interval=10, tol=0.0,
             random_state=0, verbose=0, checkpoint_dir=ckpt).fit(X)
    assert m.n_iter_ == 400
    its = [e["iteration"] for e in m.history_]
    assert its == list(range(0, 401, 10))       # history continues without a gap or repeat
    assert m.timings_["pretrain"] < 5            # the pretrained autoencoder was reloaded


def test_steps_per_execution_changes_speed_not_result(mnist_test_small, pretrained):
    X, _ = mnist_test_small
    kw = dict(pretrained=pretrained, maxiter=20, update_interval=10, batch_size=128,
              random_state=0, verbose=0)
    a = DCEC(steps_per_execution=1, **kw).fit(X[:600])
    b = DCEC(steps_per_execution=5, **kw).fit(X[:600])
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_allclose(a.cluster_centers_, b.cluster_centers_, rtol=1e-4, atol=1e-6)
