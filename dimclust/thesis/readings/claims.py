"""Readings of the claims checked against the records (:func:`~dimclust.thesis.check_claims`)."""
from __future__ import annotations

from ..claims import FAILS, HOLDS, UNMEASURED
from ._text import Reading

__all__ = ["claim_counts"]


def claim_counts(claims):
    """How many of the checks hold, do not hold and wait for a record.

    Parameters
    ----------
    claims : DataFrame
        :func:`~dimclust.thesis.check_claims`'s table (a ``verdict`` column).

    Examples
    --------
    >>> import pandas as pd
    >>> claim_counts(pd.DataFrame({"verdict": ["holds", "holds", "does not hold"]}))
    'Of 3 checks (a claim on each data set it covers), **2 hold** and **1 does not hold**.'
    """
    n = claims["verdict"].value_counts()
    held, failed, waiting = (int(n.get(v, 0)) for v in (HOLDS, FAILS, UNMEASURED))
    parts = [f"**{held} hold{'s' if held == 1 else ''}**",
             f"**{failed} {'does' if failed == 1 else 'do'} not hold**"]
    text = f"Of {len(claims)} checks (a claim on each data set it covers), "
    if not waiting:
        return Reading(text + " and ".join(parts) + ".")
    return Reading(text + ", ".join(parts) + f" and **{waiting} "
                   f"{'is' if waiting == 1 else 'are'} not yet measured**: a record they "
                   "need is still to run (the Results chapter says which).")
