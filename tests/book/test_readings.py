import numpy as np
import pandas as pd
import pytest

import dimclust as dc


def test_reading_is_markdown_text():
    r = dc.thesis.readings.Reading("*x*")
    assert r == "*x*" and r._repr_markdown_() == "*x*"


def test_class_separation_names_the_kept_and_the_mixed_classes(rng):
    y = np.repeat(np.arange(4), 60)
    Z = rng.normal(size=(240, 2))
    Z[y == 2] += 50                      # class 2 alone, far away; 0, 1 and 3 overlap
    text = dc.thesis.readings.class_separation(Z, y, ["a", "b", "c", "d"], n=1)
    assert text.startswith("On this map the classes best kept apart are *c* (100%)")
    worst = min((0, 1, 3), key=dc.quality.class_purity(Z, y).get)
    assert f"the most mixed are *{'abcd'[worst]}*" in text


def _structure(knn_pca, knn_tsne):
    knn, layout = dc.quality.KNN_KEPT, dc.quality.CENTROID_CORRELATION
    return pd.DataFrame({"PCA": {knn: knn_pca, layout: 0.9}, "t-SNE": {knn: knn_tsne, layout: 0.6}})


def test_structure_reading_follows_the_table():
    text = dc.thesis.readings.structure(_structure(0.1, 0.45))
    assert text.startswith("t-SNE keeps the most nearest neighbours (0.45; PCA 0.10); PCA keeps")
    assert "trade off" in text
    text = dc.thesis.readings.structure(_structure(0.5, 0.45))
    assert text.startswith("PCA keeps the most nearest neighbours (0.50") and "trade off" not in text
    with pytest.raises(KeyError, match="nearest neighbours kept"):
        dc.thesis.readings.structure(_structure(0.1, 0.2).drop(index=dc.quality.KNN_KEPT))


def test_class_split_hand_computed():
    y = np.array([0] * 10 + [1] * 10)
    clusters = np.array([0] * 6 + [1] * 4 + [2] * 9 + [0])
    text = dc.thesis.readings.class_split(y, clusters, ["Bag", "Shoe"], thesis="As the thesis saw.")
    assert text == ("Every class has at least 60% of its images in one cluster. The class most "
                    "split is *Bag*: 60% of its images in one cluster and 40% in another. "
                    "As the thesis saw.")
    with pytest.raises(ValueError, match="20 labels but clusters has 19"):
        dc.thesis.readings.class_split(y, clusters[:-1])


def _table(ours, thesis=None, assigned=None):
    """A compare() table: ``ours`` maps a row to its (mean, sd) or to why it has none."""
    rows = []
    for i, (label, v) in enumerate(ours.items()):
        mean, sd = v if isinstance(v, tuple) else (float("nan"), float("nan"))
        row = {"row (thesis)": label, "pipeline": "kmeans" if i == 0 else label.lower(),
               "ours nmi": mean, "ours nmi sd": sd, "missing": None if isinstance(v, tuple) else v,
               "thesis nmi": float("nan") if thesis is None else thesis[label]}
        if assigned:
            row["assigned"] = assigned.get(label, 1.0)
        rows.append(row)
    return pd.DataFrame(rows)


def test_ranking_reads_means_and_orders_rows():
    t = _table({"K-means": (0.512, 0.004), "UMAP": (0.640, 0.010), "t-SNE": (0.500, 0.0),
                "CAE": "not run"})
    text = dc.thesis.readings.ranking(t)
    assert text == ("Our best row by NMI is UMAP (0.640); k-means on the pixels scores 0.512, "
                    "and t-SNE falls below it.")
    t = _table({"K-means": (0.512, 0.004), "UMAP": (0.640, 0.010), "t-SNE": (0.600, 0.010)},
               thesis={"K-means": 0.5284, "UMAP": 0.6433, "t-SNE": 0.5842})
    assert dc.thesis.readings.ranking(t).endswith(
        "every other row is above it. The thesis's values put these rows in the same order.")
    t.loc[2, "thesis nmi"] = 0.7            # one published value changed: the order differs
    assert dc.thesis.readings.ranking(t).endswith(
        "Best first, ours: UMAP > t-SNE > K-means; the thesis's: t-SNE > UMAP > K-means.")


