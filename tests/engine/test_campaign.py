"""The long-run campaign: declared jobs, records merged seed by seed, locks, resume."""
import json
import os
import socket
import subprocess
import sys

import numpy as np
import pytest

from dimclust.experiments import campaign, read_record
from dimclust.experiments.campaign import Job
from dimclust.experiments.runner import merge_records, run, select_seeds


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("DIMCLUST_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _tiny(seeds=(0, 1)):
    return [Job("pca", "PCA 2 + k-means", "digits", "pca2+kmeans", {}, s, 2 * s)
            for s in seeds] + \
           [Job("pca-gmm", "PCA 2 + GMM", "digits", "pca2+gmm", {}, s, 2 * s + 1, after="pca")
            for s in seeds]


def test_a_campaign_runs_each_job_once_and_merges_its_seeds(tmp_path, store):
    out = tmp_path / "records"
    todo = _tiny()
    assert [r["state"] for r in campaign.status(todo, out)] == ["todo", "waiting", "todo",
                                                                 "waiting"]
    assert campaign.run_campaign(todo, out, verbose=0) == 0
    assert {r["state"] for r in campaign.status(todo, out)} == {"done"}
    recs = sorted(out.glob("*.json"))
    assert len(recs) == 2                               # one record per row, seeds merged
    rec = read_record(recs[0])
    assert rec["seeds"] == [0, 1] and rec["label"].startswith("PCA 2")
    assert rec["agreement"] is not None                 # the seeds' labels travelled along
    # the record equals one made of both seeds at once
    both = run("digits", rec["pipeline"], seeds=[0, 1])
    assert rec["mean"] == pytest.approx(both["mean"])
    assert rec["agreement"] == pytest.approx(both["agreement"])
    # finished jobs are skipped: a second run computes nothing and rewrites nothing
    stamp = recs[0].stat().st_mtime_ns
    assert campaign.run_campaign(todo, out, verbose=0) == 0
    assert recs[0].stat().st_mtime_ns == stamp


def test_only_selects_jobs_by_pattern_and_keeps_what_they_wait_for():
    todo = _tiny()
    names = [j.name for j in campaign.select(todo, ["pca-gmm/*/seed1"])]
    # the GMM row waits for the k-means row of its seed, which comes along; seed 0 does not
    assert names == [j.name for j in todo if j.seed == 1]
    assert len(campaign.select(todo, ["pca/*/seed0", " pca/*/seed1"])) == 2
    with pytest.raises(ValueError, match="'nope' matches no job"):
        campaign.select(todo, ["nope"])
    assert "--only" in campaign.worker_command("thesis", "out", 1, only="pca/*")


def test_a_job_held_by_a_live_process_is_left_to_it(tmp_path, store):
    out = tmp_path / "records"
    job = _tiny(seeds=(0,))[0]
    lock = campaign.lock_path(job, out)
    lock.parent.mkdir(parents=True)
    lock.write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname()}))
    assert campaign.job_state(job, [job], out) == "running"
    assert not campaign.acquire(job, out)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock.write_text(json.dumps({"pid": dead.pid, "host": socket.gethostname()}))
    assert campaign.job_state(job, [job], out) == "todo"      # a killed run's lock is stale
    assert campaign.acquire(job, out)


def test_merge_refuses_records_of_other_runs(store):
    a = run("digits", "pca2+kmeans", seeds=[0])
    b = run("digits", "pca2+gmm", seeds=[1])
    with pytest.raises(ValueError, match="different runs.*pipeline"):
        merge_records(a, b)
    c = run("digits", "pca2+kmeans", seeds=[1])
    merged = merge_records(a, c)
    assert merged["seeds"] == [0, 1]
    assert [r["commit"] for r in merged["runs"]] == [a["commit"], c["commit"]]


def test_select_seeds_summarises_the_chosen_seeds_again(store):
    rec = run("digits", "pca2+kmeans", seeds=[0, 1, 2])
    one = select_seeds(rec, [1])
    assert one["seeds"] == [1] and one["mean"]["nmi"] == rec["runs"][1]["metrics"]["nmi"]
    assert one["sd"]["nmi"] == 0.0 and one["agreement"] is None
    assert (one["samples"]["seed1_labels"] == rec["samples"]["seed1_labels"]).all()
    assert set(one["samples"]) == {"seed1_labels"}
    two = select_seeds(rec, [0, 2])
    assert two["mean"]["acc"] == pytest.approx(np.mean([rec["runs"][i]["metrics"]["acc"]
                                                        for i in (0, 2)]))
    assert two["agreement"] is not None and two["pipeline"] == rec["pipeline"]
    with pytest.raises(ValueError, match=r"seeds \[7\] are not among the record's \[0, 1, 2\]"):
        select_seeds(rec, [1, 7])


def test_np_labels_are_kept_in_a_records_samples(store):
    rec = run("digits", "pca2+kmeans", seeds=[0, 1])
    assert rec["samples"]["seed1_labels"].shape == (1797,)
    assert np.issubdtype(rec["samples"]["seed1_labels"].dtype, np.integer)


