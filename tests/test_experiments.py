import json

import numpy as np
import pytest

import dimclust as dc
from dimclust import experiments, thesis
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


def test_thesis_values_and_compare():
    t = thesis.thesis_table("12.1")
    assert [r["key"] for r in t["rows"]] == list(dc.pipelines.TABLE_12_1)
    assert thesis.thesis_value("12.1", "fashion", "kmeans", "nmi") == 0.5284
    assert thesis.thesis_value("13.1", "mnist", "dcec", "acc") == 0.8924
    assert thesis.thesis_value("12.2", "mnist", "tcae10+kmeans", "nmi") == "0.2124/0.8898"
    with pytest.raises(KeyError, match="unknown table '9.9'"):
        thesis.thesis_table("9.9")
    q = experiments.settings("quick")
    df = thesis.compare("12.1", q, run_missing=False, rows=["kmeans"])
    assert df.loc[0, "thesis nmi"] == 0.5284 and np.isnan(df.loc[0, "ours nmi"])
    assert df.loc[0, "missing"] == "not run"
    assert df.loc[0, "row (thesis)"] == "K-means full"
    if not dc.datasets.available("cifar10"):        # offline: said, not run, no error
        df = thesis.compare("12.2", q, rows=["kmeans"])
        cifar = df[df["data set"] == "cifar10"].iloc[0]
        assert cifar["missing"] == "no data here" and cifar["thesis nmi"] == 0.0793
    two = thesis.compare("12.2", q, run_missing=False, rows=["tcae10+kmeans"], datasets=["mnist"])
    assert np.isnan(two.loc[0, "thesis nmi"]) and two.loc[0, "thesis nmi printed"] == "0.2124/0.8898"
    with pytest.raises(KeyError, match="has no row"):
        thesis.compare("12.1", q, run_missing=False, rows=["kmeens"])
    df = thesis.compare("13.1", q, run_missing=False, rows=["kmeans"], datasets=["fashion"])
    assert df["data set"].tolist() == ["fashion"]
    assert len(thesis.compare("13.1", q, run_missing=False, rows=["kmeans"])) == 2
    with pytest.raises(KeyError, match=r"no data set\(s\) \['cifar10'\]; its data sets are"):
        thesis.compare("13.1", q, run_missing=False, datasets=["cifar10"])
    # a row's own parameters go on top of the pipeline's at the scale
    rows = {r["key"]: r for r in thesis.thesis_table("13.1")["rows"]}
    p = thesis.row_params(q, rows["dcec-gamma1"])["dcec"]
    assert p["gamma"] == 1.0 and p["maxiter"] == q["maxiter"]
    assert thesis.row_params(q, rows["dcec-start"]) == experiments.variant(q, "dcec", maxiter=0)[1]


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


