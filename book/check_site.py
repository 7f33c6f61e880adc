"""Check the built site as a reader would: headless Chromium renders pages, we look at them.

    python book/check_site.py [--site _build/html] [--pages index.html notebooks/06_kmeans.html]

For each page: Chromium renders it (``--dump-dom``) and a screenshot is saved next to the
site (``_build/screenshots/``). The index must link every chapter; each chapter page must
hold rendered figures (``<img>`` from executed outputs) and, for the result chapters,
tables. Exits non-zero with a list of what is missing.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    raise SystemExit("no Chromium found; install it (Debian: apt-get install chromium)")


def render(browser, page, shot):
    with tempfile.TemporaryDirectory() as profile:
        args = [browser, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=5000"]
        dom = subprocess.run(args + ["--dump-dom", page.as_uri()], capture_output=True,
                             text=True, timeout=120).stdout
        subprocess.run(args + [f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri()],
                       capture_output=True, timeout=120)
    return dom


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", default=str(ROOT / "_build" / "html"))
    ap.add_argument("--pages", nargs="*", default=["index.html", "notebooks/02_pca.html",
                                                   "notebooks/07_hdbscan.html"])
    args = ap.parse_args(argv)
    site = Path(args.site)
    shots = site.parent / "screenshots"
    shots.mkdir(exist_ok=True)
    browser = chromium()
    problems = []
    chapters = re.findall(r"- file: (notebooks/\S+)", (ROOT / "_toc.yml").read_text())
    for rel in args.pages:
        page = site / rel
        if not page.exists():
            problems.append(f"{rel}: not built")
            continue
        shot = shots / (rel.replace("/", "_").replace(".html", ".png"))
        dom = render(browser, page, shot)
        if "<body" not in dom:
            problems.append(f"{rel}: Chromium rendered nothing")
            continue
        n_img = len(re.findall(r"<img[^>]+src=\"[^\"]*(?:\.png|data:image)", dom))
        n_table = dom.count("<table")
        print(f"{rel}: {n_img} figures, {n_table} tables, screenshot {shot.relative_to(ROOT)}")
        if rel == "index.html":
            problems += [f"index.html: no link to {c}" for c in chapters if f"{c}.html" not in dom]
        else:
            if n_img == 0:
                problems.append(f"{rel}: no figures")
            if n_table == 0:
                problems.append(f"{rel}: no tables")
        if not shot.exists() or shot.stat().st_size < 10_000:
            problems.append(f"{rel}: screenshot missing or blank")
    if problems:
        print("site check failed:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print("site check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
