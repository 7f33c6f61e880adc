"""The network diagrams are drawn from the Keras models, so they follow the architecture."""
import matplotlib

matplotlib.use("Agg")
from matplotlib.patches import FancyBboxPatch  # noqa: E402

from dimclust import architectures, diagrams  # noqa: E402


def _drawn(fig):
    ax = fig.axes[0]
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    return boxes, [t.get_text() for t in ax.texts]


def test_dcec_diagram_has_a_box_per_layer_and_the_clustering_branch():
    table = architectures.layer_table("guo", embedding_dim=10)
    boxes, texts = _drawn(diagrams.network(table, n_clusters=10))
    # the decoder's input is the embedding again: drawn once
    assert len(boxes) == len(table) - 1 + 1                     # layers, then the q layer
    assert texts.count("embedding") == 1 and "10" in texts
    assert "28×28×1" in texts and "3×3×128" in texts            # shapes read from the model
    assert "clustering layer\nq: 10 centres" in texts
    assert any("KL(P‖Q)" in t for t in texts) and any("L_rec" in t for t in texts)


def test_the_diagram_changes_with_the_architecture():
    boxes, texts = _drawn(diagrams.network(architectures.layer_table("guo", embedding_dim=32)))
    assert "32" in texts and "10" not in texts
    assert not any("clustering" in t for t in texts)            # an autoencoder alone
    thesis = architectures.layer_table("thesis")
    boxes_t, texts_t = _drawn(diagrams.network(thesis))
    assert len(boxes_t) == len(thesis) - 1 and "max-pool" in texts_t and "1×1×10" in texts_t
