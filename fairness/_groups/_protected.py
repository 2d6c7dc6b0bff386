"""Protected groups: one group label per row from the sensitive features.

The columns come from :func:`fairness._sensitive.as_sensitive_frame` and their
kind from :func:`fairness._sensitive.is_categorical` (the package's one rule:
a numeric column with more than ``MAX_CATEGORIES`` distinct values is
continuous). A continuous column is cut into quantile bins for the group
view; several columns define intersectional groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from .._sensitive import as_sensitive_frame, is_categorical

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class _Groups:
    labels: NDArray[np.int64]  # group index of each row
    names: tuple[str, ...]  # group label, in index order
    columns: tuple[str, ...]
    continuous: tuple[str, ...]
    frame: pd.DataFrame  # the raw attributes (for distance correlation)
    definition: pd.DataFrame  # one row per (column, level): how rows were grouped


def _quantile_codes(
    values: FloatArray, n_bins: int
) -> tuple[NDArray[np.int64], FloatArray]:
    """Codes of left-closed quantile bins ``[e_k, e_{k+1})`` and the edges.

    With at most ``n_bins`` distinct values (a scorecard with few
    features), every value is its own bin. Otherwise the cuts are the
    distinct inner quantiles above the minimum, so a value that fills
    several quantiles (a heavy tie) gets its own bin instead of being merged
    with the values below it.
    """
    low, high = float(values.min()), float(values.max())
    distinct = np.unique(values)
    if distinct.size <= n_bins:
        cuts = distinct[1:]
    else:
        cuts = np.unique(np.quantile(values, np.linspace(0, 1, n_bins + 1)[1:-1]))
        cuts = cuts[cuts > low]
    codes = np.searchsorted(cuts, values, side="right")
    return codes.astype(np.int64), np.r_[low, cuts, high]


def _make_groups(sensitive_features: Any, n: int, continuous_bins: int) -> _Groups:
    frame = as_sensitive_frame(sensitive_features, n, name="sensitive_features")
    codes: list[NDArray[np.int64]] = []
    level_names: list[list[str]] = []
    cont: list[str] = []
    rows: list[dict[str, str]] = []
    for col in frame.columns:
        values = frame[col]
        if not is_categorical(values):
            c, edges = _quantile_codes(
                values.to_numpy(dtype=np.float64), continuous_bins
            )
            names = []
            for k in range(edges.size - 1):
                close = "]" if k == edges.size - 2 else ")"
                names.append(f"{col} in [{edges[k]:.4g}, {edges[k + 1]:.4g}{close}")
            cont.append(col)
        else:
            c, uniques = pd.factorize(values, sort=True)
            names = [f"{col}={u}" for u in uniques]
        codes.append(np.asarray(c, dtype=np.int64))
        level_names.append(names)
        rows.extend({"column": col, "group": g} for g in names)
    joint = np.column_stack(codes)
    combos, labels = np.unique(joint, axis=0, return_inverse=True)
    group_names = tuple(
        ", ".join(level_names[j][k] for j, k in enumerate(combo)) for combo in combos
    )
    return _Groups(
        labels=labels.ravel().astype(np.int64),
        names=group_names,
        columns=tuple(frame.columns),
        continuous=tuple(cont),
        frame=frame,
        definition=pd.DataFrame(rows),
    )


def _reference_index(
    names: list[str], n: ArrayLike, reference_group: str | None
) -> int:
    """The reference group of :func:`assess`, :func:`proxy_table` and the frontier.

    One rule everywhere: the named group, else the largest group (ties: the
    first label). A fixed control group keeps the AIR comparable across
    cutoffs and models (a frontier, a lambda path, monitoring runs), unlike
    "the group with the highest approval rate", which changes with them.
    """
    if reference_group is None:
        return int(np.argmax(np.asarray(n)))
    if reference_group not in names:
        raise ValueError(
            f"reference_group must be one of {names}; got {reference_group!r}."
        )
    return names.index(reference_group)
