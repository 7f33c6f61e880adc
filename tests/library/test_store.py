import functools
import os
import signal
import subprocess
import sys

import numpy as np
import pytest

from dimclust import store
from dimclust.store import Store, as_store, digest, read_npz, write_npz


def test_digest_distinguishes_values_shapes_and_order():
    a = np.arange(6, dtype=np.float32)
    assert digest(a) == digest(a.copy())
    assert digest(a) != digest(a.reshape(2, 3))              # same bytes, other shape
    assert digest(a) != digest(a.astype(np.float64))         # other dtype
    assert digest("x", 1) != digest(1, "x")                  # order matters
    assert digest({"a": 1, "b": 2}) == digest({"b": 2, "a": 1})
    assert digest("ab", "c") != digest("a", "bc")            # parts do not run together


def test_npz_round_trip(tmp_path):
    path = write_npz(tmp_path / "x.npz", {"k": [1, 2], "s": "t"}, {"A": np.eye(3)})
    meta, arrays = read_npz(path)
    assert meta == {"k": [1, 2], "s": "t"}
    np.testing.assert_array_equal(arrays["A"], np.eye(3))
    assert [p.name for p in tmp_path.iterdir()] == ["x.npz"]     # no temporary left


def test_cached_computes_once_and_keys_include_versions(tmp_path, monkeypatch):
    s = Store(tmp_path)
    calls = []

    def compute():
        calls.append(1)
        return {"labels": np.arange(4), "score": 0.5}

    first = s.cached("seed", ["mnist", 3], compute)
    again = s.cached("seed", ["mnist", 3], compute)
    assert len(calls) == 1 and again["score"] == 0.5
    np.testing.assert_array_equal(again["labels"], first["labels"])
    assert s.contains("seed", ["mnist", 3]) and not s.contains("seed", ["mnist", 4])
    # a new package version is a new key
    monkeypatch.setattr(store, "versions", lambda: {"numpy": "0.0"})
    s.cached("seed", ["mnist", 3], compute)
    assert len(calls) == 2


def test_custom_dump_and_load(tmp_path):
    s = Store(tmp_path)
    out = s.cached("pair", [1], lambda: (2, 3), dump=lambda v: ({"v": list(v)}, {}),
                   load=lambda meta, arrays: tuple(meta["v"]))
    assert out == (2, 3) and s.cached("pair", [1], lambda: None,
                                      dump=lambda v: ({}, {}),
                                      load=lambda meta, arrays: tuple(meta["v"])) == (2, 3)


def test_as_store(tmp_path):
    assert as_store(None) is None
    s = Store(tmp_path)
    assert as_store(s) is s and as_store(str(tmp_path)).root == tmp_path
    with pytest.raises(TypeError, match="memory=3"):
        as_store(3)


KILLED_WRITER = """
import sys, numpy as np
from dimclust.store import write_npz
big = np.ones(20_000_000)
write_npz(sys.argv[1], {"v": 1}, {"a": np.zeros(3)})
print("first", flush=True)
while True:
    write_npz(sys.argv[1], {"v": 2}, {"a": big})
"""


def test_a_killed_write_leaves_the_old_file_whole(tmp_path):
    path = tmp_path / "x.npz"
    child = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(path)],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "first"
    child.send_signal(signal.SIGKILL)
    child.wait()
    meta, arrays = read_npz(path)               # readable: the old file or the new, whole
    assert meta["v"] in (1, 2) and len(arrays["a"]) in (3, 20_000_000)
    assert os.path.getsize(path) > 0


@pytest.mark.parametrize("damage", ["truncated", "empty", "garbage", "bad metadata",
                                    "missing array"])
