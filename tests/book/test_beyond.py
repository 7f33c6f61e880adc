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
        if pipeline in ("dcec", "simclr128+gmm"):     # DCEC; the ablation without UMAP
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
    # the contrastive encoder: about 8,000 updates at full scale whatever the set's size
    # (30 epochs of 70,000 images, 206 of 10,000), the scale's epochs below; mirror images
    # only where a class keeps them (a garment, not a digit)
    simclr = "contrastive CNN → UMAP10 → GMM"
    assert full[simclr][0] == resolve("simclr-umap-gmm")[0]
    assert "simclr" not in full[simclr][1]                     # no data set: its default
    assert quick[simclr][1]["simclr"] == {"epochs": 10}
    fashion = beyond.candidates(dataset="fashion")[simclr][1]["simclr"]
    assert fashion == {"epochs": 30, "augmentations": ["crop", "shift", "flip", "erase", "contrast"]}
    assert beyond.candidates(dataset="mnist")[simclr][1]["simclr"] == {"epochs": 30}
    assert beyond.candidates(dataset="mnist-test")[simclr][1]["simclr"] == {"epochs": 206}
    with pytest.raises(ValueError, match="unknown candidate"):
        beyond.run_candidates("digits", experiments.settings("quick"), only=["umap"])


def test_without_each_view_leaves_out_one_view_and_keeps_every_other_setting(tmp_path):
    label = beyond.CONTRASTIVE
    for ds, views in (("fashion", ["crop", "shift", "flip", "erase", "contrast"]),
                      ("mnist", ["crop", "shift", "erase", "contrast"])):
        pipeline, params = beyond.candidates(dataset=ds)[label]
        out = beyond.without_each_view(ds)
        assert list(out) == views
        for view, (name, p, own) in out.items():
            assert p == pipeline and name == label.replace("CNN", f"CNN without {view}")
            assert own["simclr"]["augmentations"] == [v for v in views if v != view]
            assert {**own["simclr"], "augmentations": None} == {**params["simclr"],
                                                                "augmentations": None}
            assert {k: v for k, v in own.items() if k != "simclr"} == {
                k: v for k, v in params.items() if k != "simclr"}
    found = beyond.find_without_each_view(tmp_path, "mnist")       # nothing on record yet
    assert list(found) == [label.replace("CNN", "CNN with every view"),
                           label.replace("CNN", "CNN with every view, seed 0"),
                           *(out[v][0] for v in views)]
    assert set(found.values()) == {None}


def _with_run(recs, label, seed, **metrics):
    """``recs`` with one run's metrics changed."""
    out = {k: {**r, "runs": [dict(run) for run in r["runs"]]} for k, r in recs.items()}
    run = next(run for run in out[label]["runs"] if run["seed"] == seed)
    run["metrics"] = {**run["metrics"], **metrics}
    return out


def test_rule_picks_the_run_with_the_most_distinct_clusters_in_its_own_space(digits_runs):
    _, recs = digits_runs
    assert set(recs) == set(PIXELS) and beyond.RULE == "silhouette (UMAP map)"
    runs = [(run["metrics"]["silhouette"], k, run["seed"]) for k, r in recs.items()
            for run in r["runs"] if run["metrics"]["assigned"] >= 0.9
            and run["metrics"]["n_clusters"] == 10]
    assert beyond.choose_run(recs) == max(runs)[1:]
    assert beyond.choose(recs) == max(runs)[1]
    # the rule follows the silhouette, not the class scores: the least distinct run, made the
    # most distinct, is picked — seed and all
    low = min(runs)
    assert beyond.choose_run(recs) != low[1:]                     # so the change decides
    raised = _with_run(recs, low[1], low[2], silhouette=1.0, n_clusters=10, assigned=1.0)
    assert beyond.choose_run(raised) == low[1:]
    # a run that leaves most images unlabelled, or finds another number of clusters than
    # asked (HDBSCAN chooses its own), cannot be picked
    assert beyond.choose_run(_with_run(raised, low[1], low[2], assigned=0.5)) != low[1:]
    few = _with_run(raised, low[1], low[2], n_clusters=3)
    assert beyond.choose_run(few) != low[1:]
    three = {**few[low[1]], "pipeline": "umap3+gmm"}          # N2D: a dimension a cluster
    assert beyond.choose_run({low[1]: three}, n_clusters=3) == low[1:]
    assert beyond.choose_run({low[1]: few[low[1]]}, n_clusters=3) is None
    assert beyond.choose({"x": None}) is None
    # a run that clustered another kind of space than a UMAP map (DCEC's own embedding, the
    # contrastive space) is not ranked, however distinct its clusters there
    own = {**raised, low[1]: {**raised[low[1]], "pipeline": "dcec"}}
    assert beyond.choose_run(own) not in (None, low[1:])
    n2d = {"umap": {"n_neighbors": 20, "min_dist": 0.0}}
    assert [beyond.clusters_a_umap_map({"pipeline": p, "params": n2d}) for p in
            ("umap10+gmm", "cae10+umap10+gmm", "simclr128+gmm", "dcec", "umap10+pca2+kmeans")] == [
        True, True, False, False, False]
    assert not beyond.clusters_a_umap_map({"params": n2d})              # no pipeline: no map


