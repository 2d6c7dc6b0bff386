import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard import information_value
from scorecard._binning._merge import merge_counts, merge_objective, optimal_merge

CHI2_1_999 = 10.827566170662733


# --------------------------------------------------------------------------
# an independent brute force: enumerate every partition into contiguous bins


def _iv_terms(table, totals, smoothing):
    g, b = table[:, 0].astype(float), table[:, 1].astype(float)
    zero = (g == 0) | (b == 0)
    g = np.where(zero, g + smoothing, g)
    b = np.where(zero, b + smoothing, b)
    p, q = g / totals[0], b / totals[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return (p - q) * np.log(p / q)


def _trend_ok(rates, trend):
    d = np.diff(rates)
    if trend is None:
        return True
    if trend == "ascending":
        return bool(np.all(d >= 0))
    if trend == "descending":
        return bool(np.all(d <= 0))
    for k in range(len(rates)):
        left, right = np.diff(rates[: k + 1]), np.diff(rates[k:])
        if trend == "peak" and np.all(left >= 0) and np.all(right <= 0):
            return True
        if trend == "valley" and np.all(left <= 0) and np.all(right >= 0):
            return True
    return False


def brute_force(
    counts,
    *,
    min_bin_size=0.0,
    max_n_bins=None,
    trend=None,
    protected=None,
    mu=0.0,
    smoothing=0.5,
    only=None,
):
    counts = np.asarray(counts, dtype=float)
    k = counts.shape[0]
    totals = counts.sum(axis=0)
    floor = min_bin_size * totals.sum()
    best = -math.inf
    for r in range(k):
        if max_n_bins is not None and r + 1 > max_n_bins:
            break
        for cuts in itertools.combinations(range(1, k), r):
            if only is not None and tuple(cuts) != tuple(only):
                continue
            table = merge_counts(counts, cuts)
            size = table.sum(axis=1)
            if np.any(size <= 0) or np.any(size < floor * (1 - 1e-12)):
                continue
            terms = _iv_terms(table, totals, smoothing)
            if not np.all(np.isfinite(terms)):
                continue
            if not _trend_ok(table[:, 1] / size, trend):
                continue
            value = terms.sum()
            if protected is not None:
                pt = merge_counts(protected, cuts)
                pterms = _iv_terms(pt, np.asarray(protected).sum(axis=0), smoothing)
                value -= mu * pterms.sum()
            best = max(best, value)
    return best


def brute_auto(counts, **kw):
    tot = np.asarray(counts, dtype=float).sum(axis=0)
    scale = tot[0] * tot[1] / tot.sum()
    mono = max(brute_force(counts, trend=t, **kw) for t in ("ascending", "descending"))
    bend = max(brute_force(counts, trend=t, **kw) for t in ("peak", "valley"))
    if math.isfinite(bend) and (
        not math.isfinite(mono) or scale * (bend - mono) > CHI2_1_999
    ):
        return bend
    return mono


tables = (
    st.integers(1, 7)
    .flatmap(
        lambda k: st.lists(
            st.tuples(st.integers(0, 60), st.integers(0, 60)), min_size=k, max_size=k
        )
    )
    .filter(lambda rows: sum(r[0] for r in rows) > 0 and sum(r[1] for r in rows) > 0)
)

trends = st.sampled_from([None, "ascending", "descending", "peak", "valley"])


@settings(max_examples=150, deadline=None)
@given(
    tables,
    st.sampled_from([0.0, 0.1, 0.25]),
    st.sampled_from([None, 1, 2, 3]),
    trends,
)
def test_dp_equals_brute_force(rows, min_bin_size, max_n_bins, trend):
    counts = np.array(rows, dtype=float)
    res = optimal_merge(
        counts,
        min_bin_size=min_bin_size,
        max_n_bins=max_n_bins,
        monotonic_trend=trend,
        pure_bins="allow",
    )
    best = brute_force(
        counts, min_bin_size=min_bin_size, max_n_bins=max_n_bins, trend=trend
    )
    if math.isfinite(best):
        assert res.feasible
        assert res.objective == pytest.approx(best, rel=1e-9, abs=1e-12)
        # the reported cuts achieve the reported objective and obey the limits
        assert res.iv == pytest.approx(merge_objective(counts, res.cuts), abs=1e-12)
        table = merge_counts(counts, res.cuts)
        assert np.all(table.sum(axis=1) >= min_bin_size * counts.sum() * (1 - 1e-9))
        assert max_n_bins is None or res.n_bins <= max_n_bins
        assert _trend_ok(table[:, 1] / table.sum(axis=1), trend)
    else:
        assert not res.feasible and res.cuts == ()


@settings(max_examples=60, deadline=None)
@given(tables, tables, st.sampled_from([0.0, 0.5, 3.0]), trends)
def test_dp_with_protected_equals_brute_force(rows, prot_rows, mu, trend):
    counts = np.array(rows, dtype=float)
    k = counts.shape[0]
    protected = np.array((prot_rows * k)[:k], dtype=float) + 1  # no empty rows
    res = optimal_merge(
        counts,
        sensitive_counts=protected,
        mu=mu,
        monotonic_trend=trend,
        pure_bins="allow",
    )
    best = brute_force(counts, protected=protected, mu=mu, trend=trend)
    if math.isfinite(best):
        assert res.objective == pytest.approx(best, rel=1e-9, abs=1e-12)
        assert res.objective == pytest.approx(res.iv - mu * res.protected_iv)


@settings(max_examples=60, deadline=None)
@given(tables, st.sampled_from([0.0, 0.1]))
def test_auto_trend_rule(rows, min_bin_size):
    # Counts scaled up so that the significance rule matters in both ways.
    counts = np.array(rows, dtype=float) * 7
    res = optimal_merge(
        counts, min_bin_size=min_bin_size, monotonic_trend="auto", pure_bins="allow"
    )
    best = brute_auto(counts, min_bin_size=min_bin_size)
    if math.isfinite(best):
        assert res.objective == pytest.approx(best, rel=1e-9, abs=1e-12)
        assert res.monotonic_trend in ("ascending", "descending", "peak", "valley")


def test_unconstrained_keeps_every_prebin():
    # Merging never increases IV (data processing), so with no constraints
    # the finest partition is optimal and its objective is the IV itself.
    counts = np.array([[120, 8], [90, 12], [60, 15], [40, 22], [30, 30]], dtype=float)
    res = optimal_merge(counts)
    assert res.cuts == (1, 2, 3, 4)
    assert res.iv == pytest.approx(
        information_value(counts[:, 0], counts[:, 1]).estimate
    )


def test_hand_computed_two_bins():
    # Two bins of four: the best split of an ascending table with max_n_bins=2.
    counts = np.array([[90, 10], [80, 20], [85, 15], [60, 40]], dtype=float)
    res = optimal_merge(counts, max_n_bins=2)
    g, b = np.array([255.0, 60.0]), np.array([45.0, 40.0])
    p, q = g / 315, b / 85
    assert res.cuts == (3,)
    assert res.iv == pytest.approx(float(np.sum((p - q) * np.log(p / q))), rel=1e-12)


def test_totals_shift_shares():
    # With totals of the whole feature (missing bin outside the table) the
    # shares are relative to those totals.
    counts = np.array([[50, 5], [50, 15]], dtype=float)
    res = optimal_merge(counts, totals=(200.0, 40.0))
    p, q = counts[:, 0] / 200, counts[:, 1] / 40
    assert res.iv == pytest.approx(float(np.sum((p - q) * np.log(p / q))))


def test_infeasible_returns_single_bin():
    counts = np.array([[5, 1], [5, 1]], dtype=float)
    res = optimal_merge(counts, min_bin_size=0.4, totals=(100.0, 10.0))
    assert not res.feasible and res.cuts == () and res.n_bins == 1


def test_fairness_weight_reduces_protected_iv():
    rng = np.random.default_rng(3)
    counts = rng.integers(20, 200, size=(8, 2)).astype(float)
    protected = rng.integers(20, 200, size=(8, 2)).astype(float)
    ivs = [
        optimal_merge(
            counts, sensitive_counts=protected, mu=mu, max_n_bins=4
        ).protected_iv
        for mu in (0.0, 0.5, 2.0, 10.0)
    ]
    assert all(a >= b - 1e-12 for a, b in zip(ivs, ivs[1:], strict=False))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"counts": [[1, 2, 3]]}, r"counts must have shape \(K, 2\)"),
        ({"counts": [[1, -2]]}, "finite and non-negative"),
        ({"monotonic_trend": "up"}, "monotonic_trend must be one of"),
        ({"min_bin_size": 1.5}, r"min_bin_size must be in \[0, 1\)"),
        ({"max_n_bins": 0}, "max_n_bins must be an int >= 1"),
        ({"mu": -1.0}, "mu must be a finite number >= 0"),
        ({"smoothing": -0.1}, "smoothing must be"),
        ({"totals": (1.0, 1.0)}, "smaller than the table's column sums"),
        ({"totals": (0.0, 5.0)}, "must both be > 0"),
        ({"sensitive_counts": [[1, 1]]}, "sensitive_counts must have 2 rows"),
    ],
)
def test_bad_input(kwargs, match):
    args = {"counts": [[10, 2], [5, 5]], **kwargs}
    with pytest.raises(ValueError, match=match):
        optimal_merge(args.pop("counts"), **args)


