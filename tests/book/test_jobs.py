"""The declared campaigns: 'thesis' (table 13.1's neural rows at published settings) and
'beyond' (the last chapter's contrastive candidate)."""
import subprocess
import sys

import pytest

from dimclust.experiments import campaign
from dimclust.thesis import jobs


def test_the_thesis_campaign_is_table_13_1_at_published_settings():
    todo = jobs.thesis_jobs()
    first = sorted(todo, key=lambda j: j.priority)[:3]
    assert [(j.key, j.dataset, j.seed) for j in first] == [
        ("dcec-start", "mnist-test", 0), ("dcec", "mnist-test", 0),
        ("dcec-gamma1", "mnist-test", 0)]
    seed0 = [j for j in sorted(todo, key=lambda j: j.priority) if j.seed == 0][3:11]
    assert {j.dataset for j in seed0} == {"fashion", "mnist"}
    assert {j.key for j in seed0} == {"dcec-start", "tcae10+kmeans-all", "dcec-gamma1", "dcec"}
    by_key = {j.key: j for j in todo}
    assert by_key["dcec-start"].params == {"dcec": {"maxiter": 0}}
    assert by_key["dcec-gamma1"].params == {"dcec": {"gamma": 1.0}}
    assert by_key["dcec-gamma1"].after == "dcec-start"
    # every job of a row on one data set and seed appears once; seeds 0, 1, 2
    names = [j.name for j in todo]
    assert len(names) == len(set(names))
    assert {j.seed for j in todo} == {0, 1, 2}
    # DCEC's defaults are the published settings the campaign relies on
    from dimclust import DCEC
    d = DCEC().get_params()
    assert (d["pretrain_epochs"], d["batch_size"], d["update_interval"], d["tol"],
            d["maxiter"], d["gamma"]) == (200, 256, 140, 0.001, 20000, 0.1)


def test_estimates_count_a_reused_pretraining_once():
    todo = {(j.key, j.dataset): j for j in jobs.thesis_jobs(seeds=(0,))}
    start, gamma = todo["dcec-start", "fashion"], todo["dcec-gamma1", "fashion"]
    assert campaign.estimate_hours(start) == pytest.approx(
        200 * campaign.SECONDS["cae"] * 7 / 3600)
    assert campaign.estimate_hours(gamma) == pytest.approx(
        20000 * campaign.SECONDS["dcec_iteration"] / 3600)


def test_resized_shortens_trainings_only():
    job = next(j for j in jobs.thesis_jobs(seeds=(0,)) if j.key == "dcec-gamma1")
    small = campaign.resized(job, epochs=3, maxiter=280, update_interval=140, n_samples=1000,
                             extra={"dcec": {"steps_per_execution": 28}})
    assert small.params == {"dcec": {"gamma": 1.0, "pretrain_epochs": 3, "maxiter": 280,
                                     "update_interval": 140, "steps_per_execution": 28}}
    assert small.n_samples == 1000 and job.n_samples is None
    start = next(j for j in jobs.thesis_jobs(seeds=(0,)) if j.key == "dcec-start")
    assert campaign.resized(start, maxiter=280).params["dcec"]["maxiter"] == 0


def test_the_cli_status_lists_every_job_with_hours(tmp_path):
    r = subprocess.run([sys.executable, "-m", "dimclust", "campaign", "thesis", "--status",
                        "--out", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[1].startswith("dcec-start/mnist-test/seed0") and "todo" in lines[1]
    assert len([x for x in lines if "/seed" in x]) == len(jobs.thesis_jobs())
    assert "hours left" in lines[-1]
    bad = subprocess.run([sys.executable, "-m", "dimclust", "campaign", "nope", "--status"],
                         capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "unknown campaign 'nope'" in bad.stderr
    assert "Traceback" not in bad.stderr




def test_the_beyond_campaign_is_the_contrastive_candidate_five_seeds_each():
    everything = jobs.beyond_jobs()
    todo = [j for j in everything if j.key == "simclr-umap-gmm"]
    assert [(j.dataset, j.seed) for j in todo] == [
        (ds, s) for ds in ("mnist-test", "fashion", "mnist") for s in range(5)]
    assert sorted(j.priority for j in todo) == list(range(0, 45, 3))
    # each run's ablation comes next, on its encoder: no training of its own
    ablation = [j for j in everything if j.after is not None]
    assert len(ablation) == 30 and {j.after for j in ablation} == {"simclr-umap-gmm"}
    # last, Fashion-MNIST's first seed trained again without each of its five views in turn
    views = [j for j in everything if j.key.startswith("simclr-no-")]
    assert len(everything) == 45 + len(views)
    assert [(j.key, j.dataset, j.seed) for j in views] == [
        (f"simclr-no-{v}", "fashion", 0) for v in ("crop", "shift", "flip", "erase", "contrast")]
    assert min(j.priority for j in views) > max(j.priority for j in everything if j not in views)
    assert views[2].params["simclr"] == {"epochs": 30,
                                         "augmentations": ["crop", "shift", "erase", "contrast"]}
    # no Fashion-MNIST, no views left out
    assert jobs.beyond_jobs(datasets=("mnist",)) == jobs.beyond_jobs(datasets=("mnist",), views_on=())
    assert {j.pipeline for j in ablation} == {"simclr128+umap10+kmeans", "simclr128+gmm"}
    first = next(j for j in ablation if j.pipeline == "simclr128+gmm")
    assert (first.dataset, first.seed, first.priority) == ("mnist-test", 0, 2)
    assert first.params["simclr"] == todo[0].params["simclr"]
    assert campaign.estimate_hours(first) == 0.0
    fashion = next(j for j in todo if j.dataset == "fashion")
    assert fashion.pipeline == "simclr128+umap10+gmm"
    assert "flip" in fashion.params["simclr"]["augmentations"]
    assert next(j for j in todo if j.dataset == "mnist").params["simclr"] == {"epochs": 30}
    dev = next(j for j in todo if j.dataset == "mnist-test")           # as many updates
    assert dev.params["simclr"] == {"epochs": 206}
    assert campaign.estimate_hours(dev) == pytest.approx(
        (206 * campaign.SECONDS["simclr"] + campaign.SECONDS["umap_per_10k"]) / 3600)
    assert campaign.estimate_hours(fashion) == pytest.approx(
        (30 * campaign.SECONDS["simclr"] + campaign.SECONDS["umap_per_10k"]) * 7 / 3600)
