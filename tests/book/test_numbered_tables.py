"""The book's numbered tables (book/_ext/numbered_tables.py): the tables a chapter prints
are numbered in the chapter's numbering and {tabref} links read their numbers."""
import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from dimclust.thesis import show

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location(
    "numbered_tables", ROOT / "book" / "_ext" / "numbered_tables.py")
ext = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ext)


def _ref(label):
    return ext.tabref("tabref", f"{{tabref}}`{label}`", label, 1, None)[0][0].astext()


def test_printed_tables_are_numbered_in_order_and_references_read_their_numbers():
    df = pd.DataFrame({"nmi": [0.51]})
    body = (f"<p>See {_ref('variants')}.</p>"
            + show(df, caption="First.").to_html()
            + show(df, caption="Second.", label="variants").to_html()
            + show(df).to_html())                               # no caption: not numbered
    out, labels, missing = ext.number_tables(body, "10")
    assert labels == {"variants": "10.2"} and missing == []
    assert '<span class="caption-number">Table 10.1 </span><span class="caption-text">First.' in out
    assert '<caption id="tab-variants"><span class="caption-number">Table 10.2 ' in out
    assert '<a class="reference internal" href="#tab-variants">Table 10.2</a>' in out
    assert out.count("caption-number") == 2


def test_tables_count_after_those_sphinx_numbered_and_a_bad_reference_is_reported():
    sphinx_table = '<table><caption><span class="caption-number">Table 4.1 </span>x</caption>'
    body = sphinx_table + show(pd.DataFrame({"a": [1]}), caption="Mine.").to_html() + _ref("nope")
    out, labels, missing = ext.number_tables(body, "4")
    assert "Table 4.2 </span>" in out and missing == ["nope"]
    out, _, _ = ext.number_tables(show(pd.DataFrame({"a": [1]}), caption="c").to_html(), "")
    assert "Table 1 </span>" in out                      # an unnumbered page: 1, 2, ...


def test_a_label_must_be_usable_as_an_anchor():
    with pytest.raises(ValueError, match="label='DCEC variants'; use lower-case"):
        show(pd.DataFrame({"a": [1]}), caption="c", label="DCEC variants")
