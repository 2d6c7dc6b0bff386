"""The protected attribute of the frontier: any kind, coded into a few groups.

Binary and multi-level columns keep their values; a numeric column with more
than 10 distinct values is continuous and enters through ``continuous_bins``
training quantile bins (the rule of :func:`fairness.assess`); several columns
give intersectional groups (every observed combination). Groups with fewer
than ``min_group_size`` training rows, and all but the ``max_groups - 1``
largest when there are more than ``max_groups``, are pooled into ``"other"``.
The coding is learnt on the training rows and applied to the held-out ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ._checks import as_frame

IntArray = NDArray[np.int64]
_CONTINUOUS_LEVELS = 10


def split_protected(
    X: Any, sensitive: Any, name: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Features and the protected column(s) (names of columns of X, or values)."""
    X = as_frame(X, "X")
    names = [sensitive] if isinstance(sensitive, str) else None
    if isinstance(sensitive, list | tuple) and all(
        isinstance(s, str) for s in sensitive
    ):
        names = list(sensitive)
    if names is not None:
        missing = [s for s in names if s not in X.columns]
        if missing:
            raise ValueError(
                f"{name} {missing} not among the columns of the data; columns are "
                f"{list(map(str, X.columns))}."
            )
        return X.drop(columns=names), X[names].reset_index(drop=True)
    if isinstance(sensitive, pd.DataFrame):
        prot = sensitive.reset_index(drop=True)
    elif isinstance(sensitive, pd.Series):
        prot = sensitive.reset_index(drop=True).to_frame(
            sensitive.name if sensitive.name is not None else "group"
        )
    else:
        values = np.asarray(sensitive)
        if values.ndim == 1:
            values = values[:, None]
        if values.ndim != 2:
            raise ValueError(
                f"{name} must be one value per row ({len(X)}) or a column per "
                f"attribute; got shape {values.shape}."
            )
        cols = (
            ["group"]
            if values.shape[1] == 1
            else [f"group{i}" for i in range(values.shape[1])]
        )
        prot = pd.DataFrame(values, columns=cols)
    if len(prot) != len(X):
        raise ValueError(
            f"{name} must have one value per row ({len(X)}); got {len(prot)}."
        )
    prot.columns = [str(c) for c in prot.columns]
    return X, prot


@dataclass
class GroupCoding:
    """Training-learnt coding of protected columns into group labels."""

    min_group_size: int
    max_groups: int
    continuous_bins: int
    columns: list[str] = field(default_factory=list)
    edges: dict[str, NDArray[np.float64]] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    pooled: list[str] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return " & ".join(self.columns)

    def _raw(self, prot: pd.DataFrame, what: str) -> pd.Series:
        parts = []
        for col in self.columns:
            values = prot[col]
            if values.isna().any():
                raise ValueError(
                    f"{what} column {col!r} has {int(values.isna().sum())} missing "
                    "values; the protected attribute must be known for every row."
                )
            if col in self.edges:
                e = self.edges[col]
                idx = np.searchsorted(e[1:-1], values.to_numpy(float), side="right")
                text = [
                    f"q{i + 1} [{e[i]:.4g}, {e[i + 1]:.4g})" for i in range(e.size - 1)
                ]
                parts.append(pd.Series(np.asarray(text, dtype=object)[idx]))
            else:
                parts.append(values.astype(str).reset_index(drop=True))
        out = (
            parts[0].radd(f"{self.columns[0]}=") if len(self.columns) > 1 else parts[0]
        )
        for col, part in zip(self.columns[1:], parts[1:], strict=True):
            out = out + f" & {col}=" + part
        return out.reset_index(drop=True)

    def fit(self, prot: pd.DataFrame, what: str) -> IntArray:
        self.columns = [str(c) for c in prot.columns]
        for col in self.columns:
            values = prot[col]
            if values.isna().any():
                self._raw(prot, what)  # raises with the count
            distinct = pd.unique(values)
            if distinct.size == 1:
                raise ValueError(
                    f"{what} column {col!r} has a single value ({distinct[0]!r}) on "
                    "the training rows; a fairness frontier needs two groups."
                )
            if (
                pd.api.types.is_numeric_dtype(values)
                and distinct.size > _CONTINUOUS_LEVELS
            ):
                q = np.quantile(
                    values.to_numpy(float), np.linspace(0, 1, self.continuous_bins + 1)
                )
                inner = np.unique(q[1:-1])
                self.edges[col] = np.r_[-np.inf, inner, np.inf]
        raw = self._raw(prot, what)
        counts = raw.value_counts()
        big = counts[counts >= self.min_group_size]
        if len(big) < 2:
            raise ValueError(
                f"{what}: fewer than two groups have at least min_group_size="
                f"{self.min_group_size} training rows (sizes: "
                f"{dict(counts.head(8).astype(int))}); the frontier cannot constrain "
                "a group that small. Lower min_group_size or use more data."
            )
        keep = big.iloc[: self.max_groups - 1] if len(big) > self.max_groups else big
        rest = counts[~counts.index.isin(keep.index)]
        self.pooled = [str(g) for g in rest.index]
        self.names = [str(g) for g in keep.index]
        if self.pooled:
            self.names.append("other")
        labels = raw.where(raw.isin(keep.index), "other")
        self.sizes = {str(k): int(v) for k, v in labels.value_counts().items()}
        return self._codes(labels, what)

    def transform(self, prot: pd.DataFrame, what: str) -> IntArray:
        missing = [c for c in self.columns if c not in prot.columns]
        if missing:
            raise ValueError(f"{what} lacks the protected columns {missing}.")
        raw = self._raw(prot, what)
        known = raw.isin(self.names)
        if not known.all():
            if "other" not in self.names:
                unknown = list(pd.unique(raw[~known]))[:5]
                raise ValueError(
                    f"{what} has groups {unknown} not among the training groups "
                    f"{self.names}."
                )
            raw = raw.where(known, "other")
        return self._codes(raw, what)

    def _codes(self, labels: pd.Series, what: str) -> IntArray:
        codes = pd.Index(self.names).get_indexer(labels)
        if np.any(codes < 0):  # pragma: no cover - every label is a name here
            raise ValueError(f"{what} has groups outside {self.names}.")
        return codes.astype(np.int64)
