"""What the last chapter measures its choice against: the peers' published numbers, the
thesis's DCEC and the aims stated before any result, as a table and a chart."""
from __future__ import annotations

import math

from ...datasets import DATASETS
from ...experiments.records import metric_columns
from ..columns import SEEDS
from ..values import thesis_value
from ..views import draw_seeds
from .rule import picked_run

__all__ = ["PUBLISHED", "AIMS", "AIM_SEEDS", "aims", "at_aim_scale", "shortfall", "reached",
           "references", "versus", "versus_chart"]

#: Published NMI and ACC of the peers, by our data-set name ("mnist" is all 70,000
#: images, "mnist-test" the 10,000 test images). N2D: McConville et al. (2019). DEC-DA:
#: Guo et al. (2018; an autoencoder trained on randomly shifted and rotated images, then
#: DEC's clustering of them), its best results as its authors' repository states them.
#: The thesis's DCEC comes from its table 13.1 (:func:`~dimclust.thesis.thesis_value`).
PUBLISHED = {
    "N2D (published)": {"mnist": {"nmi": 0.942, "acc": 0.979},
                        "mnist-test": {"nmi": 0.882, "acc": 0.948},
                        "fashion": {"nmi": 0.684, "acc": 0.672}},
    "DEC-DA (published)": {"mnist": {"nmi": 0.960, "acc": 0.985},
                           "mnist-test": {"nmi": 0.958, "acc": 0.983},
                           "fashion": {"nmi": 0.636, "acc": 0.586}},
}

#: The seeds an aim's mean is taken over.
AIM_SEEDS = 5

#: What the last chapter set out to reach (mean over :data:`AIM_SEEDS` seeds, all images of
#: the set): a little above N2D's published numbers. Missing entries are not aimed at.
AIMS = {"mnist-test": {"nmi": 0.89, "acc": 0.95},
        "mnist": {"acc": 0.98},
        "fashion": {"nmi": 0.70, "acc": 0.70}}


def aims():
    """What the chapter sets out to reach, stated before any result: per data set and score,
    the aim (:data:`AIMS`) beside N2D's published value it is set against.

    Returns
    -------
    pandas.DataFrame
        Columns "data set", "score", "aim (mean of 5 seeds, every image)" (:data:`AIM_SEEDS`),
        "N2D (published)".
    """
    import pandas as pd  # noqa: PLC0415
    n2d = PUBLISHED["N2D (published)"]
    return pd.DataFrame([{"data set": ds, "score": m.upper(),
                          f"aim (mean of {AIM_SEEDS} seeds, every image)": f"≥ {target:.2f}",
                          "N2D (published)": f"{n2d[ds][m]:.3f}" if m in n2d.get(ds, {}) else "—"}
                         for ds, own in AIMS.items() for m, target in own.items()])


def at_aim_scale(record, dataset):
    """Whether ``record`` ran where the aims are set: on every image of ``dataset``."""
    n = DATASETS.get(dataset, {}).get("n")
    return n is not None and record.get("n_samples") == n


def shortfall(record, dataset):
    """``metric -> how far the record's mean falls short of the aim`` on ``dataset``
    (:data:`AIMS`); zero or less where the aim is met. Empty where there is no aim, or
    where the record did not run on every image of the set (:func:`at_aim_scale`): an aim
    is set for all of them."""
    if not at_aim_scale(record, dataset):
        return {}
    return {m: target - record["mean"][m] for m, target in AIMS.get(dataset, {}).items()}


def reached(record, dataset):
    """How ``record``'s mean stands against ``dataset``'s aims, in words: ``"NMI met, ACC
    short by 0.030"``; with fewer seeds than :data:`AIM_SEEDS`, ``"ACC at or above the aim
    on 1 seed (the aim: a mean over 5)"``, since a mean over fewer seeds meets nothing yet;
    for a record of fewer images than the set, how many it ran on; ``""`` where the data
    set has no aim."""
    if dataset not in AIMS:
        return ""
    if not at_aim_scale(record, dataset):
        return (f"ran on {record.get('n_samples', 0):,} of {DATASETS[dataset]['n']:,} images, "
                "not on all as the aim asks")
    n, short = len(record["seeds"]), shortfall(record, dataset)
    enough = n >= AIM_SEEDS

    def stand(m, gap):
        if not math.isfinite(gap):
            return f"{m.upper()} not measured"
        return f"{m.upper()} " + (f"short by {gap:.3f}" if gap > 0 else
                                  "met" if enough else "at or above the aim")

    text = ", ".join(stand(m, gap) for m, gap in short.items())
    return text if enough else text + f" on {_seeds(n)} (the aim: a mean over {AIM_SEEDS})"


def _seeds(n):
    """``"1 seed"``, ``"5 seeds"``."""
    return f"{n} seed{'s' if n != 1 else ''}"


def references(ds):
    """``[(who, {metric: value})]``: the published values ``ds`` is measured against — the
    thesis's DCEC (table 13.1, all 70,000 images) where it ran the set, then the peers
    (:data:`PUBLISHED`)."""
    refs = []
    if ds in ("mnist", "fashion"):
        refs.append(("thesis: DCEC Guo (table 13.1)",
                     {m: thesis_value("13.1", ds, "dcec", m) for m in ("nmi", "acc")}))
    return refs + [(who, published[ds]) for who, published in PUBLISHED.items() if ds in published]


