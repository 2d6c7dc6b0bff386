"""Information value, PSI and Jensen-Shannon divergence with standard errors.

Sampling model (docs/design.md section 3): the two count vectors are independent
multinomials with fixed totals (product multinomial). ``se_method="delta"``
is the first-order delta method under that model; ``se_method="paper"`` is the
source paper's formula, which ignores the randomness of the weights and is
anti-conservative (kept for reproduction only).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from .._kit.compat import check_arguments
from .._kit.exceptions import DataConditionWarning
from .._kit.intervals import check_alpha, normal_sf, wald_interval
from ._prepare import (
    COUNTS,
    FEATURES,
    REFERENCES,
    SE_METHODS,
    SMOOTHING,
    TESTS,
    CIMethod,
    FloatArray,
    Kind,
    Reference,
    SEMethod,
    TestMethod,
    _iv_terms,
    _Pair,
    _prepare,
    _safe_log_ratio,
    _shares,
    _smooth,
)

__all__ = ["Divergence", "information_value", "jensen_shannon", "psi"]


def _divergence_terms(
    kind: Kind, p: FloatArray, q: FloatArray, present: NDArray[np.bool_]
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per-bin contributions and the gradients with respect to p and q.

    Returns ``(contribution, grad_p, grad_q)``; the delta-method variance of a
    multinomial share vector's function is ``sum p g^2 - (sum p g)^2`` over n.
    """
    log_pq = _safe_log_ratio(p, q, present)
    if kind in ("IV", "PSI"):
        contribution = _iv_terms(p, q, present)
        with np.errstate(divide="ignore", invalid="ignore"):
            grad_p = np.where(present, log_pq + 1.0 - q / np.where(present, p, 1), 0)
            grad_q = np.where(present, -log_pq + 1.0 - p / np.where(present, q, 1), 0)
        return contribution, grad_p, grad_q
    m = 0.5 * (p + q)
    log_pm = _safe_log_ratio(p, m, present)
    log_qm = _safe_log_ratio(q, m, present)
    contribution = 0.5 * (p * log_pm + q * log_qm)
    return contribution, 0.5 * log_pm, 0.5 * log_qm


def _share_variance(shares: FloatArray, grad: FloatArray, n: FloatArray) -> FloatArray:
    mean = (shares * grad).sum(axis=-1)
    second = (shares * grad**2).sum(axis=-1)
    return np.maximum(second - mean**2, 0.0) / n


# Null approximation: statistic = divergence / (scale * (1/n1 + 1/n2)) ~ chi2(J-1);
# the scale is f''(1)/2 of the divergence's f-function (Jeffreys 1, JS 1/8).
_NULL_SCALE = {"IV": 1.0, "PSI": 1.0, "JS": 0.125}


def _estimate_only(
    kind: Kind, first: FloatArray, second: FloatArray, smoothing: float
) -> FloatArray:
    """Divergence of count arrays (..., J) with smoothing; used by the bootstrap."""
    a, b, _ = _smooth(first, second, smoothing)
    present = (a + b) > 0
    p, q = _shares(a, present), _shares(b, present)
    return _divergence_terms(kind, p, q, present)[0].sum(axis=-1)