def test_run_scores_and_index_quality_judge_each_index_by_the_runs_it_ranks(digits_runs):
    import dimclust as dc
    _, recs = digits_runs
    X, y = dc.datasets.load("digits", n_samples=1797, random_state=0)
    reference = X.reshape(len(X), -1)
    scores = beyond.run_scores(recs, reference)
    assert len(scores) == sum(len(r["runs"]) for r in recs.values())
    assert set(beyond.INDICES) <= set(scores.columns)
    row = scores.iloc[0]
    rec = recs[row["pipeline"]]
    labels = {s: rec["samples"][f"seed{s}_labels"] for s in rec["seeds"]}
    other = next(s for s in labels if s != row["seed"])
    assert row["seed consensus"] == pytest.approx(dc.ari(labels[row["seed"]], labels[other]))
    assert row["seed agreement"] == rec["agreement"]
    assert row["silhouette (reference)"] == pytest.approx(
        dc.silhouette(reference, labels[row["seed"]], sample_size=10_000, random_state=0))
    # by hand: three runs, an index that ranks them in the order of their ACC and one in
    # the reverse order
    import pandas as pd
    toy = pd.DataFrame({"pipeline": ["a", "b", "c"], "seed": [0, 0, 0],
                        "eligible": [True, True, True], "acc": [0.5, 0.7, 0.9],
                        "nmi": [0.4, 0.6, 0.8],
                        **{k: [0.1, 0.2, 0.3] if k == beyond.RULE else
                           [3.0, 2.0, 1.0] if k == "seed agreement" else [float("nan")] * 3
                           for k in beyond.INDICES}})
    quality = beyond.index_quality(toy).set_index("index")
    assert sorted(quality.index) == sorted([beyond.RULE, "seed agreement"])       # the others: NaN
    assert quality.loc[beyond.RULE, "spearman"] == pytest.approx(1.0)
    assert quality.loc[beyond.RULE, "regret"] == 0.0
    assert quality.loc["seed agreement", "spearman"] == pytest.approx(-1.0)
    assert quality.loc["seed agreement", "acc of pick"] == 0.5
    assert quality.loc["seed agreement", "regret"] == pytest.approx(0.4)
    # Davies-Bouldin is better small: its sign is turned
    toy["davies_bouldin (reference)"] = [3.0, 2.0, 1.0]
    db = beyond.index_quality(toy).set_index("index").loc["davies_bouldin (reference)"]
    assert db["spearman"] == pytest.approx(1.0) and db["acc of pick"] == 0.9


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
    chosen, seed = beyond.choose_run(recs)
    assert fashion["who"].tolist() == [f"ours: {chosen}", f"ours: the rule's pick, seed {seed}",
                                       "thesis: DCEC Guo (table 13.1)", "N2D (published)",
                                       "DEC-DA (published)"]
    pick = next(r for r in recs[chosen]["runs"] if r["seed"] == seed)["metrics"]
    assert fashion["acc"].iloc[1] == pick["acc"] and fashion["seeds"].iloc[1] == 1
    # the aims are for every image of the set: a run on fewer is not measured against them
    n = recs[chosen]["n_samples"]
    assert fashion["reached"].iloc[0] == f"ran on {n:,} of 70,000 images, not on all as the aim asks"
    whole = {**recs[chosen], "n_samples": 70_000}
    gap = beyond.AIMS["fashion"]["acc"] - whole["mean"]["acc"]
    assert beyond.shortfall(whole, "fashion")["acc"] == gap and not beyond.shortfall(recs[chosen], "fashion")
    stand = beyond.reached(whole, "fashion")
    assert (f"ACC short by {gap:.3f}" if gap > 0 else "ACC at or above the aim") in stand
    assert stand.endswith(" on 2 seeds (the aim: a mean over 5)")
    five = {**whole, "seeds": list(range(5)), "mean": {**whole["mean"], "nmi": 0.71, "acc": 0.69}}
    assert beyond.reached(five, "fashion") == "NMI met, ACC short by 0.010"
    assert beyond.reached(five, "digits") == ""                  # no aim there
    unscored = {**five, "mean": {**five["mean"], "acc": float("nan")}}
    assert beyond.reached(unscored, "fashion") == "NMI met, ACC not measured"
    assert fashion["nmi"].iloc[2] == thesis.thesis_value('13.1', 'fashion', 'dcec', 'nmi')
    assert fashion["nmi"].iloc[0] == recs[chosen]["mean"]["nmi"] and fashion["seeds"].iloc[0] == 2
    assert np.isnan(fashion["nmi sd"].iloc[2])                         # published: no sd
    assert vs[vs["data set"] == "mnist-test"]["who"].tolist() == ["ours: nothing chosen yet",
                                                                  "N2D (published)",
                                                                  "DEC-DA (published)"]
    assert fashion["acc"].iloc[4] == beyond.PUBLISHED["DEC-DA (published)"]["fashion"]["acc"]


