r"""Drift statistics from bin count tables alone.

A drift check compares, per feature and for the score, the reference counts
per bin (stored in the scorecard artifact) with the counts of a new batch over
the same bins. Everything here consumes counts, never raw rows (except
:func:`delong_auc`), so a check, a stored run and a window of stored runs all
go through the same formulas.

Status rule
-----------
With ``psi_bands = (low, high)`` (default ``(0.10, 0.25)``), significance level
``alpha``, the chi-square test of no change (:func:`scorecard.psi`,
``T = PSI / (1/n + 1/m) ~ chi2(B - 1)``, or ``PSI / (1/m)`` for a fixed
reference) and the ``1 - alpha`` Wald interval ``[ci_low, ci_high]`` of PSI:

* ``"drift"``: ``pvalue < alpha`` **and** ``ci_low >= high``: the change is
  real and materially beyond the upper band;
* ``"watch"``: not drift, ``pvalue < alpha`` **and** ``estimate >= low``: the
  change is real and its point estimate reaches the lower band;
* ``"stable"``: otherwise (no evidence of change, or a change too small to
  matter).

Both non-stable statuses require a rejection of the test of no change at level
``alpha``, so under the null (no drift) the share of features flagged drift,
and even the share flagged drift *or* watch, is at most ``alpha`` up to the
chi-square approximation. The significance condition is needed: under no
change the delta-method SE of PSI is zero to first order, so at small batch
sizes a noisy, upward-biased PSI alone would often put its Wald lower bound
above a band.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from scorecard import CountTable, Divergence, information_value, psi
from scorecard._kit.exceptions import DataConditionWarning
from scorecard._stats._auc import AUCResult, auc_from_counts, delong_auc

__all__ = [
    "AUCDrift",
    "AUCResult",
    "BadRateDrift",
    "CharacteristicShift",
    "DriftReport",
    "FeatureDrift",
    "IVDrift",
    "auc_drift",
    "auc_from_counts",
    "bad_rate_by_band",
    "characteristic_analysis",
    "delong_auc",
    "drift_from_counts",
    "drift_status",
    "iv_drift",
]

Status = Literal["stable", "watch", "drift"]
Reference = Literal["sample", "fixed"]
Kind = Literal["feature", "score"]
FloatArray = NDArray[np.float64]

STATUSES: tuple[Status, ...] = ("stable", "watch", "drift")
JSON_FORMAT = "infoscore.drift_report"
JSON_VERSION = 1


# --------------------------------------------------------------------------
# validation helpers


def _check_alpha(alpha: float) -> float:
    if not isinstance(alpha, int | float) or not 0 < alpha < 1:
        raise ValueError(f"alpha must be a number in (0, 1); got {alpha!r}.")
    return float(alpha)


def _check_bands(psi_bands: Sequence[float]) -> tuple[float, float]:
    try:
        low, high = (float(b) for b in psi_bands)
    except (TypeError, ValueError):
        raise ValueError(
            "psi_bands must be two numbers (low, high) with 0 <= low <= high; "
            f"got {psi_bands!r}."
        ) from None
    if not (math.isfinite(low) and math.isfinite(high) and 0 <= low <= high):
        raise ValueError(
            "psi_bands must be two finite numbers with 0 <= low <= high; "
            f"got {psi_bands!r}."
        )
    return low, high


def _check_reference(reference: str) -> Reference:
    if reference not in ("sample", "fixed"):
        raise ValueError(f"reference must be 'sample' or 'fixed'; got {reference!r}.")
    return reference  # type: ignore[return-value]


def _wald(
    estimate: ArrayLike, se: ArrayLike, alpha: float, *, floor: float | None = 0.0
) -> FloatArray:
    z = stats.norm.ppf(1 - _check_alpha(alpha) / 2)
    est = np.asarray(estimate, dtype=np.float64)
    half = z * np.asarray(se, dtype=np.float64)
    low = est - half
    if floor is not None:
        low = np.maximum(low, floor)
    return np.stack([low, est + half], axis=-1)


def _two_sided(z: ArrayLike) -> FloatArray:
    return np.asarray(2 * stats.norm.sf(np.abs(np.asarray(z, dtype=np.float64))))


def _counts_2d(x: ArrayLike | CountTable, name: str) -> FloatArray:
    if isinstance(x, CountTable):
        arr = x.counts.sum(axis=2)
    else:
        try:
            arr = np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name} must be numeric counts; got {x!r:.80}.") from exc
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be 1-D (bins) or 2-D (features x bins); got ndim={arr.ndim}."
        )
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be finite and non-negative counts.")
    return arr


def _names(features: Sequence[str] | None, n: int, default: Sequence[str]) -> tuple:
    names = tuple(default) if features is None else tuple(str(f) for f in features)
    if len(names) != n:
        raise ValueError(f"features has {len(names)} names for {n} rows of counts.")
    if len(set(names)) != len(names):
        raise ValueError(f"features must be unique; got {list(names)}.")
    return names


def _record(func: Any, *args: Any, **kwargs: Any) -> tuple[Any, list[str]]:
    """Call ``func``, returning the DataConditionWarnings it raised as text."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataConditionWarning)
        out = func(*args, **kwargs)
    messages = []
    for w in caught:
        if issubclass(w.category, DataConditionWarning):
            messages.append(str(w.message))
        else:  # pragma: no cover - anything else is re-raised as it came
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return out, messages


# --------------------------------------------------------------------------
# status


