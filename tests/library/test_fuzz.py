"""Fuzzing the public API: random shapes, dtypes and values into the estimators, metrics and
the command line. Every input is either accepted or refused with a ``ValueError`` /
``TypeError`` that names what is wrong; nothing crashes with an unexplained error."""
import json
import os
import re
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import dimclust as dc
from dimclust.__main__ import main

# Examples are drawn the same way on every run (derandomize), so the suite passes or fails
# for the code alone. To explore further: DIMCLUST_FUZZ_EXPLORE=1 pytest tests/test_fuzz.py
# --hypothesis-seed=7 (any seed draws a fresh sequence).
_EXPLORE = bool(os.environ.get("DIMCLUST_FUZZ_EXPLORE"))
FUZZ = settings(max_examples=80, deadline=None, derandomize=not _EXPLORE,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SMALL = settings(FUZZ, max_examples=30)

dtypes = st.sampled_from([np.float32, np.float64, np.int64, np.uint8, np.bool_, np.complex64,
                          np.dtype("U2"), np.dtype("O")])


@st.composite
def arrays(draw, max_dims=3, max_side=12):
    dtype = draw(dtypes)
    text = np.dtype(dtype).kind in "UO"          # drawn one by one: keep them few
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=0,
                                  max_side=3 if text else max_side))
    if np.dtype(dtype).kind in "UO":
        return np.array(draw(st.lists(st.text(max_size=2), min_size=int(np.prod(shape)),
                                      max_size=int(np.prod(shape)))), dtype=dtype).reshape(shape)
    elements = None
    if np.dtype(dtype).kind == "f":
        elements = st.floats(-1e6, 1e6, width=np.dtype(dtype).itemsize * 8) | st.sampled_from(
            [np.nan, np.inf, -np.inf, 0.0, 1.0])
    return draw(hnp.arrays(dtype, shape, elements=elements))


def refused_clearly(err, *names):
    """An error of the public API: the right type and a message naming one of ``names``."""
    assert isinstance(err, (ValueError, TypeError)), repr(err)
    text = str(err)
    assert any(re.search(rf"\b{re.escape(n)}\b", text) for n in names), text


@pytest.mark.parametrize("pipeline", ["kmeans", "pca2+kmeans", "pca2+gmm"])
@given(X=arrays(), n_clusters=st.one_of(st.integers(-2, 6), st.floats(), st.none()))
@FUZZ
def test_pipelines_accept_or_refuse_any_table(pipeline, X, n_clusters):
    est = dc.ClusteringPipeline(pipeline, n_clusters=n_clusters, random_state=0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est.fit(X)
    except Exception as e:  # noqa: BLE001
        # scikit-learn's own message for a mixture on collapsed points names its fix
        refused_clearly(e, "X", "n_clusters", "n_samples", "n_components", "pca2", "reg_covar")
        return
    assert est.labels_.shape == (len(X),)


@given(X=arrays(max_dims=2, max_side=40), perplexity=st.floats(-5, 100))
@SMALL
def test_tsne_accepts_or_refuses_any_table(X, perplexity):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t = dc.TSNE(perplexity=perplexity, n_iter=10, random_state=0).fit(X)
    except Exception as e:  # noqa: BLE001
        refused_clearly(e, "X", "perplexity", "n_samples")
        return
    assert t.embedding_.shape == (len(X), 2) and 0 < t.perplexity_ <= perplexity


@given(y_true=arrays(max_dims=2), y_pred=arrays(max_dims=2))
@FUZZ
def test_scores_accept_or_refuse_any_labels(y_true, y_pred):
    for score in dc.metrics.SCORES.values():
        try:
            value = score(y_true, y_pred)
        except Exception as e:  # noqa: BLE001
            refused_clearly(e, "y_true", "y_pred")
            continue
        assert type(value) is float


@given(images=arrays(max_dims=4, max_side=30))
@settings(FUZZ, max_examples=60)
def test_autoencoders_refuse_any_image_stack_they_cannot_train_on(images):
    X = np.asarray(images)
    trainable = (X.ndim in (3, 4) and X.shape[1] == X.shape[2] and X.shape[1] % 4 == 0
                 and X.shape[1] >= 8 and len(X) >= 6)     # a shape Guo's CAE is built for
    if trainable:          # a real training is not what this fuzzes; the refusals are
        return
    for est in (dc.ConvAutoencoder(epochs=1, verbose=0), dc.DCEC(pretrain_epochs=1, verbose=0)):
        with pytest.raises((ValueError, TypeError)) as info:
            est.fit(X)
        refused_clearly(info.value, "X", "n_samples", "n_clusters", "validation_split",
                        "CAE")


json_values = st.recursive(st.none() | st.booleans() | st.integers(-3, 3) | st.floats() |
                           st.text(max_size=4),
                           lambda inner: st.lists(inner, max_size=3) |
                           st.dictionaries(st.text(max_size=6), inner, max_size=3),
                           max_leaves=6)


@given(params=st.dictionaries(st.sampled_from(["kmeans", "pca", "umap", "gmm", "x"]),
                              json_values, max_size=2))
@settings(FUZZ, max_examples=60,        # the fixtures are the same for every example
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_the_command_line_takes_any_params_with_a_result_or_one_line(params, capsys, tmp_path,
                                                                     monkeypatch):
    monkeypatch.setenv("DIMCLUST_CACHE", str(tmp_path / "cache"))
    try:
        code = main(["run", "--dataset", "digits", "--pipeline", "pca2+kmeans", "--n-samples",
                     "60", "--out", str(tmp_path / "rec"), "--no-cache",
                     "--params", json.dumps(params)])
    except SystemExit as e:             # argparse's own refusal (status 2, usage + message)
        code = e.code
    err = capsys.readouterr().err.strip().splitlines()
    assert code in (0, 2)
    if code == 2:
        assert "Traceback" not in "\n".join(err) and "error:" in err[-1]
