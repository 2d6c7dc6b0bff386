"""Discriminatory power at validation: the ECB test against a fixed initial AUC.

``monitoring.auc_drift`` compares two *estimates* (development and current),
each with its sampling error. The ECB's validation test treats the AUC of the
initial validation as a fixed number written in the validation report, not a
random variable: only the current AUC's DeLong variance enters. The AUC
itself comes from scorecard's one implementation (:func:`scorecard.delong_auc`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from scorecard import AUCResult, delong_auc
from scorecard._kit.compat import Interval, StrOptions, check_arguments
from scorecard._kit.intervals import normal_sf, two_sided_pvalue, wald_interval
from scorecard._kit.validation import check_binary_target

__all__ = ["AUCComparison", "AUCTest", "auc_comparison", "ecb_auc_test"]

Higher = Literal["bad", "good"]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False, repr=False)
class AUCTest:
    """The current AUC tested against the AUC fixed at initial validation.

    The current AUC, its DeLong SE and its interval are those of
    :class:`scorecard.AUCResult` (``auc``); this result adds only the initial
    AUC and the ECB statistic.

    Attributes
    ----------
    auc : AUCResult
        Current AUC (DeLong) with its SE, counts and interval.
    initial : float
        AUC at initial validation, a constant.
    statistic : float
        ``S = (initial - estimate) / se``.
    pvalue : float
        ``1 - Phi(S)``: one-sided, small when the AUC has deteriorated.
    method : str
        ``"ecb-fixed-initial"``.
    """

    auc: AUCResult
    initial: float
    statistic: float
    pvalue: float
    method: str = "ecb-fixed-initial"

    @property
    def estimate(self) -> float:
        """Current AUC."""
        return self.auc.estimate

    @property
    def se(self) -> float:
        """DeLong standard error of the current AUC."""
        return self.auc.se

    @property
    def n_events(self) -> float:
        """Defaults of the current sample."""
        return self.auc.n_events

    @property
    def n_nonevents(self) -> float:
        """Non-defaults of the current sample."""
        return self.auc.n_nonevents

    @property
    def n(self) -> float:
        """Rows of the current sample."""
        return self.auc.n

    @property
    def gini(self) -> float:
        """Current Gini (accuracy ratio), ``2 AUC - 1``."""
        return self.auc.gini

    @property
    def gini_se(self) -> float:
        """SE of the Gini, ``2 se``."""
        return 2 * self.se

    def ci(self, alpha: float = 0.05) -> FloatArray:
        """Interval of the current AUC (that of :class:`scorecard.AUCResult`)."""
        return self.auc.ci(alpha)

    def to_frame(self, alpha: float = 0.05) -> pd.DataFrame:
        """One-row table."""
        low, high = self.ci(alpha)
        return pd.DataFrame(
            {
                "auc": [self.estimate],
                "se": [self.se],
                "ci_low": [low],
                "ci_high": [high],
                "gini": [self.gini],
                "initial_auc": [self.initial],
                "statistic": [self.statistic],
                "pvalue": [self.pvalue],
                "n_events": [self.n_events],
                "n_nonevents": [self.n_nonevents],
            }
        )

    @classmethod
    def from_auc(cls, auc: AUCResult, initial: float) -> AUCTest:
        """The test from a current :class:`scorecard.AUCResult`."""
        if not 0.0 <= initial <= 1.0 or not math.isfinite(initial):
            raise ValueError(f"initial_auc must be in [0, 1]; got {initial!r}.")
        s = (initial - auc.estimate) / auc.se if auc.se > 0 else math.nan
        p = float(normal_sf(s)) if math.isfinite(s) else math.nan
        return cls(auc, float(initial), s, p)

    def __repr__(self) -> str:
        return (
            f"AUCTest(auc={self.estimate:.4f}, se={self.se:.4f}, initial="
            f"{self.initial:.4f}, S={self.statistic:.3f}, pvalue={self.pvalue:.4g})"
        )


HIGHER = [StrOptions({"bad", "good"})]


@check_arguments(
    {
        "y_true": ["array-like"],
        "y_score": ["array-like"],
        "initial_auc": [Interval(Real, 0, 1, closed="both")],
        "higher": HIGHER,
    }
)
def ecb_auc_test(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    initial_auc: float,
    higher: Higher = "good",
    bad_value: Any = None,
) -> AUCTest:
    """ECB test of the current AUC against the AUC at initial validation.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Realised outcome (1 = default), or labels with ``bad_value``.
    y_score : array-like of shape (n_samples,)
        Scores (or PDs with ``higher="bad"``) at the start of the window.
    initial_auc : float
        The AUC recorded at initial validation: a constant.
    higher : {"good", "bad"}, default="good"
        What a higher score means (points: ``"good"``; a PD: ``"bad"``).
    bad_value : object, default=None
        The label meaning default, for targets other than 0/1 or boolean.

    Returns
    -------
    AUCTest

    Notes
    -----
    ``S = (AUC_init - AUC_curr) / s_curr`` with ``s_curr`` the DeLong SE of
    the current AUC; under ``AUC_curr = AUC_init`` S is approximately
    standard normal, and the p-value ``1 - Phi(S)`` is one-sided
    (docs/methodology.md section 15).

    Examples
    --------
    >>> res = ecb_auc_test([0, 0, 1, 1, 0, 1], [9, 6, 6.5, 2, 8, 1], initial_auc=0.8)
    >>> round(res.estimate, 4), round(res.pvalue, 3)
    (0.8889, 0.714)
    """
    y01 = check_binary_target(y_true, bad_value=bad_value, name="y_true").y01
    return AUCTest.from_auc(delong_auc(y01, y_score, higher=higher), initial_auc)


@dataclass(frozen=True, eq=False, repr=False)
class AUCComparison:
    """Current model versus the initial model, both scored on the same rows.

    Attributes
    ----------
    current, initial : AUCResult
        DeLong AUCs of the two scores on the same population.
    estimate : float
        ``current - initial``.
    se : float
        Paired bootstrap SE of the difference (rows resampled together).
    statistic : float
        ``estimate / se``.
    pvalue : float
        Two-sided p-value of equal AUCs.
    n_boot : int
        Bootstrap replicates.
    method : str
        ``"paired-bootstrap"``.
    """

    current: AUCResult
    initial: AUCResult
    estimate: float
    se: float
    statistic: float
    pvalue: float
    n_boot: int
    method: str = "paired-bootstrap"

    @property
    def n(self) -> float:
        """Rows."""
        return self.current.n

    def ci(self, alpha: float = 0.05) -> FloatArray:
        """Wald interval of the difference."""
        return wald_interval(self.estimate, self.se, alpha)

    def to_frame(self, alpha: float = 0.05) -> pd.DataFrame:
        """One-row table."""
        low, high = self.ci(alpha)
        return pd.DataFrame(
            {
                "auc_current": [self.current.estimate],
                "auc_initial": [self.initial.estimate],
                "difference": [self.estimate],
                "se": [self.se],
                "ci_low": [low],
                "ci_high": [high],
                "statistic": [self.statistic],
                "pvalue": [self.pvalue],
                "n_boot": [self.n_boot],
            }
        )

    def __repr__(self) -> str:
        return (
            f"AUCComparison(current={self.current.estimate:.4f}, initial="
            f"{self.initial.estimate:.4f}, diff={self.estimate:+.4f}, "
            f"se={self.se:.4f}, pvalue={self.pvalue:.4g})"
        )


@check_arguments(
    {
        "y_true": ["array-like"],
        "y_score": ["array-like"],
        "y_score_initial": ["array-like"],
        "higher": HIGHER,
        "n_boot": [Interval(Integral, 20, None, closed="left")],
        "random_state": ["random_state"],
    }
)
def auc_comparison(
    y_true: ArrayLike,
    y_score: ArrayLike,
    y_score_initial: ArrayLike,
    *,
    higher: Higher = "good",
    bad_value: Any = None,
    n_boot: int = 200,
    random_state: Any = 0,
) -> AUCComparison:
    """Compare the AUC of the current and the initial model on the same rows.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Realised outcome.
    y_score, y_score_initial : array-like of shape (n_samples,)
        The current and the initial model's scores of the same obligors.
    higher : {"good", "bad"}, default="good"
        What a higher score means (both scores).
    bad_value : object, default=None
        The label meaning default, for targets other than 0/1 or boolean.
    n_boot : int, default=200
        Paired bootstrap replicates for the SE of the difference.
    random_state : int, Generator or None, default=0
        Seed of the bootstrap.

    Returns
    -------
    AUCComparison

    Notes
    -----
    The two AUCs are correlated (same rows), so their difference's variance
    is not the sum of the two; it is estimated by resampling rows (both
    scores together) and recomputing both DeLong AUCs. scorecard's AUC
    exposes no placement values, so the analytic DeLong covariance is not
    used here.
    """
    y01 = check_binary_target(y_true, bad_value=bad_value, name="y_true").y01
    s1 = np.asarray(y_score, dtype=np.float64)
    s0 = np.asarray(y_score_initial, dtype=np.float64)
    if s1.shape != y01.shape or s0.shape != y01.shape:
        raise ValueError(
            f"y_score and y_score_initial must have {y01.shape[0]} rows like "
            f"y_true; got {s1.shape[0]} and {s0.shape[0]}."
        )
    current = delong_auc(y01, s1, higher=higher)
    initial = delong_auc(y01, s0, higher=higher)
    rng = np.random.default_rng(
        random_state
        if not isinstance(random_state, np.random.RandomState)
        else random_state.randint(2**31)
    )
    bads, goods = np.flatnonzero(y01 == 1), np.flatnonzero(y01 == 0)
    diffs = np.empty(n_boot)
    for b in range(n_boot):
        # resample within each class, so each replicate has both classes
        rows = np.concatenate(
            [rng.choice(bads, bads.size), rng.choice(goods, goods.size)]
        )
        diffs[b] = (
            delong_auc(y01[rows], s1[rows], higher=higher).estimate
            - delong_auc(y01[rows], s0[rows], higher=higher).estimate
        )
    diff = current.estimate - initial.estimate
    se = float(diffs.std(ddof=1))
    z = diff / se if se > 0 else math.nan
    p = float(two_sided_pvalue(z)) if math.isfinite(z) else math.nan
    return AUCComparison(current, initial, diff, se, z, p, n_boot)
