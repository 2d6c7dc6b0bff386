"""Back-tests per grade and for the portfolio: oracles, hand cases, sizes, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats
from sklearn.metrics import brier_score_loss

from monitoring import backtest, backtest_from_counts
from monitoring._validation._backtest import (
    jeffreys_pvalues,
    traffic_lights,
    vasicek_pvalues,
)
from monitoring._validation._portfolio import portfolio_tests

CASES = [  # (n, defaults, pd)
    (100, 3, 0.01),
    (1000, 12, 0.01),
    (250, 0, 0.02),
    (50, 50, 0.5),
    (5000, 260, 0.05),
]


@pytest.mark.parametrize(("n", "d", "p"), CASES)
def test_grade_pvalues_match_scipy_beta_and_binom(n, d, p):
    table, _ = backtest_from_counts([n], [d], [p])
    assert table.jeffreys_pvalue[0] == pytest.approx(
        stats.beta.cdf(p, d + 0.5, n - d + 0.5), rel=1e-10, abs=1e-300
    )
    exact = stats.binomtest(d, n, p, alternative="greater").pvalue
    assert table.binomial_pvalue[0] == pytest.approx(exact, rel=1e-9)
    z = (d - n * p) / math.sqrt(n * p * (1 - p))
    assert table.normal_pvalue[0] == pytest.approx(stats.norm.sf(z), rel=1e-9)


def test_binomial_pvalue_by_hand():
    # P(D >= 3) for Bin(100, 0.01) = 1 - P(0) - P(1) - P(2)
    q = 0.99
    by_hand = 1 - (q**100 + 100 * 0.01 * q**99 + math.comb(100, 2) * 1e-4 * q**98)
    table, _ = backtest_from_counts([100], [3], [0.01])
    assert table.binomial_pvalue[0] == pytest.approx(by_hand, rel=1e-12)
    # Jeffreys at d = 0: Beta(1/2, n + 1/2).cdf(p)
    assert jeffreys_pvalues([10], [0], [0.1])[0] == pytest.approx(
        stats.beta.cdf(0.1, 0.5, 10.5), rel=1e-12
    )


def test_vasicek_pvalue_matches_a_direct_integral_and_the_binomial_limit():
    n, d, p, rho = 400, 14, 0.02, 0.1

    def integrand(z):
        cond = stats.norm.cdf(
            (stats.norm.ppf(p) + math.sqrt(rho) * z) / math.sqrt(1 - rho)
        )
        return stats.binom.sf(d - 1, n, cond) * stats.norm.pdf(z)

    direct, _ = integrate.quad(integrand, -12, 12, limit=200)
    assert vasicek_pvalues([n], [d], [p], rho)[0] == pytest.approx(direct, rel=1e-6)
    # correlation adds variance: a high default count is less surprising
    assert vasicek_pvalues([n], [d], [p], rho)[0] > stats.binom.sf(d - 1, n, p)
    near_zero = vasicek_pvalues([n], [d], [p], 1e-8)[0]
    assert near_zero == pytest.approx(stats.binom.sf(d - 1, n, p), rel=1e-4)


def test_traffic_lights_follow_binomial_quantiles():
    n, p = 1000, 0.02
    k95, k999 = stats.binom.ppf(0.95, n, p), stats.binom.ppf(0.999, n, p)
    d = [int(k95), int(k95) + 1, int(k999), int(k999) + 1]
    lights = traffic_lights([n] * 4, d, [p] * 4, (0.95, 0.999))
    assert lights == ("green", "yellow", "yellow", "red")
    assert stats.binom.cdf(k95, n, p) >= 0.95 > stats.binom.cdf(k95 - 1, n, p)


def _rows(n, d, p):
    y = np.concatenate(
        [np.r_[np.ones(di), np.zeros(ni - di)] for ni, di in zip(n, d, strict=True)]
    )
    pd_rows = np.repeat(p, n)
    return y, pd_rows


def test_portfolio_tests_equal_their_row_formulas():
    rng = np.random.default_rng(3)
    p = np.array([0.005, 0.01, 0.03, 0.08, 0.2])
    n = rng.integers(200, 2000, size=p.size)
    d = rng.binomial(n, p * 1.2)
    _, port = backtest_from_counts(n, d, p)
    y, q = _rows(n, d, p)
    # Hosmer-Lemeshow over fixed groups (the grades), df = number of groups
    hl = sum(
        (di - ni * pi) ** 2 / (ni * pi * (1 - pi))
        for ni, di, pi in zip(n, d, p, strict=True)
    )
    assert port.hosmer_lemeshow.statistic == pytest.approx(hl, rel=1e-12)
    assert port.hosmer_lemeshow.pvalue == pytest.approx(stats.chi2.sf(hl, 5), rel=1e-10)
    # Spiegelhalter on the rows
    z = np.sum((y - q) * (1 - 2 * q)) / np.sqrt(np.sum((1 - 2 * q) ** 2 * q * (1 - q)))
    assert port.spiegelhalter.statistic == pytest.approx(z, rel=1e-10)
    assert port.spiegelhalter.pvalue == pytest.approx(
        2 * stats.norm.sf(abs(z)), rel=1e-9
    )
    # Brier: sklearn on the rows; Murphy decomposition adds up
    b = port.brier
    assert b.estimate == pytest.approx(brier_score_loss(y, q), rel=1e-12)
    assert b.reliability - b.resolution + b.uncertainty == pytest.approx(
        b.estimate, rel=1e-12
    )
    assert b.se == pytest.approx(
        np.std((y - q) ** 2, ddof=1) / math.sqrt(y.size), rel=1e-9
    )
    # binomial test of the total defaults at the mean PD
    pbar = float((n * p).sum() / n.sum())
    exact = stats.binomtest(int(d.sum()), int(n.sum()), pbar, alternative="greater")
    assert port.binomial.pvalue == pytest.approx(exact.pvalue, rel=1e-9)


def test_backtest_counts_rows_like_backtest_from_counts():
    y = np.array([0, 1, 0, 0, 1, 1, 0, 0])
    grade = np.array(["A", "B", "A", "C", "C", "B", "B", "C"])
    pds = {"A": 0.05, "B": 0.3, "C": 0.4}
    table, port = backtest(y, grade, pds)
    assert table.n.tolist() == [2, 3, 3] and table.defaults.tolist() == [0, 2, 1]
    t2, p2 = backtest_from_counts([2, 3, 3], [0, 2, 1], [0.05, 0.3, 0.4], grades="ABC")
    np.testing.assert_array_equal(table.jeffreys_pvalue, t2.jeffreys_pvalue)
    assert port.hosmer_lemeshow.statistic == p2.hosmer_lemeshow.statistic
    frame = table.to_frame()
    assert list(frame.columns[:10]) == [
        "grade",
        "n",
        "defaults",
        "observed_dr",
        "pd",
        "jeffreys_pvalue",
        "binomial_pvalue",
        "normal_pvalue",
        "vasicek_pvalue",
        "light",
    ]
    low, high = table.ci(0.05)[1]
    assert low == pytest.approx(stats.beta.ppf(0.025, 2.5, 1.5), rel=1e-10)
    assert high == pytest.approx(stats.beta.ppf(0.975, 2.5, 1.5), rel=1e-10)


def _sizes(n, p, factor, reps, rng):
    """Rejection rates at 5% of each grade test, defaults drawn at factor * p."""
    d = rng.binomial(np.repeat(n, reps), np.repeat(p * factor, reps))
    table, _ = backtest_from_counts(
        np.repeat(n, reps), d, np.repeat(p, reps), grades=range(d.size), rho=None
    )
    out = {}
    for name in ("jeffreys_pvalue", "binomial_pvalue", "normal_pvalue"):
        rejected = getattr(table, name).reshape(len(n), reps, order="F") < 0.05
        out[name] = rejected.mean(axis=1)
    return out


def test_seeded_sizes_per_grade_within_band():
    """Calibrated PDs: each grade test's size at 5% in [3.5%, 6.5%].

    Every grade has at least 20 defaults expected.
    """
    rng = np.random.default_rng(20240601)
    p = np.array([0.004, 0.01, 0.03, 0.1])
    n = np.array([10_000, 4_000, 2_000, 600])  # 40, 40, 60, 60 defaults expected
    sizes = _sizes(n, p, 1.0, 20_000, rng)
    for name, rates in sizes.items():
        assert np.all((rates >= 0.035) & (rates <= 0.065)), (name, rates)
    power = _sizes(n, p, 1.3, 5_000, rng)["jeffreys_pvalue"]
    assert np.all(power > 0.5), power


def test_seeded_size_of_portfolio_tests():
    rng = np.random.default_rng(11)
    p = np.array([0.004, 0.01, 0.03, 0.1])
    n = np.array([10_000, 4_000, 2_000, 600])
    reps = 1_500
    rejected = np.zeros(3)
    for _ in range(reps):
        port = portfolio_tests(n, rng.binomial(n, p), p)
        rejected += [t.pvalue < 0.05 for t in port.tests]
    rates = rejected / reps
    assert np.all((rates >= 0.035) & (rates <= 0.065)), rates


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"pd_values": [0.01, 1.2]}, "pd of grade '2' must be a probability in"),
        ({"pd_values": [0.0, 0.1]}, "pd of grade '1' must be a probability in"),
        ({"n": [10, 0]}, r"grade\(s\) \['2'\] have no observations"),
        ({"defaults": [1, 2.5]}, "defaults of grade '2' must be a whole number"),
        ({"defaults": [11, 1]}, "defaults of grade '1' exceed its obligors"),
        ({"rho": 1.0}, "rho .* must be in"),
        ({"light_levels": (0.99, 0.95)}, "light_levels must satisfy"),
    ],
)
def test_bad_counts_name_the_grade(kwargs, message):
    args = {"n": [10, 20], "defaults": [1, 2], "pd_values": [0.01, 0.1]} | kwargs
    with pytest.raises(ValueError, match=message):
        backtest_from_counts(
            args.pop("n"), args.pop("defaults"), args.pop("pd_values"), **args
        )


def test_bad_rows_raise_clear_errors():
    pds = {"A": 0.05, "B": 0.3}
    with pytest.raises(
        ValueError, match=r"grade\(s\) \['C'\] that are not on the master"
    ):
        backtest([0, 1, 0], ["A", "B", "C"], pds)
    with pytest.raises(ValueError, match="binary"):
        backtest([0, 1, 2], ["A", "B", "A"], pds)
    with pytest.raises(ValueError, match=r"grade\(s\) \['B'\] have no observations"):
        backtest([0, 1, 0], ["A", "A", "A"], pds)
    with pytest.raises(ValueError, match="grade has missing values"):
        backtest([0, 1], ["A", None], pds)
