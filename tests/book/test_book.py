"""The book's notebooks: paired, clean, parameterised, and pointing at the same repository."""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TOC = (ROOT / "_toc.yml").read_text()


def test_every_toc_entry_exists():
    entries = re.findall(r"- file: (\S+)", TOC) + [re.search(r"root: (\S+)", TOC).group(1)]
    for e in entries:
        assert (ROOT / f"{e}.md").exists() or (ROOT / f"{e}.ipynb").exists(), e
    listed = {e for e in entries if e.startswith("notebooks/")}
    assert listed == {f"notebooks/{p.stem}" for p in NOTEBOOKS}


def _cells(path):
    import jupytext
    return [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", [])))
            for c in jupytext.read(path).cells]


def test_pairs_are_in_sync():
    """Each .ipynb and its py:percent twin hold the same cells (edit one, then jupytext --sync)."""
    for nb in NOTEBOOKS:
        py = nb.with_suffix(".py")
        assert py.exists(), f"{nb.name} has no py:percent twin"
        assert _cells(nb) == _cells(py), f"{py.name} and {nb.name} differ: run jupytext --sync {nb}"
    assert not set(p.stem for p in (ROOT / "notebooks").glob("*.py")) - {p.stem for p in NOTEBOOKS}


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_clean_and_parameterised(nb):
    cells = json.loads(nb.read_text())["cells"]
    assert not any(c.get("outputs") for c in cells), "commit notebooks without outputs"
    params = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1
    src = "".join(params[0]["source"])
    assert re.search(r"^scale = ", src, re.M), "every chapter takes the scale (book/build.py)"
    # only the parameters the chapter uses; 'scale' may be unused on pages that read records
    rest = "".join("".join(c["source"]) for c in cells if c is not params[0] and c["cell_type"] == "code")
    for name in re.findall(r"^(\w+) = ", src, re.M):
        assert name == "scale" or re.search(rf"\b{name}\b", rest), f"parameter {name} is unused"
    assert cells[0]["cell_type"] == "markdown" and cells[0]["source"][0].startswith("# ")


def test_colab_install_points_at_configured_repository():
    url = re.search(r"url: (\S+)", (ROOT / "_config.yml").read_text()).group(1)
    branch = re.search(r"branch: (\S+)", (ROOT / "_config.yml").read_text()).group(1)
    for nb in NOTEBOOKS:
        src = nb.read_text()
        assert "google.colab" in src
        assert f"git+{url}@{branch}" in src, nb.name


