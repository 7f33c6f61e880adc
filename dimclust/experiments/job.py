"""A job of a long-run campaign (:mod:`~dimclust.experiments.campaign`): one pipeline on
one data set with one seed, how long it takes on two CPU cores, and a shortened copy of it
for a rehearsal."""
from __future__ import annotations

import dataclasses

from .. import datasets

__all__ = ["Job", "SECONDS", "estimate_hours", "resized"]


@dataclasses.dataclass(frozen=True)
class Job:
    """One run of a campaign: ``pipeline`` with ``params`` on ``dataset``, seed ``seed``.

    Parameters
    ----------
    key : str
        The row's short name, shared by its seeds and data sets (e.g. ``"dcec-gamma1"``).
    label : str
        The row's name for a reader; it is written into the record.
    dataset, pipeline : str
    params : dict
        Per-part parameters, only those that differ from the published defaults.
    seed : int
    priority : int
        Lower runs first.
    protocol : {None, "train-test"}
    after : str, optional
        The key of the job (same data set and seed) that must have finished first.
    n_samples : int, optional
        A subset of the data set (``None``: every image).
    """

    key: str
    label: str
    dataset: str
    pipeline: str
    params: dict
    seed: int
    priority: int
    protocol: str | None = None
    after: str | None = None
    n_samples: int | None = None

    @property
    def name(self):
        """``<key>/<dataset>/seed<N>``: what the lock file and the status table call it."""
        return f"{self.key}/{self.dataset}/seed{self.seed}"

    @property
    def size(self):
        """Images the job runs on."""
        return self.n_samples or datasets.DATASETS[self.dataset]["n"]


#: Seconds on two CPU cores (TensorFlow), from the records: one epoch of each autoencoder
#: per 10,000 images (Guo's CAE 42 s an epoch on 70,000; the thesis's CAE 6,389 s for 185
#: epochs on 60,000; DEC's 4,392 s for 1,000 epochs on 10,000), one DCEC clustering
#: iteration (a batch of 256 and its share of the target updates), one epoch of the
#: contrastive encoder per 10,000 images (7 to 9 s with the cores to itself), and UMAP
#: per 10,000 images. They only size the estimates of ``--status``.
SECONDS = {"cae": 6.0, "tcae": 5.75, "dae": 4.4, "simclr": 9.0, "dcec_iteration": 0.3,
           "umap_per_10k": 66.0}


def _param(job, part, name, default):
    return (job.params.get(part) or {}).get(name, default)


def estimate_hours(job):
    """Estimated hours of ``job`` on two CPU cores (:data:`SECONDS`), at most: early
    stopping and DCEC's stop test often end sooner."""
    from ..pipelines import parse_pipeline  # noqa: PLC0415
    per = job.size / 10_000
    reducers, clusterer = parse_pipeline(job.pipeline)
    s = 0.0
    for name, _ in reducers:
        if name in ("cae", "tcae", "dae", "simclr") and job.after is None:   # else reused
            default = {"dae": 1000, "simclr": 30}.get(name, 200)
            s += _param(job, name, "epochs", default) * SECONDS[name] * per
        elif name in ("umap", "tsne", "sktsne"):
            s += SECONDS["umap_per_10k"] * per
    if clusterer == "dcec":
        if job.after is None:                          # it pretrains its autoencoder
            s += _param(job, "dcec", "pretrain_epochs", 200) * SECONDS["cae"] * per
        s += _param(job, "dcec", "maxiter", 20000) * SECONDS["dcec_iteration"]
    return s / 3600


def resized(job, *, epochs=None, n2d_epochs=None, maxiter=None, update_interval=None,
            n_samples=None, extra=None):
    """``job`` with shorter trainings (a rehearsal, a smoke test): autoencoders' epochs,
    DCEC's pretraining epochs, iterations and update interval, a subset of images, and
    ``extra`` parameters per part (e.g. ``steps_per_execution`` on a GPU)."""
    from ..pipelines import parse_pipeline  # noqa: PLC0415
    reducers, clusterer = parse_pipeline(job.pipeline)
    parts = [r for r, _ in reducers] + [clusterer]
    params = {p: dict(v) for p, v in job.params.items()}
    for part in parts:
        own = params.get(part, {})
        if part in ("cae", "tcae", "simclr") and epochs is not None:
            own["epochs"] = epochs
        if part == "dae" and n2d_epochs is not None:
            own["epochs"] = n2d_epochs
        if part == "dcec":
            for k, v in (("pretrain_epochs", epochs), ("update_interval", update_interval)):
                if v is not None:
                    own[k] = v
            if maxiter is not None:
                own["maxiter"] = min(own.get("maxiter", maxiter), maxiter)
        own.update((extra or {}).get(part, {}))
        if own:
            params[part] = own
    return dataclasses.replace(job, params=params,
                               n_samples=job.n_samples if n_samples is None else n_samples)
