"""Mergeable count tables: the kernel every statistic consumes.

A count table holds weighted class counts per bin for one or more features,
shape ``(n_features, n_bins, n_classes)``. Tables of chunks or partitions of
the same data add up (``a + b``), so in-memory, chunked and distributed runs
share one set of formulas.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

__all__ = ["CountTable", "count_codes"]


def count_codes(
    codes: ArrayLike,
    labels: ArrayLike,
    *,
    n_bins: int,
    n_classes: int,
    sample_weight: ArrayLike | None = None,
) -> NDArray[np.float64]:
    """Weighted counts of (bin, class) pairs for every column of ``codes``.

    Parameters
    ----------
    codes : array-like of int, shape (n_samples,) or (n_samples, n_features)
        Bin index of each row, in ``[0, n_bins)``.
    labels : array-like of int, shape (n_samples,)
        Class index of each row, in ``[0, n_classes)``.
    n_bins : int
        Number of bins (the table is padded with zero rows up to it).
    n_classes : int
        Number of classes.
    sample_weight : array-like of float, shape (n_samples,), default=None
        Row weights; ``None`` counts each row once.

    Returns
    -------
    ndarray of shape (n_features, n_bins, n_classes)
        Float counts.

    Raises
    ------
    ValueError
        If a code or label is outside its range, or lengths differ.

    Examples
    --------
    >>> count_codes([0, 1, 1, 2], [0, 0, 1, 1], n_bins=3, n_classes=2)[0]
    array([[1., 0.],
           [1., 1.],
           [0., 1.]])
    """
    codes_arr = np.asarray(codes)
    if codes_arr.ndim == 1:
        codes_arr = codes_arr[:, None]
    if codes_arr.ndim != 2:
        raise ValueError(f"codes must be 1-D or 2-D; got ndim={codes_arr.ndim}.")
    labels_arr = np.asarray(labels)
    n_rows, n_features = codes_arr.shape
    if labels_arr.shape != (n_rows,):
        raise ValueError(
            f"labels must have shape ({n_rows},) to match codes; "
            f"got {labels_arr.shape}."
        )
    if n_rows and (codes_arr.min() < 0 or codes_arr.max() >= n_bins):
        raise ValueError(
            f"codes must lie in [0, {n_bins}); got values in "
            f"[{codes_arr.min()}, {codes_arr.max()}]."
        )
    if n_rows and (labels_arr.min() < 0 or labels_arr.max() >= n_classes):
        raise ValueError(
            f"labels must lie in [0, {n_classes}); got values in "
            f"[{labels_arr.min()}, {labels_arr.max()}]."
        )
    weights = None
    if sample_weight is not None:
        weights = np.asarray(sample_weight, dtype=np.float64)
        if weights.shape != (n_rows,):
            raise ValueError(
                f"sample_weight must have shape ({n_rows},); got {weights.shape}."
            )
        if not np.all(np.isfinite(weights)) or np.any(weights < 0):
            raise ValueError("sample_weight must be finite and non-negative.")
    size = n_bins * n_classes
    # One bincount over a combined (feature, bin, class) index.
    offset = np.arange(n_features, dtype=np.int64) * size
    flat = (
        codes_arr.astype(np.int64, copy=False) * n_classes
        + labels_arr.astype(np.int64, copy=False)[:, None]
        + offset
    )
    w = None if weights is None else np.broadcast_to(weights[:, None], flat.shape)
    counts = np.bincount(
        flat.ravel(),
        weights=None if w is None else w.ravel(),
        minlength=size * n_features,
    )
    return counts.astype(np.float64).reshape(n_features, n_bins, n_classes)


@dataclass(frozen=True, eq=False)
class CountTable:
    """Weighted class counts per bin, mergeable by addition.

    Parameters
    ----------
    counts : ndarray of shape (n_features, n_bins, n_classes)
        Float counts. Features with fewer bins are padded with zero rows.
    classes : tuple
        Class labels, in column order.
    features : tuple of str
        Feature names, in row order.
    squares : ndarray of the shape of counts, default=None
        Sums of squared sample weights per cell, kept for sampling weights
        (the linearised variances need them; ``None`` for frequency counts).
    weight_kind : {"frequency", "sampling"}, default="frequency"
        How the counts are read by the variances
        (:func:`scorecard._kit.validation.check_weight_kind`).

    Examples
    --------
    >>> a = CountTable.from_codes([0, 1, 1], [0, 1, 1], n_bins=2)
    >>> b = CountTable.from_codes([0, 0], [1, 0], n_bins=2)
    >>> (a + b).counts[0]
    array([[2., 1.],
           [0., 2.]])
    """

    counts: NDArray[np.float64]
    classes: tuple[Any, ...] = (0, 1)
    features: tuple[str, ...] = field(default=("x0",))
    squares: NDArray[np.float64] | None = None
    weight_kind: Literal["frequency", "sampling"] = "frequency"

    def __post_init__(self) -> None:
        counts = np.asarray(self.counts, dtype=np.float64)
        if counts.ndim != 3:
            raise ValueError(
                "counts must have shape (n_features, n_bins, n_classes); "
                f"got shape {counts.shape}."
            )
        if counts.shape[0] != len(self.features):
            raise ValueError(
                f"features has {len(self.features)} names for "
                f"{counts.shape[0]} feature rows of counts."
            )
        if counts.shape[2] != len(self.classes):
            raise ValueError(
                f"classes has {len(self.classes)} labels for "
                f"{counts.shape[2]} class columns of counts."
            )
        _check_counts(counts, "counts")
        if self.weight_kind not in ("frequency", "sampling"):
            raise ValueError(
                "weight_kind must be 'frequency' or 'sampling'; got "
                f"{self.weight_kind!r}."
            )
        if self.squares is not None:
            squares = np.asarray(self.squares, dtype=np.float64)
            if squares.shape != counts.shape:
                raise ValueError(
                    f"squares must have the shape of counts {counts.shape}; got "
                    f"{squares.shape}."
                )
            _check_counts(squares, "squares")
            squares.setflags(write=False)
            object.__setattr__(self, "squares", squares)
        elif self.weight_kind == "sampling":
            raise ValueError(
                "weight_kind='sampling' needs squares (the per-cell sums of "
                "squared weights); build the table with CountTable.from_codes."
            )
        counts.setflags(write=False)
        object.__setattr__(self, "counts", counts)
        object.__setattr__(self, "classes", tuple(self.classes))
        object.__setattr__(self, "features", tuple(self.features))

    @classmethod
    def from_codes(
        cls,
        codes: ArrayLike,
        y: ArrayLike,
        *,
        n_bins: int,
        classes: Sequence[Any] = (0, 1),
        features: Sequence[str] | None = None,
        sample_weight: ArrayLike | None = None,
        weight_kind: Literal["frequency", "sampling"] | None = None,
    ) -> CountTable:
        """Count rows by bin index and class label.

        Parameters
        ----------
        codes : array-like of int, shape (n_samples,) or (n_samples, n_features)
            Bin index of each row.
        y : array-like, shape (n_samples,)
            Target or group label of each row; every value must be in
            ``classes``.
        n_bins : int
            Number of bins.
        classes : sequence, default=(0, 1)
            The class labels, in column order (for a binary target column 0
            is good, ``y = 0``, and column 1 is bad, ``y = 1``).
        features : sequence of str, default=None
            Feature names; ``x0, x1, ...`` when omitted.
        sample_weight : array-like, default=None
            Float row weights.
        weight_kind : {"frequency", "sampling"} or None, default=None
            What the weights are (:func:`scorecard._kit.validation.check_weight_kind`;
            ``None``: :data:`scorecard._kit.validation.WEIGHT_KIND_RULE`).
            Sampling weights keep the per-cell sums of squared weights in
            ``squares`` for the linearised variances.

        Returns
        -------
        CountTable
        """
        codes_arr = np.asarray(codes)
        n_features = 1 if codes_arr.ndim == 1 else codes_arr.shape[1]
        y_arr = np.asarray(y)
        classes = tuple(classes)
        index = pd.Index(classes)
        labels = index.get_indexer(y_arr)
        if np.any(labels < 0):
            bad = pd.unique(y_arr[labels < 0])[:5]
            raise ValueError(
                f"y has values {list(bad)} outside classes {list(classes)}."
            )
        counts = count_codes(
            codes_arr,
            labels,
            n_bins=n_bins,
            n_classes=len(classes),
            sample_weight=sample_weight,
        )
        names = (
            tuple(f"x{i}" for i in range(n_features))
            if features is None
            else tuple(features)
        )
        from .._kit.validation import check_weight_kind

        w = None if sample_weight is None else np.asarray(sample_weight, np.float64)
        kind = check_weight_kind(weight_kind, w)
        squares = None
        if w is not None and kind == "sampling":
            squares = count_codes(
                codes_arr,
                labels,
                n_bins=n_bins,
                n_classes=len(classes),
                sample_weight=w**2,
            )
        return cls(
            counts=counts,
            classes=classes,
            features=names,
            squares=squares,
            weight_kind=kind,
        )

    def __add__(self, other: object) -> CountTable:
        """Merge the counts of two chunks of the same binning."""
        if not isinstance(other, CountTable):
            return NotImplemented
        if (
            other.classes != self.classes
            or other.features != self.features
            or other.counts.shape != self.counts.shape
            or other.weight_kind != self.weight_kind
        ):
            raise ValueError(
                "Only tables with the same features, bins and classes merge; got "
                f"shapes {self.counts.shape} and {other.counts.shape}, classes "
                f"{self.classes} and {other.classes}, weight kinds "
                f"{self.weight_kind!r} and {other.weight_kind!r}."
            )
        squares = None
        if self.squares is not None and other.squares is not None:
            squares = self.squares + other.squares
        return CountTable(
            counts=self.counts + other.counts,
            classes=self.classes,
            features=self.features,
            squares=squares,
            weight_kind=self.weight_kind,
        )

    def __radd__(self, other: object) -> CountTable:
        """Support ``sum(tables)``."""
        if isinstance(other, int) and other == 0:
            return self
        return self.__add__(other)

    def column(self, label: Any) -> NDArray[np.float64]:
        """Counts of one class, shape ``(n_features, n_bins)``."""
        try:
            j = self.classes.index(label)
        except ValueError:
            raise ValueError(
                f"label {label!r} is not one of classes {list(self.classes)}."
            ) from None
        return self.counts[:, :, j]

    def square_column(self, label: Any) -> NDArray[np.float64] | None:
        """Sums of squared weights of one class (``None`` for frequency counts).

        Pass them with the counts to the statistics for linearised variances:
        ``information_value(t.column(0), t.column(1), goods_sq=t.square_column(0),
        bads_sq=t.square_column(1))``.
        """
        self.column(label)  # raises for an unknown label
        if self.squares is None:
            return None
        return self.squares[:, :, self.classes.index(label)]

    def to_frame(self) -> pd.DataFrame:
        """Long table: one row per (feature, bin) with one column per class."""
        n_features, n_bins, _ = self.counts.shape
        index = pd.MultiIndex.from_product(
            [list(self.features), range(n_bins)], names=["feature", "bin"]
        )
        return pd.DataFrame(
            self.counts.reshape(n_features * n_bins, -1),
            index=index,
            columns=list(self.classes),
        )

    def __repr__(self) -> str:
        f, b, c = self.counts.shape
        return (
            f"CountTable(n_features={f}, n_bins={b}, classes={list(self.classes)}, "
            f"total={self.counts.sum():g})"
        )


def _check_counts(counts: NDArray[np.float64], name: str) -> None:
    """Raise if counts hold NaN, infinite or negative values."""
    if not np.all(np.isfinite(counts)):
        raise ValueError(f"{name} must be finite; got NaN or infinite values.")
    if np.any(counts < 0):
        raise ValueError(f"{name} must be non-negative; got negative values.")