def test_old_protected_keywords_warn_and_give_the_same_merge():
    counts = np.array([[40, 5], [30, 10], [20, 20], [10, 30]], dtype=float)
    groups = np.array([[20, 25], [22, 18], [25, 15], [20, 20]], dtype=float)
    new = optimal_merge(
        counts, sensitive_counts=groups, sensitive_totals=(87, 78), mu=0.5
    )
    with pytest.warns(
        FutureWarning, match="'protected' was renamed to 'sensitive_counts'"
    ):
        old = optimal_merge(counts, protected=groups, sensitive_totals=(87, 78), mu=0.5)
    assert old.cuts == new.cuts and old.objective == new.objective


# -------------------------------------------------------- pure bins (item 8)


def _brute_avoid(counts, **kw):
    """Best objective without pure bins, else with them (the documented rule)."""
    arr = np.asarray(counts, dtype=float)
    k = arr.shape[0]
    best_clean = -math.inf
    for r in range(k):
        for cuts in itertools.combinations(range(1, k), r):
            table = merge_counts(arr, cuts)
            if np.any((table[:, 0] == 0) | (table[:, 1] == 0)):
                continue
            value = brute_force(arr, **kw, only=cuts)
            best_clean = max(best_clean, value)
    return best_clean if math.isfinite(best_clean) else brute_force(arr, **kw)


