"""The thesis's tables as runs: published values, compare, the best row per strategy, claims
and conclusions read from records."""
import json

import numpy as np
import pandas as pd
import pytest

import dimclust as dc
from dimclust import experiments, thesis


@pytest.fixture(autouse=True)
def _tmp_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("DIMCLUST_CACHE", str(tmp_path / "cache"))


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


def test_compare_pipelines_and_records(tmp_path, monkeypatch):
    assert experiments.run("digits", "kmeans", seeds=1) and not (tmp_path / "records").exists()
    cfg = experiments.settings("quick", n_samples=1797, seeds=2,      # as book/build.py --records
                               records=tmp_path / "records")
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


def test_the_thesis_cae_row_carries_its_protocol():
    """Table 12.1's CAE row is trained on the training split and scored on the test split
    (appendix §7), with the code's settings; the quick scale keeps its own epochs."""
    row = next(r for r in thesis.thesis_table("12.1")["rows"] if r["key"] == "tcae10+kmeans")
    assert row["protocol"] == "train-test"
    full = thesis.row_params(experiments.settings("full"), row)["tcae"]
    assert full["epochs"] == 400 and full["restore_best_weights"] is False
    quick = experiments.settings("quick")
    assert thesis.row_params(quick, row)["tcae"]["epochs"] == quick["epochs"]


def test_record_variants_show_only_the_settings_that_differ(tmp_path):
    """A setting a record was not given reads as the part's default, so writing a default
    out is no difference; numbers sort by size (2800 before 20000), not as text."""
    out = tmp_path / "records"
    kmeans = dc.pipelines.PARTS["kmeans"].build(0).get_params()
    kw = dict(n_samples=300, seeds=1, records=out)
    experiments.run("digits", "kmeans", **kw)
    experiments.run("digits", "kmeans", params={"kmeans": {"max_iter": kmeans["max_iter"]}}, **kw)
    assert len(list(out.glob("*.json"))) == 2
    same = thesis.record_variants(out, "digits", "kmeans", metrics=("nmi",))
    assert len(same) == 2 and list(same.columns[:2]) == ["nmi", "nmi sd"]
    experiments.run("digits", "kmeans", params={"kmeans": {"n_init": 20}}, **kw)
    experiments.run("digits", "kmeans", params={"kmeans": {"n_init": 3}}, **kw)
    table = thesis.record_variants(out, "digits", "kmeans", metrics=("nmi",))
    assert list(table.columns[:2]) == ["kmeans.n_init", "nmi"]
    assert sorted(table["kmeans.n_init"])[1:] == [kmeans["n_init"]] * 2 + [20]
    assert list(table["kmeans.n_init"]) == sorted(table["kmeans.n_init"])
    # a setting shows as it is written (γ = 0.1, not 0.100), a score to the precision
    shown = thesis.show(pd.DataFrame({"dcec.gamma": [0.1, 1.0], "nmi": [0.5, 0.25]})).to_html()
    assert ">0.1</td>" in shown and ">1</td>" in shown and ">0.500</td>" in shown
    assert ">gamma</th>" in shown
