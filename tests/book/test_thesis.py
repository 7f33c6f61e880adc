"""Every value stored from the thesis is the one it prints (checked against its text when
the text is at hand) and every table cell the thesis filled is stored."""
import re
from pathlib import Path

import pytest

from dimclust import thesis

THESIS = Path(__file__).resolve().parents[3] / "shared" / "thesis" / "thesis.md"


@pytest.fixture(scope="module")
def text():
    if not THESIS.exists():
        pytest.skip("the thesis's text is not beside this clone")
    return THESIS.read_text()


def _block(text, caption):
    """The lines of the table just above ``caption``."""
    end = text.index(caption)
    start = text.rfind("\n\n", 0, text.rfind("\n", 0, end - 2) - 400)
    return text[max(0, start):end]


def _cells(block, label, n):
    line = next(ln for ln in block.splitlines() if ln.split("\t")[0].strip() == label)
    cells = [c.strip() for c in line.split("\t")[1:]]
    return (cells + ["-"] * n)[:n]


@pytest.mark.parametrize("table, caption", [("12.1", "Table 12.1:"), ("12.2", "Table 12.2:"),
                                            ("13.1", "Table 13.1:")])
def test_every_cell_is_stored_as_printed(text, table, caption):
    t = thesis.thesis_table(table)
    block = _block(text, caption)
    dsets = [t["dataset"]] if "dataset" in t else t["datasets"]
    columns = [(ds, m) for ds in dsets for m in t["metrics"]]
    for row in t["rows"]:
        # the thesis's text writes γ as TeX
        label = row["label"].replace("(γ = 1)", "$(\\gamma = 1)$")
        printed = _cells(block, label, len(columns))
        for (ds, m), cell in zip(columns, printed):
            stored = thesis.thesis_value(table, ds, row["key"], m)
            if cell in ("-", ""):
                assert stored is None, (table, row["key"], ds, m)
            else:
                assert str(stored) == cell or float(stored) == float(cell), \
                    (table, row["key"], ds, m, stored, cell)


def test_values_outside_the_tables_are_printed_there(text):
    flat = re.sub(r"\s+", " ", text)
    for v in thesis.thesis_text_values():
        assert re.sub(r"\s+", " ", v["printed"]) in flat, v
        number = re.findall(r"\d+(?:\.\d+)?", v["printed"])
        if number and "%" in v["printed"]:
            assert v["value"] == pytest.approx(float(number[0]) / 100)
        elif number and "." in number[0] and len(number[0]) > 8:     # long appendix output
            assert v["value"] == round(float(number[0]), 4)
        elif number:
            assert v["value"] == pytest.approx(float(number[0]))


def test_thesis_text_value_finds_one_value_and_names_the_others():
    assert thesis.thesis_text_value("fashion", "pca50+hdbscan",
                                         "share of images left as noise") == pytest.approx(0.645)
    with pytest.raises(KeyError, match="clusters found"):
        thesis.thesis_text_value("fashion", "pca50+hdbscan", "no such quantity")
