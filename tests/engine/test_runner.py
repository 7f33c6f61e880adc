"""The engine's runs: records, the result store, the command line, scales and protocols."""
import json

import numpy as np
import pytest

import dimclust as dc
from dimclust import experiments
from dimclust.__main__ import main


@pytest.fixture(autouse=True)
def _tmp_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("DIMCLUST_CACHE", str(tmp_path / "cache"))


def test_run_record_and_cache(tmp_path):
    rec = experiments.run("digits", "pca10+kmeans", seeds=2)
    assert rec["seeds"] == [0, 1] and rec["n_samples"] == 1797
    for m in ("nmi", "ari", "ami", "acc", "silhouette", "assigned"):
        vals = [r["metrics"][m] for r in rec["runs"]]
        assert rec["mean"][m] == pytest.approx(np.mean(vals))
        assert rec["sd"][m] == pytest.approx(np.std(vals, ddof=1))
    assert rec["mean"]["nmi"] > 0.6                    # digits are easy for k-means
    assert set(rec["time_mean"]) == {"pca10", "kmeans", "total"}
    assert rec["versions"]["scikit-learn"] and rec["hardware"]["cpu_count"] >= 1
    # the store returns identical numbers without refitting
    files = sorted((tmp_path / "cache").glob("seed-*.npz"))
    assert len(files) == 2
    again = experiments.run("digits", "pca10+kmeans", seeds=2)
    assert again["runs"] == rec["runs"]
    # another parameter is another key
    other = experiments.run("digits", "pca10+kmeans", seeds=[0], params={"kmeans": {"n_init": 1}})
    assert len(list((tmp_path / "cache").glob("seed-*.npz"))) == 3
    assert other["seeds"] == [0]
    assert rec["commit"] is None or len(rec["commit"].split("+")[0]) == 40
    # the seeds' agreement is the ARI between the two seeds' clusterings; one seed has none
    labels = [dc.ClusteringPipeline("pca10+kmeans", random_state=s).fit(
        dc.datasets.load("digits")[0]).labels_ for s in (0, 1)]
    assert rec["agreement"] == pytest.approx(dc.ari(*labels))
    assert other["agreement"] is None and "labels" not in rec["runs"][0]


def test_write_record(tmp_path):
    rec = experiments.run("digits", "kmeans", seeds=1)
    path = experiments.write_record(rec, tmp_path / "out")
    assert json.loads(path.read_text())["pipeline"] == "kmeans"
    csv = path.with_suffix(".csv").read_text().splitlines()
    assert csv[0].startswith("seed,nmi,ari") and len(csv) == 2


