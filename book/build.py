"""Execute the chapter notebooks with papermill, then render the book with Jupyter Book.

    python book/build.py [--scale quick|full] [--records DIR] [--only NAME ...] [--jobs N]
                         [--no-build] [--force]

Each notebook listed in ``_toc.yml`` is executed into ``_build/executed/`` with the
``scale`` parameter. An execution is reused while its key is unchanged: the notebook's
content, the parameters, the dimclust source, the Keras backend and the run records under
the ``../results`` folders the notebook names. Jupyter Book then
renders a staged copy of the book in which the notebooks are the executed ones; it
never executes anything itself (``execute_notebooks: off``) and runs with warnings as
errors. The build fails when any notebook failed. Each execution leaves its wall time and
hardware beside it (``<name>.run.json``); the Reproduce page's table of chapter times is
made from them when the book is staged. With ``--records DIR`` (default
``$DIMCLUST_RECORDS``) every experiment a chapter runs also writes its run record there:
the folder goes to each chapter that declares the papermill parameter ``records``, which
hands it to ``dimclust.experiments.settings``. A chapter is given only the parameters its
``parameters`` cell declares.

With ``--jobs 2`` (the default at the quick scale on two cores or more) the chapters execute
in two sequences side by side, each kernel held to one thread: the deep-clustering chapters
(:data:`SIDE`, which train their own networks and reuse no other chapter's results) in one,
every chapter before them in the other, in the order of the table of contents; the chapters
that read what the others leave (:data:`LAST`) follow both. Much of a chapter's work (seeded
UMAP, small Keras batches) keeps one core busy whatever it is given, so two sequences of one
thread each use two cores better than one sequence of two threads. The full scale and
``--records`` execute one chapter at a time (one GPU; the Results chapters read the records
the others write).
"""
from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
EXECUTED = BUILD / "executed"
STAGE = BUILD / "src"


def toc_notebooks():
    """Notebook paths (relative to the root, no suffix) in the order of _toc.yml."""
    out = []
    for line in (ROOT / "_toc.yml").read_text().splitlines():
        line = line.strip()
        if line.startswith("- file:") and "notebooks/" in line:
            out.append(line.split(":", 1)[1].strip())
    return out


def source_key(nb_path, params):
    h = hashlib.sha256()
    h.update(nb_path.read_bytes())
    h.update(json.dumps(params, sort_keys=True).encode())
    h.update(os.environ.get("KERAS_BACKEND", "tensorflow").encode())
    # the package, and the run records of the folders the notebook names (``../results/gpu``)
    text = nb_path.read_text()
    folders = {ROOT / "results" / sub.lstrip("/") for sub in re.findall(r"\.\./results((?:/\w+)*)", text)}
    records = [p for f in folders for p in f.rglob("*.json")]
    for p in sorted({*(ROOT / "dimclust").rglob("*"), *records}):
        if p.suffix in (".py", ".json"):
            h.update(p.relative_to(ROOT).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def declared_params(src, params):
    """The items of ``params`` that the notebook ``src`` declares in its ``parameters``
    cell (papermill would inject the others with a warning, and they would do nothing)."""
    import papermill as pm
    declared = pm.inspect_notebook(str(src))
    return {k: v for k, v in params.items() if k in declared}


def execute(name, params, force=False, jobs=1):
    """Execute one notebook with papermill unless an execution with the same key exists.

    ``jobs`` is how many chapters execute at once (kept in the execution's record; a
    progress bar only when it is 1).
    """
    import papermill as pm
    src = ROOT / f"{name}.ipynb"
    out = EXECUTED / f"{Path(name).name}.ipynb"
    params = declared_params(src, params)
    key_file = out.with_suffix(".key")
    key = source_key(src, params)
    if not force and out.exists() and key_file.exists() and key_file.read_text() == key:
        print(f"[book] {name}: unchanged, reusing {out.relative_to(ROOT)}", flush=True)
        return 0.0
    print(f"[book] {name}: executing with {params}", flush=True)
    key_file.unlink(missing_ok=True)
    t0 = time.perf_counter()
    pm.execute_notebook(str(src), str(out), parameters=params, cwd=str(src.parent),
                        kernel_name="python3", progress_bar=jobs == 1, log_output=False)
    seconds = time.perf_counter() - t0
    key_file.write_text(key)
    from dimclust._provenance import hardware  # noqa: PLC0415
    out.with_suffix(".run.json").write_text(json.dumps({
        "seconds": round(seconds, 1), "parameters": params, "jobs": jobs, "hardware": hardware(),
        "finished": time.strftime("%Y-%m-%d %H:%M", time.gmtime())}, indent=1))
    print(f"[book] {name}: done in {seconds:.0f} s", flush=True)
    return seconds


#: With ``--jobs 2``, the chapters of the second sequence, and those executed after both.
SIDE = ("08_dcec", "12_beyond")
LAST = ("10_results", "11_claims", "13_conclusions")
#: Environment that holds a kernel's numerical libraries to one thread.
ONE_THREAD = {v: "1" for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                               "NUMBA_NUM_THREADS", "TF_NUM_INTRAOP_THREADS",
                               "TF_NUM_INTEROP_THREADS")}

