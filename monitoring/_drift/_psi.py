"""Population stability per feature (and of the binned score) via scorecard.psi."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from scorecard import psi
from scorecard._kit.intervals import (
    NCX2_INTERVALS,
    divergence_interval,
    wald_interval,
)

from ._checks import FloatArray, Kind, Reference, Status, record
from ._status import drift_status

__all__ = ["FeatureDrift", "bin_labels_of", "feature_rows"]


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
    null_scale : float
        ``s`` with ``estimate / s ~ chi2(df)`` under no change.
    interval : {"ncx2", "ncx2_equal_tailed", "wald"}
        Method of :meth:`ci`: ``"ncx2"`` inverts the non-central chi-square
        law of the statistic with the unified (Feldman-Cousins) belt (valid
        under small drifts, where the Wald interval undercovers, and under
        no drift); ``"ncx2_equal_tailed"`` with equal tails (97.5% coverage
        under no drift); ``"wald"`` the Wald interval.
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
    null_scale: float = 0.0
    interval: str = "ncx2"

    @property
    def n(self) -> float:
        """Total count of both samples."""
        return self.n_reference + self.n_current

    def ci(self, alpha: float | None = None) -> FloatArray:
        """Interval of the PSI at ``alpha`` (default: the report's), never below 0.

        Non-central chi-square inversion by default (``interval``; the law
        scaled to the SE where larger, as ``Divergence.ci``); the Wald
        interval ``estimate +- z se`` when ``interval="wald"`` or the feature
        has a single bin.
        """
        level = self.alpha if alpha is None else alpha
        if self.interval in NCX2_INTERVALS and self.null_scale > 0 and self.df > 0:
            out = divergence_interval(
                self.estimate,
                self.se,
                self.df,
                self.null_scale,
                level,
                interval=self.interval,
            )
            return out[0]
        return wald_interval(self.estimate, self.se, level, lower=0.0)

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


def feature_rows(
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
        "null_scale": np.zeros(n_features),
    }
    contributions = np.zeros((n_features, width))
    smoothed = np.zeros((n_features, width), dtype=bool)
    low = np.zeros(n_features)
    method = f"se=delta; test=chi2; interval=ncx2-unified; reference={reference}"
    messages: list[str] = []
    if valid.size:
        res, messages = record(
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
                null_scale=float(arrays["null_scale"][i]),
                interval="ncx2",
            )
        )
    return tuple(rows), messages


def bin_labels_of(
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
