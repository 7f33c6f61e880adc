"""Beyond the thesis: candidate pipelines with settings fixed in advance
(:mod:`~dimclust.thesis.beyond.candidates`), the label-free rule that picks one of them
(:mod:`~dimclust.thesis.beyond.rule`) and how it was fixed
(:mod:`~dimclust.thesis.beyond.study`), the run it picked, drawn
(:mod:`~dimclust.thesis.beyond.picked`), and the published numbers they are measured against
(:mod:`~dimclust.thesis.beyond.peers`).

The candidates are named pipelines (:data:`~dimclust.n2d.RECIPES`) with N2D's settings
after its autoencoder (McConville et al. 2019); they differ in what UMAP reads and what
clusters its map, and nothing is tuned. The rule (:func:`choose_run`) reads no class label:
of the runs that label the whole set in the clusters asked for and cluster a UMAP map with
N2D's settings, it picks the one whose clusters are the most distinct in that map. Labels
then only score the choice.
"""
from ..results import WHOLE
from . import rule, study
from .candidates import (
    CANDIDATES,
    CONTRASTIVE,
    ablation,
    candidates,
    find_candidates,
    find_without_each_view,
    run_candidates,
    without_each_view,
)
from .peers import (
    AIM_SEEDS,
    AIMS,
    PUBLISHED,
    aims,
    at_aim_scale,
    reached,
    references,
    shortfall,
    versus,
    versus_chart,
)
from .picked import picked_labels, picked_map
from .rule import (
    RULE,
    choose,
    choose_run,
    chosen_labels,
    clusters_a_umap_map,
    eligible,
    is_whole,
    picked_run,
    rankable,
    rule_score,
)
from .study import INDICES, index_quality, reference_space, rule_study, run_scores

__all__ = ["CANDIDATES", "CONTRASTIVE", "candidates", "run_candidates", "find_candidates",
           "ablation", "without_each_view", "find_without_each_view",
           "PUBLISHED", "AIMS", "AIM_SEEDS", "WHOLE", "aims", "at_aim_scale", "reached",
           "references", "shortfall", "versus", "versus_chart",
           "rule", "RULE", "choose", "choose_run", "picked_run", "chosen_labels", "eligible",
           "is_whole", "rankable", "rule_score", "clusters_a_umap_map",
           "picked_labels", "picked_map",
           "study", "INDICES", "reference_space", "run_scores", "index_quality", "rule_study"]