def test_cli_json(capsys, tmp_path):
    assert main(["run", "--dataset", "digits", "--pipeline", "pca20+kmeans", "--seeds", "2",
                 "--out", str(tmp_path), "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert set(rec["mean"]) >= {"nmi", "ari", "ami", "acc", "assigned"}
    assert len(rec["runs"]) == 2


def test_cli_table_text(capsys, tmp_path):
    assert main(["run", "--dataset", "digits", "--pipeline", "kmeans", "--seeds", "1",
                 "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "nmi:" in out and "record:" in out


def test_cli_errors_are_one_line_and_status_2(capsys):
    assert main(["run", "--dataset", "digits", "--pipeline", "kmeens"]) == 2
    err = capsys.readouterr().err.strip()
    assert "unknown pipeline part 'kmeens'" in err and "\n" not in err
    assert main(["run", "--dataset", "fashon", "--pipeline", "kmeans"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("python -m dimclust: error: unknown data set 'fashon'; choose one of")
    assert "Traceback" not in err
    assert main(["run", "--dataset", "digits", "--pipeline", "kmeans", "--params",
                 '{"kmeans": 5}']) == 2
    err = capsys.readouterr().err.strip()
    assert "params['kmeans']=5; pass a dict" in err and "\n" not in err
    with pytest.raises(SystemExit) as e:
        main(["run", "--dataset", "digits", "--pipeline", "kmeans", "--params", "{bad"])
    assert e.value.code == 2


def test_cli_subprocess_exit_status():
    import subprocess
    import sys
    r = subprocess.run([sys.executable, "-m", "dimclust", "run", "--dataset", "nope",
                        "--pipeline", "kmeans"], capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "unknown data set 'nope'" in r.stderr.strip().splitlines()[-1]


def test_format_mean_sd():
    assert experiments.format_mean_sd(0.64321, 0.0123) == "0.643 ± 0.012"
    assert experiments.format_mean_sd(float("nan"), 0.0) == "—"
    assert experiments.format_mean_sd(0.6433, float("nan")) == "0.643"          # published
    assert experiments.format_mean_sd(0.6433, 0.0, seeds=1) == "0.643 (one run)"
    one = {"seeds": [0], "mean": {"nmi": 0.66213}, "sd": {"nmi": 0.0}}
    assert experiments.format_metric(one, "nmi") == "0.662 (one run)"      # no sd of one run
    two = {"seeds": [0, 1], "mean": {"nmi": 0.66213}, "sd": {"nmi": 0.01}}
    assert experiments.format_metric(two, "nmi") == "0.662 ± 0.010"


def test_settings_and_pipeline_params():
    q = experiments.settings("quick", n_samples=None, seeds=5)
    assert q["scale"] == "quick" and q["records"] is None
    assert q["seeds"] == 5 and q["n_samples"] == experiments.SCALES["quick"]["n_samples"]
    assert experiments.settings("full")["n_samples"] is None
    with pytest.raises(ValueError, match="scale='huge'"):
        experiments.settings("huge")
    with pytest.raises(ValueError, match=r"unknown setting\(s\) \['epoch'\]"):
        experiments.settings("quick", epoch=3)
    assert experiments.hdbscan_params(None) == {"min_cluster_size": 500}
    assert experiments.hdbscan_params(7000) == {"min_cluster_size": 50}
    p = experiments.pipeline_params(q)
    assert p["cae10+kmeans"]["cae"]["epochs"] == q["epochs"]
    assert p["dcec"]["dcec"]["maxiter"] == q["maxiter"]
    for pipe, own in p.items():               # settings only for parts the pipeline has
        reducers, clusterer = dc.parse_pipeline(pipe)
        assert own and set(own) <= {r for r, _ in reducers} | {clusterer}
    assert experiments.pipeline_params(q, "umap2+kmeans") == {}
    assert experiments.pipeline_params(q, "cae10+umap10+gmm") == {
        "cae": {"epochs": q["epochs"], "verbose": 0}}
    assert experiments.pipeline_params(q, "umap2+hdbscan") == {
        "hdbscan": experiments.hdbscan_params(q["n_samples"])}
    dcec = experiments.part_params(q, "dcec")
    assert dcec == {k: q[k] for k in ("pretrain_epochs", "maxiter", "update_interval",
                                      "batch_size", "steps_per_execution")} | {"verbose": 0}
    name, params = experiments.variant(q, "dcec", gamma=1.0)
    assert name == "dcec" and params["dcec"] == {**p["dcec"]["dcec"], "gamma": 1.0}
    assert experiments.variant(q, "kmeans") == ("kmeans", None)


def test_a_deep_clusterer_leaves_its_training_in_the_record(tmp_path):
    params = {"dcec": {"pretrain_epochs": 1, "maxiter": 20, "update_interval": 10,
                       "batch_size": 128, "verbose": 0}}
    rec = experiments.run("digits", "dcec", seeds=[0], params=params)
    run = rec["runs"][0]
    assert [h["iteration"] for h in run["history"]] == [0, 10, 20]
    assert set(run["timings_detail"]) == {"dcec.pretrain", "dcec.init", "dcec.target_updates",
                                          "dcec.cluster_steps"}
    before, after = rec["samples"]["seed0_sample_before"], rec["samples"]["seed0_sample_after"]
    assert before.shape == after.shape == (1797, 10) and not np.allclose(before, after)
    path = experiments.write_record(rec, tmp_path)
    assert "samples" not in json.loads(path.read_text())
    back = experiments.read_record(path)
    np.testing.assert_array_equal(back["samples"]["seed0_sample_y"],
                                  rec["samples"]["seed0_sample_y"])
    again = experiments.run("digits", "dcec", seeds=[0], params=params)     # from the store
    np.testing.assert_array_equal(again["samples"]["seed0_sample_after"], after)


def test_train_test_protocol(tmp_path):
    """The train-test protocol (the thesis's CAE row): the reducer learns from the training split, the test split is
    clustered and scored (appendix §7)."""
    X, y, X_train = experiments.load_for("fashion", n_samples=300, protocol="train-test")
    test, _ = dc.datasets.load("fashion", subset="test")
    train, _ = dc.datasets.load("fashion", subset="train")
    assert len(X) == len(X_train) == 300
    assert {X[0].tobytes()} <= {t.tobytes() for t in test[:10000]}      # a test image
    assert any((X_train[0] == t).all() for t in train)
    rec = experiments.run("fashion", "pca5+kmeans", seeds=1, n_samples=300,
                          protocol="train-test", records=tmp_path)
    assert rec["protocol"] == "train-test" and rec["n_samples"] == 300
    plain = experiments.run("fashion", "pca5+kmeans", seeds=1, n_samples=300)
    assert rec["runs"][0]["metrics"] != plain["runs"][0]["metrics"]
    assert [p.name for p in tmp_path.glob("*.json")] == ["fashion-n300-pca5_kmeans-train-test.json"]
    with pytest.raises(ValueError, match="'mnist-test' has none"):
        experiments.run("mnist-test", "pca5+kmeans", protocol="train-test")
    with pytest.raises(ValueError, match="'kmeans' has none"):
        experiments.run("fashion", "kmeans", protocol="train-test")
    with pytest.raises(ValueError, match="protocol='cv'"):
        experiments.run("fashion", "pca5+kmeans", protocol="cv")




def test_a_run_uses_the_store_it_is_given(tmp_path):
    """``store=`` takes a folder: the seeds' results land there, and a second run with the
    same store computes nothing."""
    store = tmp_path / "elsewhere"
    rec = experiments.run("digits", "pca5+kmeans", seeds=2, n_samples=300, store=store)
    assert experiments.is_cached("digits", "pca5+kmeans", 1, n_samples=300, store=store)
    assert not experiments.is_cached("digits", "pca5+kmeans", 1, n_samples=300)
    assert len(list(store.glob("seed-*"))) == 2
    again = experiments.run("digits", "pca5+kmeans", seeds=2, n_samples=300, store=dc.store.Store(store))
    assert again["runs"] == rec["runs"]
