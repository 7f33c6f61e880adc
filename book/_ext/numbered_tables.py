"""Numbered tables with cross-references, for the tables the chapters' cells print.

Sphinx numbers the figures of a notebook (``Fig. 10.2``) but not the tables its cells
print: those are HTML (:func:`dimclust.experiments.show`), which Sphinx passes through
untouched. This extension numbers them like figures, in the chapter's numbering, when each
page is written:

- every table of a cell's output that has a ``<caption>`` gets ``Table <chapter>.<k>``
  in front of its caption, ``k`` counting the page's captioned tables in order;
- a table printed with ``show(..., label="dcec-variants")`` carries
  ``data-label="dcec-variants"`` and becomes the target ``#tab-dcec-variants``;
- the role ``{tabref}`dcec-variants``` in a page's text becomes a link reading
  ``Table 10.3``. A label the page does not print is a warning (an error with ``-W``).

Tables written in a page's Markdown are numbered by Sphinx itself (the ``{table}``
directive); this one counts after those on the same page.
"""
from __future__ import annotations

import itertools
import re

from docutils import nodes
from sphinx.util import logging

log = logging.getLogger(__name__)

_TABLE = re.compile(r"<table(?P<attrs>[^>]*)>(?P<gap>\s*)<caption>"
                    r"(?!\s*<span class=\"caption-number\">)(?P<caption>.*?)</caption>", re.S)
_LABEL = re.compile(r'data-label="([^"]+)"')
_REF = re.compile(r'<a class="reference internal dimclust-tabref" href="#tab-([^"]+)">[^<]*</a>')


def tabref(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{tabref}`label``` → a link to the table printed with that label."""
    label = text.strip()
    html = f'<a class="reference internal dimclust-tabref" href="#tab-{label}">{label}</a>'
    return [nodes.raw(rawtext, html, format="html")], []


def number_tables(body, chapter):
    """``body`` (a page's HTML) with its captioned tables numbered and its ``tabref``
    links resolved.

    Returns
    -------
    body : str
    labels : dict
        Each table's label → its number (``"10.3"``).
    missing : list of str
        Labels referred to that no table on the page has.
    """
    prefix = f"{chapter}." if chapter else ""
    numbers = itertools.count(len(re.findall(r'<span class="caption-number">Table \d', body)) + 1)
    labels, missing = {}, []

    def numbered(m):
        n = f"{prefix}{next(numbers)}"
        label = _LABEL.search(m["attrs"])
        anchor = ""
        if label:
            labels[label.group(1)] = n
            anchor = f' id="tab-{label.group(1)}"'
        return (f"<table{m['attrs']}>{m['gap']}<caption{anchor}><span class=\"caption-number\">"
                f"Table {n} </span><span class=\"caption-text\">{m['caption']}</span></caption>")

    def resolved(m):
        if m[1] not in labels:
            missing.append(m[1])
            return m[0]
        return f'<a class="reference internal" href="#tab-{m[1]}">Table {labels[m[1]]}</a>'

    body = _REF.sub(resolved, _TABLE.sub(numbered, body))
    return body, labels, missing


def _on_page(app, pagename, templatename, context, doctree):
    if "body" not in context:
        return
    secnumbers = app.builder.env.toc_secnumbers.get(pagename, {})
    chapter = ".".join(str(n) for n in secnumbers.get("", ()))
    context["body"], _, missing = number_tables(context["body"], chapter)
    for label in missing:
        log.warning(f"{pagename}: {{tabref}} `{label}` names no table on the page; print "
                    f"the table with show(..., label={label!r}) or correct the label")


def setup(app):
    app.add_role("tabref", tabref)
    app.connect("html-page-context", _on_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
