"""Long-run campaigns: a declared list of jobs, run in priority order, resumable.

A :class:`Job` is one pipeline on one data set with one seed. A campaign (see
:mod:`~dimclust.thesis.jobs` for the declared ones) runs its jobs in priority order;
a job whose seed is already in its run record is skipped, one that was interrupted resumes
from the result store's checkpoints (autoencoders after every epoch, DCEC after every
target update), and one that another process is running (a lock file with a live process
id) is left to it. A job with ``after`` waits for that job of the same data set and seed:
the DCEC variants wait for the run that pretrains their autoencoder, so that a second
process does not train the same network twice. Each job writes its run record the moment
it ends, merged with the seeds already in it; a job that pretrained DCEC's autoencoder
also ships the network beside the records (:mod:`~dimclust.experiments.artifacts`), and
every job that starts from that pretraining puts a shipped network back into a result store
that lacks it.
What a job is lives in :mod:`~dimclust.experiments.job`, its lock in
:mod:`~dimclust.experiments.locks`.

    python -m dimclust campaign thesis --status
    python -m dimclust campaign thesis --out results/cpu --jobs 2
"""
from __future__ import annotations

import fnmatch
import logging
import subprocess
import sys
import time
from pathlib import Path

from .job import SECONDS, Job, estimate_hours, resized
from .locks import acquire, is_alive, lock_path
from .records import find_run, write_record

__all__ = ["Job", "SECONDS", "estimate_hours", "job_state", "status", "status_text", "run_campaign",
           "resized", "select", "worker_command"]

log = logging.getLogger(__name__)


def select(jobs, patterns):
    """The jobs whose names match one of ``patterns`` (shell patterns such as
    ``"dcec-gamma1/*/seed1"``), in their order.

    A job that waits for another (``after``) keeps it in the list, so that the selection
    can run on its own. Raises ``ValueError`` when a pattern matches no job.
    """
    patterns = [p.strip() for p in patterns if p.strip()]
    for p in patterns:
        if not any(fnmatch.fnmatchcase(j.name, p) for j in jobs):
            raise ValueError(f"the pattern {p!r} matches no job; the jobs are named like "
                             f"{jobs[0].name!r} (see --status)")
    chosen = {j.name for j in jobs if any(fnmatch.fnmatchcase(j.name, p) for p in patterns)}
    chosen |= {first.name for j in jobs if j.name in chosen
               if (first := _waits_for(j, jobs)) is not None}
    return [j for j in jobs if j.name in chosen]


def _waits_for(job, jobs):
    """The job of ``jobs`` that ``job`` waits for (its ``after``, same data set and seed),
    or ``None``."""
    if job.after is None:
        return None
    return next((j for j in jobs if (j.key, j.dataset, j.seed) ==
                 (job.after, job.dataset, job.seed)), None)


def _record(job, out):
    """The record under ``out`` that ``job`` writes into, or ``None``."""
    if not Path(out).is_dir():
        return None
    return find_run(out, job.dataset, job.pipeline, job.params, protocol=job.protocol,
                    n_samples=job.size)


def job_state(job, jobs, out):
    """``"done"``, ``"running"`` (another live process holds its lock), ``"waiting"`` (its
    ``after`` job has not finished) or ``"todo"``."""
    rec = _record(job, out)
    if rec is not None and job.seed in rec["seeds"]:
        return "done"
    lock = lock_path(job, out)
    if lock.exists() and is_alive(lock):
        return "running"
    first = _waits_for(job, jobs)
    if first is not None and job_state(first, jobs, out) != "done":
        return "waiting"
    return "todo"


def status(jobs, out):
    """One dict per job in priority order: name, label, state, estimated hours, and the
    seed's measured hours and NMI/ACC once done."""
    rows = []
    for job in sorted(jobs, key=lambda j: j.priority):
        state = job_state(job, jobs, out)
        row = {"job": job.name, "row": job.label, "state": state,
               "estimated hours": round(estimate_hours(job), 2)}
        if state == "done":
            run = next(r for r in _record(job, out)["runs"] if r["seed"] == job.seed)
            row.update({"hours": round(run["timings"]["total"] / 3600, 2),
                        "nmi": round(run["metrics"]["nmi"], 3),
                        "acc": round(run["metrics"]["acc"], 3)})
        rows.append(row)
    return rows


