"""TrackedPenalty: the boosted objective's penalty carried from round to round.

Oracles: the stateless ``_Penalty`` of ``fairness._dcov`` on the same
predictions every round, dcor for the value and the full-matrix gradient of
``_naive`` on a small case.
"""

from __future__ import annotations

import dcor
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit

from fairness._dcov._common import resolve_unbiased
from fairness._dcov._engine import _naive
from fairness._dcov._inputs import _encode
from fairness._dcov._penalty import _Penalty
from fairness._models._boosted_penalty import TrackedPenalty, link_derivatives


def _stump_margins(n, rounds, seed, n_bins=6, offset=None):
    """Margins of depth-1 stumps accumulated in float32 as XGBoost's cache.

    ``offset`` (log exposure) is in the cache, so the margin without it
    carries rounding noise, as in a Poisson fit.
    """
    rng = np.random.default_rng(seed)
    bins = rng.integers(0, n_bins, (n, 3))
    cache = np.full(n, -1.0, dtype=np.float32)
    if offset is not None:
        cache = (cache + offset).astype(np.float32)
    out = []
    for _ in range(rounds):
        f, cut = rng.integers(0, 3), rng.integers(1, n_bins)
        left, right = np.float32(rng.normal(0, 0.2)), np.float32(rng.normal(0, 0.2))
        cache = (cache + np.where(bins[:, f] < cut, left, right)).astype(np.float32)
        margin = cache.astype(np.float64)
        out.append(margin if offset is None else margin - offset)
    return out


def _sensitive(n, seed, kind):
    rng = np.random.default_rng(seed)
    race = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])
    gender = rng.integers(0, 2, n)
    if kind == "one":
        return pd.Series(race, name="race")
    if kind == "two":
        return pd.DataFrame({"race": race, "gender": gender})
    if kind == "many":  # 20 cells: the occupied-pairs path of the sign sums
        region = rng.integers(0, 10, n).astype(str)
        return pd.DataFrame({"gender": gender, "region": region})
    return pd.DataFrame({"race": race, "age": rng.uniform(20, 70, n)})


def _reference(penalty, family, scale, lin):
    """Value and gradient wrt the margin from the stateless penalty."""
    p, d1, d2 = link_derivatives(family, scale, lin)
    value, grad = penalty(p)
    hess = None if d2 is None else np.abs(grad * d2)
    return value, grad * (1.0 if d1 is None else d1), hess


@pytest.mark.parametrize("unbiased", [True, False])
@pytest.mark.parametrize("kind", ["dcov", "ccdcov", "jdcov"])
@pytest.mark.parametrize("attrs", ["one", "two", "many", "mixed"])
@pytest.mark.parametrize("built", ["prepare", "from a _Penalty"])
def test_every_round_equals_the_stateless_penalty(kind, attrs, unbiased, built):
    n = 400
    enc = _encode(_sensitive(n, 1, attrs), n)
    est = resolve_unbiased(unbiased)
    pen = _Penalty(kind, enc, est)
    if built == "prepare":
        tracked = TrackedPenalty.prepare(kind, enc, est, 1.0, "binomial", "probability")
    else:
        tracked = TrackedPenalty(pen, "binomial", "probability")
    expected_method = "cells" if attrs != "mixed" else pen.method
    assert tracked.method == expected_method
    for lin in _stump_margins(n, 25, 2):
        value, grad, hess = tracked(lin)
        ref_value, ref_grad, ref_hess = _reference(pen, "binomial", "probability", lin)
        assert value == pytest.approx(ref_value, rel=1e-9, abs=1e-15)
        scale = np.abs(ref_grad).max()
        np.testing.assert_allclose(grad, ref_grad, rtol=1e-9, atol=1e-12 * scale)
        assert hess is not None and ref_hess is not None
        np.testing.assert_allclose(hess, ref_hess, rtol=1e-9, atol=1e-12 * scale)
    # the stumps' structure was followed: one full sort at the first call
    # (and one more where 20 cells switch to the row evaluators)
    assert tracked.rebuilds == (2 if attrs == "many" else 1)


