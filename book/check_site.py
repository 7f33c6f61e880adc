"""Check the built site as a reader would: headless Chromium renders pages, offline.

    python book/check_site.py [--site _build/html] [--pages index.html notebooks/06_kmeans.html]

By default every page of the table of contents is checked. For each, Chromium renders it
(``--dump-dom``, with time for MathJax) and a screenshot is saved beside the site
(``_build/screenshots/``). Checks:

- the index links every chapter;
- each numbered page's title carries its number;
- no executed cell shows an error or a traceback;
- no TeX is left unrendered (``$$``, ``\\(``, ``\\[``, ``\\begin{`` outside code), and a page
  with equations has them typeset by MathJax, which is served with the site;
- every figure an executed notebook made is on its page, with a caption where the cell
  gives one;
- every explorable plot answers a hover: the mouse is moved over it (Chrome DevTools
  Protocol) until the tooltip with an image appears.
- at 1280 px, no table and no code block is wider than the content column;
- every table has a numbered caption ("Table 10.3", book/_ext/numbered_tables.py for the
  tables the chapters print, the ``{table}`` directive for those in a page's Markdown);
- no cell output shows ``NaN``, ``<NA>``, a dict repr, a warning, a traceback or a path
  of this machine (:data:`RAW_OUTPUT`);
- no caption cites a thesis figure number the thesis does not have.

Exits non-zero with a list of what is missing.
"""
from __future__ import annotations

import argparse
import base64
import contextlib
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))              # the package, also when run from a fresh clone
from dimclust.thesis import thesis_figures  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]
#: Pages made of tables, not figures.
TABLE_PAGES = ("10_results", "11_claims", "13_conclusions")


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    raise SystemExit("no Chromium found; install it (Debian: apt-get install chromium)")