def test_ranking_sets_partial_rows_apart():
    t = _table({"K-means": (0.512, 0.004), "HDBSCAN": (0.751, 0.0), "UMAP": (0.64, 0.01)},
               assigned={"HDBSCAN": 0.230})
    text = dc.thesis.readings.ranking(t)
    assert text.startswith("Our best row by NMI is UMAP (0.640)")
    assert "HDBSCAN scores 0.751 on the 23% of the images it assigns" in text
    assert dc.thesis.readings.ranking(_table({"K-means": "not run"})) == "No row of ours has a NMI here (not run)."
    with pytest.raises(KeyError, match="ours ari"):
        dc.thesis.readings.ranking(t, "ari")


def test_ranking_of_several_data_sets_reads_each():
    a = _table({"K-means": (0.5, 0.0), "UMAP": (0.6, 0.0)}).assign(**{"data set": "fashion"})
    b = _table({"K-means": (0.5, 0.0), "UMAP": (0.4, 0.0)}).assign(**{"data set": "mnist"})
    text = dc.thesis.readings.ranking(pd.concat([a, b]))
    fashion, mnist = text.split("\n\n")
    assert fashion.startswith("*fashion*: Our best row by NMI is UMAP (0.600)")
    assert mnist == "*mnist*: Our best row by NMI is K-means (0.500)."


def test_against_separates_effects_from_spread():
    nan = float("nan")
    t = pd.DataFrame({"nmi": {"(ii) DCEC": 0.550, "(c) γ = 1": 0.500, "(e) α = 3": 0.555,
                              "(a) GMM": 0.600, "missing": nan},
                      "nmi sd": {"(ii) DCEC": 0.010, "(c) γ = 1": 0.010, "(e) α = 3": 0.020,
                                 "(a) GMM": 0.0, "missing": nan}})
    text = dc.thesis.readings.against(t, "(ii) DCEC")
    assert text == ("Against (ii) DCEC (0.550 NMI): above it by more than the spread over seeds: "
                    "(a) GMM (0.600); below it: (c) γ = 1 (0.500); within the spread: (e) α = 3.")
    t.loc["(c) γ = 1", "nmi"] = 0.535          # inside the summed spread now
    assert "within the spread: (c) γ = 1 and (e) α = 3" in dc.thesis.readings.against(t, "(ii) DCEC")
    with pytest.raises(KeyError, match="no row 'x'"):
        dc.thesis.readings.against(t, "x")


def test_strategies_gives_each_gain_over_the_pixels():
    s = pd.DataFrame({"data set": ["fashion"] * 3,
                      "strategy": ["traditional: k-means", "two-stage: reduce", "deep clustering: DCEC"],
                      "thesis NMI": [0.5284, 0.6433, 0.6616],
                      "ours NMI": [0.512, 0.649, float("nan")],
                      "ours NMI sd": [0.0, 0.008, float("nan")]})
    assert dc.thesis.readings.strategies(s) == (
        "*fashion*: against k-means on the pixels (0.512 NMI), two-stage +0.137 (the thesis: "
        "+0.115); deep clustering: no record of ours yet (the thesis: +0.133).")


def _rec(runs, assigned=1.0, n_clusters=10, pipeline="umap10+gmm"):
    """A record of ``pipeline``'s runs given as ``(silhouette, acc, nmi)``, one per seed."""
    metrics = [{"silhouette": sil, "acc": acc, "nmi": nmi, "assigned": assigned,
                "n_clusters": n_clusters} for sil, acc, nmi in runs]
    mean = {m: float(np.mean([r[m] for r in metrics])) for m in ("acc", "nmi", "assigned")}
    sd = {m: float(np.std([r[m] for r in metrics], ddof=1)) if len(runs) > 1 else 0.0
          for m in ("acc", "nmi")}
    return {"pipeline": pipeline, "params": {"umap": {"n_neighbors": 20, "min_dist": 0.0}},
            "n_samples": 10_000, "mean": mean, "sd": sd, "seeds": list(range(len(runs))),
            "runs": [{"seed": i, "metrics": m} for i, m in enumerate(metrics)]}


