"""Input checks of the frontier: the feature frame and the target."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from scorecard._kit.validation import check_binary_target


def as_frame(X: Any, name: str) -> pd.DataFrame:
    """``X`` as a frame (unnamed columns ``x0, x1, ...``)."""
    if isinstance(X, pd.DataFrame):
        return X
    arr = np.asarray(X)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D (rows x features); got ndim={arr.ndim}.")
    return pd.DataFrame(arr, columns=[f"x{i}" for i in range(arr.shape[1])])


def check_y(y: Any, n: int, name: str, bad_value: Any) -> NDArray[np.int64]:
    """The target as 0/1 (1 = bad): the package's one binary-target check."""
    return check_binary_target(
        y, n, bad_value=bad_value, name=name, parameter="bad_value"
    ).y01


def check_caps(bin_caps: Any) -> list[int]:
    """Sorted distinct bin caps (ints >= 2)."""
    caps = np.asarray(bin_caps)
    if caps.ndim == 1 and caps.size == 0:
        return []
    if caps.ndim != 1 or caps.dtype.kind not in "iu" or np.any(caps < 2):
        raise ValueError(
            f"bin_caps must be a sequence of ints >= 2 (a 1-bin feature carries "
            f"no information); got {bin_caps!r}."
        )
    return sorted({int(c) for c in caps})