@pytest.mark.parametrize("n_bins", [2, 6])
def test_many_cells_on_both_paths(n_bins):
    # 20 cells: few distinct margins (2 bins) keep the cell sums (on the
    # occupied pairs); many (6 bins) switch to the row evaluators
    n = 400
    enc = _encode(_sensitive(n, 11, "many"), n)
    pen = _Penalty("ccdcov", enc, "V")
    tracked = TrackedPenalty.prepare("ccdcov", enc, "V", 1.0, "binomial", "logit")
    for lin in _stump_margins(n, 12, 12, n_bins=n_bins):
        value, grad, _ = tracked(lin)
        ref_value, ref_grad, _ = _reference(pen, "binomial", "logit", lin)
        assert value == pytest.approx(ref_value, rel=1e-9)
        np.testing.assert_allclose(grad, ref_grad, rtol=1e-9, atol=1e-15)
    assert (tracked.penalty is None) == (n_bins == 2)


def test_factor_scales_gradient_and_curvature():
    n = 200
    enc = _encode(_sensitive(n, 9, "two"), n)
    lin = _stump_margins(n, 8, 10)[-1]
    one = TrackedPenalty.prepare("ccdcov", enc, "U", 1.0, "poisson", "probability")
    many = TrackedPenalty.prepare("ccdcov", enc, "U", 1.0, "poisson", "probability")
    value, grad, hess = one(lin)
    value3, grad3, hess3 = many(lin, 3.0)
    assert value3 == value
    np.testing.assert_allclose(grad3, 3.0 * grad, rtol=1e-14)
    np.testing.assert_allclose(hess3, 3.0 * hess, rtol=1e-14)


def test_needs_a_penalty_or_cells():
    with pytest.raises(ValueError, match="needs a penalty or its cells"):
        TrackedPenalty(None, "binomial", "probability")


@pytest.mark.parametrize(
    ("family", "scale"),
    [
        ("binomial", "logit"),
        ("poisson", "probability"),
        ("poisson", "logit"),
        ("gaussian", "probability"),
    ],
)
@pytest.mark.parametrize("attrs", ["two", "mixed"])
def test_families_scales_and_an_offset(family, scale, attrs):
    n = 300
    enc = _encode(_sensitive(n, 3, attrs), n)
    pen = _Penalty("ccdcov", enc, resolve_unbiased(True))
    tracked = TrackedPenalty(pen, family, scale)
    offset = None
    if family == "poisson":
        offset = np.log(np.random.default_rng(4).uniform(0.1, 1.0, n))
    for lin in _stump_margins(n, 15, 5, offset=offset):
        value, grad, hess = tracked(lin)
        ref_value, ref_grad, ref_hess = _reference(pen, family, scale, lin)
        assert value == pytest.approx(ref_value, rel=1e-9)
        np.testing.assert_allclose(
            grad, ref_grad, rtol=1e-9, atol=1e-12 * np.abs(ref_grad).max()
        )
        assert (hess is None) == (ref_hess is None)
        if hess is not None:
            np.testing.assert_allclose(hess, ref_hess, rtol=1e-9, atol=1e-15)
    assert (hess is None) == (scale == "logit" or family == "gaussian")


def test_value_and_gradient_match_dcor_and_the_full_matrices():
    # an independent oracle: the U statistic of dcor on the concatenated
    # one-hot attributes, and the gradient from the n x n matrices
    n = 120
    S = _sensitive(n, 6, "two")
    onehot = pd.get_dummies(S.astype(str)).to_numpy(dtype=np.float64)
    pen = _Penalty("ccdcov", _encode(S, n), resolve_unbiased(True))
    tracked = TrackedPenalty(pen, "gaussian", "logit")
    for lin in _stump_margins(n, 6, 7, n_bins=4):
        value, grad, hess = tracked(lin)
        expected = dcor.u_distance_covariance_sqr(lin, onehot)
        assert value == pytest.approx(expected, rel=1e-9, abs=1e-14)
        naive_value, naive_grad = _naive(lin[:, None], onehot, "U")
        assert value == pytest.approx(naive_value, rel=1e-9, abs=1e-14)
        assert naive_grad is not None
        np.testing.assert_allclose(grad, naive_grad, rtol=1e-9, atol=1e-13)
        assert hess is None


