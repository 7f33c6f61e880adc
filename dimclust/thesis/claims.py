"""The thesis's claims (ch. 12–13 and its conclusions), checked against run records.

Each claim names the rows of the thesis's tables it rests on; :func:`check_claims` finds
their records at the thesis's scale (:func:`~dimclust.thesis.row_record`) and marks
the claim *holds*, *does not hold* or *not yet measured*, with the numbers it used.
Claims compare means over seeds; where a claim says "little" or "close", the margin
is stated in the claim's test and was fixed before looking at any result.
"""
from __future__ import annotations

from typing import NamedTuple

from .rows import row_record
from .values import thesis_nmi, thesis_table

__all__ = ["CLAIMS", "CONCLUSIONS", "VERDICTS", "Claim", "check_claims", "conclusions"]

#: A claim's verdict: it holds, it does not, or a record it needs is missing.
HOLDS, FAILS, UNMEASURED = VERDICTS = ("holds", "does not hold", "not yet measured")

_BOTH = ("fashion", "mnist")


class Claim(NamedTuple):
    """One claim: its words, where the thesis makes it, the rows it needs and its test.

    ``needs`` lists ``(table, row key)``; ``test(nmi, assigned, dataset)`` gets two
    functions of ``(dataset, row key)`` — the mean NMI (on the assigned points) and the
    share of points assigned — and the data set, and returns ``True``/``False``.
    """
    text: str
    where: str
    datasets: tuple
    needs: tuple
    test: object


#: The claims checked, in the order of the thesis.
CLAIMS = (
    Claim("Reducing first with UMAP (2-D) beats k-means on the pixels",
          "§12.3, conclusions", _BOTH,
          (("12.1", "kmeans"), ("12.1", "umap2+kmeans")),
          lambda nmi, a, d: nmi(d, "umap2+kmeans") > nmi(d, "kmeans")),
    Claim("Reducing first with t-SNE (2-D, 10,000 images) beats k-means on the pixels",
          "§12.3.1", _BOTH,
          (("12.1", "kmeans"), ("12.1", "tsne2+kmeans")),
          lambda nmi, a, d: nmi(d, "tsne2+kmeans") > nmi(d, "kmeans")),
    Claim("2 or 30 UMAP dimensions matter little for k-means (NMI within 0.02)",
          "§12.3.1, §12.4", _BOTH,
          (("12.1", "umap2+kmeans"), ("12.1", "umap30+kmeans")),
          lambda nmi, a, d: abs(nmi(d, "umap2+kmeans") - nmi(d, "umap30+kmeans")) <= 0.02),
    Claim("HDBSCAN clusters well when its noise is ignored: on PCA-50 and on UMAP-2 it beats "
          "k-means on the pixels (NMI on the assigned points)",
          "§12.3.2", _BOTH,
          (("12.1", "kmeans"), ("12.1", "pca50+hdbscan"), ("12.1", "umap2+hdbscan")),
          lambda nmi, a, d: min(nmi(d, "pca50+hdbscan"), nmi(d, "umap2+hdbscan")) > nmi(d, "kmeans")),
    Claim("HDBSCAN on PCA-50 leaves most images as noise, on UMAP-2 almost none (under half "
          "vs over 90 % assigned)",
          "§12.1.2, §12.3.2", _BOTH,
          (("12.1", "pca50+hdbscan"), ("12.1", "umap2+hdbscan")),
          lambda nmi, a, d: a(d, "pca50+hdbscan") < 0.5 < 0.9 < a(d, "umap2+hdbscan")),
    Claim("k-means on the pixels does worse on MNIST than on Fashion-MNIST",
          "§12.3.2", ("fashion+mnist",),
          (("12.1", "kmeans"),),
          lambda nmi, a, d: nmi("mnist", "kmeans") < nmi("fashion", "kmeans")),
    Claim("The thesis's CAE disappoints as a reducer: CAE10+k-means is below k-means on the "
          "pixels", "§12.3.2, conclusions", _BOTH,
          (("12.1", "kmeans"), ("12.1", "tcae10+kmeans")),
          lambda nmi, a, d: nmi(d, "tcae10+kmeans") < nmi(d, "kmeans")),
    Claim("DCEC is the best method of table 13.1", "§13.2, conclusions", _BOTH,
          tuple(("13.1", k) for k in ("kmeans", "umap2+kmeans", "dcec-start",
                                      "tcae10+kmeans-all", "dcec-gamma1", "dcec")),
          lambda nmi, a, d: all(nmi(d, "dcec") > nmi(d, k) for k in
                                ("kmeans", "umap2+kmeans", "dcec-start", "tcae10+kmeans-all",
                                 "dcec-gamma1"))),
    Claim("γ = 1 (instead of 0.1) lowers DCEC", "§13.2", _BOTH,
          (("13.1", "dcec"), ("13.1", "dcec-gamma1")),
          lambda nmi, a, d: nmi(d, "dcec-gamma1") < nmi(d, "dcec")),
    Claim("Two-stage UMAP2+k-means comes close to DCEC (NMI within 0.05)", "§13.2", _BOTH,
          (("13.1", "umap2+kmeans"), ("13.1", "dcec")),
          lambda nmi, a, d: abs(nmi(d, "dcec") - nmi(d, "umap2+kmeans")) <= 0.05),
)


