"""Counting a batch per bin (in memory, by chunks, or per Dask partition)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from scorecard import CountTable, FeatureBins
from scorecard._kit.dask import is_dask_collection
from scorecard._kit.spark import is_spark_dataframe
from scorecard._kit.validation import check_binary_target

from .._dask import count_dask
from ._setup import LABELLED, UNLABELLED, MonitorSetup

__all__ = ["CountingModel", "MonitorCounting"]


@dataclass(frozen=True)
class CountingModel:
    """What a counting engine outside the monitor needs of it (package level).

    The Spark JVM path (:func:`monitoring._spark.count_native`) builds the bin
    codes, points and score bins as Spark expressions from these, and fills
    the same table as :meth:`MonitorCounting.count`.

    Attributes
    ----------
    bins : mapping of str to FeatureBins
        The fitted bins of every model feature, in the monitor's order.
    score_bins : FeatureBins
        The bins of the score.
    points : mapping of str to ndarray
        The points of every bin code of a feature.
    base_points : float
        The score's constant.
    empty : callable
        ``empty(labelled)``: the zero table of the monitor's layout.
    labels : callable
        ``labels(values, n, bad_value=...)``: the monitor's 0/1 (1 = bad)
        encoding of label values, with its errors.
    """

    bins: Mapping[str, FeatureBins]
    score_bins: FeatureBins
    points: Mapping[str, NDArray[np.float64]]
    base_points: float
    empty: Callable[[bool], CountTable]
    labels: Callable[..., NDArray[np.int64]]


class MonitorCounting(MonitorSetup):
    """Counting of :class:`DriftMonitor`: count tables that add up over chunks."""

    def counting_model(self) -> CountingModel:
        """The bins, points and table layout counted (:class:`CountingModel`)."""
        return CountingModel(
            bins={f: self._bins[f] for f in self.features},
            score_bins=self._score_bins,
            points=dict(self._points),
            base_points=self._base_points,
            empty=self._empty,
            labels=self._labels,
        )

    def _empty(self, labelled: bool) -> CountTable:
        classes: tuple[Any, ...] = LABELLED if labelled else UNLABELLED
        return CountTable(
            counts=np.zeros((len(self.row_names), self._width, len(classes))),
            classes=classes,
            features=self.row_names,
        )

    def _frame(self, X: Any) -> pd.DataFrame:
        if not isinstance(X, pd.DataFrame):
            if hasattr(X, "__dataframe__"):
                X = pd.api.interchange.from_dataframe(X)
            else:
                arr = np.asarray(X)
                if arr.ndim != 2 or arr.shape[1] != len(self.features):
                    raise ValueError(
                        f"X must be a DataFrame with the model's columns "
                        f"{list(self.features)}, or a 2-D array with "
                        f"{len(self.features)} columns; got shape {arr.shape}."
                    )
                X = pd.DataFrame(arr, columns=list(self.features))
        columns = {str(c) for c in X.columns}
        missing = [f for f in self.features if f not in columns]
        if missing:
            raise ValueError(
                f"The batch is missing model column(s) {missing}; the model needs "
                f"{list(self.features)}."
            )
        X = (
            X.rename(columns=str)
            if not all(isinstance(c, str) for c in X.columns)
            else X
        )
        return X

    def _labels(
        self, y: Any, n: int, *, bad_value: Any = None, name: str = "y"
    ) -> NDArray[np.int64]:
        """0/1 (1 = bad) labels of one chunk (:func:`check_binary_target`).

        Without ``bad_value`` the labels must be the model's ``classes_`` and
        the second is bad. A chunk may hold one class only (a batch is
        counted chunk by chunk).
        """
        values = y if isinstance(y, pd.Series) else pd.Series(np.asarray(y))
        if values.ndim != 1 or len(values) != n:
            raise ValueError(
                f"{name} must have one label per row ({n}); got {len(values)}."
            )
        if values.isna().any():
            raise ValueError(
                f"{name} has {int(values.isna().sum())} missing label(s); drop the "
                "rows or pass no labels."
            )
        if bad_value is None:
            self._check_classes(values, name)
            bad_value = self.model.classes_[1]
        labels = pd.unique(values)
        if len(labels) == 1 and not _is_label(labels[0], bad_value):
            return np.zeros(len(values), dtype=np.int64)  # a chunk of goods only
        target = check_binary_target(
            values.to_numpy(), bad_value=bad_value, name=name, require_both=False
        )
        return target.y01

    def _check_classes(self, values: pd.Series, name: str) -> None:
        """Raise for labels outside the model's classes (as text, too)."""
        classes = list(self.model.classes_)
        codes = pd.Index(classes).get_indexer(values)
        if np.any(codes < 0):
            codes = pd.Index([str(c) for c in classes]).get_indexer(values.astype(str))
        if np.any(codes < 0):
            unknown = pd.unique(values[codes < 0])[:5].tolist()
            raise ValueError(
                f"{name} has values {unknown} outside the model's classes "
                f"{np.asarray(classes).tolist()} (the second is bad); pass "
                "bad_value to name the bad label."
            )

    def _check_numeric(self, frame: pd.DataFrame) -> None:
        """Name the first non-numeric value of a numeric feature (and its row)."""
        for f in self.features:
            col = frame[f]
            if self._bins[f].kind != "numeric" or pd.api.types.is_numeric_dtype(col):
                continue
            as_num = pd.to_numeric(col, errors="coerce")
            bad = as_num.isna().to_numpy() & col.notna().to_numpy()
            if bad.any():
                k = int(np.flatnonzero(bad)[0])
                raise TypeError(
                    f"Feature {f!r} is numeric; got the non-numeric value "
                    f"{col.iloc[k]!r} (row {col.index[k]!r}; {int(bad.sum())} "
                    "non-numeric value(s) in this chunk)."
                )

    def _count_frame(
        self, frame: pd.DataFrame, y01: NDArray[np.int64] | None
    ) -> CountTable:
        """Counts of one chunk, feature by feature (a few arrays of n rows)."""
        n = len(frame)
        labelled = y01 is not None
        table = self._empty(labelled)
        if not n:
            return table
        self._check_numeric(frame)
        n_classes = len(table.classes)
        size = self._width * n_classes
        counts = np.empty((len(self.row_names), size))
        score = np.full(n, self._base_points)
        for j, f in enumerate(self.features):
            # The model's own binning path (``transform_bins`` per feature),
            # without its per-chunk warnings: :meth:`report` reports unseen
            # categories and untrained missing values once per batch.
            codes = self.model.assign_bins(f, frame[f])
            score += self._points[f][codes]
            if y01 is not None:
                codes = codes * n_classes + y01
            counts[j] = np.bincount(codes, minlength=size)
        codes = self._score_bins.assign(score)
        if y01 is not None:
            codes = codes * n_classes + y01
        counts[-1] = np.bincount(codes, minlength=size)
        return replace(
            table, counts=counts.reshape(len(self.row_names), self._width, n_classes)
        )

    def count(self, X: Any, y: Any = None, *, bad_value: Any = None) -> CountTable:
        """Count the rows of an in-memory batch (or chunk) per bin.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Raw features; extra columns are ignored.
        y : array-like of shape (n_samples,), default=None
            Labels, values of the model's ``classes_`` (the second is bad),
            or anything with ``bad_value`` naming the bad label.
        bad_value : scalar, default=None
            The label meaning bad (default: the model's ``classes_[1]``).

        Returns
        -------
        CountTable
            Rows :attr:`row_names`, classes ``(0, 1)`` (good, bad) with labels
            or ``("rows",)`` without. Tables of chunks of one batch add up
            (``sum(tables)``).

        Raises
        ------
        ValueError
            If a model column is missing or labels are invalid.
        TypeError
            If a numeric feature holds non-numeric values.

        Notes
        -----
        A Dask DataFrame ``X`` (with ``y`` a Dask Series partitioned alike) is
        counted partition by partition on the workers and the tables are
        summed (:func:`monitoring._dask.count_dask`); :meth:`check` accepts
        it too.
        """
        if is_dask_collection(X) or is_dask_collection(y):  # Dask path
            return count_dask(self, X, y, bad_value=bad_value)
        if is_spark_dataframe(X):  # Spark path: y is a column name of X
            from .._spark import count_spark

            return count_spark(self, X, y, bad_value=bad_value)
        frame = self._frame(X)
        y01 = None if y is None else self._labels(y, len(frame), bad_value=bad_value)
        if len(frame) <= self.chunk_rows:
            return self._count_frame(frame, y01)
        total = self._empty(y01 is not None)
        for start in range(0, len(frame), self.chunk_rows):
            part = slice(start, start + self.chunk_rows)
            total = total + self._count_frame(
                frame.iloc[part], None if y01 is None else y01[part]
            )
        return total

    def count_chunks(
        self,
        chunks: Iterable[Any],
        *,
        target: str | None = None,
        bad_value: Any = None,
    ) -> CountTable:
        """Count a batch given as an iterator of chunks (count each, then sum).

        Memory is that of one chunk, whatever the number of chunks; this is
        the entry point of the batch job (CSV chunks, Parquet row groups) and
        of partitioned data (count every partition, add the tables).

        Parameters
        ----------
        chunks : iterable of DataFrame
            The batch, chunk by chunk
            (e.g. :func:`scorecard._kit.io.iter_table_chunks`).
        target : str, default=None
            Column holding the labels (optional).
        bad_value : scalar, default=None
            Label meaning bad (default: the model's ``classes_[1]``).

        Returns
        -------
        CountTable
            As :meth:`count`.

        Raises
        ------
        ValueError
            If a chunk lacks a model column or the target, or has bad labels.
        TypeError
            If a chunk is not a DataFrame or holds non-numeric values in a
            numeric feature.
        """
        total = self._empty(target is not None)
        for k, chunk in enumerate(chunks):
            if not isinstance(chunk, pd.DataFrame):
                raise TypeError(
                    f"chunks must yield pandas DataFrames; chunk {k} is a "
                    f"{type(chunk).__name__}."
                )
            y = None
            if target is not None:
                if target not in chunk.columns:
                    raise ValueError(
                        f"target column {target!r} is not in the batch; columns "
                        f"are {[str(c) for c in chunk.columns][:20]}."
                    )
                y = chunk[target]
            total = total + self.count(chunk, y, bad_value=bad_value)
        return total


def _is_label(label: Any, bad_value: Any) -> bool:
    """Whether ``label`` is ``bad_value``, by value or by text (as the CLI gives)."""
    return bool(label == bad_value) or str(label) == str(bad_value)