def test_hand_computed_four_rows():
    # x = (0, 0, 1, 2), binary s = (0, 1, 0, 1), V statistic. The attribute
    # distance is sqrt(2) [s_i != s_j]; double centred, B_ij = +sqrt(2)/2
    # where s differs and -sqrt(2)/2 where it agrees (diagonal included), so
    # dCov^2_V = (1/16) sum_ij |x_i - x_j| B_ij. Unordered pairs with their
    # |x_i - x_j| and sign: (1,2) 0 +, (1,3) 1 -, (1,4) 2 +, (2,3) 1 +,
    # (2,4) 2 -, (3,4) 1 +: sum 1, twice over ordered pairs:
    # dCov^2_V = 2 (sqrt(2)/2) / 16 = sqrt(2)/16.
    x = np.array([0.0, 0.0, 1.0, 2.0])
    s = np.array([0, 1, 0, 1])
    pen = _Penalty("ccdcov", _encode(s, 4), resolve_unbiased(False))
    tracked = TrackedPenalty(pen, "gaussian", "logit")
    value, grad, _ = tracked(x)
    assert value == pytest.approx(np.sqrt(2.0) / 16.0, rel=1e-12)
    # dD/dx_4 = (2/16) sum_j sign(x_4 - x_j) B_4j, signs (1, 1, 1, 0) and
    # B_4j / (sqrt(2)/2) = (1, -1, 1, -1): (2/16)(sqrt(2)/2) = sqrt(2)/16.
    # Row 1 (tied with row 2): signs (0, 0, -1, -1), B_1j / (sqrt(2)/2) =
    # (-1, 1, -1, 1): the sum is 1 - 1 = 0.
    assert grad[3] == pytest.approx(np.sqrt(2.0) / 16.0, rel=1e-12)
    assert grad[0] == pytest.approx(0.0, abs=1e-15)


def test_inverse_link_ties_join_groups():
    # margins 40 and 41 both give a probability of exactly 1.0: their rows
    # tie in the penalty although their margins do not
    n = 60
    rng = np.random.default_rng(8)
    enc = _encode(rng.integers(0, 2, n), n)
    pen = _Penalty("ccdcov", enc, resolve_unbiased(True))
    lin = np.where(rng.random(n) < 0.5, 40.0, 41.0)
    lin[:20] = rng.normal(size=20)
    assert np.unique(expit(lin)).size < np.unique(lin).size
    tracked = TrackedPenalty(pen, "binomial", "probability")
    value, grad, hess = tracked(lin)
    ref_value, ref_grad, ref_hess = _reference(pen, "binomial", "probability", lin)
    assert value == pytest.approx(ref_value, rel=1e-9)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-9, atol=1e-15)
    assert hess is not None and ref_hess is not None
    np.testing.assert_allclose(hess, ref_hess, rtol=1e-9, atol=1e-15)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(0, 3), min_size=3, max_size=6),
    st.integers(0, 2**31 - 1),
)
def test_any_sequence_of_margins_is_exact(levels, seed):
    # arbitrary moves (not stumps), repeated and tied values: the grouping is
    # a hint only, the result is always the stateless penalty's. Values on a
    # dyadic grid, so that sums are exact: near-ties that the reference's
    # centring (x - median) rounds into ties would change its subgradient.
    n = 40
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"a": rng.integers(0, 3, n), "b": rng.integers(0, 2, n)})
    pen = _Penalty("dcov", _encode(frame, n), resolve_unbiased(True))
    tracked = TrackedPenalty(pen, "binomial", "logit")
    lin = rng.integers(-64, 64, n) / 16.0
    for k in levels:
        if k == 0:
            lin = rng.integers(-64, 64, n) / 16.0
        elif k == 1:
            lin = lin + rng.choice([-0.125, 0.25, 0.5], n)  # three leaf values
        elif k == 2:
            lin = np.round(lin * 2.0) / 2.0  # new ties
        else:
            lin = lin.copy()  # no move
        value, grad, _ = tracked(lin)
        ref_value, ref_grad, _ = _reference(pen, "binomial", "logit", lin)
        assert value == pytest.approx(ref_value, rel=1e-9, abs=1e-14)
        np.testing.assert_allclose(grad, ref_grad, rtol=1e-9, atol=1e-13)