def status_text(jobs, out):
    """:func:`status` as the command line prints it, with the hours left."""
    rows = status(jobs, out)
    lines = [f"{'job':<40} {'state':<8} {'est. h':>6} {'took h':>6} {'NMI':>6} {'ACC':>6}"]
    for r in rows:
        lines.append(f"{r['job']:<40} {r['state']:<8} {r['estimated hours']:>6.2f} "
                     f"{r.get('hours', float('nan')):>6.2f} {r.get('nmi', float('nan')):>6.3f} "
                     f"{r.get('acc', float('nan')):>6.3f}")
    left = sum(r["estimated hours"] for r in rows if r["state"] != "done")
    counts = {s: sum(r["state"] == s for r in rows) for s in ("done", "running", "waiting", "todo")}
    lines.append("")
    lines.append(", ".join(f"{n} {s}" for s, n in counts.items()) +
                 f"; at most {left:.1f} hours left on two CPU cores, one job at a time")
    return "\n".join(lines)


def _run_one(job, out, verbose):
    """Run ``job`` and merge its seed into its record; returns the record's path."""
    from .runner import merge_records, run  # noqa: PLC0415
    if job.pipeline == "dcec" or job.after is not None:
        # DCEC, or a job that starts from DCEC's pretraining (Guo's CAE → UMAP → GMM): the
        # pretraining may have been shipped from another machine
        from .artifacts import adopt_pretrained  # noqa: PLC0415
        adopt_pretrained(job.dataset, job.seed, out, params=job.params.get("dcec"),
                         n_samples=job.n_samples)
    rec = run(job.dataset, job.pipeline, seeds=[job.seed], n_samples=job.n_samples,
              params=job.params or None, protocol=job.protocol, verbose=verbose)
    old = _record(job, out)
    if old is not None:
        rec = merge_records(old, rec)
    rec["label"] = job.label
    path = write_record(rec, out)
    if job.pipeline == "dcec" and job.after is None:      # it pretrained: keep the network
        from .artifacts import ship_pretrained  # noqa: PLC0415
        ship_pretrained(job.dataset, job.seed, out, params=job.params.get("dcec"),
                        n_samples=job.n_samples)
    return path


def run_campaign(jobs, out, *, n_jobs=1, verbose=1, stop_after=None, command=None):
    """Run every job not yet done, in priority order; returns the number that failed.

    Parameters
    ----------
    jobs : list of Job
    out : str or path
        Where run records are written (and looked for: a job in a record is done).
    n_jobs : int, default 1
        Processes working through the list side by side, sharing the result store.
        ``command`` is the command line that starts one more (the CLI passes its own).
    verbose : int, default 1
        Progress bars of the trainings.
    stop_after : float, optional
        Start no new job after this many seconds.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    children = []
    if n_jobs > 1:
        if command is None:
            raise ValueError(f"n_jobs={n_jobs} needs the command that starts a worker")
        children = [subprocess.Popen(command) for _ in range(n_jobs - 1)]
        time.sleep(2)                 # let them take the first jobs' locks
    t0, failed = time.time(), 0
    while True:
        if stop_after is not None and time.time() - t0 > stop_after:
            log.info("campaign: time is up; no new job started")
            break
        states = {j.name: job_state(j, jobs, out) for j in jobs}
        todo = [j for j in sorted(jobs, key=lambda j: j.priority) if states[j.name] == "todo"]
        if not todo:
            if any(s in ("running", "waiting") for s in states.values()):
                time.sleep(30)        # another process will finish what is left
                continue
            break
        job = next((j for j in todo if acquire(j, out)), None)
        if job is None:
            time.sleep(5)
            continue
        try:
            log.info("campaign: %s (%s), at most %.1f h", job.name, job.label,
                     estimate_hours(job))
            t1 = time.time()
            path = _run_one(job, out, verbose)
            log.info("campaign: %s done in %.2f h; record %s", job.name,
                     (time.time() - t1) / 3600, path.name)
        except (ValueError, OSError, RuntimeError) as e:
            failed += 1
            log.error("campaign: %s failed: %s", job.name, e)
            jobs = [j for j in jobs if j is not job]
        finally:
            lock_path(job, out).unlink(missing_ok=True)
    for c in children:
        failed += c.wait() != 0
    return failed


def worker_command(name, out, verbose, only=None):
    """The command line of one more worker of campaign ``name`` (``--jobs``), with the same
    ``--only`` selection."""
    return [sys.executable, "-m", "dimclust", *(["-" + "v" * verbose] if verbose else []),
            "campaign", name, "--out", str(out), "--jobs", "1",
            *(["--only", only] if only else [])]