def test_choice_names_the_rules_pick_its_mean_its_gap_to_the_aim_and_the_labels_pick():
    recs = {"distinct": _rec([(0.70, 0.80, 0.82), (0.75, 0.84, 0.86), (0.60, 0.78, 0.80)]),
            "better": _rec([(0.50, 0.85, 0.84), (0.50, 0.86, 0.85)]),
            "partial": _rec([(0.90, 0.99, 0.95)], assigned=0.5),
            "few": _rec([(0.95, 0.99, 0.95)], n_clusters=3)}
    text = dc.thesis.readings.choice({"mnist-test": recs})
    # mnist-test's aims are NMI ≥ 0.89 and ACC ≥ 0.95: the mean of "distinct" (0.827 NMI,
    # 0.807 ACC) falls short by 0.063 and 0.143
    assert text.startswith("*mnist-test*: the rule picked seed 1 of *distinct* (silhouette "
                           "0.750 in the UMAP map it clustered), at ACC 0.840 and NMI 0.860; its 3 "
                           "seeds average ACC 0.807 ± 0.031; against the aim: NMI short by 0.063, "
                           "ACC short by 0.143 on 3 seeds (the aim: a mean over 5)")
    # runs the rule may not pick (partial, another number of clusters) are not named either
    assert ("seed 1 of *better* would have scored a higher ACC (0.860 against 0.840)") in text
    # nor ranked by their silhouette, where they clustered another space than a UMAP map
    # (nor named as the better run by the labels: the rule could not have picked it)
    own = {**recs, "own": _rec([(0.99, 0.99, 0.99)], pipeline="dcec")}
    text_own = dc.thesis.readings.choice({"mnist-test": own})
    assert text_own.startswith("*mnist-test*: the rule picked seed 1 of *distinct*")
    assert "*own*" not in text_own and "seed 1 of *better* would have scored a higher" in text_own
    recs["distinct"] = _rec([(0.80, 0.96, 0.90), (0.70, 0.95, 0.90)])
    text = dc.thesis.readings.choice({"mnist-test": recs})
    assert ("against the aim: NMI at or above the aim, ACC at or above the aim on 2 seeds (the "
            "aim: a mean over 5). It is also the best run by that score.") in text
    # a gap that rounding to three decimals hides is shown with four
    recs["better"] = _rec([(0.50, 0.9604, 0.84)])
    assert "a higher ACC (0.9604 against 0.9600)" in dc.thesis.readings.choice({"mnist-test": recs})
    # a run that ties the pick is no better than it
    recs["better"] = _rec([(0.50, 0.9600, 0.84)])
    assert "It is also the best run by that score." in dc.thesis.readings.choice({"mnist-test": recs})
    # a run on fewer images than the set is not held to the aim
    recs["distinct"]["n_samples"] = 3_000
    assert ("against the aim: ran on 3,000 of 10,000 images, not on all as the aim asks"
            in dc.thesis.readings.choice({"mnist-test": recs}))
    assert dc.thesis.readings.choice({"fashion": {"x": None}}) == "*fashion*: no candidate has a record yet."
    none_qualify = dc.thesis.readings.choice({"fashion": {"x": None, "partial": recs["partial"],
                                                          "few": recs["few"]}})
    assert none_qualify.startswith("*fashion*: the rule picks none of the 2 candidate(s)")
    assert "a run that puts 90% of the images or more" in none_qualify


def test_density_clusters_reads_the_counts_and_adds_the_thesiss_own_for_its_data_set():
    import pandas as pd
    scores = pd.DataFrame({"n_clusters": [4, 9, 10], "assigned": [0.41, 0.987, 1.0]},
                          index=["pca50+hdbscan", "umap2+hdbscan", "umap2+kmeans"])
    thesis = dc.thesis.thesis_text_value
    found = thesis("fashion", "pca50+hdbscan", "clusters found")
    assigned = 1 - thesis("fashion", "pca50+hdbscan", "share of images left as noise")
    text = dc.thesis.readings.density_clusters(scores, "fashion")
    assert text.startswith("On 50 principal components HDBSCAN finds 4 clusters and assigns 41% "
                           f"of the images (the thesis, on all 70,000 images: {found:.0f} clusters, "
                           f"{assigned:.1%} assigned); on UMAP's 2-D map HDBSCAN finds 9 clusters "
                           "and assigns 99% of the images (the thesis, on all 70,000 images: ")
    assert text.endswith("k-means is told to find 10.")
    # the thesis's text gives no counts for MNIST: ours alone
    assert "thesis" not in dc.thesis.readings.density_clusters(scores, "mnist-test")


