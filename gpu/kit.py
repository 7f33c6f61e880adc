"""The GPU kit: everything one short loan of a GPU machine needs, and the run it makes there.

    python gpu/kit.py build                       # here: wheels + data into .kit/, size check
    bash gpu/run.sh smoke|full                    # there: install, run, pack results
    python gpu/kit.py run --scale tiny --out DIR  # here: rehearse the same run on a CPU
    python gpu/kit.py unpack DIR                  # here: the records into results/gpu/

The GPU machine has Python 3.12 with JAX (CUDA), NumPy, SciPy, scikit-learn, pandas and
numba, but no Keras, umap-learn or network; ``build`` downloads the missing wheels for
that Python and copies the Fashion-MNIST and MNIST IDX files, so the working tree plus
``.kit/`` travels in one piece (64 MiB at most). ``run`` executes the jobs below as
concurrent processes on the one GPU, each seed its own process, all sharing one result
store (so DCEC's pretrained autoencoder is trained once per data set and seed and reused
by its variants and by the CAE → UMAP → GMM pipeline). It writes the run records, one
log and the per-stage timings into a single archive, because only a few files come back.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KIT = ROOT / ".kit"
LIMIT = 64 * 2**20

#: What the GPU machine lacks, as cp312 wheels (name==version; pure-Python ones too).
WHEELS = ["keras==3.15.1", "namex==0.1.0", "optree==0.20.0", "umap-learn==0.5.12",
          "pynndescent==0.7.0"]
PLATFORMS = ["manylinux_2_28_x86_64", "manylinux_2_27_x86_64", "manylinux_2_17_x86_64",
             "manylinux2014_x86_64", "manylinux1_x86_64"]
DATA = {"fashion-mnist": [Path("/usr/share/datasets/fashion-mnist")],
        "mnist": [Path(os.environ.get("DIMCLUST_DATA", ROOT.parent / "shared" / "data")) / "mnist",
                  Path.home() / ".keras" / "datasets" / "mnist"]}
IDX = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
       "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")

#: Run sizes below the campaign's own (``full``): n_samples, CAE/pretraining epochs, N2D's
#: autoencoder epochs, DCEC iterations and update interval; and seeds, data sets,
#: processes side by side and the time budget in seconds.
SCALES = {
    "tiny": dict(n_samples=1000, epochs=2, n2d_epochs=2, maxiter=60, update_interval=20,
                 seeds=2, datasets=("mnist",), processes=2, budget=1500),
    "smoke": dict(n_samples=10000, epochs=3, n2d_epochs=3, maxiter=280, update_interval=140,
                  seeds=1, datasets=("fashion", "mnist"), processes=8, budget=150),
    "full": dict(n_samples=None, seeds=3, datasets=("mnist-test", "fashion", "mnist"),
                 processes=6, budget=520),
}


def jobs(scale):
    """The campaigns ``thesis`` (:mod:`dimclust.thesis.jobs`: table 13.1's neural rows,
    then ours) and, after it, ``beyond`` (the last chapter's contrastive candidate), on the
    scale's data sets and seeds, their trainings shortened below ``full``, and more batches
    per compiled call (the result is the same, a GPU is faster)."""
    import dataclasses  # noqa: PLC0415

    from dimclust.experiments import campaign  # noqa: PLC0415
    from dimclust.thesis.jobs import beyond_jobs, thesis_jobs  # noqa: PLC0415
    s = SCALES[scale]
    sizes = {} if scale == "full" else dict(
        epochs=s["epochs"], n2d_epochs=s["n2d_epochs"], maxiter=s["maxiter"],
        update_interval=s["update_interval"], n_samples=s["n_samples"])
    speed = {"dcec": {"steps_per_execution": 28}, "cae": {"steps_per_execution": 8},
             "tcae": {"steps_per_execution": 8}, "dae": {"steps_per_execution": 8}}
    todo = thesis_jobs(seeds=range(s["seeds"]), datasets=s["datasets"])
    after = max(j.priority for j in todo) + 1
    todo += [dataclasses.replace(j, priority=after + j.priority)
             for j in beyond_jobs(seeds=range(s["seeds"]), datasets=s["datasets"])]
    return [campaign.resized(j, **sizes, extra=speed) for j in todo]


# -- here: build the kit --------------------------------------------------------------
def build():
    if KIT.exists():
        shutil.rmtree(KIT)
    (KIT / "wheels").mkdir(parents=True)
    cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
           "--python-version", "3.12", "--implementation", "cp", "-d", str(KIT / "wheels")]
    for p in PLATFORMS:
        cmd += ["--platform", p]
    subprocess.run(cmd + WHEELS, check=True)
    for folder, candidates in DATA.items():
        src = next((c for c in candidates if all((c / f).exists() for f in IDX)), None)
        if src is None:
            sys.exit(f"kit: {folder} IDX files not found in {[str(c) for c in candidates]}; "
                     "install dataset-fashion-mnist / set DIMCLUST_DATA")
        (KIT / "data" / folder).mkdir(parents=True)
        for f in IDX:
            shutil.copy2(src / f, KIT / "data" / folder / f)
    tree = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout.split()
    size_tree = sum((ROOT / f).stat().st_size for f in tree if (ROOT / f).is_file())
    size_kit = sum(p.stat().st_size for p in KIT.rglob("*") if p.is_file())
    print(f"kit: {len(list((KIT / 'wheels').iterdir()))} wheels, data "
          f"{', '.join(DATA)}; kit {size_kit / 2**20:.1f} MiB + tree {size_tree / 2**20:.1f} "
          f"MiB = {(size_kit + size_tree) / 2**20:.1f} MiB of {LIMIT / 2**20:.0f}")
    if size_kit + size_tree > LIMIT:
        sys.exit("kit: too large to travel")


# -- there (or here, rehearsing): run -------------------------------------------------
CHILD = """
import json, sys, time
from dimclust import experiments
dataset, pipeline, params, protocol, seed, n = json.loads(sys.argv[1])
t0 = time.time()
rec = experiments.run(dataset, pipeline, seeds=[seed], n_samples=n, params=params,
                      protocol=protocol)
print(json.dumps({"seconds": time.time() - t0, "timings": rec["runs"][0]["timings"]}))
"""


def run(scale, out):
    """Every job × data set × seed, ``processes`` at a time, then one record per row."""
    from dimclust import experiments  # noqa: PLC0415
    s, out = SCALES[scale], Path(out)
    records = out / "records"
    records.mkdir(parents=True, exist_ok=True)
    log = open(out / "log.txt", "a")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")   # several processes, one GPU

    deadline = time.time() + s["budget"]      # then stop, and pack what is done

    def one(job):
        label, ds, pipeline, params, protocol, seed = (job.label, job.dataset, job.pipeline,
                                                       job.params, job.protocol, job.seed)
        t0 = time.time()
        if deadline - t0 < 10:
            log.write(f"\n### {label} · {ds} · seed {seed}: skipped, out of time\n")
            return "skipped"
        try:
            r = subprocess.run([sys.executable, "-c", CHILD,
                                json.dumps([ds, pipeline, params, protocol, seed,
                                            job.n_samples])],
                               capture_output=True, text=True, env=env,
                               timeout=deadline - t0)
            code, err, out_ = r.returncode, r.stderr, r.stdout
        except subprocess.TimeoutExpired as e:
            code, err, out_ = "timeout", str(e.stderr or ""), str(e.stdout or "")
        log.write(f"\n### {label} · {ds} · seed {seed}: exit {code}, "
                  f"{time.time() - t0:.1f} s\n{err[-4000:]}\n{out_[-2000:]}\n")
        log.flush()
        return code

    # Pretraining first (the DCEC start, one process per data set and seed), so the
    # variants that reuse it find it in the store; then everything else.
    todo = sorted(jobs(scale), key=lambda j: j.priority)
    first = [j for j in todo if j.after is None]
    rest = [j for j in todo if j.after is not None]
    t0 = time.time()
    with ThreadPoolExecutor(s["processes"]) as pool:
        codes = list(pool.map(one, first)) + list(pool.map(one, rest))
    summary = {"scale": scale, "wall_seconds": time.time() - t0,
               "failed": sum(c != 0 for c in codes), "rows": []}
    rows = {}
    for j in todo:                        # one record per row and data set, of its seeds
        rows.setdefault((j.key, j.dataset), []).append(j)
    for (_, ds), seeds in rows.items():
        j = seeds[0]
        label, pipeline, params, protocol = j.label, j.pipeline, j.params, j.protocol
        done = [x.seed for x in seeds if experiments.is_cached(
            ds, pipeline, x.seed, n_samples=j.n_samples, params=params, protocol=protocol)]
        if not done:
            summary["rows"].append({"row": label, "dataset": ds, "error": "no seed finished"})
            continue
        # every seed listed is in the store: this gathers them, it computes nothing
        rec = experiments.run(ds, pipeline, seeds=done, n_samples=j.n_samples,
                              params=params, protocol=protocol)
        rec["label"] = label
        path = experiments.write_record(rec, records)
        summary["rows"].append({"row": label, "dataset": ds, "record": path.name,
                                **{m: rec["mean"][m] for m in ("nmi", "ari", "acc")},
                                "time_mean": rec["time_mean"]})
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    with tarfile.open(out / "records.tar.gz", "w:gz") as tar:
        tar.add(records, arcname="records")
    shutil.rmtree(records)
    log.close()
    print(json.dumps(summary, indent=1))
    return 1 if summary["failed"] else 0


def unpack(folder, dest=ROOT / "results" / "gpu"):
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(Path(folder) / "records.tar.gz") as tar:
        for m in tar.getmembers():
            if m.isfile():
                m.name = Path(m.name).name
                tar.extract(m, dest, filter="data")
    shutil.copy2(Path(folder) / "summary.json", dest / "summary.json")
    print(f"records in {dest}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    sub.add_parser("build")
    r = sub.add_parser("run")
    r.add_argument("--scale", choices=sorted(SCALES), default="tiny")
    r.add_argument("--out", required=True)
    u = sub.add_parser("unpack")
    u.add_argument("folder")
    args = ap.parse_args(argv)
    if args.command == "build":
        return build()
    if args.command == "run":
        return run(args.scale, args.out)
    return unpack(args.folder)


if __name__ == "__main__":
    sys.exit(main())
