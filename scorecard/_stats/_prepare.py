"""Count pairs of the spine: checks, the one zero-cell smoothing rule, shares, IV terms.

All statistics consume bin counts of two distributions (goods and bads, a
reference and a current sample, two protected groups). Inputs are 1-D (one
feature, ``J`` bins) or 2-D (one row per feature); bins whose two counts are
both zero are treated as absent, so features with fewer bins can be padded
with zeros and computed in one vectorised call.

Everything in the package that smooths a zero cell, turns counts into shares
or computes an IV/PSI term ``(p - q) ln(p / q)`` calls the helpers here (the
divergences, WoE, the binner's tables, the merge DP's objective).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._kit.compat import Interval, StrOptions
from .._kit.exceptions import DataConditionWarning
from ._counts import _check_counts

Orientation = Literal["good/bad", "bad/good"]
SEMethod = Literal["delta", "paper"]
DivSEMethod = Literal["corrected", "delta", "paper"]
TestMethod = Literal["chi2", "paper_z"]
PSITest = Literal["auto", "chi2", "monte_carlo", "paper_z"]
Reference = Literal["sample", "fixed"]
CIMethod = Literal["ncx2", "ncx2_equal_tailed", "wald", "bootstrap"]
IntervalMethod = Literal["ncx2", "ncx2_equal_tailed", "wald"]
WeightKindArg = Literal["frequency", "sampling"] | None
Kind = Literal["IV", "PSI", "JS"]

FloatArray = NDArray[np.float64]

#: Argument constraints of the public statistics, checked by
#: ``scorecard._kit.compat.check_arguments`` with scikit-learn's constraint
#: objects (those of the estimators' ``_parameter_constraints``), so a function
#: and an estimator reject a bad option the same way.
COUNTS = ["array-like"]
FEATURES = ["array-like", None]
SMOOTHING = [Interval(Real, 0, None, closed="left")]
SE_METHODS = [StrOptions({"delta", "paper"})]
DIV_SE_METHODS = [StrOptions({"corrected", "delta", "paper"})]
TESTS = [StrOptions({"chi2", "paper_z"})]
PSI_TESTS = [StrOptions({"auto", "chi2", "monte_carlo", "paper_z"})]
REFERENCES = [StrOptions({"sample", "fixed"})]
ORIENTATIONS = [StrOptions({"good/bad", "bad/good"})]
INTERVALS = [StrOptions({"ncx2", "ncx2_equal_tailed", "wald"})]
WEIGHT_KIND_ARGS = [StrOptions({"frequency", "sampling"}), None]


# --------------------------------------------------------------------------
# input handling


@dataclass(frozen=True)
class _Pair:
    """Validated, smoothed count pair of shape (n_features, n_bins).

    ``first_sq``/``second_sq`` are the per-bin sums of squared sampling
    weights (``None`` for frequency counts); ``n_observed`` is the total of
    the counts as given and ``added`` the pseudo-count the smoothing added,
    both per feature (``n`` counts observations, docs/methodology.md).
    """

    first: FloatArray
    second: FloatArray
    present: NDArray[np.bool_]
    smoothed: NDArray[np.bool_]
    scalar: bool
    features: tuple[str, ...]
    first_sq: FloatArray | None = None
    second_sq: FloatArray | None = None
    n_observed: FloatArray | None = None
    added: FloatArray | None = None


def _as_counts(x: ArrayLike, name: str) -> FloatArray:
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be numeric counts; got {x!r:.80}.") from exc
    if arr.ndim not in (1, 2):
        raise ValueError(
            f"{name} must be 1-D (bins) or 2-D (features x bins); got ndim={arr.ndim}."
        )
    _check_counts(arr, name)
    return arr


def _feature_names(features: Sequence[str] | None, n: int) -> tuple[str, ...]:
    if features is None:
        return tuple(f"x{i}" for i in range(n))
    names = tuple(str(f) for f in features)
    if len(names) != n:
        raise ValueError(f"features has {len(names)} names for {n} rows of counts.")
    return names


def _smooth(
    first: FloatArray, second: FloatArray, smoothing: float
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
    """Add ``smoothing`` to both cells of every present bin with a zero cell."""
    present = (first + second) > 0
    zero_cell = present & ((first == 0) | (second == 0))
    if smoothing > 0 and zero_cell.any():
        first = np.where(zero_cell, first + smoothing, first)
        second = np.where(zero_cell, second + smoothing, second)
    return first, second, zero_cell


def _weight_kind_of(
    weight_kind: WeightKindArg, squares: tuple[ArrayLike | None, ArrayLike | None]
) -> Literal["frequency", "sampling"]:
    """The variance model of count inputs: sampling iff squared sums are given.

    ``weight_kind=None`` follows
    :data:`scorecard._kit.validation.WEIGHT_KIND_RULE`; ``"sampling"``
    without the squared sums is an error, because the linearisation needs them.
    """
    given = [sq is not None for sq in squares]
    if any(given) and not all(given):
        raise ValueError(
            "Pass the sums of squared sample weights of both distributions or of "
            "neither; got only one."
        )
    if weight_kind == "sampling" and not all(given):
        raise ValueError(
            "weight_kind='sampling' needs the per-bin sums of squared sample "
            "weights (e.g. goods_sq= and bads_sq=, or CountTable.squares from "
            "CountTable.from_codes(..., sample_weight=w)); got none."
        )
    if weight_kind == "frequency" or not all(given):
        return "frequency"
    return "sampling"


def _prepare(
    first: ArrayLike,
    second: ArrayLike,
    *,
    names: tuple[str, str],
    smoothing: float,
    features: Sequence[str] | None,
    squares: tuple[ArrayLike | None, ArrayLike | None] = (None, None),
) -> _Pair:
    a = _as_counts(first, names[0])
    b = _as_counts(second, names[1])
    sq: list[FloatArray] = []
    for arr, counts, name in zip(squares, (a, b), names, strict=True):
        if arr is None:
            continue
        sq_arr = _as_counts(arr, f"{name}_sq")
        if sq_arr.shape != counts.shape:
            raise ValueError(
                f"{name}_sq must have the shape of {name} {counts.shape}; got "
                f"{sq_arr.shape}."
            )
        sq.append(np.atleast_2d(sq_arr))
    if a.shape != b.shape:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same shape; "
            f"got {a.shape} and {b.shape}."
        )
    if not np.isfinite(smoothing) or smoothing < 0:
        raise ValueError(f"smoothing must be a finite number >= 0; got {smoothing}.")
    scalar = a.ndim == 1
    a2, b2 = np.atleast_2d(a), np.atleast_2d(b)
    feats = _feature_names(features, a2.shape[0])
    for arr, name in ((a2, names[0]), (b2, names[1])):
        empty = np.flatnonzero(arr.sum(axis=1) <= 0)
        if empty.size:
            raise ValueError(
                f"{name} has zero total for feature {feats[empty[0]]!r}; both "
                "distributions need at least one observation."
            )
    present = (a2 + b2) > 0
    n_present = present.sum(axis=1)
    single = np.flatnonzero(n_present < 2)
    if single.size:
        raise ValueError(
            f"Feature {feats[single[0]]!r} has {n_present[single[0]]} non-empty bin; "
            "a divergence needs at least 2 bins."
        )
    a_s, b_s, zero_cell = _smooth(a2, b2, smoothing)
    added = (a_s - a2).sum(axis=1) + (b_s - b2).sum(axis=1)
    n_observed = a2.sum(axis=1) + b2.sum(axis=1)
    first_sq = second_sq = None
    if len(sq) == 2:
        # A pseudo-count of size s is read as one pseudo-row of weight s.
        first_sq = np.where(zero_cell, sq[0] + smoothing**2, sq[0])
        second_sq = np.where(zero_cell, sq[1] + smoothing**2, sq[1])
    if zero_cell.any():
        rows, cols = np.nonzero(zero_cell)
        where = ", ".join(
            f"{feats[r]!r} bin {c}" for r, c in zip(rows[:5], cols[:5], strict=True)
        )
        more = "" if rows.size <= 5 else f" and {rows.size - 5} more"
        if smoothing == 0:
            raise ValueError(
                f"A class has no observations in {where}{more}; increase "
                "min_bin_size or set smoothing > 0."
            )
        warnings.warn(
            f"Zero cell in {where}{more}: added {smoothing} to both cells of the "
            "bin (Haldane-Anscombe).",
            DataConditionWarning,
            stacklevel=4,
        )
    return _Pair(
        a_s,
        b_s,
        present,
        zero_cell,
        scalar,
        feats,
        first_sq,
        second_sq,
        n_observed,
        added,
    )


def _shares(pair_first: FloatArray, present: NDArray[np.bool_]) -> FloatArray:
    total = pair_first.sum(axis=-1, keepdims=True)
    return np.where(present, pair_first / total, 0.0)


def _safe_log_ratio(
    p: FloatArray, q: FloatArray, present: NDArray[np.bool_]
) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(
            present,
            np.log(np.where(present, p, 1.0)) - np.log(np.where(present, q, 1.0)),
            0.0,
        )


def _iv_terms(p: FloatArray, q: FloatArray, present: NDArray[np.bool_]) -> FloatArray:
    """The IV/PSI term ``(p - q) ln(p / q)`` of every present bin (0 elsewhere).

    ``p`` and ``q`` are shares (any shape); the one implementation of the term,
    used by :func:`scorecard.information_value`, :func:`scorecard.psi` and the
    merge DP's objective.
    """
    return (p - q) * _safe_log_ratio(p, q, present)