@settings(max_examples=120, deadline=None)
@given(tables, st.sampled_from([0.0, 0.1, 0.25]), trends)
def test_dp_avoids_pure_bins_when_a_partition_can(rows, min_bin_size, trend):
    counts = np.array(rows, dtype=float)
    res = optimal_merge(counts, min_bin_size=min_bin_size, monotonic_trend=trend)
    best = _brute_avoid(counts, min_bin_size=min_bin_size, trend=trend)
    table = merge_counts(counts, res.cuts)
    pure = bool(np.any((table[:, 0] == 0) | (table[:, 1] == 0)))
    assert res.pure_bins == pure
    if math.isfinite(best):
        assert res.objective == pytest.approx(best, rel=1e-9, abs=1e-12)


def test_pure_bin_avoided_by_a_merge():
    # the free optimum puts the 30 goods-only rows in their own bin
    counts = [[30, 0], [40, 20], [60, 5]]
    assert optimal_merge(counts, pure_bins="allow").cuts == (1, 2)
    res = optimal_merge(counts)
    table = merge_counts(counts, res.cuts)
    assert np.all(table > 0) and not res.pure_bins


def test_pure_bin_kept_when_no_merge_avoids_it():
    # every row is good in the regular values: the single bin is pure
    res = optimal_merge([[30, 0], [40, 0]], totals=(70.0, 5.0))
    assert res.cuts == () and res.pure_bins


def test_pure_bins_option_is_checked():
    with pytest.raises(ValueError, match="pure_bins must be 'avoid' or 'allow'"):
        optimal_merge([[1, 2], [3, 4]], pure_bins="never")