#: The thesis's conclusions (its closing chapter), in our words, each with the claims of
#: :data:`CLAIMS` that test it (by position).
CONCLUSIONS = (
    ("Clustering the raw pixels is the weakest strategy; reducing first, above all with "
     "manifold learning (t-SNE, UMAP), improves clustering markedly.", (0, 1, 3)),
    ("Autoencoders reduce less well than manifold learning, and vary with their "
     "architecture.", (6,)),
    ("DCEC gives the best results of all the methods tried.", (7, 9)),
)


def conclusions(folder, checked=None):
    """The thesis's conclusions beside the verdicts of the claims that test them.

    Parameters
    ----------
    folder : str or path
        The run records (the thesis's scale).
    checked : pandas.DataFrame, optional
        :func:`check_claims` of ``folder``, if already computed.

    Returns
    -------
    pandas.DataFrame
        One row per conclusion and claim: "the thesis concludes", "tested by" (the claim),
        and one column per data set with its verdict.
    """
    import pandas as pd  # noqa: PLC0415
    checked = check_claims(folder) if checked is None else checked
    rows = []
    for text, which in CONCLUSIONS:
        for i in which:
            claim = CLAIMS[i]
            row = {"the thesis concludes": text, "tested by": claim.text}
            for _, r in checked[checked["claim"] == claim.text].iterrows():
                row[r["data set"]] = r["verdict"]
            rows.append(row)
            text = ""                                  # said once per conclusion
    return pd.DataFrame(rows).fillna("—")


def _mean_of(recs, metric):
    """``f(dataset, key)``: the mean of ``metric`` in the record of that row."""
    return lambda d, k: recs[(d, k)]["mean"][metric]


def _label(table, key):
    return next(row["label"] for row in thesis_table(table)["rows"] if row["key"] == key)


def check_claims(folder, claims=CLAIMS):
    """Each claim, per data set, checked against the records under ``folder``.

    Returns
    -------
    pandas.DataFrame
        Columns: claim, where (in the thesis), data set, verdict (*holds*, *does not
        hold* or *not yet measured*), ours (mean NMI of each row used, and the share
        assigned where not all), thesis (its published NMI of the same rows), records
        (file stems, or what is missing).
    """
    import pandas as pd  # noqa: PLC0415
    rows = []
    for claim in claims:
        for ds in claim.datasets:
            dsets = ds.split("+")
            recs = {(d, key): row_record(folder, table, d, key)
                    for d in dsets for table, key in claim.needs}
            missing = [f"{d} {_label(t, k)}" for t, k in claim.needs for d in dsets
                       if recs[(d, k)] is None]
            ours, theirs = [], []
            for (d, key), r in recs.items():
                table = next(t for t, k in claim.needs if k == key)
                name = f"{d} {_label(table, key)}" if len(dsets) > 1 else _label(table, key)
                tv = thesis_nmi(table, d, key)
                theirs.append(f"{name} {tv}" if tv is not None else f"{name} —")
                if r is not None:
                    part = f"{name} {r['mean']['nmi']:.3f}"
                    if r["mean"]["assigned"] < 0.999:
                        part += f" ({r['mean']['assigned']:.0%} assigned)"
                    ours.append(part)
            if missing:
                verdict = UNMEASURED
            else:
                holds = claim.test(_mean_of(recs, "nmi"), _mean_of(recs, "assigned"), dsets[0])
                verdict = HOLDS if holds else FAILS
            rows.append({"claim": claim.text, "where": claim.where, "data set": ds,
                         "verdict": verdict, "ours (NMI)": "; ".join(ours) or "—",
                         "thesis (NMI)": "; ".join(theirs),
                         "records": ("missing: " + ", ".join(missing)) if missing else
                                    "; ".join(f"{r['dataset']} {r['pipeline']}: "
                                              f"{r['n_samples']:,} images, {len(r['seeds'])} "
                                              f"seed{'s' if len(r['seeds']) != 1 else ''}"
                                              for r in recs.values())})
    return pd.DataFrame(rows)