def test_structure_reads_a_table_built_with_any_k():
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(4), 30)
    X = rng.normal(size=(120, 6)) + y[:, None] * 3
    table = dc.quality.structure_kept(X, {"PCA": X[:, :2], "noise": rng.normal(size=(120, 2))},
                                      y, k=5)
    text = dc.thesis.readings.structure(table)
    assert "PCA keeps the most nearest neighbours (of each point's 5)" in text


def test_ranking_says_when_its_runs_are_smaller_than_the_thesis_s():
    t = _table({"K-means": (0.512, 0.004), "UMAP": (0.640, 0.010)},
               thesis={"K-means": 0.5284, "UMAP": 0.6433})
    quick = t.assign(n=3000, seeds=3)
    text = dc.thesis.readings.ranking(quick)
    assert "These runs use 3,000 images and 3 seeds, fewer images than any of the thesis's" in text
    assert "not their values against the thesis's" in text
    assert "fewer images" not in dc.thesis.readings.ranking(t.assign(n=70000, seeds=5))
    mixed = t.assign(n=[3000, 70000], seeds=3)                       # one row at full scale
    assert "fewer images" not in dc.thesis.readings.ranking(mixed)
    assert "fewer images" not in dc.thesis.readings.ranking(t)               # a table without counts


def test_rule_names_the_best_ranking_index_the_rules_and_agreement():
    quality = pd.DataFrame({"index": ["seed agreement", "silhouette (UMAP map)", "consensus",
                                      "silhouette (own space)"],
                            "runs": [17, 17, 10, 18], "spearman": [-0.78, 0.39, 0.5, 0.4],
                            "acc of pick": [0.795, 0.957, 0.9, 0.825], "best acc": [0.962] * 4,
                            "regret": [0.167, 0.005, 0.062, 0.137]})
    text = dc.thesis.readings.rule(quality)
    assert text.startswith("*mnist-test*: the index that ranks the runs closest to their ACC is "
                           "*consensus* (Spearman's ρ = +0.50 over 10 runs; the run it ranks "
                           "first scores ACC 0.900, 0.062 below the best run's 0.962)")
    assert "; the rule's, *silhouette (UMAP map)* (Spearman's ρ = +0.39 over 17 runs" in text
    assert "; the first rule, *seed agreement* (Spearman's ρ = -0.78" in text
    assert ("; the second, *silhouette (own space)* "
            "(Spearman's ρ = +0.40 over 18 runs; the run it ranks first scores ACC 0.825") in text
    assert dc.thesis.readings.rule(quality.iloc[0:0]).endswith("no candidate's runs are on record to rank yet.")


def test_claim_counts_say_what_waits_only_when_something_does():
    from dimclust.thesis import readings
    from dimclust.thesis.claims import VERDICTS
    done = pd.DataFrame({"verdict": ["holds", "does not hold", "does not hold"]})
    text = readings.claim_counts(done)
    assert "**1 holds**" in text and "**2 do not hold**" in text
    assert "not yet measured" not in text
    assert VERDICTS[2] == "not yet measured"
    waiting = pd.DataFrame({"verdict": list(VERDICTS) + ["not yet measured"]})
    text = readings.claim_counts(waiting)
    assert text.startswith("Of 4 checks") and "**2 are not yet measured**" in text