def render(browser, page, shot):
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        args = [browser, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=20000"]
        dom = subprocess.run(args + ["--dump-dom", page.as_uri()], capture_output=True,
                             text=True, timeout=180).stdout
        subprocess.run(args + [f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri()],
                       capture_output=True, timeout=180)
    return dom


def visible_text(dom):
    """The DOM less scripts, styles, code and iframes: what a reader sees as prose."""
    for tag in ("script", "style", "pre", "code", "iframe", "textarea"):
        dom = re.sub(rf"<{tag}\b.*?</{tag}>", " ", dom, flags=re.S | re.I)
    return dom


def raw_tex(dom):
    """Pieces of TeX left as text, e.g. ``\\(x^2\\)`` that MathJax did not typeset."""
    text = visible_text(dom)
    return re.findall(r"\$\$|\\\(|\\\[|\\begin\{", text)


def notebook_figures(name):
    """Images and figure captions in the executed notebook ``name`` (from ``_build/executed``)."""
    nb_path = ROOT / "_build" / "executed" / f"{name}.ipynb"
    if not nb_path.exists():
        return 0, []
    nb = json.loads(nb_path.read_text())
    n_img, captions = 0, []
    for cell in nb["cells"]:
        if "remove-cell" in cell.get("metadata", {}).get("tags", []):
            continue
        images = sum("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        n_img += images
        fig = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
        if fig.get("caption") and images:        # a cell that drew nothing has no figure
            captions.append(fig["caption"])
    return n_img, captions


# -- hovering an explorable plot, through the Chrome DevTools Protocol ------------------
_FIND = """
(() => {
  const frame = document.querySelector('iframe.dimclust-explore');
  if (!frame) return null;
  frame.scrollIntoView();
  const deep = (root, test) => {
    for (const el of root.querySelectorAll('*')) {
      if (test(el)) return el;
      if (el.shadowRoot) { const hit = deep(el.shadowRoot, test); if (hit) return hit; }
    }
    return null;
  };
  window.__deep = deep;
  const doc = frame.contentDocument;
  const canvas = doc && deep(doc, el => el.tagName === 'CANVAS');
  if (!canvas) return null;
  const f = frame.getBoundingClientRect(), c = canvas.getBoundingClientRect();
  return JSON.stringify({x: f.left + c.left, y: f.top + c.top, w: c.width, h: c.height});
})()
"""
_TIP = """
(() => {
  const doc = document.querySelector('iframe.dimclust-explore').contentDocument;
  const tip = window.__deep(doc, el => el.classList && el.classList.contains('dimclust-tip'));
  const img = tip && tip.querySelector('img');
  return !!(img && img.src.startsWith('data:image/png'));
})()
"""


class _DevTools:
    def __init__(self, url):
        import websocket  # noqa: PLC0415  (websocket-client, installed with jupyter_server)
        # Chromium 111+ refuses a DevTools socket that sends an Origin header it was not told
        # to allow; a local client needs none.
        self.ws = websocket.create_connection(url, timeout=30, suppress_origin=True)
        self.n = 0

    def call(self, method, **params):
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.n:
                return msg.get("result", {})

    def js(self, expr):
        out = self.call("Runtime.evaluate", expression=expr, returnByValue=True)
        return out.get("result", {}).get("value")


@contextlib.contextmanager
def devtools_page(browser, page, width=1280, height=1000, timeout=60):
    """Chromium showing ``page`` at ``width`` × ``height``, driven through DevTools: yields
    a :class:`_DevTools` once the page has loaded, or ``None`` when Chromium gave none."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        proc = subprocess.Popen([browser, *FLAGS, f"--user-data-dir={profile}",
                                 f"--remote-debugging-port={port}",
                                 f"--remote-allow-origins=http://127.0.0.1:{port}",
                                 f"--window-size={width},{height}",
                                 page.as_uri()], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            deadline = time.time() + timeout
            url = None
            while url is None and time.time() < deadline:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as r:
                        url = next((t["webSocketDebuggerUrl"] for t in json.load(r)
                                    if t.get("type") == "page"), None)
                except OSError:
                    time.sleep(0.5)
            if url is None:
                yield None
                return
            tools = _DevTools(url)
            while tools.js("document.readyState") != "complete" and time.time() < deadline:
                time.sleep(0.5)
            yield tools
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def hover_answers(browser, page, shot=None, timeout=60):
    """Whether moving the mouse over the page's explorable plot brings up its tooltip; with
    ``shot``, a screenshot of the page with the tooltip showing is saved there."""
    with devtools_page(browser, page, timeout=timeout) as tools:
        if tools is None:
            return False
        deadline = time.time() + timeout
        box = None
        while box is None and time.time() < deadline:
            box = tools.js(_FIND)
            time.sleep(0.5)
        if box is None:
            return False
        time.sleep(1.0)
        box = json.loads(tools.js(_FIND))
        for fy in [i / 24 for i in range(2, 23)]:
            for fx in [i / 24 for i in range(2, 23)]:
                tools.call("Input.dispatchMouseEvent", type="mouseMoved",
                           x=box["x"] + fx * box["w"], y=box["y"] + fy * box["h"])
                if tools.js(_TIP):
                    if shot is not None:
                        png = tools.call("Page.captureScreenshot", format="png")["data"]
                        Path(shot).write_bytes(base64.b64decode(png))
                    return True
        return False


# -- what a reader sees at 1280 px: tables and code that fit their column -------------
_WIDE = """
(() => {
  const column = document.querySelector('article.bd-article') || document.querySelector('main')
                 || document.body;
  const right = column.getBoundingClientRect().right + 2;
  const name = el => (el.innerText || '').trim().split('\\n')[0].slice(0, 60);
  const out = [];
  for (const el of column.querySelectorAll('table')) {
    const r = el.getBoundingClientRect();
    // a notebook's output box is narrower than the column and scrolls what passes it
    const box = el.closest('.cell_output');
    const limit = box ? Math.min(right, box.getBoundingClientRect().right + 2) : right;
    if (r.width > 0 && r.right > limit)
      out.push(`a table ${Math.round(r.width)} px wide, past its column by ` +
               `${Math.round(r.right - limit)} px: ${JSON.stringify(name(el))}`);
  }
  const uncaptioned = [];
  for (const el of column.querySelectorAll('table')) {
    if (el.closest('.MathJax, .MathJax_Display, .MathJax_Preview, mjx-container')) continue;
    if (!el.querySelector(':scope > caption .caption-number'))
      uncaptioned.push(JSON.stringify(name(el)));
  }
  for (const el of column.querySelectorAll('pre')) {
    if (el.scrollWidth > el.clientWidth + 2)
      out.push(`a code block cut at the right edge (${el.scrollWidth} px in ` +
               `${el.clientWidth} px): ${JSON.stringify(name(el))}`);
  }
  const shown = [...column.querySelectorAll('.cell_output')].map(el => el.innerText);
  return JSON.stringify({wide: out, uncaptioned: uncaptioned, output: shown.join('\\n')});
})()
"""


def measure(browser, page, width=1280):
    """What a reader sees of ``page`` at ``width`` px: ``{"wide": [...], "uncaptioned":
    [...], "output": str}``, the tables and code blocks wider than the content column, the
    tables without a numbered caption, and the text of the executed cells' outputs."""
    with devtools_page(browser, page, width=width) as tools:
        if tools is None:
            return {"wide": ["Chromium gave no page to measure"], "uncaptioned": [], "output": ""}
        time.sleep(1.0)                               # let MathJax and styles settle
        return json.loads(tools.js(_WIDE) or '{"wide": [], "uncaptioned": [], "output": ""}')


#: What must never reach a reader in a cell's output, by what it looks like.
RAW_OUTPUT = {"NaN": r"\bNaN\b", "<NA>": r"<NA>", "a dict repr": r"\{'",
              "a warning": r"\bWARNING\b|\w+Warning:", "a traceback": r"Traceback",
              "a machine path": r"(?<![\w.:/])/(?:home|root|tmp|usr|work|opt|var|mnt|Users)/\S+"}


def raw_output(text):
    """Which of :data:`RAW_OUTPUT` the text of a page's outputs shows, each with an example."""
    found = []
    for what, pattern in RAW_OUTPUT.items():
        m = re.search(pattern, text)
        if m:
            found.append(f"{what} in the output: {text[max(0, m.start() - 30):m.end() + 30]!r}")
    return found


#: The thesis's figure numbers (its list of figures), which captions may cite.
THESIS_FIGURES = set(thesis_figures())


def thesis_figures_cited(caption):
    """The figure numbers a caption cites as the thesis's: ``"the thesis's figs. 12.2–12.4"``
    gives ``["12.2", "12.4"]``; a caption that does not name the thesis cites none."""
    if "thesis" not in caption:
        return []
    cited = []
    for group in re.findall(r"\b[Ff]ig(?:ure)?s?\.?\s+((?:\d+\.\d+(?:\s*(?:–|-|and|,|&)\s*)?)+)",
                            caption):
        cited += re.findall(r"\d+\.\d+", group)
    return cited


def caption_texts(dom):
    """The text of every figure caption on a page (without its own "Fig. N" number)."""
    return [re.sub(r"<[^>]+>", "", c).replace("&#8217;", "'").replace("\u2019", "'")
            for c in re.findall(r'<span class="caption-text">(.*?)</span>', dom, flags=re.S)]


def check_page(browser, site, rel, shots, chapters):
    """The problems found on one page (a list of strings), and a one-line summary."""
    page = site / rel
    if not page.exists():
        return [f"{rel}: not built"], f"{rel}: not built"
    shot = shots / (rel.replace("/", "_").replace(".html", ".png"))
    dom = render(browser, page, shot)
    if "<body" not in dom:
        return [f"{rel}: Chromium rendered nothing"], f"{rel}: nothing"
    problems = []
    name = Path(rel).stem
    n_img = len(re.findall(r"<img[^>]+src=\"[^\"]*(?:\.png|data:image)", dom))
    n_math = len(set(re.findall(r'id="MathJax-Element-(\d+)-Frame"', dom)))
    if rel == "index.html":
        problems += [f"index.html: no link to {c}" for c in chapters if f"{c}.html" not in dom]
    else:
        titles = re.findall(r"<h1[^>]*>(.*?)</h1>", dom, flags=re.S)
        numbered = any("section-number" in t for t in titles)
        if not numbered and not rel.startswith(("book/references", "book/data",
                                                "book/notation", "book/get_started")):
            problems.append(f"{rel}: the title has no chapter number")
    if re.search(r'class="[^"]*\b(?:output\s+)?traceback\b', dom) or "Traceback (most recent" in dom:
        problems.append(f"{rel}: an executed cell shows an error")
    left = raw_tex(dom)
    if left:
        problems.append(f"{rel}: {len(left)} piece(s) of TeX left unrendered, e.g. {left[0]!r}")
    if rel.startswith("notebooks/"):
        want, captions = notebook_figures(name)
        if n_img < want:
            problems.append(f"{rel}: {n_img} figures on the page, the notebook made {want}")
        if name not in TABLE_PAGES and want == 0 and n_img == 0 and name != "09_cifar10":
            problems.append(f"{rel}: no figures")
        text = visible_text(dom).replace("\u2019", "'").replace("&#39;", "'")
        problems += [f"{rel}: caption missing: {c[:40]!r}" for c in captions
                     if c.split("{")[0].strip()[:30] not in text]
        n_fig = len(re.findall(r'<span class="caption-number">Fig\. \d+', dom))
        if n_fig < len(captions):
            problems.append(f"{rel}: {n_fig} numbered figures, {len(captions)} captioned cells")
        if name in TABLE_PAGES and dom.count("<table") == 0:
            problems.append(f"{rel}: no tables")
    for caption in caption_texts(dom):
        unknown = [n for n in thesis_figures_cited(caption) if n not in THESIS_FIGURES]
        if unknown:
            problems.append(f"{rel}: a caption cites thesis figure(s) {unknown}, which the "
                            f"thesis does not have: {caption[:60]!r}")
    seen = measure(browser, page)
    problems += [f"{rel}: too wide at 1280 px: {w}" for w in seen["wide"]]
    problems += [f"{rel}: a table without a numbered caption: {t}" for t in seen["uncaptioned"]]
    problems += [f"{rel}: {r}" for r in raw_output(seen["output"])]
    hover = None
    if "dimclust-explore" in dom:
        hover = hover_answers(browser, page, shot.with_name(shot.stem + "_hover.png"))
        if not hover:
            problems.append(f"{rel}: the explorable plot shows no tooltip on hover")
    if not shot.exists() or shot.stat().st_size < 10_000:
        problems.append(f"{rel}: screenshot missing or blank")
    summary = (f"{rel}: {n_img} figures, {dom.count('<table')} tables, {n_math} typeset "
               f"equations{', the explorable plot answers a hover' if hover else ''}")
    return problems, summary


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", default=str(ROOT / "_build" / "html"))
    ap.add_argument("--pages", nargs="*", default=None,
                    help="pages to check (default: the index and every page of _toc.yml)")
    args = ap.parse_args(argv)
    site = Path(args.site)
    shots = site.parent / "screenshots"
    shots.mkdir(exist_ok=True)
    browser = chromium()
    files = re.findall(r"- file: (\S+)", (ROOT / "_toc.yml").read_text())
    chapters = [f for f in files if f.startswith("notebooks/")]
    pages = args.pages or ["index.html", *[f"{f}.html" for f in files]]
    problems = []
    for rel in pages:
        found, summary = check_page(browser, site, rel, shots, chapters)
        print(summary, flush=True)
        problems += found
    if problems:
        print("site check failed:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print(f"site check passed: {len(pages)} pages; screenshots in {shots.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
