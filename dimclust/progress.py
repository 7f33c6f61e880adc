"""Progress of long trainings: one bar over epochs, with elapsed time and time left."""
from __future__ import annotations

__all__ = ["epoch_bar"]


def epoch_bar(total, initial=0, desc="epochs"):
    """A Keras callback drawing one tqdm bar over ``total`` epochs, starting at ``initial``
    (a resumed run), with the last epoch's losses beside it.

    tqdm's estimate of the time left counts only the epochs trained in this process, so a
    resumed run's estimate is not thrown off by the epochs done before.
    """
    import keras  # noqa: PLC0415
    from tqdm.auto import tqdm  # noqa: PLC0415

    class _EpochBar(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.bar = tqdm(total=int(total), initial=int(initial), desc=desc, unit="epoch")

        def on_epoch_end(self, epoch, logs=None):
            self.bar.set_postfix({k: f"{v:.4g}" for k, v in (logs or {}).items()})
            self.bar.update(1)

        def on_train_end(self, logs=None):
            self.bar.close()

    return _EpochBar()
