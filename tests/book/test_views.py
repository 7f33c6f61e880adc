"""The thesis's tables for reading (view) and drawn (chart), from the committed records."""
from pathlib import Path

import matplotlib
import matplotlib.collections
import matplotlib.colors
import pytest

matplotlib.use("Agg")
from dimclust import experiments, thesis  # noqa: E402

RESULTS = Path(__file__).resolve().parents[2] / "results"


@pytest.fixture(scope="module")
def table_12_1():
    return thesis.compare("12.1", records=RESULTS)


def test_view_puts_ours_beside_the_thesis_with_its_scale(table_12_1):
    v = thesis.view(table_12_1, metrics=["nmi", "acc"], caption="Table 12.1.")
    df = v.data
    assert list(df.columns.get_level_values(0)[:5]) == ["", "NMI", "NMI", "ACC", "ACC"]
    assert list(df.columns.get_level_values(1)[1:3]) == ["ours", "thesis"]
    assert table_12_1["ours nmi"].dtype == float and table_12_1["thesis nmi"].dtype == float
    # the t-SNE row ran on 10,000 images, the others on 70,000: the scale is a column
    scale = df[("scale", "ours")]
    assert scale[1:].str.endswith(" images, 5 seeds").any() and "10,000 images, 5 seeds" in set(scale)
    kmeans = df[df[("", "row (thesis)")] == "K-means full"].iloc[0]
    assert kmeans[("NMI", "thesis")] == "0.5284"                        # as the thesis prints it
    rec = thesis.row_record(RESULTS, "12.1", "fashion", "kmeans")
    assert kmeans[("NMI", "ours")] == experiments.format_metric(rec, "nmi")
    html = v.to_html()
    assert "\u00a0±\u00a0" in html and "<caption>Table 12.1.</caption>" in html.replace("\n", "")
    assert "nan" not in html.lower().replace("nanmean", "")
    with pytest.raises(ValueError, match=r"metrics \['ami'\] are not in the table"):
        thesis.view(table_12_1, metrics=["ami"])


def test_view_says_why_a_cell_is_missing_and_names_a_shared_scale(table_12_1):
    t = table_12_1.copy()
    t.loc[t["pipeline"] == "kmeans", ["ours nmi", "missing"]] = [float("nan"), "no record"]
    same = t[t["n"] == 70000]
    v = thesis.view(same, metrics=["nmi"])
    assert ("scale", "ours") in v.data.columns              # PCA+HDBSCAN has one seed
    five = thesis.view(same[same["seeds"] == 5], metrics=["nmi"])
    assert ("NMI", "ours, 70,000 images, 5 seeds") in five.data.columns
    assert ("scale", "ours") not in five.data.columns
    assert "—" in set(v.data.iloc[:, 1]) and "no run at this scale is on record yet" in v.caption
    quick = t.assign(n=3000, seeds=3)
    both = thesis.view(quick, full=t, metrics=["nmi"])
    assert list(both.data.columns[1:5]) == [("NMI", "ours here, 3,000 images, 3 seeds"),
                                            ("NMI", "ours at the thesis's scale"),
                                            ("NMI", "thesis"),
                                            ("scale", "ours at the thesis's scale")]


def test_chart_draws_each_seed_the_mean_and_the_thesis_value():
    fig = thesis.chart("12.1", RESULTS)
    ax = fig.axes[0]
    rows = thesis.thesis_table("12.1")["rows"]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert [t.split("\n")[0] for t in ticks] == [r["label"] for r in rows]
    # a row scored on the images it labels says so, with its share; whole rows do not
    partial = thesis.row_record(RESULTS, "12.1", "fashion", "pca50+hdbscan")
    assert partial["mean"]["assigned"] < thesis.WHOLE
    share = f"{partial['mean']['assigned']:.0%}"
    i = [r["key"] for r in rows].index("pca50+hdbscan")
    assert ticks[i].endswith(f"(on the {share} it labels)")
    assert sum("\n" in t for t in ticks) == 1
    red = matplotlib.colors.to_rgba("#d62728")
    scatters = [c for c in ax.collections if isinstance(c, matplotlib.collections.PathCollection)]
    diamonds = [c for c in scatters if tuple(c.get_facecolor()[0]) == red]
    published = [r for r in rows if isinstance(thesis.thesis_value("12.1", "fashion",
                                                                        r["key"], "nmi"), float)]
    assert len(diamonds) == len(published)
    rec = thesis.row_record(RESULTS, "12.1", "fashion", "umap2+kmeans")
    seeds = [c for c in scatters if c.get_offsets().shape[0] == len(rec["runs"])]
    assert any(sorted(c.get_offsets()[:, 0]) == sorted(r["metrics"]["nmi"] for r in rec["runs"])
               for c in seeds)