def test_views_orders_the_drops_and_names_an_effect_only_past_twice_the_seeds_sd():
    nan = float("nan")
    labels = ["contrastive CNN with every view → UMAP10 → GMM",
              "contrastive CNN with every view, seed 0 → UMAP10 → GMM",
              *(f"contrastive CNN without {v} → UMAP10 → GMM" for v in ("crop", "shift", "flip"))]
    t = pd.DataFrame({"pipeline": labels, "nmi": [0.650, 0.640, 0.600, 0.635, nan],
                      "nmi sd": [0.010, nan, nan, nan, nan], "seeds": [5, 1, 1, 1, nan]})
    text = dc.thesis.readings.views(t)
    # crop: 0.640 - 0.600 = 0.040 > 2 × 0.010; shift: 0.005 is not
    assert text == ("Against the run with every view on the same seed (NMI 0.640), leaving a view "
                    "out changes NMI by -0.040 (crop) and -0.005 (shift). Twice the candidate's sd "
                    "over its seeds is 0.020: leaving out crop lowers NMI by more: the encoder "
                    "needs it. Not run yet: flip.")
    t.loc[2, "nmi"] = 0.625                      # a drop of 0.015 is inside the seeds' spread
    assert "no view changes it by more" in dc.thesis.readings.views(t)
    t.loc[4, "nmi"] = 0.700                      # a view whose absence helps comes last
    text = dc.thesis.readings.views(t)
    assert "-0.015 (crop), -0.005 (shift) and +0.060 (flip)" in text
    assert ("leaving out flip raises NMI by more: on this seed the encoder does better without "
            "it.") in text and "lowers" not in text
    # one seed of the candidate has no spread to judge a drop by (its record's sd is 0)
    one = t.assign(seeds=[1, 1, 1, 1, 1], **{"nmi sd": [0.0, nan, nan, nan, nan]})
    assert "sd over its seeds" not in dc.thesis.readings.views(one)
    assert dc.thesis.readings.views(t.iloc[:2]).startswith("No view is left out")
    t.loc[1, "nmi"] = nan
    assert "no record yet" in dc.thesis.readings.views(t)
    with pytest.raises(ValueError, match="got 1 row"):
        dc.thesis.readings.views(t.iloc[:1])


def test_best_names_the_labels_best_mean_against_the_aim_and_the_peers():
    recs = {"distinct": _rec([(0.70, 0.80, 0.82), (0.75, 0.84, 0.86)]),
            "better": _rec([(0.50, 0.96, 0.91)]),
            "partial": _rec([(0.90, 0.99, 0.95)], assigned=0.5),
            "few": _rec([(0.95, 0.99, 0.95)], n_clusters=3), "none": None}
    text = dc.thesis.readings.best({"mnist-test": recs})
    # partial and few do not label every image in 10 clusters: "better" is best by ACC
    assert text == ("*mnist-test*: the best mean ACC on record, as the labels rank the "
                    "candidates, is *better*'s: ACC 0.960 (one run) and NMI 0.910 (one run), "
                    "on 10,000 images; against the aim: NMI at or above the aim, ACC at or above the aim "
                    "on 1 seed (the aim: a mean over 5) (published: N2D NMI 0.882, ACC 0.948; "
                    "DEC-DA NMI 0.958, ACC 0.983).")
    by_nmi = dc.thesis.readings.best({"mnist-test": recs}, metric="nmi")
    assert "is *better*'s: NMI 0.910 (one run) and ACC 0.960 (one run), on" in by_nmi
    assert "ACC 0.820 ± 0.028 and NMI 0.840 ± 0.028 over 2 seeds, on 10,000 images" in (
        dc.thesis.readings.best({"mnist-test": {"d": recs["distinct"]}}))
    assert dc.thesis.readings.best({"fashion": {"x": None}}).endswith("into 10 clusters yet.")
    # a record without the score does not compete; the thesis's DCEC is among the references
    unscored = _rec([(0.9, float("nan"), 0.9)])
    assert "*better*" in dc.thesis.readings.best({"mnist-test": {"u": unscored, **recs}})
    fashion = dc.thesis.readings.best({"fashion": {"b": {**recs["better"], "n_samples": 70_000}}})
    assert "thesis: DCEC Guo (table 13.1) NMI 0.662, ACC 0.636; N2D NMI 0.684" in fashion