def drift_status(
    estimate: ArrayLike,
    ci_low: ArrayLike,
    pvalue: ArrayLike,
    *,
    psi_bands: Sequence[float] = (0.10, 0.25),
    alpha: float = 0.05,
) -> NDArray[np.str_]:
    """Status per feature from magnitude (bands) and evidence (test, CI).

    Parameters
    ----------
    estimate : array-like of float
        PSI estimates.
    ci_low : array-like of float
        Lower bounds of the ``1 - alpha`` intervals of PSI.
    pvalue : array-like of float
        P-values of the chi-square test of no change.
    psi_bands : (float, float), default=(0.10, 0.25)
        Lower (watch) and upper (drift) PSI bands, ``0 <= low <= high``.
    alpha : float, default=0.05
        Significance level of the test.

    Returns
    -------
    ndarray of str
        ``"stable"``, ``"watch"`` or ``"drift"`` per entry.

    Raises
    ------
    ValueError
        For bands that are not ``0 <= low <= high`` or ``alpha`` outside (0, 1).

    Notes
    -----
    drift: ``pvalue < alpha`` and ``ci_low >= high``; watch: not drift,
    ``pvalue < alpha`` and ``estimate >= low``; stable otherwise. Both flags
    need a significant test, so under no change each is raised for at most a
    share ``alpha`` of features.

    Examples
    --------
    >>> drift_status([0.30, 0.30, 0.12, 0.40], [0.27, 0.20, 0.05, 0.30],
    ...              [1e-9, 1e-6, 0.01, 0.20])
    array(['drift', 'watch', 'watch', 'stable'], dtype='<U6')
    """
    low, high = _check_bands(psi_bands)
    alpha = _check_alpha(alpha)
    est = np.asarray(estimate, dtype=np.float64)
    lower = np.asarray(ci_low, dtype=np.float64)
    p = np.asarray(pvalue, dtype=np.float64)
    significant = p < alpha
    drift = significant & (lower >= high)
    watch = significant & ~drift & (est >= low)
    return np.where(drift, "drift", np.where(watch, "watch", "stable"))


# --------------------------------------------------------------------------
# PSI per feature


@dataclass(frozen=True, eq=False, repr=False)
class FeatureDrift:
    """Population stability of one feature (or of the binned score).

    Attributes
    ----------
    feature : str
        Feature name.
    kind : {"feature", "score"}
        Whether the row is a model feature or the score.
    estimate : float
        PSI between the reference and current bin shares.
    bias_corrected : float
        ``estimate`` minus its expectation under no change,
        ``(1/n + 1/m)(B - 1)`` (``(B - 1)/m`` for a fixed reference).
    se : float
        Delta-method standard error.
    statistic : float
        Chi-square statistic of no change.
    df : int
        Degrees of freedom, non-empty bins minus one.
    pvalue : float
        P-value of the chi-square test.
    status : {"stable", "watch", "drift"}
        From :func:`drift_status` at the report's bands and ``alpha``.
    n_reference, n_current : float
        Reference and current totals.
    alpha : float
        Level of the default interval and of the status.
    method : str
        Standard error, test and reference, e.g.
        ``"se=delta; test=chi2; reference=sample"``.
    bins : tuple of str
        Bin labels.
    reference_counts, current_counts : ndarray
        Counts per bin as given (before zero-cell smoothing).
    contributions : ndarray
        Per-bin PSI terms (after smoothing), summing to ``estimate``.
    smoothed : ndarray of bool
        Bins that had a zero cell and were smoothed.
    """

    feature: str
    kind: Kind
    estimate: float
    bias_corrected: float
    se: float
    statistic: float
    df: int
    pvalue: float
    status: Status
    n_reference: float
    n_current: float
    alpha: float
    method: str
    bins: tuple[str, ...]
    reference_counts: FloatArray
    current_counts: FloatArray
    contributions: FloatArray
    smoothed: NDArray[np.bool_]

    @property
    def n(self) -> float:
        """Total count of both samples."""
        return self.n_reference + self.n_current

    def ci(self, alpha: float | None = None) -> FloatArray:
        """Wald interval ``estimate +- z se`` truncated at 0 (default: report alpha)."""
        level = self.alpha if alpha is None else alpha
        return _wald(np.float64(self.estimate), np.float64(self.se), level)

    def to_frame(self) -> pd.DataFrame:
        """Per-bin table: counts, shares, log ratio, PSI contribution."""
        ref, cur = self.reference_counts, self.current_counts
        with np.errstate(divide="ignore", invalid="ignore"):
            e = ref / ref.sum()
            a = cur / cur.sum()
            log_ratio = np.log(a) - np.log(e)
        return pd.DataFrame(
            {
                "feature": self.feature,
                "bin": np.arange(len(self.bins)),
                "label": list(self.bins),
                "reference": ref,
                "current": cur,
                "reference_share": e,
                "current_share": a,
                "log_ratio": log_ratio,
                "contribution": self.contributions,
                "smoothed": self.smoothed,
            }
        )

    def __repr__(self) -> str:
        low, high = self.ci()
        return (
            f"FeatureDrift({self.feature!r}, status={self.status!r}, "
            f"psi={self.estimate:.4f}, se={self.se:.4f}, "
            f"ci{100 * (1 - self.alpha):g}=[{low:.4f}, {high:.4f}], "
            f"bias_corrected={self.bias_corrected:.4f}, df={self.df}, "
            f"pvalue={self.pvalue:.3g}, n_reference={self.n_reference:g}, "
            f"n_current={self.n_current:g})"
        )


def _feature_rows(
    reference_counts: FloatArray,
    current_counts: FloatArray,
    *,
    features: tuple[str, ...],
    kinds: tuple[Kind, ...],
    bin_labels: tuple[tuple[str, ...], ...],
    psi_bands: tuple[float, float],
    alpha: float,
    reference: Reference,
    smoothing: float,
) -> tuple[tuple[FeatureDrift, ...], list[str]]:
    for arr, name in (
        (reference_counts, "reference_counts"),
        (current_counts, "current_counts"),
    ):
        empty = np.flatnonzero(arr.sum(axis=1) <= 0)
        if empty.size:
            raise ValueError(
                f"{name} has zero total for feature {features[empty[0]]!r}; both "
                "samples need at least one observation."
            )
    # A feature whose rows all fall in one bin in both samples (e.g. never split
    # by the binner) has exactly PSI 0: report it stable instead of failing.
    n_used = ((reference_counts + current_counts) > 0).sum(axis=1)
    valid = np.flatnonzero(n_used >= 2)
    n_features, width = reference_counts.shape
    est = np.zeros(n_features)
    arrays = {
        "se": np.zeros(n_features),
        "bias_corrected": np.zeros(n_features),
        "statistic": np.zeros(n_features),
        "df": np.zeros(n_features, dtype=np.int64),
        "pvalue": np.ones(n_features),
    }
    contributions = np.zeros((n_features, width))
    smoothed = np.zeros((n_features, width), dtype=bool)
    low = np.zeros(n_features)
    method = f"se=delta; test=chi2; reference={reference}"
    messages: list[str] = []
    if valid.size:
        res, messages = _record(
            psi,
            reference_counts[valid],
            current_counts[valid],
            reference=reference,
            smoothing=smoothing,
            features=[features[i] for i in valid],
        )
        est[valid] = res.estimate
        for key in arrays:
            arrays[key][valid] = getattr(res, key)
        contributions[valid] = res.contributions
        smoothed[valid] = res.smoothed
        low[valid] = np.atleast_2d(res.ci(alpha))[:, 0]
        method = res.method
    se = arrays["se"]
    status = drift_status(est, low, arrays["pvalue"], psi_bands=psi_bands, alpha=alpha)
    rows = []
    for i, name in enumerate(features):
        nb = len(bin_labels[i])
        rows.append(
            FeatureDrift(
                feature=name,
                kind=kinds[i],
                estimate=float(est[i]),
                bias_corrected=float(arrays["bias_corrected"][i]),
                se=float(se[i]),
                statistic=float(arrays["statistic"][i]),
                df=int(arrays["df"][i]),
                pvalue=float(arrays["pvalue"][i]),
                status=str(status[i]),  # type: ignore[arg-type]
                n_reference=float(reference_counts[i].sum()),
                n_current=float(current_counts[i].sum()),
                alpha=alpha,
                method=method,
                bins=bin_labels[i],
                reference_counts=reference_counts[i, :nb].copy(),
                current_counts=current_counts[i, :nb].copy(),
                contributions=contributions[i, :nb].copy(),
                smoothed=smoothed[i, :nb].copy(),
            )
        )
    return tuple(rows), messages


