"""Checkpoints of a training run: a folder that a killed run resumes from.

The folder holds ``pretrained.npz`` (the autoencoder a run starts from) and ``state.npz``
(every weight, the optimizer's variables and the loop's own state), each replaced
atomically, so a kill at any moment leaves the last complete checkpoint.
"""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from .store import read_npz, write_npz

__all__ = ["Checkpoint"]

log = logging.getLogger(__name__)


class Checkpoint:
    """The checkpoint folder ``folder`` (created on first save)."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.pretrained = self.folder / "pretrained.npz"
        self.state = self.folder / "state.npz"

    def save(self, model, state):
        """Write ``model``'s weights, its optimizer's variables and ``state`` (JSON-able
        values plus an optional ``labels`` array)."""
        arrays = {f"w{i}": np.asarray(w) for i, w in enumerate(model.weights)}
        arrays.update({f"o{i}": np.asarray(v) for i, v in enumerate(model.optimizer.variables)})
        if state.get("labels") is not None:
            arrays["labels"] = np.asarray(state["labels"])
        write_npz(self.state, {k: v for k, v in state.items() if k != "labels"}, arrays)

    def load(self, model, n_train):
        """Load the saved state into ``model`` and return it; ``None`` when there is none."""
        if not self.state.exists():
            return None
        meta, arrays = read_npz(self.state)
        labels = arrays.get("labels")
        if labels is not None and len(labels) != n_train:
            raise ValueError(f"checkpoint in {self.folder} was made on {len(labels)} training "
                             f"images, not {n_train}; use another checkpoint_dir")
        if not model.optimizer.built:       # create Adam's moments, then overwrite them
            model.optimizer.build(model.trainable_variables)
        n_saved = sum(k.startswith("o") for k in arrays)
        if len(model.optimizer.variables) != n_saved:
            raise ValueError(f"{self.state} holds {n_saved} optimizer variables, the model's "
                             f"optimizer has {len(model.optimizer.variables)}")
        for i, w in enumerate(model.weights):
            w.assign(arrays[f"w{i}"])
        for i, v in enumerate(model.optimizer.variables):
            v.assign(arrays[f"o{i}"])
        log.info("resuming from %s at iteration %d", self.state, meta["iteration"])
        return {**meta, "labels": labels}