def test_score_table_scores_each_clustering_as_plain_floats():
    y = [0, 0, 1, 1, 2, 2, 2, 2]
    t = thesis.score_table(y, {"perfect": [5, 5, 3, 3, 1, 1, 1, 1],
                                    "with noise": [5, 5, 3, 3, 1, 1, -1, -1],
                                    "one cluster": [0] * 8})
    assert list(t.columns) == ["clustering", "clusters", "assigned", "ACC", "NMI", "ARI"]
    perfect, noisy, one = (t.iloc[i] for i in range(3))
    assert (perfect["ACC"], perfect["NMI"], perfect["ARI"], perfect["clusters"]) == (1.0, 1.0, 1.0, 3)
    assert noisy["assigned"] == 0.75 and noisy["ACC"] == 1.0            # scored on the assigned
    assert one["ACC"] == 0.5 and one["NMI"] == 0.0 and one["clusters"] == 1
    assert all(isinstance(v, float) for v in t["NMI"])


def test_show_names_columns_for_the_page_and_keeps_those_asked_for():
    import pandas as pd
    df = pd.DataFrame({"nmi": [0.51234], "dcec.batch_size": [256], "n": [70000], "x": ["a ± b"],
                       "seconds/seed": [1234.5]}, index=pd.Index(["γ = 1"]))
    html = thesis.show(df, index="variant",
                       columns=["variant", "n", "nmi", "acc", "seconds/seed"]).to_html()
    for shown in ("variant", "images", "NMI", "ACC", "70,000", "0.512", "—", "seconds per seed",
                  "1,234"):
        assert shown in html
    assert "batch" not in html and "a ± b" not in html
    assert "batch size" in thesis.show(df).to_html()


def test_show_keeps_a_column_of_one_word_names_whole():
    import pandas as pd
    df = pd.DataFrame({"data set": ["mnist-test", "fashion"], "row": ["CAE10 + k-means", "x"]})
    styles = thesis.show(df)._compute().ctx                   # (row, column) -> CSS pairs
    assert ("white-space", "nowrap") in styles[(0, 0)]        # "mnist-test" stays whole
    assert ("white-space", "nowrap") not in styles.get((0, 1), [])   # words wrap


def test_the_comparison_is_drawn_with_the_peers_published_values_and_the_aims():
    by = {ds: thesis.beyond.find_candidates(RESULTS, ds) for ds in ("mnist-test", "fashion")}
    fig = thesis.beyond.versus_chart(by)
    axes = fig.axes
    assert len(axes) == 4                                # NMI and ACC for each data set
    # a row per data set, a column per score
    assert [ax.get_title() for ax in axes] == ["mnist-test: NMI", "mnist-test: ACC",
                                               "fashion: NMI", "fashion: ACC"]
    fashion_acc = axes[3]
    labels = [t.get_text() for t in fashion_acc.get_yticklabels()]
    assert labels[1:] == ["thesis DCEC", "N2D", "DEC-DA"]
    xs = sorted(float(c.get_offsets()[0, 0]) for c in fashion_acc.collections
                if c.get_offsets().shape[0] == 1)
    for peer in ("N2D (published)", "DEC-DA (published)"):
        assert thesis.beyond.PUBLISHED[peer]["fashion"]["acc"] in xs
    assert thesis.thesis_value("13.1", "fashion", "dcec", "acc") in xs
    aims = [ln.get_xdata()[0] for ln in fashion_acc.lines if ln.get_linestyle() == "--"]
    assert aims == [thesis.beyond.AIMS["fashion"]["acc"]]


def test_show_joins_mean_and_sd_and_prints_the_thesis_as_published():
    import pandas as pd
    df = pd.DataFrame({"row": ["a", "b", "c"], "thesis nmi": [0.52841, 0.6433, float("nan")],
                       "ours nmi": [0.5121, 0.64, float("nan")],
                       "ours nmi sd": [0.0042, 0.0, float("nan")],
                       "seeds": pd.array([3, 1, pd.NA], dtype="Int64")})
    html = thesis.show(df, columns=["row", "thesis nmi", "ours nmi"]).to_html()
    assert "0.5284<" in html and "0.6433<" in html                     # 4 decimals, as printed
    assert "0.512\u00a0±\u00a00.004" in html and "0.640 (one run)" in html
    assert "ours nmi sd" not in html and "seeds" not in html        # joined, then chosen
    assert html.count(">—<") == 2                                    # row c: nothing of either
    with_seeds = thesis.show(df, columns=["row", "ours nmi", "seeds"]).to_html()
    assert ">0.640<" in with_seeds and "one run" not in with_seeds   # the "1" beside says it
    assert "0.512\u00a0±\u00a00.004" in with_seeds