def _bin_labels(
    bin_labels: Sequence[Sequence[Any]] | None,
    reference_counts: FloatArray,
    current_counts: FloatArray,
    features: tuple[str, ...],
) -> tuple[tuple[str, ...], ...]:
    n_features, n_bins = reference_counts.shape
    if bin_labels is None:
        # Trailing bins empty in both samples are padding.
        used = (reference_counts + current_counts) > 0
        last = np.where(used.any(axis=1), n_bins - np.argmax(used[:, ::-1], 1), 0)
        return tuple(tuple(str(j) for j in range(k)) for k in last)
    if len(bin_labels) != n_features:
        raise ValueError(
            f"bin_labels has {len(bin_labels)} entries for {n_features} features."
        )
    out = []
    for i, labels in enumerate(bin_labels):
        labels = tuple(str(b) for b in labels)
        k = len(labels)
        if k > n_bins:
            raise ValueError(
                f"bin_labels for feature {features[i]!r} has {k} labels for "
                f"{n_bins} columns of counts."
            )
        pad = slice(k, None)
        if np.any(reference_counts[i, pad] > 0) or np.any(current_counts[i, pad] > 0):
            raise ValueError(
                f"Feature {features[i]!r} has counts beyond its {k} labelled bins; "
                "padding columns must be zero."
            )
        out.append(labels)
    return tuple(out)


# --------------------------------------------------------------------------
# IV drift


@dataclass(frozen=True, eq=False, repr=False)
class IVDrift:
    """Information value now vs reference, with a difference test.

    Attributes
    ----------
    features : tuple of str
        Feature names.
    reference, current : Divergence
        IV of the reference and of the current labelled sample (2-D results).
    estimate : ndarray
        ``IV_current - IV_reference`` per feature.
    se : ndarray
        ``sqrt(se_reference^2 + se_current^2)`` (independent samples).
    statistic : ndarray
        ``estimate / se``.
    pvalue : ndarray
        Two-sided normal p-value of no change in IV.
    method : str
        ``"se=delta; test=wald-difference"``.
    n : ndarray
        Total count of both samples.

    Notes
    -----
    The delta-method SE of an IV degenerates when the IV is near 0 (the
    gradient vanishes), so the test is only meaningful for features that carry
    information in the reference.
    """

    features: tuple[str, ...]
    reference: Divergence
    current: Divergence
    estimate: FloatArray
    se: FloatArray
    statistic: FloatArray
    pvalue: FloatArray
    method: str
    n: FloatArray

    def ci(self, alpha: float = 0.05) -> FloatArray:
        """Wald interval of the IV difference, shape ``(n_features, 2)``."""
        return _wald(self.estimate, self.se, alpha, floor=None)

    def to_frame(self, alpha: float = 0.05) -> pd.DataFrame:
        """One row per feature: IVs, SEs, difference, CI, z, p-value."""
        ci = self.ci(alpha)
        return pd.DataFrame(
            {
                "iv_reference": np.atleast_1d(self.reference.estimate),
                "se_reference": np.atleast_1d(self.reference.se),
                "iv_current": np.atleast_1d(self.current.estimate),
                "se_current": np.atleast_1d(self.current.se),
                "difference": self.estimate,
                "se": self.se,
                "ci_low": ci[:, 0],
                "ci_high": ci[:, 1],
                "statistic": self.statistic,
                "pvalue": self.pvalue,
            },
            index=pd.Index(self.features, name="feature"),
        )

    def __repr__(self) -> str:
        return f"IVDrift(method='{self.method}')\n{self.to_frame().to_string()}"


def _class_counts(x: ArrayLike | CountTable, name: str) -> FloatArray:
    if isinstance(x, CountTable):
        if x.counts.shape[2] != 2:
            raise ValueError(
                f"{name} must have two classes (good, bad); got {list(x.classes)}."
            )
        return np.asarray(x.counts, dtype=np.float64)
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be numeric counts; got {x!r:.80}.") from exc
    if arr.ndim == 2:
        arr = arr[None]
    if arr.ndim != 3 or arr.shape[2] != 2:
        raise ValueError(
            f"{name} must have shape (n_bins, 2) or (n_features, n_bins, 2) with "
            f"columns (goods, bads); got shape {arr.shape}."
        )
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be finite and non-negative counts.")
    return arr


