"""The browser check of the built site catches what a reader would see: a table or a code
block wider than the content column, raw values or machine paths in a cell's output."""
import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_site", ROOT / "book" / "check_site.py")
check_site = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_site)

needs_chromium = pytest.mark.skipif(
    not any(shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")),
    reason="needs Chromium (Debian: apt-get install chromium)")

# The page skeleton of the book's theme: a content column of fixed width, cells with outputs.
PAGE = """<!doctype html><html><head><style>
body {{ margin: 0; }} article.bd-article {{ width: 800px; margin-left: 200px; }}
pre {{ overflow-x: auto; white-space: pre; }}
td, th {{ white-space: nowrap; padding: 0 1em; }}
</style></head><body><article class="bd-article">
<div class="cell docutils container"><div class="cell_output docutils container">{body}</div></div>
</article></body></html>"""


def _page(tmp_path, body, name="page.html"):
    path = tmp_path / name
    path.write_text(PAGE.format(body=body))
    return path


def _table(n_columns, cell="0.512 ± 0.004"):
    head = "".join(f"<th>ours NMI, 70,000 images, seed set {i}</th>" for i in range(n_columns))
    row = "".join(f"<td>{cell}</td>" for _ in range(n_columns))
    return f"<table><thead><tr>{head}</tr></thead><tbody><tr>{row}</tr></tbody></table>"


@needs_chromium
def test_a_table_wider_than_its_column_is_found_and_a_narrow_one_passes(tmp_path):
    browser = check_site.chromium()
    narrow = check_site.measure(browser, _page(tmp_path, _table(2), "narrow.html"))
    assert narrow["wide"] == [] and "0.512 ± 0.004" in narrow["output"]
    wide = check_site.measure(browser, _page(tmp_path, _table(6), "wide.html"))
    assert len(wide["wide"]) == 1 and wide["wide"][0].startswith("a table ")
    assert "past its column" in wide["wide"][0]
    code = check_site.measure(browser, _page(
        tmp_path, "<pre>" + "x = 1  # " + "a comment that runs on " * 12 + "</pre>", "code.html"))
    assert len(code["wide"]) == 1 and code["wide"][0].startswith("a code block cut")


@needs_chromium
def test_a_table_past_its_output_box_is_found_though_inside_the_column(tmp_path):
    """A cell's output box can be narrower than the column (the theme pads it); a table
    past the box scrolls there, though it ends inside the column."""
    browser = check_site.chromium()
    page = PAGE.replace('<div class="cell_output docutils container">',
                        '<div class="cell_output docutils container" '
                        'style="width: 600px; overflow-x: auto">')
    path = tmp_path / "box.html"
    path.write_text(page.format(body=_table(1).replace("<table>", '<table style="width: 700px">')))
    wide = check_site.measure(browser, path)["wide"]
    assert len(wide) == 1 and "700 px wide, past its column by 98 px" in wide[0]  # +2 px slack


@needs_chromium
def test_a_table_without_a_numbered_caption_is_found(tmp_path):
    browser = check_site.chromium()
    bare = check_site.measure(browser, _page(tmp_path, _table(2), "bare.html"))
    assert len(bare["uncaptioned"]) == 1
    numbered = _table(2).replace("<thead>", '<caption><span class="caption-number">Table 4.1 '
                                            '</span>Scores.</caption><thead>')
    assert check_site.measure(browser, _page(tmp_path, numbered, "numbered.html"))[
        "uncaptioned"] == []


@needs_chromium
def test_raw_values_in_an_output_are_found(tmp_path):
    browser = check_site.chromium()
    shown = check_site.measure(browser, _page(tmp_path, _table(2, cell="NaN")))["output"]
    assert [p.split(" in ")[0] for p in check_site.raw_output(shown)] == ["NaN"]


def test_raw_output_names_each_kind_and_passes_clean_text():
    assert check_site.raw_output("NMI 0.512 ± 0.004 (70,000 images, 5 seeds); — no record") == []
    found = {p.split(" in the output")[0] for p in check_site.raw_output(
        "{'acc': 0.5} <NA> NaN\nWARNING: retracing\nUserWarning: x\nTraceback (most recent)\n"
        "saved to /work/main/results/cpu/x.json")}
    assert found == {"a dict repr", "<NA>", "NaN", "a warning", "a traceback", "a machine path"}
    # a URL or a path inside the repository is not a machine path
    assert check_site.raw_output("see https://example.org/home/page and results/cpu/x.json") == []


def test_a_caption_citing_a_figure_the_thesis_lacks_is_found():
    cited = check_site.thesis_figures_cited
    assert cited("UMAP of the images (the thesis's figs. 12.2–12.4)") == ["12.2", "12.4"]
    assert cited("t-SNE of the images (the thesis's fig. 11.3 and 11.14).") == ["11.3", "11.14"]
    assert cited("Scores at each update, as in fig. 7.2") == []      # our own figure
    assert {"11.2", "13.1", "12.5"} <= check_site.THESIS_FIGURES
    assert "11.20" not in check_site.THESIS_FIGURES and "9.7" not in check_site.THESIS_FIGURES
    dom = ('<figcaption><p><span class="caption-number">Fig. 7.1 </span><span class="caption-text">'
           'UMAP (the thesis&#8217;s fig. 11.20)</span></p></figcaption>')
    assert check_site.caption_texts(dom) == ["UMAP (the thesis's fig. 11.20)"]
