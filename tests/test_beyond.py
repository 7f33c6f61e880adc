"""The last chapter's candidates, the label-free rule that picks one, and the comparison."""
import numpy as np
import pytest

from dimclust import experiments, thesis
from dimclust.experiments.records import _effective
from dimclust.pipelines import resolve
from dimclust.thesis import beyond

PIXELS = ["pixels → UMAP10 → k-means", "pixels → UMAP10 → GMM", "pixels → UMAP10 → HDBSCAN"]


@pytest.fixture(autouse=True)
def _tmp_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("DIMCLUST_CACHE", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def digits_runs(tmp_path_factory):
    """The three pixel candidates on scikit-learn's digits, two seeds, records written."""
    folder = tmp_path_factory.mktemp("records")
    mp = pytest.MonkeyPatch()
    mp.setenv("DIMCLUST_CACHE", str(folder / "cache"))
    cfg = experiments.settings("quick", n_samples=1797, seeds=2, records=str(folder / "out"))
    recs = beyond.run_candidates("digits", cfg, only=PIXELS)
    mp.undo()
    return folder / "out", recs


def test_candidates_take_n2d_settings_and_the_scale_training_length():
    full, quick = beyond.candidates(), beyond.candidates(experiments.settings("quick"))
    for pipeline, params in full.values():
        if pipeline == "dcec":
            continue
        # N2D's UMAP after its autoencoder: 10 dimensions, 20 neighbours, min_dist 0
        assert "umap10+" in pipeline and params["umap"]["n_neighbors"] == 20
        assert params["umap"]["min_dist"] == 0.0
    # DCEC started from N2D's clustering: the thesis's DCEC at full scale, the chapter's quick one
    dcec_label = "Guo CAE → DCEC started from UMAP10 → GMM"
    assert _effective(full[dcec_label][1]) == {"dcec": {"init": "umap-gmm"}}
    q = experiments.settings("quick")
    assert quick[dcec_label] == experiments.variant(q, "dcec", init="umap-gmm")
    n2d_pipeline, n2d = full["N2D: DEC autoencoder → UMAP10 → GMM"]
    assert (n2d_pipeline, n2d) == resolve("n2d") and n2d["dae"]["epochs"] == 1000
    assert quick["N2D: DEC autoencoder → UMAP10 → GMM"][1]["dae"]["epochs"] == 10
    assert full["Guo CAE → UMAP10 → GMM"][1]["cae"]["epochs"] == 200
    # HDBSCAN keeps the thesis's 500 at 70,000 images, scaled at the quick sample
    assert full["pixels → UMAP10 → HDBSCAN"][1]["hdbscan"]["min_cluster_size"] == 500
    assert quick["pixels → UMAP10 → HDBSCAN"][1]["hdbscan"]["min_cluster_size"] == 21
    with pytest.raises(ValueError, match="unknown candidate"):
        beyond.run_candidates("digits", experiments.settings("quick"), only=["umap"])


def test_rule_picks_the_most_agreeing_seeds_among_whole_clusterings(digits_runs):
    _, recs = digits_runs
    assert set(recs) == set(PIXELS)
    for rec in recs.values():
        assert rec["seeds"] == [0, 1] and 0 < rec["agreement"] <= 1
    eligible = {k: r["agreement"] for k, r in recs.items() if r["mean"]["assigned"] >= 0.9
                and all(run["metrics"]["n_clusters"] == 10 for run in r["runs"])}
    assert beyond.choose(recs) == max(eligible, key=eligible.get)
    # the rule follows agreement, not the class scores: make every record a whole clustering
    # into 10 clusters, and the least agreeing the most agreeing
    low = min(recs, key=lambda k: recs[k]["agreement"])
    assert low != beyond.choose(recs)                         # so the change decides
    whole = [{**run, "metrics": {**run["metrics"], "n_clusters": 10}} for run in recs[low]["runs"]]
    changed = {k: {**r, "agreement": 1.0 if k == low else r["agreement"],
                   "mean": {**r["mean"], "assigned": 1.0},
                   "runs": whole if k == low else r["runs"]} for k, r in recs.items()}
    assert beyond.choose(changed) == low
    # a record that leaves most images unlabelled, or holds one seed, cannot be chosen
    partial = {low: {**changed[low], "mean": {**changed[low]["mean"], "assigned": 0.5}}}
    one_seed = {low: {**changed[low], "seeds": [0]}}
    assert beyond.choose(partial) is None and beyond.choose(one_seed) is None
    # nor one that found another number of clusters than asked (HDBSCAN chooses its own)
    few = {low: {**changed[low], "runs": [{**r, "metrics": {**r["metrics"], "n_clusters": 3}}
                                          for r in changed[low]["runs"]]}}
    assert beyond.choose(few) is None and beyond.choose(few, n_clusters=3) == low
    assert beyond.choose({"x": None}) is None


def test_ablation_and_versus_read_the_records(digits_runs):
    folder, recs = digits_runs
    found = beyond.find_candidates(folder, "digits")
    # the pixel UMAP + k-means / GMM runs have the full scale's settings; HDBSCAN's
    # minimum cluster size at 1,797 images is not the full scale's 500
    assert found["pixels → UMAP10 → k-means"]["mean"] == recs["pixels → UMAP10 → k-means"]["mean"]
    assert found["pixels → UMAP10 → HDBSCAN"] is None
    table = beyond.ablation(found)
    assert list(table["pipeline"]) == list(beyond.candidates())
    missing = table.set_index("pipeline").loc["Guo CAE → UMAP10 → GMM"]
    assert missing["missing"] == "not run yet" and np.isnan(missing["nmi"])
    ran = table.set_index("pipeline").loc["pixels → UMAP10 → k-means"]
    assert (ran["nmi"], ran["nmi sd"]) == (kmeans_mean := found["pixels → UMAP10 → k-means"]["mean"]["nmi"],
                                           found["pixels → UMAP10 → k-means"]["sd"]["nmi"])
    assert kmeans_mean > 0
    assert table["seeds"].dropna().tolist() == [2, 2]
    kmeans = found["pixels → UMAP10 → k-means"]
    assert table["clusters"].iloc[0] == "10" and kmeans["runs"][0]["metrics"]["n_clusters"] == 10
    # versus: our chosen row, then the thesis's DCEC and N2D's published values
    vs = beyond.versus({"fashion": recs, "mnist-test": {}})
    fashion = vs[vs["data set"] == "fashion"]
    chosen = beyond.choose(recs)
    assert fashion["who"].tolist() == [f"ours: {chosen}", "thesis: DCEC Guo (table 13.1)",
                                       "N2D (published)"]
    gap = beyond.AIMS["fashion"]["acc"] - recs[chosen]["mean"]["acc"]
    assert (f"ACC short by {gap:.3f}" if gap > 0 else "ACC met") in fashion["reached"].iloc[0]
    assert fashion["nmi"].iloc[1] == thesis.thesis_value('13.1', 'fashion', 'dcec', 'nmi')
    assert fashion["nmi"].iloc[0] == recs[chosen]["mean"]["nmi"] and fashion["seeds"].iloc[0] == 2
    assert np.isnan(fashion["nmi sd"].iloc[1])                         # published: no sd
    assert vs[vs["data set"] == "mnist-test"]["who"].tolist() == ["ours: nothing chosen yet",
                                                                  "N2D (published)"]


def test_gpu_kit_runs_the_autoencoder_candidates_as_the_chapter_finds_them():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "kit", Path(__file__).resolve().parent.parent / "gpu" / "kit.py")
    kit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(kit)
    kit_jobs = kit.jobs("full")
    rows = {j.label: j for j in kit_jobs}
    for label in ("N2D: DEC autoencoder → UMAP10 → GMM", "Guo CAE → UMAP10 → GMM",
                  "Guo CAE → DCEC started from UMAP10 → GMM"):
        pipeline, params = beyond.candidates()[label]
        assert rows[label].pipeline == pipeline
        assert _effective(rows[label].params) == _effective(params)
        assert "mnist-test" in {j.dataset for j in kit_jobs if j.label == label}
    # the Guo candidate trains exactly as DCEC pretrains (MSE, all images, no early stop)
    from dimclust import DCEC
    cae = beyond.candidates()["Guo CAE → UMAP10 → GMM"][1]["cae"]
    assert cae["epochs"] == DCEC().pretrain_epochs and cae["loss"] == "mse"
    # the kit runs the campaign's jobs, at the campaign's settings
    from dimclust.thesis.jobs import thesis_jobs
    assert [(j.name, _effective(j.params)) for j in kit_jobs] == [
        (j.name, _effective(j.params)) for j in thesis_jobs()]