def test_an_unreadable_entry_is_a_miss_recomputed_to_the_same_value(tmp_path, damage):
    import zipfile

    import numpy as np

    from dimclust.store import Store
    s = Store(tmp_path)
    value = {"x": np.arange(5.0), "n": 5}
    first = s.cached("thing", [1], lambda: value)
    path = next(tmp_path.glob("thing-*.npz"))
    good = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "garbage":
        path.write_bytes(b"\x80\x04not a zip at all" * 10)
    elif damage == "bad metadata":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("__meta__.npy", b"\x93NUMPY garbage")
    else:                          # a valid entry whose loader fails
        s.put("thing", s.key("thing", 1), {"n": 5}, {})
    calls = []

    def compute():
        calls.append(1)
        return value

    again = s.cached("thing", [1], compute,
                     load=(lambda m, a: {**m, "x": a["x"]}) if damage == "missing array" else None)
    assert calls == [1]
    np.testing.assert_array_equal(again["x"], first["x"])
    assert s.cached("thing", [1], lambda: 1 / 0)["n"] == 5     # replaced: read back now


def _copy_package(tmp_path):
    import shutil

    from dimclust._code import PACKAGE
    dest = tmp_path / "src" / "dimclust"
    shutil.copytree(PACKAGE, dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def _edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_the_code_digest_follows_what_the_code_does_not_its_comments(tmp_path):
    from dimclust._code import code_digest
    pkg = _copy_package(tmp_path)
    before = {k: code_digest(k, pkg) for k in ("seed", "cae", "reduced", "dcec")}
    assert before == {k: code_digest(k) for k in before}      # a copy digests the same
    _edit(pkg / "metrics.py", "def cluster_accuracy(y_true, y_pred):\n",
          "def cluster_accuracy(y_true, y_pred):  # a comment\n")
    _edit(pkg / "metrics.py", '"""', '"""Docstrings may change. ')
    assert {k: code_digest(k, pkg) for k in before} == before
    _edit(pkg / "metrics.py", "table[rows, cols].sum()", "table[rows, cols].sum() * 0")
    after = {k: code_digest(k, pkg) for k in before}
    assert after["seed"] != before["seed"]                    # scores are recomputed ...
    assert after["cae"] == before["cae"]                      # ... trained networks kept
    _edit(pkg / "architectures.py", "negative_slope=0.2", "negative_slope=0.3")
    changed = {k: code_digest(k, pkg) for k in before}
    assert all(changed[k] != after[k] for k in ("cae", "reduced", "dcec"))
    # the book's layer reads results and computes none: a change to it keeps them all
    _edit(pkg / "thesis" / "results.py", "WHOLE = 0.9", "WHOLE = 0.8")
    assert {k: code_digest(k, pkg) for k in before} == changed
    _edit(pkg / "experiments" / "runner.py", "pipeline, *, seeds=3", "pipeline, *, seeds=4")
    assert code_digest("seed", pkg) != changed["seed"]         # the engine's change counts


def test_a_running_process_keys_by_the_code_it_imported(tmp_path, monkeypatch):
    """An edit to the package's files while a process runs (a campaign of hours beside a
    working checkout) does not change that process's keys: it still runs the old code."""
    from dimclust import _code
    pkg = _copy_package(tmp_path)
    monkeypatch.setattr(_code, "PACKAGE", pkg.resolve())  # the copy as the running package
    monkeypatch.setattr(_code, "_running_digest", functools.cache(_code._running_digest.__wrapped__))
    before = _code.code_digest("cae", pkg)
    _edit(pkg / "architectures.py", "negative_slope=0.2", "negative_slope=0.3")
    assert _code.code_digest("cae", pkg) == before
    monkeypatch.setattr(_code, "PACKAGE", tmp_path / "elsewhere")   # not imported: read again
    assert _code.code_digest("cae", pkg) != before


def test_a_changed_function_body_is_not_served_from_the_store(tmp_path):
    """The same command on the same store after a one-line change to the accuracy
    function prints the new accuracy, not the stored one."""
    import json
    pkg = _copy_package(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(pkg.parent), "DIMCLUST_CACHE": str(tmp_path / "c")}
    cmd = [sys.executable, "-m", "dimclust", "run", "--dataset", "digits", "--pipeline",
           "pca2+kmeans", "--n-samples", "300", "--out", str(tmp_path / "rec"), "--json"]

    def acc():
        r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600,
                           cwd=tmp_path)             # not beside the original package
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)["mean"]["acc"]

    first = acc()
    assert 0.3 < first < 1 and acc() == first
    _edit(pkg / "metrics.py", "table[rows, cols].sum()", "table[rows, cols].sum() * 0")
    assert acc() == 0.0
