"""Readings of the last chapter's tables: what the label-free rule picked (:func:`choice`),
the best candidate on record by the labels against the aims and the peers (:func:`best`),
how the label-free indices rank the runs (:func:`rule`), and what each view adds to the
contrastive encoder (:func:`views`)."""
from __future__ import annotations

import math
import re

import numpy as np

from ...experiments.records import format_metric
from .. import beyond
from ..columns import sd
from ._text import Reading, _listing, _number

__all__ = ["choice", "best", "rule", "views"]


def choice(by_dataset, metric="acc"):
    """What the label-free rule picked on each data set, how it scores beside its
    candidate's mean over seeds and the aims, and which run the labels would have picked.

    Parameters
    ----------
    by_dataset : dict of str -> dict
        ``data set -> {candidate -> record or None}``, from
        :func:`~dimclust.thesis.beyond.run_candidates` or
        :func:`~dimclust.thesis.beyond.find_candidates`.
    metric : str, default "acc"
        The score set beside the aims (:data:`~dimclust.thesis.beyond.AIMS`) and used
        to name the best-scoring run.

    Returns
    -------
    Reading
        One sentence per data set.
    """
    M, out = metric.upper(), []
    for ds, recs in by_dataset.items():
        picked = beyond.picked_run(recs)
        if picked is None:
            ran = sum(rec is not None for rec in recs.values())
            out.append(f"*{ds}*: " + (
                "no candidate has a record yet." if not ran else
                f"the rule picks none of the {ran} candidate(s) with a record: it needs a run "
                f"that puts {beyond.WHOLE:.0%} of the images or more into the clusters asked "
                "for, on N2D's UMAP map."))
            continue
        label, rec, run = picked
        seed, run = run["seed"], run["metrics"]
        n = len(rec["seeds"])
        text = (f"*{ds}*: the rule picked seed {seed} of *{label}* (silhouette "
                f"{run['silhouette']:.3f} in the UMAP map it clustered), at {M} {run[metric]:.3f} "
                f"and NMI {run['nmi']:.3f}; "
                + (f"its {n} seeds average {M} {format_metric(rec, metric)}" if n > 1
                   else "it ran with one seed"))
        if stand := beyond.reached(rec, ds):
            text += f"; against the aim: {stand}"
        runs = [(r["metrics"][metric], lb, r["seed"]) for lb, rc in beyond.eligible(recs).items()
                for r in rc["runs"] if beyond.rankable(rc, r)]
        best, best_label, best_seed = max(runs)
        mine = run[metric]
        digits = 3 if round(best, 3) != round(mine, 3) else 4     # show a gap rounding hides
        text += (". It is also the best run by that score." if best <= mine
                 else f". By the labels, seed {best_seed} of *{best_label}* would have scored a "
                      f"higher {M} ({best:.{digits}f} against {mine:.{digits}f}); the rule may "
                      "not look at them.")
        out.append(text)
    return Reading("\n\n".join(out))


def best(by_dataset, metric="acc"):
    """The candidate with the best mean ``metric`` on record for each data set, against the
    aims and the peers' published values: how far the best of the chapter gets, which the
    labels alone can tell (a user without them has :func:`choice`).

    Parameters
    ----------
    by_dataset : dict of str -> dict
        ``data set -> {candidate -> record or None}``
        (:func:`~dimclust.thesis.beyond.find_candidates`).
    metric : str, default "acc"

    Returns
    -------
    Reading
        One sentence per data set, with the published values it is measured against
        (:func:`~dimclust.thesis.beyond.references`); only candidates whose every run labels
        at least ``WHOLE`` of the images in 10 clusters compete.
    """
    M, other, out = metric.upper(), "nmi" if metric != "nmi" else "acc", []
    for ds, recs in by_dataset.items():
        whole = {label: rec for label, rec in recs.items() if rec is not None
                 and all(beyond.is_whole(r) for r in rec["runs"])
                 and np.isfinite(_number(rec["mean"].get(metric)))}
        if not whole:
            out.append(f"*{ds}*: no candidate on record puts {beyond.WHOLE:.0%} of the images "
                       "or more into 10 clusters yet.")
            continue
        label, rec = max(whole.items(), key=lambda kv: kv[1]["mean"][metric])
        n = len(rec["seeds"])
        text = (f"*{ds}*: the best mean {M} on record, as the labels rank the candidates, is "
                f"*{label}*'s: {M} {format_metric(rec, metric)} and {other.upper()} "
                f"{format_metric(rec, other)}" + (f" over {n} seeds" if n > 1 else "")
                + f", on {rec['n_samples']:,} images")
        if stand := beyond.reached(rec, ds):
            text += f"; against the aim: {stand}"
        refs = [f"{who.replace(' (published)', '')} "
                + ", ".join(f"{m.upper()} {v:.3f}" for m, v in values.items())
                for who, values in beyond.references(ds)]
        out.append(text + (f" (published: {'; '.join(refs)})." if refs else "."))
    return Reading("\n\n".join(out))


