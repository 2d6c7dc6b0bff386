"""The non-central chi-square interval pieces of scorecard._kit.intervals."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special, stats

from scorecard._kit.intervals import _ncx2_bisect, ncx2_interval, ncx2_upper


def test_ncx2_interval_inverts_the_noncentral_law():
    t, k = np.array([3.0, 12.0, 60.0, 400.0]), np.array([2.0, 3.0, 4.0, 9.0])
    ci = ncx2_interval(t, k, 1.0, alpha=0.05, method="equal_tailed")
    assert ci[0, 0] == 0.0  # T below the chi2 97.5% point: lower end 0
    for i in range(1, 4):
        assert stats.ncx2.sf(t[i], k[i], ci[i, 0]) == pytest.approx(0.025, abs=2e-5)
    for i in range(4):
        assert stats.ncx2.cdf(t[i], k[i], ci[i, 1]) == pytest.approx(0.025, abs=2e-5)
    # The Cornish-Fisher branch (T > 100) agrees with plain bisection.
    big = np.array([150.0, 3000.0])
    exact = _ncx2_bisect(big, np.array([4.0, 19.0]), 0.025, upper=True)
    np.testing.assert_allclose(
        ncx2_interval(big, [4.0, 19.0], 1.0, method="equal_tailed")[:, 1],
        exact,
        rtol=1e-4,
    )
    assert special.chndtr(5.0, 2.0, ncx2_upper(5.0, 2.0, 1.0, 0.05)) == pytest.approx(
        0.05
    )


# --------------------------------------------------------------------------
# the unified (Feldman-Cousins) belt

DFS = (1.0, 2.5, 4.0, 9.0, 20.0, 3.7)
LAMS = np.array([0.0, 0.01, 0.1, 0.5, 1.0, 2.0, 2.7, 3.0, 5.0, 10.0, 30.0, 100.0])


def _exact_coverage(k: float, lams: np.ndarray, method: str) -> np.ndarray:
    """``P_lam(lam in CI(T))`` by integrating the ncx2 law over the set of t.

    The interval ends are non-decreasing in ``t``, so ``{t: lam in CI(t)}`` is
    an interval ``[t_a, t_b]``, located on a fine grid of ``sqrt(t)``; its
    probability comes from scipy's non-central chi-square CDF (no Monte
    Carlo). The grid's error is below 1e-5 in probability.
    """
    v = np.linspace(0.0, np.sqrt(lams.max()) + 14.0, 200_001)
    t = v * v
    ci = ncx2_interval(t, k, 1.0, method=method)
    out = []
    for lam in lams:
        idx = np.nonzero((ci[:, 0] <= lam) & (lam <= ci[:, 1]))[0]
        lower = special.chndtr(t[idx[0]], k, lam) if idx[0] > 0 else 0.0
        out.append(special.chndtr(t[idx[-1]], k, lam) - lower)
    return np.array(out)


@pytest.mark.parametrize("k", DFS)
def test_unified_covers_exactly_at_every_lambda(k):
    unified = _exact_coverage(k, LAMS, "unified")
    np.testing.assert_allclose(unified, 0.95, atol=1e-3)
    # the equal-tailed belt over-covers at the null only (the known defect)
    equal = _exact_coverage(k, LAMS, "equal_tailed")
    assert equal[0] == pytest.approx(0.975, abs=1e-3)
    np.testing.assert_allclose(equal[1:], 0.95, atol=1e-3)


@pytest.mark.parametrize("k", (1.0, 4.0))
def test_unified_region_holds_one_minus_alpha(k):
    from scorecard._kit._unified import UnifiedBelt

    b = UnifiedBelt(k, 0.1)
    b.ensure(6.0)
    lam = b.u**2
    mass = special.chndtr(b.v2**2, k, lam) - special.chndtr(b.v1**2, k, lam)
    np.testing.assert_allclose(mass, 0.9, atol=1e-8)
    # at lam = 0 the region is one-sided: [0, central 90% quantile]
    assert b.v1[0] == 0.0
    assert b.v2[0] ** 2 == pytest.approx(stats.chi2.ppf(0.9, k), rel=1e-9)
    # two-sided regions have equal likelihood ratio at both ends
    two = b.v1 > 0
    assert two.any() and not two[0]
    np.testing.assert_allclose(
        b._log_r(b.v1[two], lam[two]), b._log_r(b.v2[two], lam[two]), atol=1e-7
    )


def test_unified_lam_hat_maximises_the_likelihood():
    from scorecard._kit._unified import lam_hat

    for k, t in ((1.0, 0.5), (2.5, 3.0), (2.5, 10.0), (9.0, 50.0)):
        grid = np.linspace(1e-9, 3 * t, 30_001)
        best = grid[np.argmax(stats.ncx2.logpdf(t, k, grid))]
        expected = 0.0 if t <= k else best
        assert lam_hat(np.array([t]), k)[0] == pytest.approx(expected, abs=3 * t / 3e4)


@pytest.mark.parametrize("k", DFS)
def test_unified_ends_monotone_lower_zero_below_the_median(k):
    t = np.linspace(0.0, 200.0, 4001)
    ci = ncx2_interval(t, k, 1.0, method="unified")
    assert np.all(np.diff(ci[:, 0]) >= -1e-9) and np.all(np.diff(ci[:, 1]) > 0)
    below = t < stats.chi2.median(k)
    assert np.all(ci[below, 0] == 0.0) and np.all(ci[:, 1] > 0)
    # the lower end leaves 0 at the central 1 - alpha quantile: the interval
    # excludes 0 exactly when the 5% chi-square test rejects
    q = stats.chi2.ppf(0.95, k)
    away = np.abs(t - q) > 1e-6
    np.testing.assert_array_equal(ci[away, 0] > 0, t[away] > q)


@pytest.mark.parametrize("k", DFS)
def test_unified_agrees_with_equal_tailed_far_from_the_null(k):
    t = np.array([150.0, 400.0, 2000.0]) + k
    u = ncx2_interval(t, k, 1.0, method="unified")
    e = ncx2_interval(t, k, 1.0, method="equal_tailed")
    width = e[:, 1] - e[:, 0]
    assert np.all(np.abs(u - e).max(axis=1) / width < 0.03)


def test_unified_monte_carlo_coverage_at_and_near_the_null():
    rng = np.random.default_rng(20261202)
    for k, lam in ((3.0, 0.0), (3.0, 1.0), (1.0, 0.0), (1.0, 0.5)):
        n = 20_000
        t = rng.noncentral_chisquare(k, lam, n) if lam else rng.chisquare(k, n)
        ci = ncx2_interval(t, k, 1.0, method="unified")
        cover = np.mean((ci[:, 0] <= lam) & (lam <= ci[:, 1]))
        assert abs(cover - 0.95) < 3.5 * np.sqrt(0.95 * 0.05 / n)
        equal = ncx2_interval(t, k, 1.0, method="equal_tailed")
        if lam == 0.0:  # the defect the unified belt removes, visible in MC too
            assert np.mean(equal[:, 0] <= 0) > 0.97


def test_unified_scale_edge_cases_and_bad_method():
    ci = ncx2_interval([np.nan, 0.0, 5.0], [2.0, 2.0, 0.0], 0.01, method="unified")
    assert np.isnan(ci[0]).all()
    assert ci[1, 0] == 0.0 and ci[1, 1] > 0  # T = 0: an upper limit, not [0, 0]
    assert ci[2].tolist() == [0.0, 0.0]  # no degrees of freedom
    scaled = ncx2_interval(12.0, 3.0, 0.02, method="unified")
    np.testing.assert_allclose(
        scaled, 0.02 * ncx2_interval(12.0, 3.0, 1.0, method="unified"), rtol=1e-12
    )
    with pytest.raises(ValueError, match="method must be 'unified' or 'equal_tailed'"):
        ncx2_interval(1.0, 2.0, 1.0, method="fc")
