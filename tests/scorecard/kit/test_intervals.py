"""The non-central chi-square interval pieces of scorecard._kit.intervals."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special, stats

from scorecard._kit.intervals import _ncx2_bisect, ncx2_interval, ncx2_upper


def test_ncx2_interval_inverts_the_noncentral_law():
    t, k = np.array([3.0, 12.0, 60.0, 400.0]), np.array([2.0, 3.0, 4.0, 9.0])
    ci = ncx2_interval(t, k, 1.0, alpha=0.05)
    assert ci[0, 0] == 0.0  # T below the chi2 97.5% point: lower end 0
    for i in range(1, 4):
        assert stats.ncx2.sf(t[i], k[i], ci[i, 0]) == pytest.approx(0.025, abs=2e-5)
    for i in range(4):
        assert stats.ncx2.cdf(t[i], k[i], ci[i, 1]) == pytest.approx(0.025, abs=2e-5)
    # The Cornish-Fisher branch (T > 100) agrees with plain bisection.
    big = np.array([150.0, 3000.0])
    exact = _ncx2_bisect(big, np.array([4.0, 19.0]), 0.025, upper=True)
    np.testing.assert_allclose(
        ncx2_interval(big, [4.0, 19.0], 1.0)[:, 1], exact, rtol=1e-4
    )
    assert special.chndtr(5.0, 2.0, ncx2_upper(5.0, 2.0, 1.0, 0.05)) == pytest.approx(
        0.05
    )