def iv_drift(
    reference: ArrayLike | CountTable,
    current: ArrayLike | CountTable,
    *,
    features: Sequence[str] | None = None,
    smoothing: float = 0.5,
) -> IVDrift:
    """Compare the information value of each feature now vs the reference.

    Parameters
    ----------
    reference, current : CountTable or array-like of shape (n_features, n_bins, 2)
        Good (``y = 0``) and bad (``y = 1``) counts per bin; a 2-D array is one
        feature. A :class:`scorecard.CountTable` must have classes (good, bad).
    features : sequence of str, default=None
        Feature names (taken from a CountTable when omitted).
    smoothing : float, default=0.5
        Zero-cell smoothing of :func:`scorecard.information_value`.

    Returns
    -------
    IVDrift

    Raises
    ------
    ValueError
        For shapes that differ or invalid counts.

    Notes
    -----
    ``D = IV_cur - IV_ref``, ``SE(D) = sqrt(SE_ref^2 + SE_cur^2)``,
    ``z = D / SE(D)``, two-sided normal p-value.

    Examples
    --------
    >>> ref = [[400, 20], [300, 40], [100, 60]]
    >>> cur = [[390, 30], [310, 40], [100, 50]]
    >>> res = iv_drift(ref, cur)
    >>> res.reference.estimate.round(4), res.current.estimate.round(4)
    (array([0.891]), array([0.5179]))
    >>> res.pvalue.round(3)
    array([0.114])
    """
    ref = _class_counts(reference, "reference")
    cur = _class_counts(current, "current")
    if ref.shape != cur.shape:
        raise ValueError(
            f"reference and current must have the same shape; got {ref.shape} "
            f"and {cur.shape}."
        )
    default = (
        reference.features
        if isinstance(reference, CountTable)
        else tuple(f"x{i}" for i in range(ref.shape[0]))
    )
    names = _names(features, ref.shape[0], default)
    iv_ref = information_value(
        ref[:, :, 0], ref[:, :, 1], smoothing=smoothing, features=names
    )
    iv_cur = information_value(
        cur[:, :, 0], cur[:, :, 1], smoothing=smoothing, features=names
    )
    diff = np.atleast_1d(iv_cur.estimate) - np.atleast_1d(iv_ref.estimate)
    se = np.hypot(np.atleast_1d(iv_ref.se), np.atleast_1d(iv_cur.se))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, diff / se, np.nan)
    return IVDrift(
        features=names,
        reference=iv_ref,
        current=iv_cur,
        estimate=diff,
        se=se,
        statistic=z,
        pvalue=_two_sided(z),
        method="se=delta; test=wald-difference",
        n=np.atleast_1d(iv_ref.n) + np.atleast_1d(iv_cur.n),
    )


# --------------------------------------------------------------------------
# AUC drift (DeLong standard errors)

# AUCResult, delong_auc and auc_from_counts live in scorecard._stats._auc (one
# shared implementation); they are re-exported here for monitoring users.


@dataclass(frozen=True, eq=False, repr=False)
class AUCDrift:
    """AUC now vs reference for independent samples.

    Attributes
    ----------
    reference, current : AUCResult
        The two AUCs.
    estimate : float
        ``AUC_current - AUC_reference``.
    se : float
        ``sqrt(se_reference^2 + se_current^2)``.
    statistic : float
        ``estimate / se``.
    pvalue : float
        Two-sided normal p-value of no change.
    method : str
        ``"delong; test=wald-difference"``.
    """

    reference: AUCResult
    current: AUCResult
    estimate: float
    se: float
    statistic: float
    pvalue: float
    method: str

    @property
    def n(self) -> float:
        """Rows of both samples."""
        return self.reference.n + self.current.n

    def ci(self, alpha: float = 0.05) -> FloatArray:
        """Wald interval of the difference."""
        return _wald(np.float64(self.estimate), np.float64(self.se), alpha, floor=None)

    def to_frame(self, alpha: float = 0.05) -> pd.DataFrame:
        """Rows reference, current and difference with SE and CI."""
        rows = []
        for name, res in (("reference", self.reference), ("current", self.current)):
            low, high = res.ci(alpha)
            rows.append((name, res.estimate, res.se, low, high, res.pvalue))
        low, high = self.ci(alpha)
        rows.append(("difference", self.estimate, self.se, low, high, self.pvalue))
        return pd.DataFrame(
            rows, columns=["row", "auc", "se", "ci_low", "ci_high", "pvalue"]
        ).set_index("row")

    def __repr__(self) -> str:
        return f"AUCDrift(method='{self.method}')\n{self.to_frame().to_string()}"


def auc_drift(reference: AUCResult, current: AUCResult) -> AUCDrift:
    """Test the change of AUC between two independent samples.

    Parameters
    ----------
    reference, current : AUCResult
        From :func:`delong_auc` or :func:`auc_from_counts`.

    Returns
    -------
    AUCDrift

    Raises
    ------
    TypeError
        If an argument is not an :class:`AUCResult`.

    Examples
    --------
    >>> ref = auc_from_counts([50, 30, 20], [5, 10, 25])
    >>> cur = auc_from_counts([45, 35, 20], [8, 12, 20])
    >>> round(auc_drift(ref, cur).estimate, 5)
    -0.07375
    """
    for name, res in (("reference", reference), ("current", current)):
        if not isinstance(res, AUCResult):
            raise TypeError(f"{name} must be an AUCResult; got {type(res).__name__}.")
    diff = current.estimate - reference.estimate
    se = math.hypot(reference.se, current.se)
    z = diff / se if se > 0 else math.nan
    return AUCDrift(
        reference=reference,
        current=current,
        estimate=diff,
        se=se,
        statistic=z,
        pvalue=float(_two_sided(np.float64(z))),
        method="delong; test=wald-difference",
    )


# --------------------------------------------------------------------------
# bad rate by score band