def test_compare_pipelines_and_records(tmp_path, monkeypatch):
    assert experiments.run("digits", "kmeans", seeds=1) and not (tmp_path / "records").exists()
    monkeypatch.setenv("DIMCLUST_RECORDS", str(tmp_path / "records"))   # as book/build.py --records
    cfg = experiments.settings("quick", n_samples=1797, seeds=2)
    df = thesis.compare_pipelines("digits", {"raw": "kmeans",
                                                  "one restart": ("kmeans", {"kmeans": {"n_init": 1}}),
                                                  "PCA 10": "pca10+kmeans"}, cfg)
    assert list(df.index) == ["raw", "one restart", "PCA 10"]
    raw = experiments.run("digits", "kmeans", seeds=[0, 1], n_samples=1797,
                          params=experiments.pipeline_params(cfg, "kmeans") or None)
    assert (df.loc["raw", "nmi"], df.loc["raw", "nmi sd"]) == (raw["mean"]["nmi"], raw["sd"]["nmi"])
    assert df.loc["raw", "seeds"] == 2 and df["nmi"].dtype == float
    shown = thesis.show(df, index="variant").to_html()
    assert f"{raw['mean']['nmi']:.3f}\u00a0±\u00a0{raw['sd']['nmi']:.3f}" in shown
    files = sorted(p.name for p in (tmp_path / "records").glob("*.json"))
    assert len(files) == 3           # variants of one pipeline keep separate records
    table = experiments.load_records(tmp_path / "records")
    assert len(table) == 3 and set(table["pipeline"]) == {"kmeans", "pca10+kmeans"}
    assert (table["data set"] == "digits").all() and table["date"].str.match(r"\d{4}-").all()


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
    """The thesis's CAE row: the reducer learns from the training split, the test split is
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
    # the table row carries the protocol and the code's settings; quick keeps its epochs
    row = next(r for r in thesis.thesis_table("12.1")["rows"] if r["key"] == "tcae10+kmeans")
    assert row["protocol"] == "train-test"
    full = thesis.row_params(experiments.settings("full"), row)["tcae"]
    assert full["epochs"] == 400 and full["restore_best_weights"] is False
    quick = experiments.settings("quick")
    assert thesis.row_params(quick, row)["tcae"]["epochs"] == quick["epochs"]


def test_the_tsne_rows_run_the_thesis_s_optimiser_and_sample():
    """§11.1.1 and the appendix: scikit-learn's TSNE, perplexity 25, learning rate 10, its
    1,000 iterations, on a random sample of 10,000 images, for both tables."""
    for table in ("12.1", "12.2"):
        row = next(r for r in thesis.thesis_table(table)["rows"]
                   if r["key"] == "tsne2+kmeans")
        assert row["pipeline"] == "sktsne2+kmeans"
        params = thesis.row_params(experiments.settings("full"), row)
        est = dc.pipelines.PARTS["sktsne"].build(0).set_params(**params["sktsne"])
        assert (est.perplexity, est.learning_rate, est.max_iter, est.init) == \
            (25, 10, 1000, "random")
        assert thesis.row_n_samples(experiments.settings("full"), row) == 10_000
        assert thesis.row_n_samples(experiments.settings("quick"), row) == 3_000


def test_row_record_and_claims(tmp_path):
    """Records are matched to thesis rows by data set, pipeline, protocol and effective
    parameters; a claim's verdict follows the records' means."""
    out = tmp_path / "records"
    kw = dict(n_samples=400, records=out)
    experiments.run("fashion", "kmeans", seeds=2, **kw)
    experiments.run("fashion", "umap2+kmeans", seeds=2,
                    params={"umap": {"n_neighbors": 25, "verbose": False},
                            "kmeans": {"n_init": 5}}, **kw)
    experiments.run("fashion", "umap2+kmeans", seeds=1, **kw)       # 30 neighbours: not the row
    rec = thesis.row_record(out, "12.1", "fashion", "umap2+kmeans")
    assert rec["params"]["umap"]["n_neighbors"] == 25 and len(rec["seeds"]) == 2
    assert thesis.row_record(out, "12.1", "fashion", "umap30+kmeans") is None
    with pytest.raises(KeyError, match="no row 'umap3'"):
        thesis.row_record(out, "12.1", "fashion", "umap3")
    df = thesis.compare("12.1", records=out, rows=["kmeans", "umap30+kmeans"])
    assert df.loc[0, "ours nmi"] == thesis.row_record(out, '12.1', 'fashion', 'kmeans')['mean']['nmi']
    assert np.isnan(df.loc[1, "ours nmi"]) and df.loc[1, "missing"] == "no record"

    summary = thesis.summary(out).set_index(["data set", "strategy"])
    two = summary.loc[("fashion", "two-stage")]
    # PCA-50 + HDBSCAN (0.6621, on a third of the images; "*" in table 12.2) is not the best
    assert (two["thesis: best row"], two["thesis NMI"]) == ("UMAP2+K-means", 0.6433)
    assert two["ours: best row"] == "UMAP2+K-means" and (two["seeds"], two["n"]) == (2, 400)
    assert two["ours NMI"] == thesis.row_record(out, "12.1", "fashion", "umap2+kmeans")["mean"]["nmi"]
    assert summary.loc[("mnist", "deep clustering"), "ours: best row"] == "no record yet"
    flat = summary.reset_index()
    assert set(thesis.SUMMARY_COLUMNS) <= set(flat.columns)
    assert thesis.summary_scale(flat) == "400 images, 2 seeds"
    one = flat.assign(seeds=flat["seeds"].where(flat["strategy"] != "traditional", 1))
    assert thesis.summary_scale(one) == "400 images, 2 or 1 seeds"
    assert thesis.summary_scale(flat.iloc[0:0]) == "no run"

    claims = thesis.check_claims(out, thesis.CLAIMS[:3])
    first = claims[claims["data set"] == "fashion"].iloc[0]
    raw = thesis.row_record(out, "12.1", "fashion", "kmeans")["mean"]["nmi"]
    expected = "holds" if rec["mean"]["nmi"] > raw else "does not hold"
    assert first["verdict"] == expected and "0.6433" in first["thesis (NMI)"]
    assert claims[claims["data set"] == "mnist"]["verdict"].eq("not yet measured").all()
    # swap the means: the verdict turns
    path = next(out.glob("fashion-n400-umap2_kmeans-*.json"))
    body = json.loads(path.read_text())
    body["mean"]["nmi"] = raw - 0.1 if expected == "holds" else raw + 0.1
    path.write_text(json.dumps(body))
    again = thesis.check_claims(out, thesis.CLAIMS[:1])
    assert again.iloc[0]["verdict"] == ("does not hold" if expected == "holds" else "holds")


def test_conclusions_gather_the_verdicts_of_their_claims(tmp_path):
    rows = []
    for claim in thesis.CLAIMS:
        for ds in claim.datasets:
            rows.append({"claim": claim.text, "data set": ds,
                         "verdict": "holds" if "UMAP" in claim.text else "does not hold"})
    import pandas as pd
    t = thesis.conclusions(tmp_path, checked=pd.DataFrame(rows))
    assert len(t) == sum(len(w) for _, w in thesis.CONCLUSIONS)
    assert (t["the thesis concludes"] != "").sum() == len(thesis.CONCLUSIONS)  # once each
    umap = t[t["tested by"] == thesis.CLAIMS[0].text].iloc[0]
    assert (umap["fashion"], umap["mnist"]) == ("holds", "holds")
    cae = t[t["tested by"] == thesis.CLAIMS[6].text].iloc[0]
    assert "CAE" in cae["tested by"] and cae["fashion"] == "does not hold"
    # every conclusion is tested by claims that exist and that the thesis states there
    assert all(0 <= i < len(thesis.CLAIMS) for _, w in thesis.CONCLUSIONS for i in w)