@dataclass(frozen=True, eq=False, repr=False)
class Divergence:
    """A divergence between two binned distributions, with inference.

    Returned by :func:`information_value`, :func:`psi` and
    :func:`jensen_shannon`. For 1-D input the numeric fields are floats; for
    2-D input (one row per feature) they are arrays of shape ``(n_features,)``.

    Attributes
    ----------
    name : {"IV", "PSI", "JS"}
        The statistic.
    estimate : float or ndarray
        The plug-in estimate.
    se : float or ndarray
        Standard error (``method`` says which formula).
    bias_corrected : float or ndarray
        ``estimate`` minus its first-order expectation under no difference,
        ``scale * (1/n1 + 1/n2) * (J - 1)``; it can be negative.
    statistic : float or ndarray
        Test statistic (chi-square or the paper's Z).
    pvalue : float or ndarray
        P-value of the test of no difference.
    df : int or ndarray
        Chi-square degrees of freedom, the number of non-empty bins minus one.
    n : float or ndarray
        Total count of both distributions.
    method : str
        Standard-error method, test and reference, e.g. ``"se=delta; test=chi2"``.
    labels : tuple of str
        Names of the two distributions (``("goods", "bads")`` for IV).
    features : tuple of str
        Row names for 2-D input.
    first, second : ndarray of shape (n_features, n_bins)
        Counts after smoothing.
    contributions : ndarray of shape (n_features, n_bins)
        Per-bin terms summing to the estimate (0 for absent bins).
    smoothed : ndarray of bool
        Bins that had a zero cell and were smoothed.
    """

    name: Kind
    estimate: float | FloatArray
    se: float | FloatArray
    bias_corrected: float | FloatArray
    statistic: float | FloatArray
    pvalue: float | FloatArray
    df: int | NDArray[np.int64]
    n: float | FloatArray
    method: str
    labels: tuple[str, str]
    features: tuple[str, ...]
    first: FloatArray
    second: FloatArray
    contributions: FloatArray
    smoothed: NDArray[np.bool_]
    smoothing: float
    reference_fixed: bool

    def ci(
        self,
        alpha: float = 0.05,
        *,
        method: CIMethod = "wald",
        n_boot: int = 2000,
        random_state: int | np.random.Generator | None = None,
    ) -> FloatArray:
        """Confidence interval, truncated at 0.

        Parameters
        ----------
        alpha : float, default=0.05
            One minus the coverage.
        method : {"wald", "bootstrap"}, default="wald"
            ``"wald"`` is ``estimate +- z * se``; ``"bootstrap"`` is the
            percentile interval of a parametric (multinomial) bootstrap of the
            stored counts, resampling only the current sample when the
            reference is fixed.
        n_boot : int, default=2000
            Bootstrap replications.
        random_state : int, Generator or None, default=None
            Seed of the bootstrap.

        Returns
        -------
        ndarray
            ``[low, high]``, or shape ``(n_features, 2)`` for 2-D input.
        """
        alpha = check_alpha(alpha)
        est = np.atleast_1d(np.asarray(self.estimate, dtype=np.float64))
        if method == "wald":
            se = np.atleast_1d(np.asarray(self.se, dtype=np.float64))
            out = wald_interval(est, se, alpha, lower=0.0)
        elif method == "bootstrap":
            out = self._bootstrap_ci(alpha, n_boot, random_state)
        else:
            raise ValueError(f"method must be 'wald' or 'bootstrap'; got {method!r}.")
        return out[0] if np.ndim(self.estimate) == 0 else out

    def _bootstrap_ci(
        self,
        alpha: float,
        n_boot: int,
        random_state: int | np.random.Generator | None,
    ) -> FloatArray:
        if n_boot < 100:
            raise ValueError(f"n_boot must be at least 100; got {n_boot}.")
        rng = np.random.default_rng(random_state)
        out = np.empty((self.first.shape[0], 2))
        for i, (a, b) in enumerate(zip(self.first, self.second, strict=True)):
            sizes = (round(a.sum()), round(b.sum()))
            draw_a = (
                np.broadcast_to(a, (n_boot, a.size))
                if self.reference_fixed
                else rng.multinomial(sizes[0], a / a.sum(), size=n_boot)
            )
            draw_b = rng.multinomial(sizes[1], b / b.sum(), size=n_boot)
            boots = _estimate_only(
                self.name, draw_a.astype(float), draw_b.astype(float), self.smoothing
            )
            out[i] = np.maximum(np.quantile(boots, [alpha / 2, 1 - alpha / 2]), 0)
        return out

    def summary(self, alpha: float = 0.05) -> pd.DataFrame:
        """One row per feature: estimate, SE, CI, bias-corrected, test."""
        ci = np.atleast_2d(self.ci(alpha))
        return pd.DataFrame(
            {
                self.name: np.atleast_1d(self.estimate),
                "se": np.atleast_1d(self.se),
                "ci_low": ci[:, 0],
                "ci_high": ci[:, 1],
                "bias_corrected": np.atleast_1d(self.bias_corrected),
                "statistic": np.atleast_1d(self.statistic),
                "df": np.atleast_1d(self.df),
                "pvalue": np.atleast_1d(self.pvalue),
                "n": np.atleast_1d(self.n),
            },
            index=pd.Index(self.features, name="feature"),
        )

    def to_frame(self) -> pd.DataFrame:
        """Per-bin table: counts, shares, log ratio and contribution."""
        present = (self.first + self.second) > 0
        rows, cols = np.nonzero(present)
        p = _shares(self.first, present)
        q = _shares(self.second, present)
        la, lb = self.labels
        return pd.DataFrame(
            {
                "feature": np.asarray(self.features, dtype=object)[rows],
                "bin": cols,
                la: self.first[rows, cols],
                lb: self.second[rows, cols],
                f"{la}_share": p[rows, cols],
                f"{lb}_share": q[rows, cols],
                "log_ratio": _safe_log_ratio(p, q, present)[rows, cols],
                "contribution": self.contributions[rows, cols],
                "smoothed": self.smoothed[rows, cols],
            }
        )

    def __repr__(self) -> str:
        if np.ndim(self.estimate) == 0:
            low, high = self.ci()
            return (
                f"{self.name}(estimate={self.estimate:.4f}, se={self.se:.4f}, "
                f"ci95=[{low:.4f}, {high:.4f}], statistic={self.statistic:.3f}, "
                f"df={self.df}, pvalue={self.pvalue:.3g}, n={self.n:g}, "
                f"method='{self.method}')"
            )
        return f"{self.name}(method='{self.method}')\n{self.summary().to_string()}"