@dataclass(frozen=True, eq=False, repr=False)
class BadRateDrift:
    """Bad rate per score band, reference vs current.

    Attributes
    ----------
    bands : tuple of str
        Band labels.
    reference, current : ndarray of shape (n_bands, 2)
        Good and bad counts per band.
    estimate : ndarray
        Current minus reference bad rate per band.
    se : ndarray
        ``sqrt(r_ref (1 - r_ref)/n_ref + r_cur (1 - r_cur)/n_cur)``.
    statistic, pvalue : ndarray
        Wald z and two-sided p-value of equal bad rates (pooled SE).
    method : str
        ``"two-proportion z (pooled); CI: Wilson and Wald difference"``.
    """

    bands: tuple[str, ...]
    reference: FloatArray
    current: FloatArray
    estimate: FloatArray
    se: FloatArray
    statistic: FloatArray
    pvalue: FloatArray
    method: str

    @property
    def n(self) -> FloatArray:
        """Rows per band, both samples."""
        return self.reference.sum(axis=1) + self.current.sum(axis=1)

    def ci(self, alpha: float = 0.05) -> FloatArray:
        """Wald interval of the bad-rate difference per band."""
        return _wald(self.estimate, self.se, alpha, floor=None)

    def to_frame(self, alpha: float = 0.05) -> pd.DataFrame:
        """One row per band: counts, bad rates (Wilson CI), difference, test."""
        out = {}
        z = stats.norm.ppf(1 - _check_alpha(alpha) / 2)
        for name, counts in (("reference", self.reference), ("current", self.current)):
            n = counts.sum(axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                rate = counts[:, 1] / n
                centre = (rate + z**2 / (2 * n)) / (1 + z**2 / n)
                half = (
                    z
                    * np.sqrt(rate * (1 - rate) / n + z**2 / (4 * n**2))
                    / (1 + z**2 / n)
                )
            out[f"n_{name}"] = n
            out[f"bad_rate_{name}"] = rate
            out[f"bad_rate_{name}_low"] = centre - half
            out[f"bad_rate_{name}_high"] = centre + half
        ci = self.ci(alpha)
        out.update(
            difference=self.estimate,
            se=self.se,
            ci_low=ci[:, 0],
            ci_high=ci[:, 1],
            statistic=self.statistic,
            pvalue=self.pvalue,
        )
        return pd.DataFrame(out, index=pd.Index(self.bands, name="band"))

    def __repr__(self) -> str:
        return f"BadRateDrift(method='{self.method}')\n{self.to_frame().to_string()}"


def bad_rate_by_band(
    reference: ArrayLike,
    current: ArrayLike,
    *,
    bands: Sequence[str] | None = None,
) -> BadRateDrift:
    """Compare the bad rate per score band between reference and current.

    Parameters
    ----------
    reference, current : array-like of shape (n_bands, 2)
        Good and bad counts per score band.
    bands : sequence of str, default=None
        Band labels (``"0", "1", ...`` when omitted).

    Returns
    -------
    BadRateDrift
        Bands with no rows in a sample get NaN rates and tests.

    Raises
    ------
    ValueError
        For invalid counts, shapes that differ or a wrong number of labels.

    Examples
    --------
    >>> res = bad_rate_by_band([[90, 10], [80, 20]], [[85, 15], [80, 20]])
    >>> res.estimate.round(3)
    array([0.05, 0.  ])
    """
    ref = _class_counts(reference, "reference")
    cur = _class_counts(current, "current")
    if ref.shape != cur.shape or ref.shape[0] != 1:
        raise ValueError(
            "reference and current must both have shape (n_bands, 2); got "
            f"{np.shape(reference)} and {np.shape(current)}."
        )
    ref, cur = ref[0], cur[0]
    labels = _names(bands, ref.shape[0], [str(i) for i in range(ref.shape[0])])
    n_r, n_c = ref.sum(axis=1), cur.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r_r, r_c = ref[:, 1] / n_r, cur[:, 1] / n_c
        diff = r_c - r_r
        se = np.sqrt(r_r * (1 - r_r) / n_r + r_c * (1 - r_c) / n_c)
        pooled = (ref[:, 1] + cur[:, 1]) / (n_r + n_c)
        se0 = np.sqrt(pooled * (1 - pooled) * (1 / n_r + 1 / n_c))
        z = np.where(se0 > 0, diff / se0, np.nan)
    return BadRateDrift(
        bands=labels,
        reference=ref,
        current=cur,
        estimate=diff,
        se=se,
        statistic=z,
        pvalue=_two_sided(z),
        method="two-proportion z (pooled); CI: Wilson and Wald difference",
    )


# --------------------------------------------------------------------------
# characteristic analysis


@dataclass(frozen=True, eq=False, repr=False)
class CharacteristicShift:
    """Mean points per feature, reference vs current (characteristic analysis).

    Attributes
    ----------
    features : tuple of str
        Feature names.
    reference, current : ndarray of shape (n_features, n_bins)
        Counts per bin.
    points : ndarray of shape (n_features, n_bins)
        Points of each bin (0 in padding).
    estimate : ndarray
        Shift of mean points, ``sum_j (a_j - e_j) points_j``.
    se : ndarray
        Delta-method SE (both samples random unless the reference is fixed).
    statistic, pvalue : ndarray
        Wald z and two-sided p-value of no shift.
    method : str
        ``"reference=sample"`` or ``"reference=fixed"``.
    """

    features: tuple[str, ...]
    reference: FloatArray
    current: FloatArray
    points: FloatArray
    estimate: FloatArray
    se: FloatArray
    statistic: FloatArray
    pvalue: FloatArray
    method: str

    @property
    def n(self) -> FloatArray:
        """Total count of both samples per feature."""
        return self.reference.sum(axis=1) + self.current.sum(axis=1)

    def ci(self, alpha: float = 0.05) -> FloatArray:
        """Wald interval of the points shift, shape ``(n_features, 2)``."""
        return _wald(self.estimate, self.se, alpha, floor=None)

    def to_frame(self) -> pd.DataFrame:
        """Per-bin table: shares, points and the bin's contribution to the shift."""
        e = self.reference / self.reference.sum(axis=1, keepdims=True)
        a = self.current / self.current.sum(axis=1, keepdims=True)
        used = (self.reference + self.current) > 0
        rows, cols = np.nonzero(used)
        return pd.DataFrame(
            {
                "feature": np.asarray(self.features, dtype=object)[rows],
                "bin": cols,
                "points": self.points[rows, cols],
                "reference_share": e[rows, cols],
                "current_share": a[rows, cols],
                "shift": ((a - e) * self.points)[rows, cols],
            }
        )

    def summary(self, alpha: float = 0.05) -> pd.DataFrame:
        """One row per feature: mean points before and after, shift, SE, test."""
        e = self.reference / self.reference.sum(axis=1, keepdims=True)
        a = self.current / self.current.sum(axis=1, keepdims=True)
        ci = self.ci(alpha)
        return pd.DataFrame(
            {
                "points_reference": (e * self.points).sum(axis=1),
                "points_current": (a * self.points).sum(axis=1),
                "shift": self.estimate,
                "se": self.se,
                "ci_low": ci[:, 0],
                "ci_high": ci[:, 1],
                "statistic": self.statistic,
                "pvalue": self.pvalue,
            },
            index=pd.Index(self.features, name="feature"),
        )

    def __repr__(self) -> str:
        return (
            f"CharacteristicShift(method='{self.method}')\n{self.summary().to_string()}"
        )


def characteristic_analysis(
    reference_counts: ArrayLike | CountTable,
    current_counts: ArrayLike | CountTable,
    points: ArrayLike,
    *,
    features: Sequence[str] | None = None,
    reference: Reference = "sample",
) -> CharacteristicShift:
    """Shift of the mean points of each feature between reference and current.

    Parameters
    ----------
    reference_counts, current_counts : CountTable or array-like (n_features, n_bins)
        Counts per bin (class columns of a CountTable are summed).
    points : array-like of shape (n_features, n_bins)
        Scorecard points of each bin; padding may be NaN.
    features : sequence of str, default=None
        Feature names.
    reference : {"sample", "fixed"}, default="sample"
        Whether the reference shares are a sample (both variance terms) or
        the population.

    Returns
    -------
    CharacteristicShift

    Raises
    ------
    ValueError
        For invalid counts, shapes that differ, an empty sample or
        non-finite points in a bin with counts.

    Notes
    -----
    Shift ``= sum_j (a_j - e_j) points_j``;
    ``Var = Var_a(points)/m + Var_e(points)/n`` (multinomial shares).

    Examples
    --------
    >>> res = characteristic_analysis([[50, 50]], [[30, 70]], [[10.0, 30.0]])
    >>> float(res.estimate[0])
    4.0
    """
    ref = _counts_2d(reference_counts, "reference_counts")
    cur = _counts_2d(current_counts, "current_counts")
    pts = np.asarray(points, dtype=np.float64)
    if pts.ndim == 1:
        pts = pts[None]
    if not (ref.shape == cur.shape == pts.shape):
        raise ValueError(
            "reference_counts, current_counts and points must have the same shape; "
            f"got {ref.shape}, {cur.shape} and {pts.shape}."
        )
    reference = _check_reference(reference)
    default = (
        reference_counts.features
        if isinstance(reference_counts, CountTable)
        else [f"x{i}" for i in range(ref.shape[0])]
    )
    names = _names(features, ref.shape[0], default)
    for arr, name in ((ref, "reference_counts"), (cur, "current_counts")):
        empty = np.flatnonzero(arr.sum(axis=1) <= 0)
        if empty.size:
            raise ValueError(f"{name} has zero total for feature {names[empty[0]]!r}.")
    used = (ref + cur) > 0
    if np.any(used & ~np.isfinite(pts)):
        raise ValueError("points must be finite in every bin that has counts.")
    pts = np.where(used, pts, 0.0)
    n, m = ref.sum(axis=1), cur.sum(axis=1)
    e, a = ref / n[:, None], cur / m[:, None]
    mean_e, mean_a = (e * pts).sum(axis=1), (a * pts).sum(axis=1)
    var = ((a * pts**2).sum(axis=1) - mean_a**2).clip(0) / m
    if reference == "sample":
        var = var + ((e * pts**2).sum(axis=1) - mean_e**2).clip(0) / n
    se = np.sqrt(var)
    shift = mean_a - mean_e
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, shift / se, np.nan)
    return CharacteristicShift(
        features=names,
        reference=ref,
        current=cur,
        points=pts,
        estimate=shift,
        se=se,
        statistic=z,
        pvalue=_two_sided(z),
        method=f"reference={reference}",
    )


