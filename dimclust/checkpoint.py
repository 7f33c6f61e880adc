"""Checkpoints of a training run: what a killed run resumes from.

Two kinds of long training resume here. DCEC's clustering phase writes a folder,
:class:`Checkpoint`, holding ``pretrained.npz`` (the autoencoder it starts from) and
``state.npz`` (every weight, the optimizer's variables and the loop's own state).
Autoencoder training writes one file per run, :class:`EpochCheckpoint`, at the end of
every epoch: weights, Adam's moments and step count, the epoch reached, the loss history
and early stopping's state. Each file is replaced atomically, so a kill at any moment
leaves the last complete checkpoint; the batch order of the epochs still to come is
redrawn from the run's seed (see :class:`~dimclust.ConvAutoencoder`), so a resumed run
ends with exactly the weights of an uninterrupted one.

A checkpoint is bound to the settings it was made with: ``settings`` (a digest of the
parameters and data) is saved with it, and resuming under other settings raises a
``ValueError`` that names the checkpoint to delete.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np

from .store import read_npz, write_npz

__all__ = ["Checkpoint", "EpochCheckpoint", "save_training", "load_training"]

log = logging.getLogger(__name__)


def save_training(path, model, meta, arrays=None):
    """Write ``model``'s weights and its optimizer's variables, with JSON-able ``meta`` and
    extra ``arrays``, to the file ``path`` (atomically)."""
    out = {f"w{i}": np.asarray(w) for i, w in enumerate(model.weights)}
    out.update({f"o{i}": np.asarray(v) for i, v in enumerate(model.optimizer.variables)})
    out.update(arrays or {})
    return write_npz(path, meta, out)


def _check_settings(path, meta, settings):
    if settings is not None and meta.get("settings") not in (None, settings):
        raise ValueError(f"the checkpoint {path} was made with other parameters or data "
                         f"(settings {meta.get('settings')}, these are {settings}); delete it "
                         "to start afresh, or resume with the settings it was made with")


def _restore(path, model, arrays):
    """Assign the weights and optimizer variables in ``arrays`` to ``model``; returns the
    other arrays."""
    if not model.optimizer.built:       # create Adam's moments, then overwrite them
        model.optimizer.build(model.trainable_variables)
    ours = [(f"w{i}", w) for i, w in enumerate(model.weights)] + \
           [(f"o{i}", v) for i, v in enumerate(model.optimizer.variables)]
    saved = {k for k in arrays if k[:1] in "wo" and k[1:].isdigit()}
    if saved != {k for k, _ in ours}:
        raise ValueError(f"{path} holds {len(saved)} weights and optimizer variables, the "
                         f"model has {len(ours)}; delete the checkpoint or resume the network "
                         "it was made for")
    for k, var in ours:
        if tuple(arrays[k].shape) != tuple(var.shape):
            raise ValueError(f"{path} holds {k} of shape {tuple(arrays[k].shape)}, the model's "
                             f"is {tuple(var.shape)} (another n_clusters or architecture?); "
                             "delete the checkpoint or resume with the settings it was made with")
    for k, var in ours:
        var.assign(arrays[k])
    return {k: v for k, v in arrays.items() if k not in saved}


def load_training(path, model, settings=None):
    """Load what :func:`save_training` wrote into ``model``; returns ``(meta, arrays)``
    with the extra arrays, or ``None`` when ``path`` does not exist.

    Raises
    ------
    ValueError
        When the checkpoint was made under other ``settings`` or for another network.
    """
    path = Path(path)
    if not path.exists():
        return None
    meta, arrays = read_npz(path)
    _check_settings(path, meta, settings)
    return meta, _restore(path, model, arrays)


class Checkpoint:
    """DCEC's checkpoint folder ``folder`` (created on first save).

    Parameters
    ----------
    folder : str or path
    settings : str, optional
        Digest of the parameters and data of the run; a checkpoint made under another
        refuses to load.
    """

    def __init__(self, folder, settings=None):
        self.folder = Path(folder)
        self.settings = settings
        self.pretrained = self.folder / "pretrained.npz"
        self.state = self.folder / "state.npz"

    def save(self, model, state):
        """Write ``model``'s weights, its optimizer's variables and ``state`` (JSON-able
        values plus an optional ``labels`` array)."""
        arrays = {}
        if state.get("labels") is not None:
            arrays["labels"] = np.asarray(state["labels"])
        meta = {k: v for k, v in state.items() if k != "labels"}
        save_training(self.state, model, {**meta, "settings": self.settings}, arrays)

    def load(self, model, n_train):
        """Load the saved state into ``model`` and return it; ``None`` when there is none."""
        if not self.state.exists():
            return None
        meta, arrays = read_npz(self.state)
        _check_settings(self.state, meta, self.settings)
        labels = arrays.get("labels")
        if labels is not None and len(labels) != n_train:
            raise ValueError(f"checkpoint in {self.folder} was made on {len(labels)} training "
                             f"images, not {n_train}; use another checkpoint_dir")
        _restore(self.state, model, arrays)
        meta.pop("settings", None)
        log.info("resuming from %s at iteration %d", self.state, meta["iteration"])
        return {**meta, "labels": labels}

    def clear(self):
        """Delete the folder's checkpoint files (after a run has finished)."""
        for f in (self.state, self.pretrained):
            f.unlink(missing_ok=True)
        if self.folder.exists() and not any(self.folder.iterdir()):
            self.folder.rmdir()