def test_chosen_labels_are_the_first_seeds_from_the_store(digits_runs, monkeypatch):
    import dimclust as dc
    folder, recs = digits_runs
    monkeypatch.setenv("DIMCLUST_CACHE", str(folder / "cache"))
    cfg = experiments.settings("quick", n_samples=1797, seeds=2)
    _, y = dc.datasets.load("digits", n_samples=1797, random_state=0)
    label, labels = beyond.chosen_labels("digits", recs, cfg)
    assert label == beyond.choose(recs) and labels.shape == y.shape
    assert dc.nmi(y, labels) == pytest.approx(recs[label]["runs"][0]["metrics"]["nmi"])
    # with one seed the rule cannot choose: N2D's clusterer on the pixels is drawn
    one_seed = {k: {**r, "seeds": r["seeds"][:1], "agreement": None} for k, r in recs.items()}
    label, labels = beyond.chosen_labels("digits", one_seed, cfg)
    assert label == "pixels → UMAP10 → GMM"
    assert dc.nmi(y, labels) == pytest.approx(recs[label]["runs"][0]["metrics"]["nmi"])


def test_aims_are_stated_beside_n2d_s_published_values():
    t = beyond.aims()
    assert len(t) == sum(len(a) for a in beyond.AIMS.values())
    fashion_nmi = t[(t["data set"] == "fashion") & (t["score"] == "NMI")].iloc[0]
    assert fashion_nmi["aim (mean of 5 seeds, every image)"] == f"≥ {beyond.AIMS['fashion']['nmi']:.2f}"
    assert fashion_nmi["N2D (published)"] == "0.684"            # McConville et al.
    for _, row in t.iterrows():                                  # each aim is above N2D's value
        if row["N2D (published)"] != "—":
            assert float(row["aim (mean of 5 seeds, every image)"][2:]) > float(row["N2D (published)"])
