"""Characteristic analysis: shift of the mean points of each feature."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from scorecard import CountTable
from scorecard._kit.intervals import two_sided_pvalue, wald_interval

from ._checks import FloatArray, Reference, check_reference, counts_2d, row_names

__all__ = ["CharacteristicShift", "characteristic_analysis"]


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
        return wald_interval(self.estimate, self.se, alpha)

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
    ref = counts_2d(reference_counts, "reference_counts")
    cur = counts_2d(current_counts, "current_counts")
    pts = np.asarray(points, dtype=np.float64)
    if pts.ndim == 1:
        pts = pts[None]
    if not (ref.shape == cur.shape == pts.shape):
        raise ValueError(
            "reference_counts, current_counts and points must have the same shape; "
            f"got {ref.shape}, {cur.shape} and {pts.shape}."
        )
    reference = check_reference(reference)
    default = (
        reference_counts.features
        if isinstance(reference_counts, CountTable)
        else [f"x{i}" for i in range(ref.shape[0])]
    )
    names = row_names(features, ref.shape[0], default)
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
        pvalue=two_sided_pvalue(z),
        method=f"reference={reference}",
    )
