"""Property-based tests: invariances of every score, and clear errors for any bad input."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dimclust as dc
from dimclust.metrics import SCORES

labels = st.lists(st.integers(0, 6), min_size=2, max_size=40)


def pair(draw_labels):
    return st.integers(2, 40).flatmap(
        lambda n: st.tuples(st.lists(st.integers(0, 5), min_size=n, max_size=n),
                            st.lists(st.integers(0, 6), min_size=n, max_size=n)))


@pytest.mark.parametrize("name", sorted(SCORES))
@given(yp=pair(labels), perm_seed=st.integers(0, 2**16))
@settings(max_examples=60, deadline=None)
def test_scores_are_floats_invariant_to_relabelling_and_symmetric(name, yp, perm_seed):
    score = SCORES[name]
    y_true, y_pred = map(np.asarray, yp)
    value = score(y_true, y_pred)
    assert type(value) is float
    assert -1.0 <= value <= 1.0 + 1e-12
    # renaming the clusters (a permutation of their ids, plus an offset) changes nothing
    perm = np.random.default_rng(perm_seed).permutation(7) + 100
    assert score(y_true, perm[y_pred]) == pytest.approx(value, abs=1e-12)
    # the scores compare two partitions symmetrically
    assert score(y_pred, y_true) == pytest.approx(value, abs=1e-12)
    # a partition agrees with itself perfectly (ARI/AMI/NMI with one group: sklearn's 1.0)
    assert score(y_true, perm[y_true]) == pytest.approx(1.0, abs=1e-12)


@given(yp=pair(labels))
@settings(max_examples=60, deadline=None)
def test_evaluate_reports_every_registered_score(yp):
    y_true, y_pred = map(np.asarray, yp)
    out = dc.evaluate(y_true, y_pred)
    assert set(SCORES) <= set(out)
    for name, score in SCORES.items():
        assert out[name] == score(y_true, y_pred)


bad_labels = st.one_of(
    st.lists(st.floats(allow_nan=True).filter(lambda v: not float(v).is_integer()),
             min_size=1, max_size=5),
    st.lists(st.text(min_size=1, max_size=3), min_size=1, max_size=5))


@given(bad=bad_labels)
@settings(max_examples=60, deadline=None)
def test_bad_labels_give_a_clear_value_error(bad):
    with pytest.raises(ValueError, match="y_pred must hold integer labels"):
        dc.nmi(np.zeros(len(bad), int), bad)


@given(spec=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789+ ", max_size=25))
@settings(max_examples=300, deadline=None)
def test_any_pipeline_spec_parses_or_gives_a_value_error(spec):
    try:
        reducers, clusterer = dc.parse_pipeline(spec)
    except ValueError as e:
        assert spec.strip().lower() in str(e) or "must be a string" in str(e)
        return
    assert clusterer in dc.pipelines.PARTS and all(d >= 1 for _, d in reducers)


@given(n=st.one_of(st.integers(-5, 3000), st.floats(allow_nan=True), st.text(max_size=3),
                   st.none()),
       name=st.sampled_from(["digits", "digitz", "DIGITS", ""]))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_loader_arguments_load_or_fail_clearly(n, name):
    try:
        X, y = dc.datasets.load(name, n_samples=n, random_state=0)
    except KeyError as e:
        assert "unknown data set" in str(e) and name != "digits"
        return
    except ValueError as e:
        assert "n_samples=" in str(e)
        return
    assert len(X) == len(y) == (1797 if n is None else n)
