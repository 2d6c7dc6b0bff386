"""Protected groups: one group label per row from the sensitive features.

The columns come from :func:`fairness._sensitive.as_sensitive_frame` and their
kind from :func:`fairness._sensitive.is_categorical` (the package's one rule:
a numeric column with more than ``MAX_CATEGORIES`` distinct values is
continuous). A continuous column is cut into quantile bins for the group
view; several columns define intersectional groups. :func:`_limit_groups`
applies the small-group rules of :func:`assess`: the intersection cap
(``max_groups``) and the optional pooling of groups under
``min_group_size`` rows into one ``"other"`` group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

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
    pooled: tuple[str, ...] = ()  # groups merged into OTHER (the last group)

    @property
    def other(self) -> int | None:
        """Index of the pooled group, if any."""
        return len(self.names) - 1 if self.pooled else None


#: Label of the group that pools small intersections.
OTHER = "other"


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


def _limit_groups(
    groups: _Groups, *, min_group_size: int, pool_small: bool, max_groups: int
) -> _Groups:
    """Pool groups into :data:`OTHER`: small ones (if asked) and those over the cap.

    The cap keeps the ``max_groups - 1`` largest groups when there are more
    than ``max_groups`` (four protected columns can make a hundred
    intersections, most of a few rows).
    """
    n = np.bincount(groups.labels, minlength=len(groups.names))
    order = np.argsort(-n, kind="stable")  # largest first, ties by label
    pool = np.zeros(n.size, dtype=bool)
    if pool_small:
        pool |= n < min_group_size
    if (~pool).sum() > max_groups:
        keep = [i for i in order if not pool[i]][: max_groups - 1]
        pool[:] = True
        pool[keep] = False
    if not pool.any():
        return groups
    kept = np.flatnonzero(~pool)
    new_index = np.full(n.size, kept.size, dtype=np.int64)
    new_index[kept] = np.arange(kept.size)
    names = tuple(groups.names[i] for i in kept) + (OTHER,)
    return _Groups(
        labels=new_index[groups.labels],
        names=names,
        columns=groups.columns,
        continuous=groups.continuous,
        frame=groups.frame,
        definition=groups.definition,
        pooled=tuple(groups.names[i] for i in np.flatnonzero(pool)),
    )


def _check_group_sizes(groups: _Groups, min_group_size: int) -> None:
    """Raise when no group reaches ``min_group_size`` rows (nothing to flag)."""
    n = np.bincount(groups.labels, minlength=len(groups.names))
    if n.max() < min_group_size:
        raise ValueError(
            f"Every protected group has fewer than min_group_size={min_group_size} "
            f"rows (the largest, {groups.names[int(np.argmax(n))]!r}, has "
            f"{int(n.max())}); lower min_group_size or use fewer protected columns."
        )


#: How the reference group is chosen when ``reference_group`` is not given.
ReferenceRule = Literal["largest", "most_favoured"]


def _reference_index(
    names: list[str],
    n: ArrayLike,
    reference_group: str | None,
    *,
    rule: ReferenceRule = "largest",
    rates: ArrayLike | None = None,
    eligible: ArrayLike | None = None,
) -> int:
    """The reference group of :func:`assess`, :func:`proxy_table` and the frontier.

    The named group; else, by ``rule``, the largest group (ties: the first
    label) or the most favoured one (highest approval rate, ties: the
    larger), among the ``eligible`` groups (those with at least
    ``min_group_size`` rows; never the pooled ``"other"``). A fixed control
    group keeps the AIR comparable across cutoffs and models (a frontier, a
    lambda path, monitoring runs); the most favoured group is the four-fifths
    rule's literal reading and changes with them.
    """
    if reference_group is not None:
        if reference_group not in names:
            raise ValueError(
                f"reference_group must be one of {names}; got {reference_group!r}."
            )
        return names.index(reference_group)
    sizes = np.asarray(n, dtype=np.float64)
    ok = np.ones(sizes.size, bool) if eligible is None else np.asarray(eligible, bool)
    ok = ok & np.array([name != OTHER for name in names])
    if not ok.any():
        ok = np.array([name != OTHER for name in names])
    if rule == "most_favoured":
        if rates is None:
            raise ValueError("reference rule 'most_favoured' needs approval rates.")
        r = np.where(ok, np.asarray(rates, dtype=np.float64), -np.inf)
        best = np.flatnonzero(r == r.max())
        return int(best[np.argmax(sizes[best])])
    return int(np.argmax(np.where(ok, sizes, -np.inf)))
