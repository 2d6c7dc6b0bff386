"""Rating stability: migration matrix, matrix-weighted bandwidths, concentration.

Grades are ordered best (lowest PD) first, so a move to a later grade is a
downgrade. The matrix-weighted bandwidths and the Herfindahl index with its
coefficient of variation follow the ECB's validation instructions (formulas
in docs/methodology.md section 15); the PSI of the grade distribution
is scorecard's :func:`scorecard.psi`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from scorecard import count_codes
from scorecard._kit.intervals import normal_sf

from ._backtest import _check_grades, grade_codes

__all__ = [
    "Concentration",
    "Migration",
    "concentration",
    "concentration_from_counts",
    "migration_matrix",
    "migration_from_counts",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False, repr=False)
class Migration:
    """Grade migration between two dates for the same obligors.

    Attributes
    ----------
    grades : tuple of str
        Grade labels, best first.
    counts : ndarray of shape (K, K)
        ``counts[i, j]``: obligors in grade ``i`` at the first date and
        ``j`` at the second.
    matrix : ndarray of shape (K, K)
        Row shares ``p_ij = counts[i, j] / N_i`` (NaN rows for grades with
        no obligors at the first date); each other row sums to 1.
    upgrade_rate, downgrade_rate, stable_rate : float
        Shares of obligors that moved to a better grade, a worse grade, or
        stayed.
    mwb_upper, mwb_lower : float
        Matrix-weighted bandwidths above the diagonal (downgrades) and below
        it (upgrades), each in [0, 1]; NaN when there is no such move.
    n : int
        Obligors rated at both dates.
    """

    grades: tuple[str, ...]
    counts: FloatArray
    matrix: FloatArray
    upgrade_rate: float
    downgrade_rate: float
    stable_rate: float
    mwb_upper: float
    mwb_lower: float
    n: int

    def to_frame(self) -> pd.DataFrame:
        """The row-share matrix, grades as index and columns, with ``n``."""
        frame = pd.DataFrame(
            self.matrix, index=list(self.grades), columns=list(self.grades)
        )
        frame.index.name = "from"
        frame.insert(0, "n", self.counts.sum(axis=1))
        return frame

    def summary(self) -> dict[str, float]:
        """Rates and bandwidths as a dict."""
        return {
            "upgrade_rate": self.upgrade_rate,
            "downgrade_rate": self.downgrade_rate,
            "stable_rate": self.stable_rate,
            "mwb_upper": self.mwb_upper,
            "mwb_lower": self.mwb_lower,
            "n": self.n,
        }

    def __repr__(self) -> str:
        return (
            f"Migration(n={self.n}, upgrades={self.upgrade_rate:.3f}, "
            f"downgrades={self.downgrade_rate:.3f}, mwb_upper={self.mwb_upper:.3f}, "
            f"mwb_lower={self.mwb_lower:.3f})"
        )


def _bandwidth(counts: FloatArray, upper: bool) -> float:
    k = counts.shape[0]
    i = np.arange(k)[:, None]
    j = np.arange(k)[None, :]
    side = (j > i) if upper else (j < i)
    # max(|i - K|, |i - 1|) in the ECB's 1-based grades is max(K-1-i, i) here
    reach = np.maximum(k - 1 - np.arange(k), np.arange(k)).astype(float)
    moved = (counts * side).sum(axis=1)  # N_i * sum_j p_ij over the side
    denominator = float((reach * moved).sum())
    if denominator <= 0:
        return math.nan
    return float((np.abs(i - j) * counts * side).sum()) / denominator


def migration_from_counts(
    counts: ArrayLike, *, grades: Sequence[Any] | None = None
) -> Migration:
    """Migration summary from a K x K table of obligor counts.

    Parameters
    ----------
    counts : array-like of shape (K, K)
        Obligors by grade at the first (rows) and second date (columns).
    grades : sequence, default=None
        Grade labels, best first (``"1", "2", ...`` when None).

    Returns
    -------
    Migration

    Examples
    --------
    >>> m = migration_from_counts([[8, 2, 0], [1, 8, 1], [0, 0, 10]])
    >>> m.matrix.sum(axis=1).tolist(), round(m.downgrade_rate, 4)
    ([1.0, 1.0, 1.0], 0.1)
    """
    c = np.asarray(counts, dtype=np.float64)
    if c.ndim != 2 or c.shape[0] != c.shape[1] or c.shape[0] == 0:
        raise ValueError(f"counts must be a square K x K table; got shape {c.shape}.")
    if not np.isfinite(c).all() or (c < 0).any():
        raise ValueError("counts must be finite and >= 0.")
    labels = _check_grades(grades if grades is not None else range(1, len(c) + 1))
    if len(labels) != len(c):
        raise ValueError(f"grades has {len(labels)} labels for a {len(c)}-grade table.")
    total = float(c.sum())
    if total <= 0:
        raise ValueError("counts must hold at least one obligor.")
    rows = c.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        matrix = np.where(rows > 0, c / rows, np.nan)
    return Migration(
        grades=labels,
        counts=c,
        matrix=matrix,
        upgrade_rate=float(np.tril(c, -1).sum()) / total,
        downgrade_rate=float(np.triu(c, 1).sum()) / total,
        stable_rate=float(np.trace(c)) / total,
        mwb_upper=_bandwidth(c, upper=True),
        mwb_lower=_bandwidth(c, upper=False),
        n=int(round(total)),
    )


def migration_matrix(
    grade_from: ArrayLike, grade_to: ArrayLike, *, grades: Sequence[Any]
) -> Migration:
    """Migration between two dates from each obligor's two grades.

    Parameters
    ----------
    grade_from, grade_to : array-like of shape (n_obligors,)
        Grades of the same obligors at the first and second date.
    grades : sequence
        The master scale's grade labels, best first.

    Returns
    -------
    Migration

    Raises
    ------
    ValueError
        If the lengths differ or a grade is not on the master scale.
    """
    labels = _check_grades(grades)
    a = grade_codes(grade_from, labels, name="grade_from")
    b = grade_codes(grade_to, labels, name="grade_to")
    if a.shape != b.shape:
        raise ValueError(
            f"grade_from and grade_to must describe the same obligors; got "
            f"{a.shape[0]} and {b.shape[0]} rows."
        )
    k = len(labels)
    counts = count_codes(a, b, n_bins=k, n_classes=k)[0]
    return migration_from_counts(counts, grades=labels)


@dataclass(frozen=True, eq=False, repr=False)
class Concentration:
    """Concentration of obligors in the grades (Herfindahl index).

    Attributes
    ----------
    grades : tuple of str
        Grade labels.
    counts : ndarray
        Obligors per grade.
    herfindahl : float
        ``sum_i R_i^2`` with ``R_i`` the share of grade ``i``.
    cv : float
        Coefficient of variation of the shares,
        ``sqrt(K sum_i (R_i - 1/K)^2)``.
    estimate : float
        The ECB's normalised index ``HI = 1 + ln((CV^2 + 1) / K) / ln K``,
        0 for equal shares and 1 when one grade holds everyone.
    initial_cv : float
        CV at initial validation (NaN when not given).
    statistic : float
        ``sqrt(K - 1) (CV - CV_init) / sqrt(CV^2 (0.5 + CV^2))``.
    pvalue : float
        ``1 - Phi(statistic)``: small when concentration increased.
    n : float
        Obligors.
    method : str
        ``"ecb-herfindahl"``.
    """

    grades: tuple[str, ...]
    counts: FloatArray
    herfindahl: float
    cv: float
    estimate: float
    initial_cv: float
    statistic: float
    pvalue: float
    n: float
    method: str = "ecb-herfindahl"

    def to_frame(self) -> pd.DataFrame:
        """One-row table."""
        return pd.DataFrame(
            {
                "herfindahl": [self.herfindahl],
                "hi": [self.estimate],
                "cv": [self.cv],
                "initial_cv": [self.initial_cv],
                "statistic": [self.statistic],
                "pvalue": [self.pvalue],
                "n": [self.n],
            }
        )

    def __repr__(self) -> str:
        return (
            f"Concentration(hi={self.estimate:.4f}, cv={self.cv:.4f}, "
            f"pvalue={self.pvalue:.4g}, n={self.n:g})"
        )


def _cv(counts: FloatArray) -> float:
    shares = counts / counts.sum()
    k = shares.size
    return math.sqrt(k * float(((shares - 1 / k) ** 2).sum()))


def concentration_from_counts(
    counts: ArrayLike,
    *,
    initial_counts: ArrayLike | None = None,
    grades: Sequence[Any] | None = None,
) -> Concentration:
    """Herfindahl index and its test from obligor counts per grade.

    Parameters
    ----------
    counts : array-like of shape (K,)
        Obligors per grade now.
    initial_counts : array-like of shape (K,), default=None
        Obligors per grade at initial validation; the test is skipped (NaN)
        when None.
    grades : sequence, default=None
        Grade labels.

    Returns
    -------
    Concentration

    Examples
    --------
    >>> c = concentration_from_counts([25, 25, 25, 25])
    >>> c.herfindahl, c.cv, c.estimate
    (0.25, 0.0, 0.0)
    """
    c = np.asarray(counts, dtype=np.float64)
    if c.ndim != 1 or c.size < 2 or not np.isfinite(c).all() or (c < 0).any():
        raise ValueError(
            f"counts must be >= 0 for at least two grades; got {c.tolist()[:10]}."
        )
    if c.sum() <= 0:
        raise ValueError("counts must hold at least one obligor.")
    labels = _check_grades(grades if grades is not None else range(1, c.size + 1))
    k = c.size
    cv = _cv(c)
    shares = c / c.sum()
    hi = 1 + math.log((cv**2 + 1) / k) / math.log(k)
    initial_cv, stat, p = math.nan, math.nan, math.nan
    if initial_counts is not None:
        c0 = np.asarray(initial_counts, dtype=np.float64)
        if c0.shape != c.shape or c0.sum() <= 0 or (c0 < 0).any():
            raise ValueError(
                f"initial_counts must be {k} counts >= 0 with a positive total."
            )
        initial_cv = _cv(c0)
        denominator = math.sqrt(cv**2 * (0.5 + cv**2))
        if denominator > 0:
            stat = math.sqrt(k - 1) * (cv - initial_cv) / denominator
            p = float(normal_sf(stat))
    return Concentration(
        labels,
        c,
        float((shares**2).sum()),
        cv,
        hi,
        initial_cv,
        stat,
        p,
        float(c.sum()),
    )


def concentration(
    grade: ArrayLike,
    *,
    grades: Sequence[Any],
    initial_counts: ArrayLike | None = None,
) -> Concentration:
    """Herfindahl index of the grade distribution of a batch.

    Parameters
    ----------
    grade : array-like of shape (n_obligors,)
        Each obligor's grade.
    grades : sequence
        The master scale's grade labels, best first.
    initial_counts : array-like of shape (K,), default=None
        Obligors per grade at initial validation.

    Returns
    -------
    Concentration
    """
    labels = _check_grades(grades)
    codes = grade_codes(grade, labels)
    counts = count_codes(codes, np.zeros_like(codes), n_bins=len(labels), n_classes=1)[
        0, :, 0
    ]
    return concentration_from_counts(
        counts, initial_counts=initial_counts, grades=labels
    )