# --------------------------------------------------------------------------
# the report


def _jsonable(x: Any) -> Any:
    """Numpy and NaN-safe conversion for JSON (NaN and inf become None)."""
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return _jsonable(x.tolist())
    if isinstance(x, np.bool_ | bool):
        return bool(x)
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, float | np.floating):
        return float(x) if math.isfinite(x) else None
    return x


@dataclass(frozen=True, eq=False, repr=False)
class DriftReport:
    """Result of one drift check: PSI per feature and score, and extras.

    Build it with :func:`drift_from_counts` (or ``DriftMonitor.check``).

    Attributes
    ----------
    features : tuple of FeatureDrift
        One entry per feature and for the score, in input order.
    psi_bands : (float, float)
        Lower and upper PSI bands of the status rule.
    alpha : float
        Significance level of the tests and intervals.
    reference : {"sample", "fixed"}
        Sampling model of the reference counts.
    smoothing : float
        Zero-cell smoothing used.
    model_id, batch_id : str or None
        Identify the run in a history store.
    created_at : str or None
        ISO-8601 UTC time of the check.
    n_rows : int or None
        Rows of the current batch.
    iv : IVDrift or None
        IV now vs reference (with labels).
    auc : AUCDrift or None
        AUC now vs reference (with labels).
    bad_rate : BadRateDrift or None
        Bad rate by score band (with labels).
    characteristics : CharacteristicShift or None
        Points shift per feature.
    notes : tuple of str
        Data conditions met during the check (e.g. smoothed zero cells).
    """

    features: tuple[FeatureDrift, ...]
    psi_bands: tuple[float, float]
    alpha: float
    reference: Reference
    smoothing: float
    model_id: str | None = None
    batch_id: str | None = None
    created_at: str | None = None
    n_rows: int | None = None
    iv: IVDrift | None = None
    auc: AUCDrift | None = None
    bad_rate: BadRateDrift | None = None
    characteristics: CharacteristicShift | None = None
    notes: tuple[str, ...] = ()

    @property
    def feature_names(self) -> tuple[str, ...]:
        """Names of the rows, in order."""
        return tuple(f.feature for f in self.features)

    @property
    def status(self) -> Status:
        """The worst status over features and score."""
        worst = max((STATUSES.index(f.status) for f in self.features), default=0)
        return STATUSES[worst]

    @property
    def drifted(self) -> tuple[str, ...]:
        """Names of the rows with status ``"drift"``."""
        return tuple(f.feature for f in self.features if f.status == "drift")

    def __getitem__(self, feature: str) -> FeatureDrift:
        """The :class:`FeatureDrift` of one feature (or the score)."""
        for f in self.features:
            if f.feature == feature:
                return f
        raise KeyError(
            f"No feature {feature!r} in the report; features are "
            f"{list(self.feature_names)}."
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per feature: PSI, bias-corrected, SE, CI, test, status."""
        rows = []
        for f in self.features:
            low, high = f.ci()
            rows.append(
                {
                    "feature": f.feature,
                    "kind": f.kind,
                    "psi": f.estimate,
                    "bias_corrected": f.bias_corrected,
                    "se": f.se,
                    "ci_low": low,
                    "ci_high": high,
                    "statistic": f.statistic,
                    "df": f.df,
                    "pvalue": f.pvalue,
                    "status": f.status,
                    "n_reference": f.n_reference,
                    "n_current": f.n_current,
                }
            )
        return pd.DataFrame(rows).set_index("feature")

    def bins_frame(self) -> pd.DataFrame:
        """Per-bin table of every feature (see :meth:`FeatureDrift.to_frame`)."""
        return pd.concat([f.to_frame() for f in self.features], ignore_index=True)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: settings, results and the counts they came from."""
        out: dict[str, Any] = {
            "format": JSON_FORMAT,
            "version": JSON_VERSION,
            "model_id": self.model_id,
            "batch_id": self.batch_id,
            "created_at": self.created_at,
            "n_rows": self.n_rows,
            "status": self.status,
            "psi_bands": list(self.psi_bands),
            "alpha": self.alpha,
            "reference": self.reference,
            "smoothing": self.smoothing,
            "notes": list(self.notes),
            "features": [
                {
                    "feature": f.feature,
                    "kind": f.kind,
                    "psi": f.estimate,
                    "bias_corrected": f.bias_corrected,
                    "se": f.se,
                    "ci": list(f.ci()),
                    "statistic": f.statistic,
                    "df": f.df,
                    "pvalue": f.pvalue,
                    "status": f.status,
                    "bins": list(f.bins),
                    "reference_counts": f.reference_counts,
                    "current_counts": f.current_counts,
                }
                for f in self.features
            ],
        }
        if self.iv is not None:
            out["iv"] = {
                "features": list(self.iv.features),
                "reference_counts": np.stack(
                    [self.iv.reference.first, self.iv.reference.second], -1
                ),
                "current_counts": np.stack(
                    [self.iv.current.first, self.iv.current.second], -1
                ),
                "table": self.iv.to_frame(self.alpha).reset_index().to_dict("list"),
            }
        if self.auc is not None:
            out["auc"] = {
                "reference": self.auc.reference.to_dict(),
                "current": self.auc.current.to_dict(),
                "difference": self.auc.estimate,
                "se": self.auc.se,
                "pvalue": self.auc.pvalue,
            }
        if self.bad_rate is not None:
            out["bad_rate"] = {
                "bands": list(self.bad_rate.bands),
                "reference_counts": self.bad_rate.reference,
                "current_counts": self.bad_rate.current,
            }
        if self.characteristics is not None:
            c = self.characteristics
            out["characteristics"] = {
                "features": list(c.features),
                "reference_counts": c.reference,
                "current_counts": c.current,
                "points": c.points,
                "shift": c.estimate,
                "se": c.se,
            }
        return _jsonable(out)

    def to_html(self, *, title: str | None = None) -> str:
        """Self-contained HTML page of the report (inline SVG, no script).

        Parameters
        ----------
        title : str, default=None
            Page title (default: "Drift report").

        Returns
        -------
        str
            The HTML document; write it to a ``.html`` file.
        """
        from ._report import drift_report_html

        return drift_report_html(self, title=title)

    def to_json(self, *, indent: int | None = None) -> str:
        """Serialise to JSON (NaN becomes null); :meth:`from_json` reads it back."""
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    @classmethod
    def from_json(cls, text: str | Mapping[str, Any]) -> DriftReport:
        """Rebuild a report from :meth:`to_json` output by recomputing from counts.

        Parameters
        ----------
        text : str or mapping
            JSON text or the parsed dict.

        Returns
        -------
        DriftReport

        Raises
        ------
        ValueError
            If the document is not a drift report of a supported version.
        """
        doc = json.loads(text) if isinstance(text, str) else dict(text)
        if doc.get("format") != JSON_FORMAT:
            raise ValueError(
                f"Not an infoscore drift report: format is {doc.get('format')!r}, "
                f"expected {JSON_FORMAT!r}."
            )
        if doc.get("version") != JSON_VERSION:
            raise ValueError(
                f"Drift report version {doc.get('version')!r} is not supported "
                f"(this infoscore reads version {JSON_VERSION})."
            )
        feats = doc["features"]
        width = max(len(f["bins"]) for f in feats)
        ref = np.zeros((len(feats), width))
        cur = np.zeros((len(feats), width))
        for i, f in enumerate(feats):
            ref[i, : len(f["bins"])] = f["reference_counts"]
            cur[i, : len(f["bins"])] = f["current_counts"]
        iv = auc = bad = chars = None
        with warnings.catch_warnings():
            # Data conditions were reported when the check ran (see notes).
            warnings.simplefilter("ignore", DataConditionWarning)
            if "iv" in doc:
                iv = iv_drift(
                    doc["iv"]["reference_counts"],
                    doc["iv"]["current_counts"],
                    features=doc["iv"]["features"],
                    smoothing=doc["smoothing"],
                )
            if "auc" in doc:
                auc = auc_drift(
                    AUCResult(**doc["auc"]["reference"]),
                    AUCResult(**doc["auc"]["current"]),
                )
            if "bad_rate" in doc:
                bad = bad_rate_by_band(
                    doc["bad_rate"]["reference_counts"],
                    doc["bad_rate"]["current_counts"],
                    bands=doc["bad_rate"]["bands"],
                )
            if "characteristics" in doc:
                c = doc["characteristics"]
                chars = characteristic_analysis(
                    c["reference_counts"],
                    c["current_counts"],
                    c["points"],
                    features=c["features"],
                    reference=doc["reference"],
                )
            report = drift_from_counts(
                ref,
                cur,
                features=[f["feature"] for f in feats],
                kinds=[f["kind"] for f in feats],
                bin_labels=[f["bins"] for f in feats],
                psi_bands=tuple(doc["psi_bands"]),
                alpha=doc["alpha"],
                reference=doc["reference"],
                smoothing=doc["smoothing"],
                model_id=doc.get("model_id"),
                batch_id=doc.get("batch_id"),
                created_at=doc.get("created_at"),
                n_rows=doc.get("n_rows"),
                iv=iv,
                auc=auc,
                bad_rate=bad,
                characteristics=chars,
            )
        return replace(report, notes=tuple(doc.get("notes", ())))

    def __repr__(self) -> str:
        head = (
            f"DriftReport(status={self.status!r}, model_id={self.model_id!r}, "
            f"batch_id={self.batch_id!r}, psi_bands={self.psi_bands}, "
            f"alpha={self.alpha}, reference={self.reference!r})"
        )
        table = self.to_frame()[["psi", "se", "ci_low", "ci_high", "pvalue", "status"]]
        return f"{head}\n{table.to_string()}"


def drift_from_counts(
    reference_counts: ArrayLike | CountTable,
    current_counts: ArrayLike | CountTable,
    *,
    features: Sequence[str] | None = None,
    kinds: Sequence[Kind] | None = None,
    bin_labels: Sequence[Sequence[Any]] | None = None,
    psi_bands: Sequence[float] = (0.10, 0.25),
    alpha: float = 0.05,
    reference: Reference = "sample",
    smoothing: float = 0.5,
    model_id: str | None = None,
    batch_id: str | None = None,
    created_at: str | None = None,
    n_rows: int | None = None,
    iv: IVDrift | None = None,
    auc: AUCDrift | None = None,
    bad_rate: BadRateDrift | None = None,
    characteristics: CharacteristicShift | None = None,
) -> DriftReport:
    """Drift check of every feature (and the score) from bin counts.

    Parameters
    ----------
    reference_counts : CountTable or array-like of shape (n_features, n_bins)
        Reference counts per bin, one row per feature (and the score), padded
        with zeros to a common width (class columns of a CountTable are
        summed).
    current_counts : CountTable or array-like of the same shape
        Counts of the current batch over the same bins.
    features : sequence of str, default=None
        Row names (from a CountTable, else ``x0, x1, ...``).
    kinds : sequence of {"feature", "score"}, default=None
        Kind of each row; all ``"feature"`` when omitted.
    bin_labels : sequence of sequences, default=None
        Labels of each row's bins; its length is the row's number of bins and
        counts beyond it must be zero. By default bins are numbered and
        trailing all-zero columns are padding.
    psi_bands : (float, float), default=(0.10, 0.25)
        Watch and drift bands of PSI (see :func:`drift_status`).
    alpha : float, default=0.05
        Level of the chi-square test and of the ``1 - alpha`` intervals.
    reference : {"sample", "fixed"}, default="sample"
        ``"sample"`` treats the reference counts as a sample (both variance
        terms); ``"fixed"`` as the population.
    smoothing : float, default=0.5
        Haldane-Anscombe smoothing of bins with a zero cell (a
        :class:`~scorecard.DataConditionWarning` names them).
    model_id, batch_id, created_at, n_rows : optional
        Run metadata carried by the report.
    iv, auc, bad_rate, characteristics : optional
        Results of :func:`iv_drift`, :func:`auc_drift`,
        :func:`bad_rate_by_band` and :func:`characteristic_analysis`.

    Returns
    -------
    DriftReport

    Raises
    ------
    ValueError
        For invalid counts, shapes, names, kinds, bands or alpha, and for a
        row with an empty reference or current sample.

    Notes
    -----
    A row whose counts fall in a single bin in both samples (e.g. a feature
    the binner never split) has PSI exactly 0 and is reported stable with
    ``df = 0`` and ``pvalue = 1``.

    The status rule is documented in :func:`drift_status`: drift needs a
    significant chi-square test and the CI's lower bound at or above the upper
    band; watch needs a significant test and the estimate at or above the
    lower band.

    Examples
    --------
    >>> ref = [[250, 250, 250, 250], [500, 300, 200, 0]]
    >>> cur = [[200, 250, 250, 300], [150, 300, 550, 0]]
    >>> rep = drift_from_counts(ref, cur, features=["age", "score"],
    ...                         kinds=["feature", "score"])
    >>> rep.to_frame()["psi"].round(4).tolist()
    [0.0203, 0.7755]
    >>> rep.to_frame()["status"].tolist()
    ['stable', 'drift']
    >>> rep.status
    'drift'
    """
    ref = _counts_2d(reference_counts, "reference_counts")
    cur = _counts_2d(current_counts, "current_counts")
    if ref.shape != cur.shape:
        raise ValueError(
            "reference_counts and current_counts must have the same shape; got "
            f"{ref.shape} and {cur.shape}."
        )
    bands = _check_bands(psi_bands)
    alpha = _check_alpha(alpha)
    reference = _check_reference(reference)
    default = (
        reference_counts.features
        if isinstance(reference_counts, CountTable)
        else [f"x{i}" for i in range(ref.shape[0])]
    )
    names = _names(features, ref.shape[0], default)
    kind_t: tuple[Kind, ...] = (
        tuple("feature" for _ in names) if kinds is None else tuple(kinds)
    )
    if kinds is not None:
        if len(kind_t) != len(names) or not set(kind_t) <= {"feature", "score"}:
            raise ValueError(
                f"kinds must give 'feature' or 'score' for each of the {len(names)} "
                f"rows; got {list(kind_t)}."
            )
    labels = _bin_labels(bin_labels, ref, cur, names)
    for what, name in ((n_rows, "n_rows"),):
        if what is not None and (not isinstance(what, int | np.integer) or what < 0):
            raise ValueError(f"{name} must be a non-negative int; got {what!r}.")
    rows, messages = _feature_rows(
        ref,
        cur,
        features=names,
        kinds=kind_t,
        bin_labels=labels,
        psi_bands=bands,
        alpha=alpha,
        reference=reference,
        smoothing=smoothing,
    )
    for message in messages:
        warnings.warn(message, DataConditionWarning, stacklevel=2)
    return DriftReport(
        features=rows,
        psi_bands=bands,
        alpha=alpha,
        reference=reference,
        smoothing=float(smoothing),
        model_id=None if model_id is None else str(model_id),
        batch_id=None if batch_id is None else str(batch_id),
        created_at=created_at,
        n_rows=None if n_rows is None else int(n_rows),
        iv=iv,
        auc=auc,
        bad_rate=bad_rate,
        characteristics=characteristics,
        notes=tuple(messages),
    )
