"""Predictions keep TensorFlow's retracing advice off the page, and nothing else."""
import logging

import numpy as np

from dimclust.progress import predict


class _Model:
    """Logs as TensorFlow does when a predict function is traced again."""
    def predict(self, X, batch_size, verbose):
        assert verbose == 0
        tf = logging.getLogger("tensorflow")
        tf.warning("5 out of the last 7 calls to <function ...> triggered tf.function retracing")
        tf.error("a real error")
        return np.asarray(X) * 2


def test_predict_drops_the_retracing_warning_but_keeps_errors_and_the_level():
    seen = []
    handler = logging.Handler()
    handler.emit = lambda record: seen.append((record.levelno, record.getMessage()))
    tf = logging.getLogger("tensorflow")
    tf.addHandler(handler)
    tf.setLevel(logging.INFO)
    try:
        out = predict(_Model(), [1.0, 2.0])
        assert out.tolist() == [2.0, 4.0]
        assert seen == [(logging.ERROR, "a real error")]
        assert tf.level == logging.INFO                       # put back as it was
        tf.warning("after")
        assert seen[-1] == (logging.WARNING, "after")
    finally:
        tf.removeHandler(handler)
        tf.setLevel(logging.NOTSET)