TIMES_MARKER = "<!-- chapter times -->"


def chapter_times(notebooks, executed=EXECUTED):
    """A Markdown table of each chapter's last execution: seconds, scale, cores, date.

    Read from the ``<name>.run.json`` that :func:`execute` writes; a chapter without one
    (executed by an older build) is listed as "not recorded".
    """
    lines = [":::{table} Each chapter's last execution in this build: seconds, scale and hardware.",
             ":name: tab-chapter-times", "",
             "| chapter | seconds | scale | CPU cores | Keras backend | GPU | finished (UTC) |",
             "| --- | ---: | --- | ---: | --- | --- | --- |"]
    total, jobs = 0.0, 1
    for name in notebooks:
        nb = json.loads((executed / f"{Path(name).name}.ipynb").read_text())
        heading = next(("".join(c["source"]).strip() for c in nb["cells"]
                        if c["cell_type"] == "markdown" and "".join(c["source"]).lstrip().startswith("# ")),
                       f"# {name}")
        title = heading.splitlines()[0][2:].strip()
        run_file = executed / f"{Path(name).name}.run.json"
        link = f"{{doc}}`{title} <../{name}>`"
        if not run_file.exists():
            lines.append(f"| {link} | not recorded | | | | | |")
            continue
        run = json.loads(run_file.read_text())
        hw = run["hardware"]
        total += run["seconds"]
        jobs = max(jobs, run.get("jobs", 1))
        lines.append(f"| {link} | {run['seconds']:,.0f} | {run['parameters'].get('scale', '')} | "
                     f"{hw['cpu_count']} | {hw['keras_backend']} | {', '.join(hw['gpus']) or 'none'} "
                     f"| {run['finished']} |")
    lines += [f"| **all chapters** | **{total:,.0f}** | | | | | |", ":::"]
    if jobs > 1:
        lines += ["", "Chapters executed two at a time, one thread each, so the build took "
                  "less than the sum."]
    return "\n".join(lines)


#: The theory pages' diagrams: file name -> (architecture, clusters of DCEC's layer or None).
DIAGRAMS = {"autoencoder.png": ("guo", None), "dcec-model.png": ("guo", 10)}


def theory_diagrams(folder):
    """Draw the theory pages' diagrams (:data:`DIAGRAMS`) from the Keras models into
    ``folder``: they are made by code at each build, never copied."""
    import matplotlib  # noqa: PLC0415
    matplotlib.use("Agg")
    from dimclust import architectures, diagrams  # noqa: PLC0415
    folder.mkdir(parents=True, exist_ok=True)
    for name, (architecture, n_clusters) in DIAGRAMS.items():
        fig = diagrams.network(architectures.layer_table(architecture), n_clusters=n_clusters)
        fig.savefig(folder / name, dpi=120, bbox_inches="tight")
        matplotlib.pyplot.close(fig)