def versus(by_dataset):
    """The chosen pipeline beside the thesis's DCEC, the peers' published numbers
    (:data:`PUBLISHED`) and the aims.

    Parameters
    ----------
    by_dataset : dict of str -> dict
        ``data set -> {label -> record or None}``, e.g. ``{"mnist": find_candidates(...)}``.

    Returns
    -------
    pandas.DataFrame
        Per data set: the candidate of the run the rule picked (``nmi``, ``acc`` and their
        sd over its seeds, ``seeds``), then that run alone (the rule's pick: what a user
        with one run would have), the thesis's DCEC (table 13.1, all 70,000 images) and the
        peers (published: one value, no sd), and the aim, with whether our mean reaches it
        and by how much it falls short (:func:`reached`). Numbers, formatted by
        :func:`~dimclust.thesis.show`.
    """
    import pandas as pd  # noqa: PLC0415
    rows = []
    for ds, recs in by_dataset.items():
        label, rec, run = picked_run(recs) or (None, None, None)
        aim = AIMS.get(ds, {})
        scores = (metric_columns(rec, ("nmi", "acc")) if rec is not None
                  else dict.fromkeys(["nmi", "nmi sd", "acc", "acc sd"], math.nan))
        rows.append({"data set": ds, "who": f"ours: {label}" if label else "ours: nothing chosen yet",
                     **scores, SEEDS: len(rec["seeds"]) if rec is not None else None,
                     "aim": ", ".join(f"{m.upper()} ≥ {v:.2f}" for m, v in aim.items()) or "—",
                     "reached": (reached(rec, ds) if rec is not None else "") or "—"})
        if rec is not None:
            rows.append({"data set": ds, "who": f"ours: the rule's pick, seed {run['seed']}",
                         **{m: float(run["metrics"][m]) for m in ("nmi", "acc")}, SEEDS: 1,
                         "aim": "", "reached": ""})
        for who, values in references(ds):
            rows.append({"data set": ds, "who": who, **{m: float(v) for m, v in values.items()},
                         "aim": "", "reached": ""})
    out = pd.DataFrame(rows)
    out[SEEDS] = out[SEEDS].astype("Int64")
    return out


def versus_chart(by_dataset, metrics=("nmi", "acc")):
    """:func:`versus` drawn: a panel per data set (rows) and metric (columns), a tick row
    per method.

    Ours (the candidate of the run the rule picked) shows each seed (grey), the picked run
    (a black ring) and mean ± sd (black); the thesis's
    DCEC (table 13.1) is a red diamond, a peer's published value a blue square, and the aim
    a dashed line. A data set with nothing chosen yet shows the published values only.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt  # noqa: PLC0415
    sets = list(by_dataset)
    fig, axes = plt.subplots(len(sets), len(metrics), figsize=(4.5 * len(metrics) + 1.5,
                                                             1.7 * len(sets) + 0.9),
                             squeeze=False)
    marks = {"thesis": dict(marker="D", color="#d62728"), "published": dict(marker="s",
                                                                            color="#1f77b4")}
    for row, ds in enumerate(sets):
        _, rec, run = picked_run(by_dataset[ds]) or (None, None, None)
        for col, m in enumerate(metrics):
            ax = axes[row][col]
            names = ["ours" if rec is None else f"ours ({_seeds(len(rec['seeds']))})"]
            if rec is not None:
                draw_seeds(ax, rec, m, 0)
                ax.scatter([run["metrics"][m]], [0], s=80, facecolors="none",
                           edgecolors="black", zorder=5)
            for who, values in references(ds):
                if m in values:
                    thesis = who.startswith("thesis")
                    names.append("thesis DCEC" if thesis else who.replace(" (published)", ""))
                    ax.scatter([values[m]], [len(names) - 1], s=30, zorder=4,
                               **marks["thesis" if thesis else "published"])
            if m in AIMS.get(ds, {}):
                ax.axvline(AIMS[ds][m], ls="--", color="0.3", lw=1)
            ax.set_yticks(range(len(names)), names, fontsize=10)
            ax.set_ylim(len(names) - 0.5, -0.5)
            ax.tick_params(axis="x", labelsize=9)
            ax.grid(axis="x", alpha=0.3)
            ax.set_title(f"{ds}: {m.upper()}", fontsize=11)
    handles = [plt.Line2D([], [], marker="o", color="black", ls="", label="ours: mean ± sd"),
               plt.Line2D([], [], marker="o", color="0.6", ls="", ms=4, label="ours: each seed"),
               plt.Line2D([], [], marker="o", mfc="none", mec="black", ls="", ms=8,
                          label="the rule's pick"),
               plt.Line2D([], [], ls="", label="thesis (published)", **marks["thesis"]),
               plt.Line2D([], [], ls="", label="a peer (published)",
                          **marks["published"]),
               plt.Line2D([], [], ls="--", color="0.3", label="aim")]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=10, frameon=False)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    return fig