def _divergence(
    kind: Kind,
    pair: _Pair,
    *,
    labels: tuple[str, str],
    se_method: SEMethod,
    test: TestMethod,
    reference_fixed: bool,
    smoothing: float,
) -> Divergence:
    if se_method not in ("delta", "paper"):
        raise ValueError(f"se_method must be 'delta' or 'paper'; got {se_method!r}.")
    if test not in ("chi2", "paper_z"):
        raise ValueError(f"test must be 'chi2' or 'paper_z'; got {test!r}.")
    if kind == "JS" and se_method == "paper":
        raise ValueError(
            "se_method='paper' is defined for IV and PSI only; use 'delta' for JS."
        )
    a, b, present = pair.first, pair.second, pair.present
    n1, n2 = a.sum(axis=1), b.sum(axis=1)
    p, q = _shares(a, present), _shares(b, present)
    contribution, grad_p, grad_q = _divergence_terms(kind, p, q, present)
    estimate = contribution.sum(axis=1)
    if se_method == "delta":
        var = _share_variance(q, grad_q, n2)
        if not reference_fixed:
            var = var + _share_variance(p, grad_p, n1)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            var_log = np.where(
                present, 1 / np.where(present, a, 1) + 1 / np.where(present, b, 1), 0.0
            )
        var = ((p - q) ** 2 * var_log).sum(axis=1)
    se = np.sqrt(var)
    df = present.sum(axis=1) - 1
    inv_n = 1 / n2 if reference_fixed else 1 / n1 + 1 / n2
    null_scale = _NULL_SCALE[kind] * inv_n
    bias_corrected = estimate - null_scale * df
    if test == "chi2":
        statistic = estimate / null_scale
        pvalue = stats.chi2.sf(statistic, df)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            statistic = np.where(se > 0, estimate / se, np.inf)
        pvalue = normal_sf(statistic)  # one-sided: the alternative is D > 0
    method = f"se={se_method}; test={test}"
    if kind == "PSI":
        method += f"; reference={'fixed' if reference_fixed else 'sample'}"

    def out(x: NDArray) -> Any:
        return x.item() if pair.scalar else x

    return Divergence(
        name=kind,
        estimate=out(estimate),
        se=out(se),
        bias_corrected=out(bias_corrected),
        statistic=out(statistic),
        pvalue=out(pvalue),
        df=out(df),
        n=out(n1 + n2),
        method=method,
        labels=labels,
        features=pair.features,
        first=a,
        second=b,
        contributions=contribution,
        smoothed=pair.smoothed,
        smoothing=smoothing,
        reference_fixed=reference_fixed,
    )