def test_gpu_kit_runs_the_autoencoder_candidates_as_the_chapter_finds_them():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "kit", Path(__file__).resolve().parents[2] / "gpu" / "kit.py")
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
    # the kit runs the campaigns' jobs, at the campaigns' settings: thesis, then beyond
    from dimclust.thesis.jobs import beyond_jobs, thesis_jobs
    assert [(j.name, _effective(j.params)) for j in kit_jobs] == [
        (j.name, _effective(j.params)) for j in [*thesis_jobs(), *beyond_jobs(seeds=range(3))]]
    assert [j.priority for j in kit_jobs] == list(range(len(kit_jobs)))


def test_chosen_labels_are_the_picked_run_s_from_the_store(digits_runs, monkeypatch):
    import dimclust as dc
    folder, recs = digits_runs
    monkeypatch.setenv("DIMCLUST_CACHE", str(folder / "cache"))
    cfg = experiments.settings("quick", n_samples=1797, seeds=2)
    _, y = dc.datasets.load("digits", n_samples=1797, random_state=0)
    label, labels = beyond.chosen_labels("digits", recs, cfg)
    chosen, seed = beyond.choose_run(recs)
    assert label == chosen and labels.shape == y.shape
    run = next(r for r in recs[label]["runs"] if r["seed"] == seed)
    assert dc.nmi(y, labels) == pytest.approx(run["metrics"]["nmi"])
    # where no run qualifies, N2D's clusterer on the pixels is drawn, its first seed
    none = {k: {**r, "runs": [{**x, "metrics": {**x["metrics"], "n_clusters": 3}}
                              for x in r["runs"]]} for k, r in recs.items()}
    label, labels = beyond.chosen_labels("digits", none, cfg)
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