def test_sigterm_stops_a_training_cleanly_and_the_same_command_resumes(tmp_path):
    import time

    import dimclust as dc
    # 28x28 images from the command line: MNIST's test images, or Fashion-MNIST (which
    # `make data` installs) where MNIST is not here
    dataset = next((d for d in ("mnist-test", "fashion") if dc.datasets.available(d)), None)
    if dataset is None:
        pytest.skip("neither MNIST nor Fashion-MNIST is here")
    env = {**os.environ, "DIMCLUST_CACHE": str(tmp_path / "cache"), "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "dimclust", "-v", "run", "--dataset", dataset,
           "--n-samples", "500", "--pipeline", "cae10+kmeans", "--seeds", "1",
           "--params", '{"cae": {"epochs": 12, "batch_size": 64, "patience": null}}',
           "--out", str(tmp_path / "records")]
    child = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    deadline = time.time() + 600
    while time.time() < deadline and not list((tmp_path / "cache").glob("cae-checkpoint-*")):
        assert child.poll() is None, child.communicate()
        time.sleep(0.1)
    child.terminate()                                          # SIGTERM
    _, err = child.communicate(timeout=120)
    assert child.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert list((tmp_path / "cache").glob("cae-checkpoint-*"))  # the last epoch is kept
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert "resuming after epoch" in again.stderr
    assert not list((tmp_path / "cache").glob("cae-checkpoint-*"))


def test_best_run_prefers_the_data_set_then_the_most_images(tmp_path, store):
    from dimclust.experiments import best_run, describe_run, write_record
    out = tmp_path / "records"
    for n in (300, 1000):
        write_record(run("digits", "pca2+kmeans", seeds=[0], n_samples=n), out)
    best = best_run(out, "pca2+kmeans", dataset="fashion")          # no Fashion record
    assert best["n_samples"] == 1000
    assert best_run(out, "pca2+kmeans", {"kmeans": {"n_init": 3}}) is None
    assert best_run(out, "pca2+gmm") is None
    text = describe_run(best)
    assert text.startswith("1,000 images of digits, 1 seed, on ") and " h a seed" in text


def test_a_shipped_autoencoder_loads_back(tmp_path, digit_images):
    from dimclust import ConvAutoencoder
    from dimclust.experiments import load_pretrained
    from dimclust.experiments.artifacts import pretrained_name
    X = digit_images[0][:256]
    cae = ConvAutoencoder("guo", 10, epochs=1, patience=None, random_state=0, verbose=0).fit(X)
    name = pretrained_name("mnist-test", 3)
    assert name == "mnist-test-guo-cae10-e200-seed3.npz"
    (tmp_path / "cpu" / "pretrained").mkdir(parents=True)
    cae.save(tmp_path / "cpu" / "pretrained" / name)
    back = load_pretrained(tmp_path, "mnist-test", seed=3)
    np.testing.assert_allclose(back.transform(X), cae.transform(X), rtol=1e-5, atol=1e-6)
    assert load_pretrained(tmp_path, "mnist-test", seed=4) is None
    assert load_pretrained(tmp_path / "nowhere", "fashion") is None


def test_a_shipped_pretraining_is_adopted_by_a_store_that_lacks_it(tmp_path, store):
    """A campaign moved to another machine: the network shipped beside the records stands
    in for the pretraining the new store lacks, under the very key DCEC looks it up by."""
    from dimclust.experiments.artifacts import adopt_pretrained, ship_pretrained
    from dimclust.store import Store
    params = {"pretrain_epochs": 1, "batch_size": 64}
    first, second = Store(tmp_path / "first"), Store(tmp_path / "second")
    out = tmp_path / "records"
    assert ship_pretrained("digits", 2, out, params=params, n_samples=200, store=first) is None
    X = __import__("dimclust").datasets.load("digits", n_samples=200, random_state=0)[0]
    from dimclust import DCEC
    trained = DCEC(**params, memory=first, verbose=0).make_autoencoder(2).fit(X)
    path = ship_pretrained("digits", 2, out, params=params, n_samples=200, store=first)
    assert path.name == "digits-guo-cae10-e1-seed2.npz"
    assert adopt_pretrained("digits", 2, out, params=params, n_samples=200, store=second)
    assert not adopt_pretrained("digits", 2, out, params=params, n_samples=200, store=second)
    assert not adopt_pretrained("digits", 3, out, params=params, n_samples=200, store=second)
    entries = sorted(p.name for p in (tmp_path / "second").glob("cae-*"))
    assert entries == sorted(p.name for p in (tmp_path / "first").glob("cae-*"))
    again = DCEC(**params, memory=second, verbose=0).make_autoencoder(2).fit(X)
    assert again.history_ == trained.history_        # read back, not trained again
    np.testing.assert_allclose(again.transform(X), trained.transform(X), rtol=1e-5, atol=1e-6)
    # a shipped file of other settings under the same name is refused, not used
    with pytest.raises(ValueError, match="learning_rate"):
        adopt_pretrained("digits", 2, out, params={**params, "learning_rate": 1e-2},
                         n_samples=200, store=Store(tmp_path / "third"))


def test_every_job_that_starts_from_a_pretraining_adopts_a_shipped_one(tmp_path, store,
                                                                       monkeypatch):
    """On a new machine the jobs that reuse DCEC's pretraining (``after``), DCEC's variants
    and Guo's CAE → UMAP → GMM alike, first put the shipped network into the store; a job
    that pretrains nothing of DCEC's does not."""
    from dimclust.experiments import artifacts
    asked = []
    monkeypatch.setattr(artifacts, "adopt_pretrained",
                        lambda dataset, seed, out, **kw: asked.append((dataset, seed)))
    first, then = _tiny(seeds=(1,))
    assert campaign.run_campaign([first, then], tmp_path / "records", verbose=0) == 0
    assert asked == [("digits", 1)]                     # the job with ``after`` only
