"""Readings: the sentence under a figure or table, computed from what it shows.

A chapter's interpretation of a figure must not contradict the figure when the chapter is
re-run with other data, another seed or another scale. Each function here turns computed
values into the one or two sentences a reader needs under a figure or a table and returns
a :class:`Reading`: a ``str`` that Jupyter shows as Markdown.

Of maps and clusterings (:mod:`.maps`):

* :func:`class_separation` — which classes a 2-D map keeps apart and which it mixes.
* :func:`structure` — which reduction keeps neighbourhoods and which the global layout (§11.4).
* :func:`class_split` — the class a clustering spreads most evenly over two clusters (§12.2).
* :func:`density_clusters` — how many clusters HDBSCAN finds and how much it assigns (§12.1.2).

Of results tables, read as numbers (:mod:`.tables`):

* :func:`ranking` — the order of a results table's rows by a metric, ours beside the thesis's.
* :func:`strategies` — how much each strategy adds over k-means on the pixels, ours and the
  thesis's (the Results chapter's summary).
* :func:`against` — which variants of a method differ from a reference row by more than
  their spread over seeds.

Of the last chapter's tables (:mod:`.beyond`):

* :func:`choice` — what the label-free rule picked, and how it scores.
* :func:`best` — the best candidate by the labels, against the aims and the peers.
* :func:`rule` — how the label-free indices rank the runs of a data set, and the rule's.
* :func:`views` — what each view adds to the contrastive encoder, against its seeds' spread.

Of the claims checked against the records (:mod:`.claims`):

* :func:`claim_counts` — how many checks hold, do not hold and wait for a record.
"""
from ._text import Reading
from .beyond import best, choice, rule, views
from .claims import claim_counts
from .maps import class_separation, class_split, density_clusters, structure
from .tables import THESIS_FEWEST, against, ranking, strategies

__all__ = ["Reading", "class_separation", "structure", "class_split", "density_clusters",
           "ranking", "strategies", "against", "choice", "best", "rule", "views", "claim_counts",
           "THESIS_FEWEST"]
