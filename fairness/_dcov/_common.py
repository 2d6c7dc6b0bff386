"""Shared types and constants of the distance-covariance family."""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from scorecard._kit.compat import warn_renamed

Estimator = Literal["U", "V"]
Method = Literal["auto", "naive", "fast", "blocked"]
Test = Literal["chi2", "permutation"]
FloatArray = NDArray[np.float64]

_SQRT2 = math.sqrt(2.0)
_MAX_GROUPS = 64  # grouped path while the number of distinct attribute rows is small
_BLOCK_ELEMENTS = 1 << 21  # about 16 MB per float block in the blocked evaluator

#: Default of a renamed keyword: "not given" (the old name keeps working for
#: one release with a FutureWarning).
DEPRECATED: Any = "deprecated"


def dot(a: FloatArray, b: FloatArray) -> float:
    """``a . b`` of two 1-D arrays without BLAS.

    A threaded BLAS call on a busy machine can cost a hundred times the
    arithmetic (its threads wait for cores); einsum's loop does not.
    """
    return float(np.einsum("i,i->", a, b))


UNBIASED_MESSAGE = (
    "unbiased must be True (the U statistic) or False (the V statistic); got {!r}."
)


def resolve_unbiased(
    unbiased: object, estimator: object = DEPRECATED, *, stacklevel: int = 3
) -> Estimator:
    """``"U"`` or ``"V"`` from ``unbiased`` or the deprecated ``estimator``.

    Raises
    ------
    ValueError
        ``unbiased`` not a bool, or ``estimator`` not ``"U"``/``"V"``.
    """
    if not (isinstance(estimator, str) and estimator == DEPRECATED):
        warn_renamed("estimator", "unbiased", stacklevel=stacklevel + 1)
        if estimator not in ("U", "V"):
            raise ValueError(
                f"estimator must be 'U' or 'V' (now unbiased=True / False); got "
                f"{estimator!r}."
            )
        return "U" if estimator == "U" else "V"
    if not isinstance(unbiased, bool | np.bool_):
        raise ValueError(UNBIASED_MESSAGE.format(unbiased))
    return "U" if unbiased else "V"


def resolve_y_score(
    y_score: Any,
    old_value: Any,
    function: str,
    *,
    old: str = "y_pred",
    stacklevel: int = 3,
) -> Any:
    """``y_score``, or its deprecated old name (``y_pred``) with a FutureWarning."""
    if old_value is not None:
        warn_renamed(old, "y_score", stacklevel=stacklevel + 1)
        if y_score is not None:
            raise TypeError(
                f"{function}() got both y_score and its old name {old}; pass "
                "y_score only."
            )
        return old_value
    if y_score is None:
        raise TypeError(f"{function}() missing the required argument 'y_score'.")
    return y_score
