"""Calibration back-tests of rating grades: per grade and for the portfolio.

Everything here is a function of three numbers per grade: the obligors
``n``, the realised defaults ``d`` and the grade's PD ``p``. The row-level
entry point :func:`backtest` counts a batch once (the spine's
``count_codes``) and hands the counts to :func:`backtest_from_counts`, so a
back-test of a million rows costs one pass of counting. The formulas are in
docs/methodology.md section 15.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from pandas import DataFrame
from scipy import special, stats

from scorecard import count_codes
from scorecard._kit.intervals import check_alpha, normal_sf
from scorecard._kit.validation import check_binary_target

from ._portfolio import PortfolioBacktest, portfolio_tests

__all__ = [
    "LIGHTS",
    "GradeBacktest",
    "backtest",
    "backtest_from_counts",
    "grade_codes",
]

Light = Literal["green", "yellow", "red"]
#: Traffic lights from best to worst.
LIGHTS: tuple[Light, ...] = ("green", "yellow", "red")
FloatArray = NDArray[np.float64]
#: Gauss-Hermite nodes of the Vasicek (one-factor) mixture.
_N_NODES = 96


# --------------------------------------------------------------------------
# inputs


def _check_grades(grades: Sequence[Any]) -> tuple[str, ...]:
    labels = tuple(str(g) for g in grades)
    if not labels:
        raise ValueError("grades must name at least one grade; got none.")
    if len(set(labels)) != len(labels):
        dup = sorted({g for g in labels if labels.count(g) > 1})
        raise ValueError(f"grades must be distinct; got {dup} more than once.")
    return labels


def _check_pd(pd_values: ArrayLike, grades: tuple[str, ...]) -> FloatArray:
    p = np.asarray(pd_values, dtype=np.float64)
    if p.shape != (len(grades),):
        raise ValueError(
            f"pd must hold one PD per grade ({len(grades)}); got shape {p.shape}."
        )
    for g, value in zip(grades, p, strict=True):
        if not (np.isfinite(value) and 0.0 < value < 1.0):
            raise ValueError(
                f"pd of grade {g!r} must be a probability in (0, 1); got "
                f"{float(value)!r}."
            )
    return p


def _check_counts(n: ArrayLike, d: ArrayLike, grades: tuple[str, ...]) -> tuple:
    n_arr = np.asarray(n, dtype=np.float64)
    d_arr = np.asarray(d, dtype=np.float64)
    for name, arr in (("n", n_arr), ("defaults", d_arr)):
        if arr.shape != (len(grades),):
            raise ValueError(
                f"{name} must hold one count per grade ({len(grades)}); got "
                f"shape {arr.shape}."
            )
        bad = ~np.isfinite(arr) | (arr < 0) | (arr != np.round(arr))
        if bad.any():
            g = grades[int(np.argmax(bad))]
            raise ValueError(
                f"{name} of grade {g!r} must be a whole number >= 0 (binomial "
                f"tests need counts, not weights); got {float(arr[bad][0])!r}."
            )
    empty = n_arr == 0
    if empty.any():
        names = [grades[i] for i in np.flatnonzero(empty)]
        raise ValueError(
            f"grade(s) {names} have no observations in the batch; a back-test "
            "needs at least one obligor per grade (merge or drop the grade)."
        )
    over = d_arr > n_arr
    if over.any():
        g = grades[int(np.argmax(over))]
        raise ValueError(f"defaults of grade {g!r} exceed its obligors n.")
    return n_arr.astype(np.int64), d_arr.astype(np.int64)


def _check_levels(levels: Sequence[float]) -> tuple[float, float]:
    try:
        low, high = (float(v) for v in levels)
    except (TypeError, ValueError):
        raise ValueError(
            f"light_levels must be two probabilities (yellow, red); got {levels!r}."
        ) from None
    if not 0.5 < low < high < 1.0:
        raise ValueError(
            "light_levels must satisfy 0.5 < yellow < red < 1 (binomial "
            f"quantile levels); got {levels!r}."
        )
    return low, high


def _check_rho(rho: float | None) -> float | None:
    if rho is None:
        return None
    if isinstance(rho, bool) or not isinstance(rho, int | float) or not 0 < rho < 1:
        raise ValueError(
            f"rho (asset correlation of the Vasicek model) must be in (0, 1) or "
            f"None; got {rho!r}."
        )
    return float(rho)


# --------------------------------------------------------------------------
# the tests of one grade


def jeffreys_pvalues(n: ArrayLike, d: ArrayLike, p: ArrayLike) -> FloatArray:
    """One-sided Jeffreys p-value of "PD underestimated", ``Beta(d+½, n-d+½).cdf(p)``.

    The posterior of the default rate under the Jeffreys prior Beta(½, ½)
    evaluated at the PD: small when the PD is below most of the posterior.
    """
    n_a, d_a = np.asarray(n, dtype=np.float64), np.asarray(d, dtype=np.float64)
    return np.asarray(special.betainc(d_a + 0.5, n_a - d_a + 0.5, p), dtype=float)


def binomial_pvalues(n: ArrayLike, d: ArrayLike, p: ArrayLike) -> FloatArray:
    """Exact one-sided binomial p-value ``P(D >= d)`` with ``D ~ Bin(n, p)``."""
    d_a = np.asarray(d, dtype=np.float64)
    return np.asarray(stats.binom.sf(d_a - 1, n, p), dtype=float)


def normal_pvalues(n: ArrayLike, d: ArrayLike, p: ArrayLike) -> FloatArray:
    """One-sided normal approximation ``1 - Phi((d - np) / sqrt(np(1-p)))``."""
    n_a, p_a = np.asarray(n, dtype=np.float64), np.asarray(p, dtype=np.float64)
    z = (np.asarray(d, dtype=np.float64) - n_a * p_a) / np.sqrt(n_a * p_a * (1 - p_a))
    return normal_sf(z)


def vasicek_pvalues(n: ArrayLike, d: ArrayLike, p: ArrayLike, rho: float) -> FloatArray:
    """Binomial p-value ``P(D >= d)`` mixed over the one-factor Vasicek model.

    Given the systematic factor ``Z``, defaults are ``Bin(n, p(Z))`` with
    ``p(Z) = Phi((Phi^-1(p) + sqrt(rho) Z) / sqrt(1 - rho))``; the p-value
    integrates the conditional binomial tail over ``Z ~ N(0, 1)`` by
    Gauss-Hermite quadrature.
    """
    nodes, weights = np.polynomial.hermite_e.hermegauss(_N_NODES)
    weights = weights / math.sqrt(2 * math.pi)
    p_a = np.asarray(p, dtype=np.float64)[:, None]
    cond = special.ndtr(
        (special.ndtri(p_a) + math.sqrt(rho) * nodes[None, :]) / math.sqrt(1 - rho)
    )
    d_a = np.asarray(d, dtype=np.float64)[:, None]
    n_a = np.asarray(n, dtype=np.float64)[:, None]
    tails = stats.binom.sf(d_a - 1, n_a, cond)
    return np.clip(tails @ weights, 0.0, 1.0)


def traffic_lights(
    n: ArrayLike, d: ArrayLike, p: ArrayLike, levels: tuple[float, float]
) -> tuple[Light, ...]:
    """Green up to the binomial ``levels[0]`` quantile, red above ``levels[1]``."""
    yellow = stats.binom.ppf(levels[0], n, p)
    red = stats.binom.ppf(levels[1], n, p)
    d_a = np.asarray(d, dtype=np.float64)
    return tuple(
        "red" if k > r else ("yellow" if k > y else "green")
        for k, y, r in zip(d_a, yellow, red, strict=True)
    )


def worst_light(lights: Sequence[str]) -> Light:
    """The worst of some traffic lights (``"green"`` for none)."""
    return max(lights, key=LIGHTS.index, default="green")  # type: ignore[arg-type]


@dataclass(frozen=True, eq=False, repr=False)
class GradeBacktest:
    """Calibration tests of every rating grade (the regulator's grade table).

    Attributes
    ----------
    grades : tuple of str
        Grade labels, best (lowest PD) first.
    n, defaults : ndarray of int64
        Obligors and realised defaults per grade.
    pd : ndarray
        The PD of each grade (the master scale's).
    jeffreys_pvalue, binomial_pvalue, normal_pvalue : ndarray
        One-sided p-values of "the PD is underestimated".
    vasicek_pvalue : ndarray
        The binomial p-value allowing for default correlation ``rho``; NaN
        when ``rho`` is None.
    light : tuple of {"green", "yellow", "red"}
        Traffic light from the binomial quantiles at ``light_levels``.
    rho : float or None
        Asset correlation of the Vasicek test.
    light_levels : (float, float)
        Quantile levels of the yellow and red zones.
    method : str
        ``"jeffreys"``: the Jeffreys test is the headline (``pvalue``).
    """

    grades: tuple[str, ...]
    n: NDArray[np.int64]
    defaults: NDArray[np.int64]
    pd: FloatArray
    jeffreys_pvalue: FloatArray
    binomial_pvalue: FloatArray
    normal_pvalue: FloatArray
    vasicek_pvalue: FloatArray
    light: tuple[Light, ...]
    rho: float | None
    light_levels: tuple[float, float]
    method: str = "jeffreys"

    @property
    def estimate(self) -> FloatArray:
        """Observed default rate per grade, ``defaults / n``."""
        return self.defaults / self.n

    @property
    def se(self) -> FloatArray:
        """Binomial SE of the observed default rate at the grade PD."""
        return np.sqrt(self.pd * (1 - self.pd) / self.n)

    @property
    def statistic(self) -> FloatArray:
        """Normal-test z, ``(d - n p) / sqrt(n p (1 - p))``."""
        return (self.defaults - self.n * self.pd) / np.sqrt(
            self.n * self.pd * (1 - self.pd)
        )

    @property
    def pvalue(self) -> FloatArray:
        """The Jeffreys p-values (the ECB's grade-level test)."""
        return self.jeffreys_pvalue

    def ci(self, alpha: float = 0.05) -> FloatArray:
        """Jeffreys interval of each grade's default rate (Beta quantiles)."""
        a = check_alpha(alpha)
        shape1 = self.defaults + 0.5
        shape2 = self.n - self.defaults + 0.5
        low = np.where(
            self.defaults > 0, special.betaincinv(shape1, shape2, a / 2), 0.0
        )
        high = np.where(
            self.defaults < self.n, special.betaincinv(shape1, shape2, 1 - a / 2), 1.0
        )
        return np.stack([low, high], axis=-1)

    @property
    def worst(self) -> Light:
        """The worst traffic light of the grades."""
        return worst_light(self.light)

    def to_frame(self, alpha: float = 0.05) -> DataFrame:
        """One row per grade, in the regulator's layout.

        Columns ``grade, n, defaults, observed_dr, pd, jeffreys_pvalue,
        binomial_pvalue, normal_pvalue, vasicek_pvalue, light, ci_low,
        ci_high`` (the Jeffreys interval of the default rate at ``alpha``);
        export it with ``to_csv`` / ``to_parquet``.
        """
        ci = self.ci(alpha)
        return pd.DataFrame(
            {
                "grade": list(self.grades),
                "n": self.n,
                "defaults": self.defaults,
                "observed_dr": self.estimate,
                "pd": self.pd,
                "jeffreys_pvalue": self.jeffreys_pvalue,
                "binomial_pvalue": self.binomial_pvalue,
                "normal_pvalue": self.normal_pvalue,
                "vasicek_pvalue": self.vasicek_pvalue,
                "light": list(self.light),
                "ci_low": ci[:, 0],
                "ci_high": ci[:, 1],
            }
        )

    def __repr__(self) -> str:
        counts = {k: self.light.count(k) for k in LIGHTS}
        return (
            f"GradeBacktest(n_grades={len(self.grades)}, n={int(self.n.sum())}, "
            f"defaults={int(self.defaults.sum())}, lights={counts})"
        )


# --------------------------------------------------------------------------
# public entry points


def backtest_from_counts(
    n: ArrayLike,
    defaults: ArrayLike,
    pd_values: ArrayLike,
    *,
    grades: Sequence[Any] | None = None,
    rho: float | None = None,
    light_levels: Sequence[float] = (0.95, 0.999),
) -> tuple[GradeBacktest, PortfolioBacktest]:
    """Back-test grade PDs on obligor and default counts per grade.

    Parameters
    ----------
    n, defaults : array-like of shape (n_grades,)
        Obligors and realised defaults per grade (whole numbers).
    pd_values : array-like of shape (n_grades,)
        The PD of each grade, in (0, 1).
    grades : sequence, default=None
        Grade labels (``"1", "2", ...`` when None), best grade first.
    rho : float, default=None
        Asset correlation for the Vasicek-adjusted binomial test; that test
        is skipped (NaN) when None.
    light_levels : (float, float), default=(0.95, 0.999)
        Binomial quantile levels of the yellow and red traffic lights.

    Returns
    -------
    (GradeBacktest, PortfolioBacktest)

    Raises
    ------
    ValueError
        Naming the grade: a PD outside (0, 1), a grade with no obligors,
        counts that are not whole numbers or defaults above ``n``.

    Examples
    --------
    >>> grades, portfolio = backtest_from_counts([1000, 500], [12, 30], [0.01, 0.04])
    >>> grades.to_frame()[["grade", "observed_dr", "light"]]
      grade  observed_dr   light
    0     1        0.012   green
    1     2        0.060  yellow
    """
    size = np.asarray(n).shape[0] if np.ndim(n) == 1 else 0
    labels = _check_grades(grades if grades is not None else range(1, size + 1))
    n_arr, d_arr = _check_counts(n, defaults, labels)
    p = _check_pd(pd_values, labels)
    levels = _check_levels(light_levels)
    rho_value = _check_rho(rho)
    vasicek = (
        vasicek_pvalues(n_arr, d_arr, p, rho_value)
        if rho_value is not None
        else np.full(len(labels), np.nan)
    )
    table = GradeBacktest(
        grades=labels,
        n=n_arr,
        defaults=d_arr,
        pd=p,
        jeffreys_pvalue=jeffreys_pvalues(n_arr, d_arr, p),
        binomial_pvalue=binomial_pvalues(n_arr, d_arr, p),
        normal_pvalue=normal_pvalues(n_arr, d_arr, p),
        vasicek_pvalue=vasicek,
        light=traffic_lights(n_arr, d_arr, p, levels),
        rho=rho_value,
        light_levels=levels,
    )
    return table, portfolio_tests(n_arr, d_arr, p)


def grade_codes(
    grade: ArrayLike, grades: Sequence[Any], *, name: str = "grade"
) -> NDArray[np.int64]:
    """Position of each row's grade in ``grades``; unknown grades raise."""
    labels = _check_grades(grades)
    # factorise first (fast on any dtype), then match the few distinct values
    # to the labels by their text
    inverse, uniques = pd.factorize(np.asarray(grade).ravel(), use_na_sentinel=True)
    if (inverse < 0).any():
        raise ValueError(f"{name} has missing values; every row needs a grade.")
    text = [str(u) for u in uniques]
    lookup = pd.Index(list(labels)).get_indexer(text).astype(np.int64)
    if (lookup < 0).any():
        unknown = sorted(t for t, k in zip(text, lookup, strict=True) if k < 0)[:10]
        raise ValueError(
            f"{name} holds grade(s) {unknown} that are not on the master scale "
            f"{list(labels)}."
        )
    codes = lookup[inverse]
    return codes


def backtest(
    y_true: ArrayLike,
    grade: ArrayLike,
    pd_values: Mapping[Any, float] | pd.Series,
    *,
    bad_value: Any = None,
    rho: float | None = None,
    light_levels: Sequence[float] = (0.95, 0.999),
) -> tuple[GradeBacktest, PortfolioBacktest]:
    """Back-test grade PDs on a batch with realised defaults.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Realised outcome (1 = default), or labels with ``bad_value``.
    grade : array-like of shape (n_samples,)
        Each obligor's grade at the start of the observation window.
    pd_values : mapping or Series
        Grade label to PD, in master-scale order (best grade first).
    bad_value : object, default=None
        The label meaning default, for targets other than 0/1 or boolean.
    rho, light_levels
        As in :func:`backtest_from_counts`.

    Returns
    -------
    (GradeBacktest, PortfolioBacktest)

    Raises
    ------
    ValueError
        For a target that is not binary, grades off the master scale, a
        grade without obligors, or a PD outside (0, 1).

    Examples
    --------
    >>> table, _ = backtest([0, 1, 0, 0], ["A", "B", "A", "B"], {"A": 0.1, "B": 0.4})
    >>> table.to_frame()[["grade", "n", "defaults"]].to_dict("list")
    {'grade': ['A', 'B'], 'n': [2, 2], 'defaults': [0, 1]}
    """
    series = pd.Series(pd_values)
    labels = _check_grades(series.index.tolist())
    codes = grade_codes(grade, labels)
    y01 = check_binary_target(
        y_true, codes.shape[0], bad_value=bad_value, name="y_true", require_both=False
    ).y01
    counts = count_codes(codes, y01, n_bins=len(labels), n_classes=2)[0]
    n_arr = counts.sum(axis=1)
    return backtest_from_counts(
        n_arr,
        counts[:, 1],
        series.to_numpy(dtype=np.float64),
        grades=labels,
        rho=rho,
        light_levels=light_levels,
    )