@check_arguments(
    {
        "goods": COUNTS,
        "bads": COUNTS,
        "se_method": SE_METHODS,
        "test": TESTS,
        "smoothing": SMOOTHING,
        "features": FEATURES,
    }
)
def information_value(
    goods: ArrayLike,
    bads: ArrayLike,
    *,
    se_method: SEMethod = "delta",
    test: TestMethod = "chi2",
    smoothing: float = 0.5,
    features: Sequence[str] | None = None,
) -> Divergence:
    r"""Information value of a binning, with standard error and test.

    Parameters
    ----------
    goods, bads : array-like of shape (n_bins,) or (n_features, n_bins)
        Good (``y = 0``) and bad (``y = 1``) counts per bin; floats allowed
        (weighted counts). Bins with both counts zero are ignored.
    se_method : {"delta", "paper"}, default="delta"
        ``"delta"``: product-multinomial delta method. ``"paper"``:
        :math:`\sum_j (p_j - q_j)^2 (1/g_j + 1/b_j)`, which treats the bin
        weights as fixed and is anti-conservative (reproduction only).
    test : {"chi2", "paper_z"}, default="chi2"
        ``"chi2"``: :math:`T = n_G n_B / (n_G + n_B) \cdot IV \sim
        \chi^2_{J-1}` under no information. ``"paper_z"``: :math:`Z =
        IV / SE` with the one-sided normal p-value; invalid under the null (the
        delta method degenerates there: it rejects about 61% of the time at a
        nominal 5%) and kept for reproduction only.
    smoothing : float, default=0.5
        Added to both cells of a bin with a zero cell, with a warning naming
        the bin. ``0`` makes a zero cell an error.
    features : sequence of str, default=None
        Row names for 2-D input.

    Returns
    -------
    Divergence
        With ``name="IV"`` and ``labels=("goods", "bads")``.

    Raises
    ------
    ValueError
        Negative, NaN or infinite counts, shapes that differ, a class with zero
        total, fewer than two non-empty bins, or a zero cell with
        ``smoothing=0``.

    Notes
    -----
    With :math:`p_j = g_j/n_G`, :math:`q_j = b_j/n_B` and
    :math:`W_j = \ln(p_j/q_j)`,

    .. math:: IV = \sum_j (p_j - q_j) W_j = KL(p\|q) + KL(q\|p).

    Delta variance, with :math:`a_j = W_j + 1 - q_j/p_j` and
    :math:`c_j = -W_j + 1 - p_j/q_j`:

    .. math:: \frac{\sum p a^2 - (\sum p a)^2}{n_G}
              + \frac{\sum q c^2 - (\sum q c)^2}{n_B}.

    References
    ----------
    .. [1] Kullback, S. (1959). *Information Theory and Statistics*. Wiley.

    Examples
    --------
    >>> res = information_value([300, 200, 100], [20, 30, 50])
    >>> round(res.estimate, 4), round(res.se, 4), res.df
    (0.6446, 0.1753, 2)
    >>> res.ci().round(4)
    array([0.301 , 0.9882])
    """
    pair = _prepare(
        goods, bads, names=("goods", "bads"), smoothing=smoothing, features=features
    )
    return _divergence(
        "IV",
        pair,
        labels=("goods", "bads"),
        se_method=se_method,
        test=test,
        reference_fixed=False,
        smoothing=smoothing,
    )


