"""Portfolio calibration tests: Hosmer-Lemeshow, Spiegelhalter, binomial, Brier.

Functions of the obligors ``n``, defaults ``d`` and PD ``p`` of each grade
(every obligor of a grade carries its grade's PD); formulas in
docs/methodology.md section 15.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from scorecard._kit.intervals import two_sided_pvalue, wald_interval

__all__ = ["BrierScore", "CalibrationTest", "PortfolioBacktest", "portfolio_tests"]

FloatArray = NDArray[np.float64]


# --------------------------------------------------------------------------
# portfolio tests


@dataclass(frozen=True, eq=False, repr=False)
class CalibrationTest:
    """One portfolio calibration test.

    Attributes
    ----------
    test : str
        ``"hosmer_lemeshow"``, ``"spiegelhalter"`` or ``"binomial"``.
    statistic : float
        Test statistic (chi-square, z, or the number of defaults).
    pvalue : float
        Its p-value (the alternative is stated in ``method``).
    df : int or None
        Degrees of freedom of a chi-square test.
    estimate : float
        Observed default rate of the portfolio.
    expected : float
        The default rate the PDs predict, ``sum(n p) / sum(n)``.
    n : int
        Obligors.
    method : str
        The test and its alternative, in words.
    """

    test: str
    statistic: float
    pvalue: float
    df: int | None
    estimate: float
    expected: float
    n: int
    method: str

    @property
    def se(self) -> float:
        """Binomial SE of the observed default rate at the expected rate."""
        return math.sqrt(self.expected * (1 - self.expected) / self.n)

    def to_frame(self) -> pd.DataFrame:
        """One-row table of the test."""
        return pd.DataFrame(
            {
                "test": [self.test],
                "statistic": [self.statistic],
                "df": [self.df],
                "pvalue": [self.pvalue],
                "observed_dr": [self.estimate],
                "expected_dr": [self.expected],
                "n": [self.n],
                "method": [self.method],
            }
        )

    def __repr__(self) -> str:
        return (
            f"CalibrationTest({self.test}: statistic={self.statistic:.4g}, "
            f"pvalue={self.pvalue:.4g}, n={self.n})"
        )


@dataclass(frozen=True, eq=False, repr=False)
class BrierScore:
    """Brier score of the grade PDs with Murphy's decomposition.

    ``estimate = reliability - resolution + uncertainty`` exactly, because
    every obligor of a grade carries the grade's PD.

    Attributes
    ----------
    estimate : float
        Mean of ``(y - p)^2``.
    se : float
        Standard error of that mean (rows independent).
    reliability, resolution, uncertainty : float
        ``sum n_g (p_g - o_g)^2 / N``, ``sum n_g (o_g - o)^2 / N`` and
        ``o (1 - o)``, with ``o_g`` the grade's and ``o`` the portfolio's
        observed default rate.
    n : int
        Obligors.
    method : str
        ``"brier-murphy"``.
    """

    estimate: float
    se: float
    reliability: float
    resolution: float
    uncertainty: float
    n: int
    method: str = "brier-murphy"

    def ci(self, alpha: float = 0.05) -> FloatArray:
        """Wald interval of the Brier score, truncated at 0."""
        return wald_interval(self.estimate, self.se, alpha, lower=0.0)

    def to_frame(self) -> pd.DataFrame:
        """One-row table."""
        return pd.DataFrame(
            {
                "brier": [self.estimate],
                "se": [self.se],
                "reliability": [self.reliability],
                "resolution": [self.resolution],
                "uncertainty": [self.uncertainty],
                "n": [self.n],
            }
        )

    def __repr__(self) -> str:
        return f"BrierScore(estimate={self.estimate:.5f}, se={self.se:.2g}, n={self.n})"


@dataclass(frozen=True, eq=False, repr=False)
class PortfolioBacktest:
    """The portfolio-level calibration tests of one back-test.

    Attributes
    ----------
    hosmer_lemeshow, spiegelhalter, binomial : CalibrationTest
    brier : BrierScore
    """

    hosmer_lemeshow: CalibrationTest
    spiegelhalter: CalibrationTest
    binomial: CalibrationTest
    brier: BrierScore

    @property
    def tests(self) -> tuple[CalibrationTest, ...]:
        """The three tests in a fixed order."""
        return (self.hosmer_lemeshow, self.spiegelhalter, self.binomial)

    def to_frame(self) -> pd.DataFrame:
        """One row per test."""
        return pd.concat([t.to_frame() for t in self.tests], ignore_index=True)

    def __repr__(self) -> str:
        shown = ", ".join(f"{t.test} p={t.pvalue:.3g}" for t in self.tests)
        return f"PortfolioBacktest({shown}, brier={self.brier.estimate:.5f})"


def portfolio_tests(
    n: NDArray[np.int64], d: NDArray[np.int64], p: FloatArray
) -> PortfolioBacktest:
    big_n, big_d = int(n.sum()), int(d.sum())
    expected = float((n * p).sum()) / big_n
    observed = big_d / big_n
    var = n * p * (1 - p)
    hl = float(((d - n * p) ** 2 / var).sum())
    hl_test = CalibrationTest(
        "hosmer_lemeshow",
        hl,
        float(stats.chi2.sf(hl, len(n))),
        len(n),
        observed,
        expected,
        big_n,
        "Hosmer-Lemeshow over the grades, chi-square with one df per grade "
        "(PDs fixed before the observation window, not fitted on it)",
    )
    sp_var = float((n * (1 - 2 * p) ** 2 * p * (1 - p)).sum())
    # every PD at 1/2 gives the Brier score no variance: the test is undefined
    z = (
        float(((d - n * p) * (1 - 2 * p)).sum()) / math.sqrt(sp_var)
        if sp_var > 0
        else math.nan
    )
    sp_test = CalibrationTest(
        "spiegelhalter",
        z,
        float(two_sided_pvalue(z)) if sp_var > 0 else math.nan,
        None,
        observed,
        expected,
        big_n,
        "Spiegelhalter z of the Brier score, two-sided",
    )
    bin_test = CalibrationTest(
        "binomial",
        float(big_d),
        float(stats.binom.sf(big_d - 1, big_n, expected)),
        None,
        observed,
        expected,
        big_n,
        "exact binomial test of the total defaults at the mean PD, one-sided "
        "(PD underestimated); independent defaults assumed",
    )
    loss_bad, loss_good = (1 - p) ** 2, p**2
    brier = float((d * loss_bad + (n - d) * loss_good).sum()) / big_n
    second = float((d * loss_bad**2 + (n - d) * loss_good**2).sum()) / big_n
    se = math.sqrt(max(second - brier**2, 0.0) / max(big_n - 1, 1))
    o_g = d / n
    brier_res = BrierScore(
        brier,
        se,
        float((n * (p - o_g) ** 2).sum()) / big_n,
        float((n * (o_g - observed) ** 2).sum()) / big_n,
        observed * (1 - observed),
        big_n,
    )
    return PortfolioBacktest(hl_test, sp_test, bin_test, brier_res)
