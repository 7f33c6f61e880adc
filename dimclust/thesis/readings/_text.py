"""What every reading returns, and how it lists names."""
from __future__ import annotations

import math

__all__ = ["Reading"]


class Reading(str):
    """A sentence computed from results; Jupyter renders it as Markdown."""

    def _repr_markdown_(self):
        return str(self)


def _names(classes, class_names):
    return [str(class_names[c]) if class_names is not None else str(c) for c in classes]


def _listing(items):
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _number(v):
    """A table cell as a float: NaN for what is missing."""
    try:
        return math.nan if v is None else float(v)
    except (TypeError, ValueError):
        return math.nan