def rule(quality, dataset="mnist-test", metric="acc"):
    """How the label-free indices rank the runs of ``dataset``, and where the rule's index
    (:data:`~dimclust.thesis.beyond.RULE`) and the two earlier rules' stand (seed agreement;
    the silhouette in the space a run clustered).

    Parameters
    ----------
    quality : pandas.DataFrame
        :func:`~dimclust.thesis.beyond.rule_study`'s second table.

    Returns
    -------
    Reading
    """
    if quality.empty:
        return Reading(f"*{dataset}*: no candidate's runs are on record to rank yet.")
    q = quality.set_index("index")
    M, best = metric.upper(), q["spearman"].idxmax()

    def said(index):
        r = q.loc[index]
        return (f"*{index}* (Spearman's ρ = {r['spearman']:+.2f} over {int(r['runs'])} runs; "
                f"the run it ranks first scores {M} {r[f'{metric} of pick']:.3f}, "
                f"{r['regret']:.3f} below the best run's {r[f'best {metric}']:.3f})")

    text = f"*{dataset}*: the index that ranks the runs closest to their {M} is {said(best)}"
    if beyond.RULE != best and beyond.RULE in q.index:
        text += f"; the rule's, {said(beyond.RULE)}"
    for index, was in (("seed agreement", "the first rule"),
                       ("silhouette (own space)", "the second")):
        if index in q.index and index not in (best, beyond.RULE):
            text += f"; {was}, {said(index)}"
    return Reading(text + ".")


def views(table, metric="nmi"):
    """What each view adds to the contrastive encoder: the drop in ``metric`` when it is left
    out, read against the candidate's spread over its seeds.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~dimclust.thesis.beyond.ablation` of
        :func:`~dimclust.thesis.beyond.find_without_each_view`: the candidate with every
        view (all its seeds), the same candidate's paired seed alone, then one row per view
        left out (that seed), with the columns ``pipeline``, ``<metric>`` and
        ``<metric> sd``.
    metric : str, default "nmi"

    Returns
    -------
    Reading
        The views ordered by the drop from the paired run to the run without them; a
        change is named an effect only when it exceeds twice the candidate's sd over its
        seeds (the paired run and the run without the view each vary about that much from
        seed to seed): a view the encoder needs (the score falls without it) or one it does
        better without (the score rises). Views without a record yet are listed as such.
    """
    if len(table) < 2:
        raise ValueError(f"views() reads find_without_each_view's table: the candidate, its "
                         f"paired seed, then the views; got {len(table)} row(s)")
    every, paired, *rows = (r for _, r in table.iterrows())
    if not rows:
        return Reading("No view is left out in this table: nothing to read.")
    M, ref = metric.upper(), _number(paired.get(metric))
    if not np.isfinite(ref):
        return Reading(f"The run with every view on the paired seed has no record yet, so no "
                       f"view's worth can be read ({len(rows)} view(s) to run).")
    # one seed has no spread to measure a drop against (its record's sd is 0)
    noise = (2 * _number(every.get(sd(metric))) if _number(every.get("seeds")) > 1
             else math.nan)
    drops, waiting = [], []
    for r in rows:
        label = str(r["pipeline"])
        view = m.group(1) if (m := re.search(r"without (\S+)", label)) else label
        v = _number(r.get(metric))
        (drops.append((ref - v, view)) if np.isfinite(v) else waiting.append(view))
    text = f"Against the run with every view on the same seed ({M} {ref:.3f})"
    if not drops:
        return Reading(text + f": no view's run has a record yet ({_listing(waiting)} to run).")
    drops.sort(key=lambda dv: -dv[0])          # largest drop first; ties in the table's order
    text += (f", leaving a view out changes {M} by "
             + _listing([f"{-d:+.3f} ({view})" for d, view in drops]))
    if np.isfinite(noise):
        needed = [view for d, view in drops if d > noise]
        costly = [view for d, view in drops if -d > noise]
        parts = ([f"leaving out {' or '.join(needed)} lowers {M} by more: the encoder needs "
                  f"{'it' if len(needed) == 1 else 'them'}"] if needed else []) + (
                 [f"leaving out {' or '.join(costly)} raises {M} by more: on this seed the "
                  f"encoder does better without {'it' if len(costly) == 1 else 'them'}"]
                 if costly else [])
        text += (f". Twice the candidate's sd over its seeds is {noise:.3f}: "
                 + ("; ".join(parts) if parts else
                    "no view changes it by more, so one seed cannot tell these views apart"))
    if waiting:
        text += f". Not run yet: {_listing(waiting)}"
    return Reading(text + ".")