class EpochCheckpoint:
    """A network's training state after each epoch (an autoencoder's or the contrastive
    encoder's), in the file ``path``.

    Parameters
    ----------
    path : str or path
        The ``.npz`` file (replaced atomically at every epoch's end).
    settings : str
        Digest of the parameters and data it belongs to.
    """

    def __init__(self, path, settings):
        self.path = Path(path)
        self.settings = settings
        self.seconds = 0.0          # training seconds of the legs before this one (load)

    def load(self, model):
        """``None``, or ``dict(epoch, history, stopped, early, seconds)``: the epochs done,
        the loss history, whether early stopping had ended the run, early stopping's state
        (its ``best_weights`` as a list of arrays, or ``None``) and the seconds of training
        those epochs took, over every earlier leg — with the weights and optimizer state
        loaded into ``model``."""
        loaded = load_training(self.path, model, self.settings)
        if loaded is None:
            return None
        meta, arrays = loaded
        early = meta.get("early")
        if early is not None:
            n = early.pop("n_best_weights")
            early["best_weights"] = [arrays[f"b{i}"] for i in range(n)] if n else None
        log.info("resuming training from %s after epoch %d", self.path, meta["epoch"])
        self.seconds = float(meta.get("seconds", 0.0))         # older checkpoints: unknown
        return {"epoch": meta["epoch"], "history": meta["history"],
                "stopped": meta["stopped"], "early": early, "seconds": self.seconds}

    def callback(self, history, early_stopping=None, sink=None):
        """A Keras callback that saves the state at each epoch's end.

        ``history`` holds the epochs trained before this ``fit`` (it is extended in place,
        so it ends with the whole history); ``sink``, a dict, receives the epochs done.
        Each save records the training's seconds: those of the legs before this one (what
        :meth:`load` found) and this leg's so far.
        """
        import keras  # noqa: PLC0415
        ckpt = self

        class _Save(keras.callbacks.Callback):
            def __init__(self):
                super().__init__()
                self.t0 = time.perf_counter()

            def on_train_begin(self, logs=None):
                self.t0 = time.perf_counter()          # this leg's training starts here

            def on_epoch_end(self, epoch, logs=None):
                for k, v in (logs or {}).items():
                    history.setdefault(k, []).append(float(v))
                es, arrays, early = early_stopping, {}, None
                if es is not None:
                    best = es.best_weights or []
                    arrays = {f"b{i}": np.asarray(w) for i, w in enumerate(best)}
                    early = {"wait": int(es.wait), "best_epoch": int(es.best_epoch),
                             "stopped_epoch": int(es.stopped_epoch),
                             "best": None if es.best is None else float(es.best),
                             "n_best_weights": len(best)}
                meta = {"epoch": epoch + 1, "history": history, "early": early,
                        "stopped": bool(self.model.stop_training), "settings": ckpt.settings,
                        "seconds": ckpt.seconds + time.perf_counter() - self.t0}
                save_training(ckpt.path, self.model, meta, arrays)
                if sink is not None:
                    sink["epochs"] = epoch + 1

        return _Save()

    def clear(self):
        """Delete the checkpoint (once the trained autoencoder is stored)."""
        self.path.unlink(missing_ok=True)