def test_the_picked_run_is_read_back_from_its_record_and_mapped(digits_runs):
    import dimclust as dc
    _, recs = digits_runs
    label, rec, seed, labels = beyond.picked_labels(recs)
    assert (label, seed) == beyond.choose_run(recs) and rec is recs[label]
    run = next(r for r in recs[label]["runs"] if r["seed"] == seed)
    _, y = dc.datasets.load("digits", n_samples=1797, random_state=0)    # as the runs loaded it
    assert dc.cluster_accuracy(y, labels) == pytest.approx(run["metrics"]["acc"])  # its own
    drawn = beyond.picked_map("digits", recs, n_points=500)
    assert (drawn["label"], drawn["seed"], drawn["n"]) == (label, seed, len(y))
    assert drawn["Z"].shape == (500, 2) and drawn["images"].shape[0] == 500
    # each drawn image keeps its class and the cluster the run gave it
    idx = np.sort(np.random.default_rng(0).choice(len(y), 500, replace=False))
    assert (drawn["y"] == y[idx]).all() and (drawn["clusters"] == labels[idx]).all()
    # no run the rule may pick, or none whose record kept its labels: nothing to draw
    unpickable = {k: {**r, "runs": [{**x, "metrics": {**x["metrics"], "n_clusters": 3}}
                                    for x in r["runs"]]} for k, r in recs.items()}
    assert beyond.picked_labels(unpickable) is None
    assert beyond.picked_labels({k: {**r, "samples": {}} for k, r in recs.items()}) is None
    with pytest.raises(ValueError, match="run the candidates first"):
        beyond.picked_map("digits", unpickable)
    with pytest.raises(ValueError, match="clustered 'digits', not 'mnist-test'"):
        beyond.picked_map("mnist-test", recs)
    damaged = {k: {**r, "samples": {n: v[:-1] for n, v in r["samples"].items()}}
               for k, r in recs.items()}
    with pytest.raises(ValueError, match="labels 1796 images, its data 1797"):
        beyond.picked_map("digits", damaged)


def test_a_tie_goes_to_the_candidate_more_distinct_on_average_and_the_rule_ranks_umap_maps_only(
        digits_runs):
    _, recs = digits_runs
    km, gmm = "pixels → UMAP10 → k-means", "pixels → UMAP10 → GMM"
    two = {km: recs[km], gmm: recs[gmm]}
    # seed 0 of both at one silhouette, the highest; GMM's other seed lower than k-means's
    tied = _with_run(_with_run(two, km, 0, silhouette=0.99), gmm, 0, silhouette=0.99)
    tied = _with_run(_with_run(tied, km, 1, silhouette=0.5), gmm, 1, silhouette=0.4)
    assert beyond.choose_run(tied) == (km, 0)
    tied = _with_run(tied, gmm, 1, silhouette=0.6)                 # now GMM's mean is higher
    assert beyond.choose_run(tied) == (gmm, 0)
    # the rule study breaks the tie the same way
    scores = beyond.run_scores(tied)
    quality = beyond.index_quality(scores).set_index("index")
    pick = scores[(scores["pipeline"] == gmm) & (scores["seed"] == 0)]["acc"].item()
    assert quality.loc[beyond.RULE, "acc of pick"] == pick
    # a run of another kind of space has no rule score; its own-space silhouette stays
    own = {**tied, gmm: {**tied[gmm], "pipeline": "dcec"}}
    scores = beyond.run_scores(own).set_index(["pipeline", "seed"])
    assert np.isnan(scores.loc[(gmm, 0), beyond.RULE])
    assert scores.loc[(gmm, 0), "silhouette (own space)"] == 0.99
    assert scores.loc[(km, 0), beyond.RULE] == 0.99
    # N2D's map only: other UMAP settings or dimensions are other spaces
    n2d = {"pipeline": "umap10+gmm", "params": {"umap": {"n_neighbors": 20, "min_dist": 0.0}}}
    assert beyond.clusters_a_umap_map(n2d)
    assert not beyond.clusters_a_umap_map({**n2d, "params": {"umap": {"n_neighbors": 30}}})
    assert not beyond.clusters_a_umap_map({"pipeline": "umap10+gmm"})   # UMAP's default: 30
    assert not beyond.clusters_a_umap_map({**n2d, "pipeline": "umap2+gmm"})
    assert beyond.clusters_a_umap_map({**n2d, "pipeline": "umap3+gmm"}, n_clusters=3)
