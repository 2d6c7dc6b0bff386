"""Weight of evidence per bin with its delta-method covariance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from .._kit.compat import check_arguments
from .._kit.intervals import two_sided_pvalue, wald_interval
from ._prepare import (
    COUNTS,
    FEATURES,
    ORIENTATIONS,
    SE_METHODS,
    SMOOTHING,
    WEIGHT_KIND_ARGS,
    FloatArray,
    Orientation,
    SEMethod,
    WeightKindArg,
    _prepare,
    _safe_log_ratio,
    _shares,
    _weight_kind_of,
)

__all__ = ["WoEResult", "woe"]


@dataclass(frozen=True, eq=False, repr=False)
class WoEResult:
    """Weight of evidence per bin with its covariance.

    Attributes
    ----------
    estimate : ndarray of shape (n_bins,) or (n_features, n_bins)
        WoE per bin (NaN for absent bins).
    se : ndarray
        Standard error per bin.
    cov : ndarray of shape (n_bins, n_bins) or (n_features, n_bins, n_bins)
        Covariance matrix of the WoE of a feature's bins (delta method: WoE
        of different bins are negatively correlated through the totals).
    statistic, pvalue : ndarray
        Wald test of ``WoE_j = 0`` (bin event rate equals the overall rate).
    n : float or ndarray
        Total count as given (observations or their total weight), without
        the smoothing's pseudo-counts.
    method : str
        ``"se=delta"`` or ``"se=paper"`` (``"; weights=sampling"`` appended
        for linearised variances).
    orientation : {"good/bad", "bad/good"}
        ``ln(p/q)`` or ``ln(q/p)``.
    goods, bads : ndarray
        Counts after smoothing.
    features : tuple of str
        Row names for 2-D input.
    smoothing : float
        The pseudo-count added to both cells of a bin with a zero cell.
    smoothing_added : float or ndarray
        Total pseudo-count added (not counted in ``n``).
    """

    estimate: FloatArray
    se: FloatArray
    cov: FloatArray
    statistic: FloatArray
    pvalue: FloatArray
    n: float | FloatArray
    method: str
    orientation: Orientation
    goods: FloatArray
    bads: FloatArray
    features: tuple[str, ...]
    smoothing: float = 0.5
    smoothing_added: float | FloatArray = 0.0

    def ci(self, alpha: float = 0.05) -> FloatArray:
        """Wald interval per bin, shape ``(..., n_bins, 2)``."""
        return wald_interval(self.estimate, self.se, alpha)

    def contrast_se(self, weights: ArrayLike) -> float | FloatArray:
        """Standard error of a linear combination ``sum_j w_j WoE_j``."""
        w = np.asarray(weights, dtype=np.float64)
        cov = np.nan_to_num(self.cov)
        return np.sqrt(np.einsum("...i,...ij,...j->...", w, cov, w))

    def to_frame(self) -> pd.DataFrame:
        """Per-bin table: goods, bads, WoE, SE, CI, z and p-value."""
        est = np.atleast_2d(self.estimate)
        present = np.isfinite(est)
        rows, cols = np.nonzero(present)
        ci = np.atleast_2d(
            self.ci().reshape(-1, est.shape[-1], 2).reshape(-1, 2)
        ).reshape(est.shape + (2,))
        return pd.DataFrame(
            {
                "feature": np.asarray(self.features, dtype=object)[rows],
                "bin": cols,
                "goods": np.atleast_2d(self.goods)[rows, cols],
                "bads": np.atleast_2d(self.bads)[rows, cols],
                "woe": est[rows, cols],
                "se": np.atleast_2d(self.se)[rows, cols],
                "ci_low": ci[rows, cols, 0],
                "ci_high": ci[rows, cols, 1],
                "z": np.atleast_2d(self.statistic)[rows, cols],
                "pvalue": np.atleast_2d(self.pvalue)[rows, cols],
            }
        )

    def __repr__(self) -> str:
        return (
            f"WoEResult(method='{self.method}', orientation='{self.orientation}')\n"
            + (self.to_frame().to_string(index=False))
        )


@check_arguments(
    {
        "goods": COUNTS,
        "bads": COUNTS,
        "orientation": ORIENTATIONS,
        "se_method": SE_METHODS,
        "smoothing": SMOOTHING,
        "features": FEATURES,
        "weight_kind": WEIGHT_KIND_ARGS,
        "goods_sq": FEATURES,
        "bads_sq": FEATURES,
    }
)
def woe(
    goods: ArrayLike,
    bads: ArrayLike,
    *,
    orientation: Orientation = "good/bad",
    se_method: SEMethod = "delta",
    smoothing: float = 0.5,
    features: Sequence[str] | None = None,
    weight_kind: WeightKindArg = None,
    goods_sq: ArrayLike | None = None,
    bads_sq: ArrayLike | None = None,
) -> WoEResult:
    r"""Weight of evidence per bin with delta-method standard errors.

    Parameters
    ----------
    goods, bads : array-like of shape (n_bins,) or (n_features, n_bins)
        Good (``y = 0``) and bad (``y = 1``) counts per bin.
    orientation : {"good/bad", "bad/good"}, default="good/bad"
        ``"good/bad"``: :math:`\ln(p_j/q_j)`, positive means lower risk.
    se_method : {"delta", "paper"}, default="delta"
        ``"delta"``: :math:`Var = 1/g_j - 1/n_G + 1/b_j - 1/n_B` and
        :math:`Cov_{jk} = -(1/n_G + 1/n_B)`. ``"paper"``: Woolf's
        :math:`1/g_j + 1/b_j`, bins independent.
    smoothing : float, default=0.5
        Zero-cell smoothing, as in :func:`information_value`.
    features : sequence of str, default=None
        Row names for 2-D input.
    weight_kind : {"frequency", "sampling"} or None, default=None
        As in :func:`information_value` (``None``:
        :data:`scorecard._kit.validation.WEIGHT_KIND_RULE`): sampling weights
        give :math:`Var(\ln \hat p_j) = V_{jj} / p_j^2` with
        the linearised share covariance
        :math:`V_{jk} = (\delta_{jk} S_j - S_j p_k - S_k p_j + S p_j p_k) / W^2`
        (``S_j`` the bin's sum of squared weights, ``W`` the total weight);
        equal weights give the frequency formula.
    goods_sq, bads_sq : array-like, default=None
        Per-bin sums of squared sample weights.

    Returns
    -------
    WoEResult

    Raises
    ------
    ValueError
        As :func:`information_value`; also for an unknown orientation.

    Examples
    --------
    >>> res = woe([10, 20], [30, 10])
    >>> res.estimate.round(4)
    array([-0.8109,  0.9808])
    >>> round(float(res.contrast_se([-1, 1])), 4)  # equals the logit SE
    0.5323
    """
    if orientation not in ("good/bad", "bad/good"):
        raise ValueError(
            f"orientation must be 'good/bad' or 'bad/good'; got {orientation!r}."
        )
    if se_method not in ("delta", "paper"):
        raise ValueError(f"se_method must be 'delta' or 'paper'; got {se_method!r}.")
    squares = (goods_sq, bads_sq)
    if _weight_kind_of(weight_kind, squares) == "frequency":
        squares = (None, None)
    pair = _prepare(
        goods,
        bads,
        names=("goods", "bads"),
        smoothing=smoothing,
        features=features,
        squares=squares,
    )
    g, b, present = pair.first, pair.second, pair.present
    n_g = g.sum(axis=1, keepdims=True)
    n_b = b.sum(axis=1, keepdims=True)
    p, q = _shares(g, present), _shares(b, present)
    est = np.where(present, _safe_log_ratio(p, q, present), np.nan)
    if orientation == "bad/good":
        est = -est
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(present, 1 / g + 1 / b, np.nan)
    n_bins = g.shape[1]
    if se_method == "delta" and pair.first_sq is not None:
        cov = _log_share_cov(g, p, pair.first_sq) + _log_share_cov(b, q, pair.second_sq)
        idx = np.arange(n_bins)
        var = np.where(present, cov[:, idx, idx], np.nan)
        off = cov
    elif se_method == "delta":
        var = inv - (1 / n_g + 1 / n_b)
        off = -(1 / n_g + 1 / n_b)[:, :, None] * np.ones((1, n_bins, n_bins))
    else:
        var = inv
        off = np.zeros((g.shape[0], n_bins, n_bins))
    mask = present[:, :, None] & present[:, None, :]
    cov = np.where(mask, off, np.nan)
    idx = np.arange(n_bins)
    cov[:, idx, idx] = var
    se = np.sqrt(var)
    z = est / se
    pval = two_sided_pvalue(z)

    def out(x: NDArray) -> NDArray:
        return x[0] if pair.scalar else x

    n_total = pair.n_observed if pair.n_observed is not None else (n_g + n_b)[:, 0]
    added = pair.added if pair.added is not None else np.zeros(g.shape[0])
    return WoEResult(
        estimate=out(est),
        se=out(se),
        cov=out(cov),
        statistic=out(z),
        pvalue=out(pval),
        n=n_total.item() if pair.scalar else n_total,
        method=f"se={se_method}"
        + ("; weights=sampling" if pair.first_sq is not None else ""),
        orientation=orientation,
        goods=out(g),
        bads=out(b),
        features=pair.features,
        smoothing=smoothing,
        smoothing_added=added.item() if pair.scalar else added,
    )


def _log_share_cov(
    counts: FloatArray, shares: FloatArray, squares: FloatArray | None
) -> FloatArray:
    """Linearised covariance of ``ln p_j`` over bins (absent bins give NaN)."""
    from ._inference import share_covariance

    cov = share_covariance(counts, shares, squares)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(shares > 0, 1 / shares, np.nan)
    return cov * inv[:, :, None] * inv[:, None, :]
