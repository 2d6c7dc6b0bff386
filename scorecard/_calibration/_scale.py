"""The master scale: rating grades as PD intervals, each with its PD.

Grades are left-closed PD intervals ``[b_k, b_{k+1})`` (the last one closed)
that cover ``[0, 1]``; grade 1 is the best (lowest PD). A scale is given as
boundaries or built to a target number of grades by the spine's exact merge
(:func:`scorecard.optimal_merge`) on quantile pre-bins of the calibrated PD,
with a minimum grade size and ascending default rates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from pandas import DataFrame

from .._binning._merge import optimal_merge
from .._kit.artifacts import decode_float, require
from .._stats._counts import count_codes

__all__ = ["MasterScale", "build_scale", "check_boundaries"]

FloatArray = NDArray[np.float64]
#: Quantile pre-bins of the PD before the exact merge.
N_PREBINS = 100


def check_boundaries(boundaries: ArrayLike) -> FloatArray:
    """Check user-given PD boundaries ``0 = b_0 < b_1 < ... < b_K = 1``.

    Raises
    ------
    ValueError
        Naming the offending boundary: outside [0, 1], not increasing, or a
        scale that does not cover the PD range [0, 1].
    """
    b = np.asarray(boundaries, dtype=np.float64).ravel()
    if b.size < 3:
        raise ValueError(
            "boundaries must list at least three PD edges (two grades), from 0 "
            f"to 1; got {b.tolist()}."
        )
    bad = ~np.isfinite(b) | (b < 0) | (b > 1)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"boundaries[{i}] = {float(b[i])!r} is not a probability in [0, 1]; PD "
            "boundaries must lie in [0, 1]."
        )
    steps = np.diff(b) <= 0
    if steps.any():
        i = int(np.argmax(steps))
        raise ValueError(
            f"boundaries must be strictly increasing; boundaries[{i + 1}] = "
            f"{float(b[i + 1])!r} does not exceed boundaries[{i}] = "
            f"{float(b[i])!r} (grade {i + 1})."
        )
    if b[0] != 0.0 or b[-1] != 1.0:
        raise ValueError(
            "The master scale's grades must cover the PD range [0, 1]: the "
            "boundaries must start at 0 and end at 1; got "
            f"{float(b[0])!r} ... {float(b[-1])!r}."
        )
    return b


@dataclass(frozen=True, eq=False, repr=False)
class MasterScale:
    """Rating grades as PD intervals, with the PD and fit counts of each.

    Attributes
    ----------
    boundaries : ndarray of shape (K + 1,)
        PD edges from 0 to 1; grade ``k`` is ``[b_k, b_{k+1})``.
    grades : tuple of str
        Grade labels ``"1" ... "K"``, best first.
    pd : ndarray of shape (K,)
        The PD of each grade.
    n, defaults : ndarray of shape (K,)
        (Weighted) obligors and defaults per grade in the calibration data.
    grade_pd : str
        How ``pd`` was set: ``"mean"`` or ``"midpoint"``.
    """

    boundaries: FloatArray
    grades: tuple[str, ...]
    pd: FloatArray
    n: FloatArray
    defaults: FloatArray
    grade_pd: str

    def assign(self, pd_values: ArrayLike) -> NDArray[np.int64]:
        """Grade position (0 = best) of each PD."""
        p = np.asarray(pd_values, dtype=np.float64)
        return np.searchsorted(self.boundaries[1:-1], p, side="right").astype(np.int64)

    def to_frame(self) -> DataFrame:
        """One row per grade: PD range, PD, calibration counts and default rate."""
        return pd.DataFrame(
            {
                "grade": list(self.grades),
                "pd_low": self.boundaries[:-1],
                "pd_high": self.boundaries[1:],
                "pd": self.pd,
                "n": self.n,
                "defaults": self.defaults,
                "observed_dr": self.defaults / self.n,
            }
        )

    def to_payload(self) -> dict[str, Any]:
        """JSON-safe content."""
        return {
            "boundaries": self.boundaries.tolist(),
            "pd": self.pd.tolist(),
            "n": self.n.tolist(),
            "defaults": self.defaults.tolist(),
            "grade_pd": self.grade_pd,
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> MasterScale:
        """Inverse of :meth:`to_payload`, validated."""
        b = check_boundaries(
            [
                decode_float(v, field="boundaries")
                for v in require(payload, "boundaries", list)
            ]
        )
        k = b.size - 1
        arrays = []
        for field in ("pd", "n", "defaults"):
            values = require(payload, field, list)
            if len(values) != k:
                raise ValueError(f"Artifact field {field!r} must hold {k} values.")
            arrays.append(np.array([decode_float(v, field=field) for v in values]))
        return cls(
            b,
            _labels(k),
            arrays[0],
            arrays[1],
            arrays[2],
            require(payload, "grade_pd", str),
        )

    def __repr__(self) -> str:
        return f"MasterScale(n_grades={len(self.grades)}, grade_pd={self.grade_pd!r})"


def _labels(k: int) -> tuple[str, ...]:
    return tuple(str(i) for i in range(1, k + 1))


def _prebin_cuts(p: FloatArray) -> FloatArray:
    levels = np.arange(1, N_PREBINS) / N_PREBINS
    cuts = np.unique(np.quantile(p, levels))
    return cuts[(cuts > p.min()) & (cuts <= p.max())]


def build_scale(
    p: FloatArray,
    y01: NDArray[np.int64],
    w: FloatArray,
    *,
    boundaries: Sequence[float] | None,
    n_grades: int,
    min_grade_size: float,
) -> FloatArray:
    """PD boundaries: the user's, or the optimal merge of PD quantile pre-bins.

    The merge maximises IV over at most ``n_grades`` contiguous grades, each
    with at least ``min_grade_size`` of the (weighted) rows, with default
    rates ascending from the best grade to the worst.
    """
    if boundaries is not None:
        return check_boundaries(boundaries)
    cuts = _prebin_cuts(p)
    codes = np.searchsorted(cuts, p, side="right")
    counts = count_codes(
        codes, y01, n_bins=cuts.size + 1, n_classes=2, sample_weight=w
    )[0]
    keep = counts.sum(axis=1) > 0
    cuts = cuts[keep[1:]] if keep.size > 1 else cuts
    counts = counts[keep]
    merged = optimal_merge(
        counts,
        min_bin_size=min_grade_size,
        max_n_bins=n_grades,
        monotonic_trend="ascending",
    )
    inner = cuts[np.asarray(merged.cuts, dtype=np.int64) - 1]
    return np.concatenate([[0.0], inner, [1.0]])


def scale_from_rows(
    boundaries: FloatArray,
    p: FloatArray,
    y01: NDArray[np.int64],
    w: FloatArray,
    grade_pd: FloatArray | None,
    method: str,
) -> MasterScale:
    """The master scale on the calibration rows; empty grades raise."""
    k = boundaries.size - 1
    labels = _labels(k)
    codes = np.searchsorted(boundaries[1:-1], p, side="right")
    counts = count_codes(codes, y01, n_bins=k, n_classes=2, sample_weight=w)[0]
    n = counts.sum(axis=1)
    empty = np.flatnonzero(n <= 0)
    if empty.size:
        names = [labels[i] for i in empty]
        ranges = [f"[{boundaries[i]:.6g}, {boundaries[i + 1]:.6g})" for i in empty]
        raise ValueError(
            f"grade(s) {names} with PD range(s) {ranges} have no observations in "
            "the calibration data; move the boundaries or use fewer grades."
        )
    if grade_pd is None:
        sums = np.bincount(codes, weights=w * p, minlength=k)
        grade_pd = sums / n
    return MasterScale(boundaries, labels, grade_pd, n, counts[:, 1], method)