@check_arguments(
    {
        "expected": COUNTS,
        "actual": COUNTS,
        "reference": REFERENCES,
        "se_method": SE_METHODS,
        "test": TESTS,
        "smoothing": SMOOTHING,
        "features": FEATURES,
    }
)
def psi(
    expected: ArrayLike,
    actual: ArrayLike,
    *,
    reference: Reference = "sample",
    se_method: SEMethod = "delta",
    test: TestMethod = "chi2",
    smoothing: float = 0.5,
    features: Sequence[str] | None = None,
) -> Divergence:
    r"""Population stability index between reference and current bin counts.

    Parameters
    ----------
    expected : array-like of shape (n_bins,) or (n_features, n_bins)
        Reference (development) counts, total ``n``.
    actual : array-like of the same shape
        Current counts, total ``m``.
    reference : {"sample", "fixed"}, default="sample"
        ``"sample"``: both are samples (variance has both terms, test
        ``PSI / (1/n + 1/m)``). ``"fixed"``: the reference shares are the
        population (first variance term dropped, test ``PSI / (1/m)``).
    se_method : {"delta", "paper"}, default="delta"
        As in :func:`information_value`.
    test : {"chi2", "paper_z"}, default="chi2"
        As in :func:`information_value`.
    smoothing : float, default=0.5
        Zero-cell smoothing, as in :func:`information_value`.
    features : sequence of str, default=None
        Row names for 2-D input.

    Returns
    -------
    Divergence
        With ``name="PSI"``; ``bias_corrected`` subtracts
        :math:`(1/n + 1/m)(B - 1)` (or :math:`(B-1)/m` for a fixed reference).

    Raises
    ------
    ValueError
        As :func:`information_value`; also for an unknown ``reference``.

    Notes
    -----
    .. math:: PSI = \sum_j (a_j - e_j) \ln(a_j / e_j)

    with shares :math:`e` and :math:`a`. It is the Jeffreys divergence, so
    ``psi(goods, bads)`` equals ``information_value(goods, bads)``.

    Examples
    --------
    >>> res = psi([250, 250, 250, 250], [200, 250, 250, 300])
    >>> round(res.estimate, 4), res.df
    (0.0203, 3)
    """
    if reference not in ("sample", "fixed"):
        raise ValueError(f"reference must be 'sample' or 'fixed'; got {reference!r}.")
    pair = _prepare(
        expected,
        actual,
        names=("expected", "actual"),
        smoothing=smoothing,
        features=features,
    )
    return _divergence(
        "PSI",
        pair,
        labels=("expected", "actual"),
        se_method=se_method,
        test=test,
        reference_fixed=reference == "fixed",
        smoothing=smoothing,
    )


@check_arguments(
    {
        "p_counts": COUNTS,
        "q_counts": COUNTS,
        "smoothing": SMOOTHING,
        "features": FEATURES,
    }
)
def jensen_shannon(
    p_counts: ArrayLike,
    q_counts: ArrayLike,
    *,
    smoothing: float = 0.5,
    features: Sequence[str] | None = None,
) -> Divergence:
    r"""Jensen-Shannon divergence between two binned distributions (nats).

    Parameters
    ----------
    p_counts, q_counts : array-like of shape (n_bins,) or (n_features, n_bins)
        Counts of the two distributions.
    smoothing : float, default=0.5
        Zero-cell smoothing, as in :func:`information_value`.
    features : sequence of str, default=None
        Row names for 2-D input.

    Returns
    -------
    Divergence
        With ``name="JS"``; delta-method SE and the chi-square test
        :math:`8 \frac{n_P n_Q}{n_P + n_Q} JS \sim \chi^2_{J-1}`.

    Raises
    ------
    ValueError
        As :func:`information_value`.

    Notes
    -----
    :math:`JS = \tfrac12 KL(P\|M) + \tfrac12 KL(Q\|M)`, :math:`M = (P+Q)/2`,
    bounded by :math:`\ln 2`. Its gradients are
    :math:`\partial/\partial p_j = \tfrac12\ln(p_j/m_j)` and likewise for q.

    Examples
    --------
    >>> round(jensen_shannon([1, 0], [0, 1], smoothing=1e-12).estimate, 6)
    0.693147
    """
    with warnings.catch_warnings():
        if smoothing > 0:
            # A zero cell is not a problem for JS (m > 0), smooth only if asked.
            warnings.simplefilter("ignore", DataConditionWarning)
        pair = _prepare(
            p_counts,
            q_counts,
            names=("p_counts", "q_counts"),
            smoothing=smoothing,
            features=features,
        )
    return _divergence(
        "JS",
        pair,
        labels=("p", "q"),
        se_method="delta",
        test="chi2",
        reference_fixed=False,
        smoothing=smoothing,
    )