def stage(notebooks):
    """Copy config, theory pages and executed notebooks into _build/src for rendering."""
    shutil.rmtree(STAGE, ignore_errors=True)
    STAGE.mkdir(parents=True)
    for f in ("_config.yml", "_toc.yml"):
        shutil.copy2(ROOT / f, STAGE / f)
    shutil.copytree(ROOT / "_static", STAGE / "_static")     # the book's stylesheet
    shutil.copytree(ROOT / "book", STAGE / "book", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    shutil.copytree(ROOT / "book" / "_ext", STAGE / "_ext",     # Sphinx extensions (_config.yml)
                    ignore=shutil.ignore_patterns("__pycache__"))
    page = STAGE / "book" / "reproduce.md"
    page.write_text(page.read_text().replace(TIMES_MARKER, chapter_times(notebooks)))
    theory_diagrams(STAGE / "book" / "figures")
    import jupyter_server_mathjax  # MathJax served with the site: equations render offline
    shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", STAGE / "_mathjax" / "mathjax")
    (STAGE / "notebooks").mkdir()
    for name in notebooks:
        nb = json.loads((EXECUTED / f"{Path(name).name}.ipynb").read_text())
        for cell in nb["cells"]:         # papermill's parameters: for Colab and re-runs, not the page
            tags = cell.setdefault("metadata", {}).setdefault("tags", [])
            if "injected-parameters" in tags and "remove-cell" not in tags:
                tags.append("remove-cell")
        (STAGE / f"{name}.ipynb").write_text(json.dumps(nb))


def default_jobs(scale, records=None):
    """Sequences of chapters side by side: 2 at the quick scale on two cores or more, else 1."""
    return 2 if scale == "quick" and not records and (os.cpu_count() or 1) >= 2 else 1


def sequences(names):
    """``(first, second, last)``: the chapters of the two sequences and those after both."""
    short = {n: Path(n).name for n in names}
    last = [n for n in names if short[n] in LAST]
    second = [n for n in names if short[n] in SIDE]
    first = [n for n in names if n not in last and n not in second]
    return first, second, last


def execute_all(names, params, *, force=False, jobs=1):
    """Execute ``names`` (in the order of the table of contents), one at a time or, with
    ``jobs=2``, as two :func:`sequences` side by side; returns the names that failed."""
    if jobs not in (1, 2):
        raise ValueError(f"jobs={jobs}: give 1 (one chapter at a time) or 2 (two sequences)")
    if jobs == 1:
        return _execute_sequence(names, params, force, 1)
    first, second, last = sequences(names)
    print(f"[book] executing {len(first)} and {len(second)} chapters side by side, one thread "
          f"each, then {len(last)}", flush=True)
    # a fresh interpreter per sequence ("spawn"): no state of this process is shared
    with concurrent.futures.ProcessPoolExecutor(
            2, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(_execute_sequence, seq, params, force, 2, ONE_THREAD)
                   for seq in (first, second) if seq]
        failed = [n for f in futures for n in f.result()]
    return failed + _execute_sequence(last, params, force, 1)


def _execute_sequence(names, params, force, jobs, env=None):
    """:func:`execute` each of ``names`` in turn (with ``env`` set for its kernel); returns
    those that failed, each with its error printed."""
    os.environ.update(env or {})
    failed = []
    for name in names:
        try:
            execute(name, params, force=force, jobs=jobs)
        except Exception as e:  # papermill raises PapermillExecutionError with the cell
            print(f"[book] {name}: FAILED\n{e}", file=sys.stderr, flush=True)
            failed.append(name)
    return failed


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", choices=("quick", "full"), default="quick")
    ap.add_argument("--only", nargs="*", help="execute only these notebooks (names without folder)")
    ap.add_argument("--force", action="store_true", help="re-execute even when unchanged")
    ap.add_argument("--jobs", type=int, default=None, choices=(1, 2),
                    help="1: one chapter at a time; 2: two sequences of chapters side by side, "
                         "one thread each (default: 2 at the quick scale on two cores or more)")
    ap.add_argument("--no-build", action="store_true", help="execute only, do not render")
    ap.add_argument("--records", default=os.environ.get("DIMCLUST_RECORDS"),
                    help="folder for the run records of every experiment the chapters run")
    args = ap.parse_args(argv)
    params = {"scale": args.scale}
    if args.records:
        params["records"] = str(Path(args.records).resolve())

    EXECUTED.mkdir(parents=True, exist_ok=True)
    notebooks = toc_notebooks()
    todo = [n for n in notebooks if not args.only or Path(n).name in args.only]
    jobs = args.jobs if args.jobs is not None else default_jobs(args.scale, args.records)
    failed = execute_all(todo, params, force=args.force, jobs=jobs)
    if failed:
        print(f"[book] {len(failed)} notebook(s) failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    if args.no_build:
        return 0
    missing = [n for n in notebooks if not (EXECUTED / f"{Path(n).name}.ipynb").exists()]
    if missing:
        print(f"[book] not executed yet: {', '.join(missing)}; run without --only", file=sys.stderr)
        return 1
    stage(notebooks)
    cmd = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(STAGE),
           "--path-output", str(ROOT), "-W", "-n", "--keep-going"]
    print("[book] " + " ".join(cmd[1:]), flush=True)
    rc = subprocess.call(cmd)
    if rc == 0:
        print(f"[book] site: {(BUILD / 'html' / 'index.html').relative_to(ROOT)}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
