"""Progress of long trainings: one bar over epochs, with elapsed time and time left; and
predictions that do not fill a notebook with TensorFlow's retracing warnings."""
from __future__ import annotations

import logging

__all__ = ["epoch_bar", "predict"]


def predict(model, X, batch_size=1024):
    """``model.predict(X)`` without a progress bar, and without TensorFlow's warning that
    its predict function "triggered tf.function retracing".

    TensorFlow gives that warning when one process calls ``predict`` on many models, which
    is what the book does (each estimator builds its own network); it is advice about
    performance, not a fault, and it reached the pages of the book. Other warnings and
    other backends are untouched.
    """
    tf_log = logging.getLogger("tensorflow")
    level = tf_log.level
    tf_log.setLevel(max(level, logging.ERROR))
    try:
        return model.predict(X, batch_size=batch_size, verbose=0)
    finally:
        tf_log.setLevel(level)


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