def test_chapter_times_table_reads_each_execution_record(tmp_path):
    import importlib.util
    spec = importlib.util.spec_from_file_location("build", ROOT / "book" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    hw = {"cpu_count": 2, "keras_backend": "tensorflow", "gpus": []}
    for name, seconds in (("01_a", 12.4), ("02_b", 100.0), ("03_c", None)):
        nb = {"cells": [{"cell_type": "markdown", "source": [f"# Chapter {name}\n", "text"]}]}
        (tmp_path / f"{name}.ipynb").write_text(json.dumps(nb))
        if seconds is not None:
            (tmp_path / f"{name}.run.json").write_text(json.dumps(
                {"seconds": seconds, "parameters": {"scale": "quick"}, "hardware": hw,
                 "finished": "2026-01-01 10:00"}))
    table = build.chapter_times(["notebooks/02_b", "notebooks/01_a", "notebooks/03_c"],
                                executed=tmp_path).splitlines()
    assert table[0].startswith(":::{table} ") and table[-1] == ":::"     # a numbered table
    table = table[3:-1]
    assert table[2] == ("| {doc}`Chapter 02_b <../notebooks/02_b>` | 100 | quick | 2 | tensorflow "
                        "| none | 2026-01-01 10:00 |")
    assert table[3].startswith("| {doc}`Chapter 01_a <../notebooks/01_a>` | 12 |")
    assert "not recorded" in table[4] and table[5].startswith("| **all chapters** | **112** |")
    assert build.TIMES_MARKER in (ROOT / "book" / "reproduce.md").read_text()
    assert len(table) == 6                           # one chapter at a time: nothing to add
    run = json.loads((tmp_path / "02_b.run.json").read_text())
    (tmp_path / "02_b.run.json").write_text(json.dumps({**run, "jobs": 2}))
    table = build.chapter_times(["notebooks/02_b", "notebooks/01_a"], executed=tmp_path)
    assert table.splitlines()[-1].startswith("Chapters executed two at a time")


def test_chapters_execute_two_at_a_time_only_at_the_quick_scale(monkeypatch):
    import importlib.util
    spec = importlib.util.spec_from_file_location("build", ROOT / "book" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    monkeypatch.setattr(build.os, "cpu_count", lambda: 2)
    assert build.default_jobs("quick") == 2
    assert build.default_jobs("full") == 1                  # one GPU
    assert build.default_jobs("quick", records="results/x") == 1   # chapters read records
    monkeypatch.setattr(build.os, "cpu_count", lambda: 1)
    assert build.default_jobs("quick") == 1
    # two sequences side by side: the deep-clustering chapters beside those before them,
    # then the chapters that read what the others leave; every chapter once, toc order kept
    toc = build.toc_notebooks()
    first, second, last = build.sequences(toc)
    assert sorted(first + second + last) == sorted(toc)
    assert [n.split("/")[-1] for n in second] == list(build.SIDE)
    assert [n.split("/")[-1] for n in last] == list(build.LAST)
    assert first == [n for n in toc if n in first] and "notebooks/06_kmeans" in first
    with pytest.raises(ValueError, match="jobs=3"):
        build.execute_all(toc, {}, jobs=3)


def test_execution_key_follows_the_records_a_notebook_names(tmp_path, monkeypatch):
    import importlib.util
    spec = importlib.util.spec_from_file_location("build", ROOT / "book" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    (tmp_path / "dimclust").mkdir()
    (tmp_path / "results" / "gpu").mkdir(parents=True)
    monkeypatch.setattr(build, "ROOT", tmp_path)
    reads_gpu, reads_none = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    reads_gpu.write_text('find_records("../results/gpu")')
    reads_none.write_text("no records")
    keys = [build.source_key(nb, {}) for nb in (reads_gpu, reads_none)]
    (tmp_path / "results" / "cpu.json").write_text("{}")           # outside results/gpu
    assert [build.source_key(nb, {}) for nb in (reads_gpu, reads_none)] == keys
    (tmp_path / "results" / "gpu" / "r.json").write_text("{}")
    assert build.source_key(reads_gpu, {}) != keys[0]
    assert build.source_key(reads_none, {}) == keys[1]


def test_the_get_started_page_s_python_runs_as_written():
    """The page a student copies from first: its Python block runs and scores a clustering."""
    page = (ROOT / "book" / "get_started.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", page, flags=re.S)
    assert len(blocks) == 1
    scope = {}
    exec(compile(blocks[0], "get_started.md", "exec"), scope)       # noqa: S102
    scores = scope["dc"].evaluate(scope["y"], scope["labels"])
    assert len(scope["labels"]) == 5000 and all(isinstance(v, float) for v in
                                               (scores["nmi"], scores["acc"]))
    assert scores["nmi"] > 0.4                       # UMAP + k-means finds Fashion's classes
    for command in re.findall(r"python -m dimclust (\w+)", page):
        assert command in ("run", "table", "campaign")


def test_every_diagram_a_theory_page_shows_is_drawn_at_build(tmp_path):
    import importlib.util
    spec = importlib.util.spec_from_file_location("build", ROOT / "book" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    wanted = set()
    for page in (ROOT / "book").glob("*.md"):
        wanted |= set(re.findall(r"```\{figure\} figures/(\S+)", page.read_text()))
    assert wanted and wanted <= set(build.DIAGRAMS)
    build.theory_diagrams(tmp_path)
    for name in wanted:
        png = (tmp_path / name).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_a_chapter_is_given_only_the_parameters_it_declares():
    """``book/build.py --records`` reaches the chapters that write records, and no other."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("build", ROOT / "book" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    writes = ROOT / "notebooks" / "06_kmeans.ipynb"
    reads = ROOT / "notebooks" / "10_results.ipynb"
    params = {"scale": "full", "records": "/tmp/records"}
    assert build.declared_params(writes, params) == params
    assert build.declared_params(reads, params) == {"scale": "full"}
