r"""DriftMonitor: drift checks of new batches against a fitted scorecard.

A fitted additive scorecard (:class:`scorecard.Scorecard` or
:class:`scorecard.BoostedScorecard`, in memory or as a JSON artifact) carries
everything a drift check needs: the bins of every feature with their training
(reference) counts per class, the points of every bin, and ``score_bins_``,
the training score deciles with their good/bad counts. A check bins a new
batch with the same bins, counts rows per bin (per class when labels are
given), and hands the two count tables to :func:`monitoring.drift_from_counts`
and friends. Counting is separate from the statistics: the counts of chunks
(or Dask partitions) add up, so memory does not grow with the batch size.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from scorecard import CountTable, DataConditionWarning, FeatureBins
from scorecard._kit.dask import is_dask_collection
from scorecard._stats._auc import auc_from_counts

from ._drift import (
    DriftReport,
    Reference,
    _check_alpha,
    _check_bands,
    _check_reference,
    _record,
    auc_drift,
    bad_rate_by_band,
    characteristic_analysis,
    drift_from_counts,
    iv_drift,
)

__all__ = ["DriftMonitor"]

#: Class labels of a count table without labels (one column: all rows).
UNLABELLED: tuple[str, ...] = ("rows",)
#: Class labels of a labelled count table: good (``y = 0``), bad (``y = 1``).
LABELLED: tuple[int, ...] = (0, 1)


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class DriftMonitor:
    r"""Check new batches of a deployed scorecard for drift.

    Parameters
    ----------
    model : Scorecard, BoostedScorecard, str or path-like
        A fitted additive scorecard, or the path of its JSON artifact (loaded
        with :func:`scorecard.load`; a tampered or truncated file raises
        ``ValueError``).
    psi_bands : (float, float), default=(0.10, 0.25)
        Watch and drift bands of PSI (see :func:`monitoring.drift_status`).
    alpha : float, default=0.05
        Level of the tests and of the ``1 - alpha`` intervals.
    reference : {"sample", "fixed"}, default="sample"
        ``"sample"``: the training counts are a sample (both variance terms of
        PSI and of the points shift); ``"fixed"``: they are the population.
    smoothing : float, default=0.5
        Haldane-Anscombe smoothing of bins with a zero cell.
    model_id : str, default=None
        Id of the model in a history store; by default the class name and the
        first 12 hex digits of a SHA-256 of the bins, reference counts and
        points, so the same model always gets the same id and a refitted one a
        new id.
    chunk_rows : int, default=100_000
        :meth:`check` and :meth:`count` process an in-memory batch in slices
        of this many rows, so their working memory does not grow with the
        batch.

    Attributes
    ----------
    model : Scorecard or BoostedScorecard
        The fitted model.
    features : tuple of str
        The model's features, in order.
    score_name : str
        Name of the score row (``"score"``, or ``"(score)"`` if a feature is
        called ``"score"``).
    row_names : tuple of str
        ``features + (score_name,)``: the rows of every count table.
    n_bins : tuple of int
        Number of bin codes of every row.
    reference_counts : CountTable
        Training counts per bin, classes ``(0, 1)`` (good, bad), one row per
        feature and the score row last.

    Raises
    ------
    TypeError
        If ``model`` is not a fitted additive scorecard or a path.
    ValueError
        For invalid bands, alpha, reference, smoothing or chunk size, or an
        artifact that does not load.

    Notes
    -----
    *Per feature and for the score*: PSI between the reference counts and the
    batch counts over the model's bins, with bias-corrected PSI, delta-method
    SE, Wald CI, chi-square test and a status (:func:`~monitoring.drift_status`:
    ``drift`` only when the test rejects and the CI's lower bound passes the
    upper band). The score row uses the training score deciles
    (``score_bins_``).

    *Characteristic analysis*: shift of the mean points of every feature,
    ``sum_j (a_j - e_j) points_j``, with its SE.

    *With labels*: IV per feature now vs reference (difference test); AUC now
    vs reference, both computed by :func:`scorecard._stats._auc.auc_from_counts`
    on the **same** score deciles (``score_bins_``) with ties within a decile
    counted one half, so the two sides are binned identically and their
    difference is not an artefact of binning (the binned AUC is slightly below
    the AUC of the raw score); bad rate per score decile with two-proportion
    tests.

    *Data conditions*: categories unseen in training are counted in the
    feature's ``unseen`` bin, whose reference count is 0. They are **drift,
    not bad input**: the batch is valid, but the population has moved to
    values the model never saw (they score the neutral WoE 0), so they raise
    a :class:`~scorecard.DataConditionWarning`, are listed in the report's
    notes, and enter PSI through the (smoothed) unseen bin. Missing values of
    a feature that had none in training are treated the same way. A feature
    that is missing in *every* row of the batch, a batch with no rows, a
    missing model column or a non-numeric value in a numeric feature are bad
    input (``ValueError``/``TypeError``): a broken feed is not drift.

    Examples
    --------
    >>> from scorecard import BoostedScorecard
    >>> from scorecard.datasets import load_simucredit
    >>> data = load_simucredit()
    >>> X = data[["Utilization", "Delinquency", "Inquiry"]]
    >>> y = 1 - data["Status"]
    >>> card = BoostedScorecard(n_rounds=20, random_state=0).fit(X[:10000], y[:10000])
    >>> monitor = DriftMonitor(card)
    >>> report = monitor.check(X[10000:], batch_id="2024-01", y=y[10000:])
    >>> report.status
    'stable'
    >>> new = X[10000:]
    >>> shifted = new.assign(Utilization=(new["Utilization"] + 0.15).clip(0, 1))
    >>> monitor.check(shifted, batch_id="2024-02").drifted
    ('Utilization', 'score')
    """

    def __init__(
        self,
        model: Any,
        *,
        psi_bands: Sequence[float] = (0.10, 0.25),
        alpha: float = 0.05,
        reference: Reference = "sample",
        smoothing: float = 0.5,
        model_id: str | None = None,
        chunk_rows: int = 100_000,
    ) -> None:
        self.psi_bands = _check_bands(psi_bands)
        self.alpha = _check_alpha(alpha)
        self.reference = _check_reference(reference)
        if not isinstance(smoothing, int | float) or not (
            math.isfinite(smoothing) and smoothing >= 0
        ):
            raise ValueError(
                f"smoothing must be a finite number >= 0; got {smoothing!r}."
            )
        self.smoothing = float(smoothing)
        if (
            not isinstance(chunk_rows, int | np.integer)
            or isinstance(chunk_rows, bool)
            or chunk_rows < 1
        ):
            raise ValueError(
                f"chunk_rows must be a positive integer; got {chunk_rows!r}."
            )
        self.chunk_rows = int(chunk_rows)
        self.model = self._load(model)
        bins: dict[str, FeatureBins] = dict(self.model.bins_)
        self.features = tuple(str(f) for f in self.model.bins_)
        self._bins = bins
        self._score_bins: FeatureBins = self.model.score_bins_
        self.score_name = "(score)" if "score" in self.features else "score"
        self.row_names = (*self.features, self.score_name)
        self.n_bins = tuple(
            [bins[f].n_bins for f in self.features] + [self._score_bins.n_bins]
        )
        self._width = max(self.n_bins)
        self._points = {f: np.asarray(self.model.bin_points(f)) for f in self.features}
        self._base_points = float(self.model.base_points())
        self.reference_counts = self._reference_table()
        if model_id is not None and (
            not isinstance(model_id, str) or not model_id.strip()
        ):
            raise ValueError(f"model_id must be a non-empty string; got {model_id!r}.")
        self.model_id = model_id if model_id is not None else self._default_id()

    # ------------------------------------------------------------------ setup

    @staticmethod
    def _load(model: Any) -> Any:
        if isinstance(model, str | os.PathLike):
            from scorecard import load

            model = load(model)
        needed = ("bins_", "score_bins_", "bin_points")
        if not all(hasattr(model, a) for a in needed) or not hasattr(
            model, "bin_margins_"
        ):
            raise TypeError(
                "model must be a fitted Scorecard or BoostedScorecard (or the path "
                f"of its JSON artifact); got {type(model).__name__}"
                + (" (not fitted?)." if hasattr(model, "bin_points") else ".")
            )
        return model

    def _reference_table(self) -> CountTable:
        counts = np.zeros((len(self.row_names), self._width, 2))
        for i, fb in enumerate(
            [*(self._bins[f] for f in self.features), self._score_bins]
        ):
            counts[i, : fb.n_bins] = fb.counts()
        return CountTable(counts=counts, classes=LABELLED, features=self.row_names)

    def _default_id(self) -> str:
        doc = {
            "model": type(self.model).__name__,
            "bins": [self._bins[f].to_dict() for f in self.features],
            "score_bins": self._score_bins.to_dict(),
            "points": {f: [repr(float(v)) for v in p] for f, p in self._points.items()},
            "base_points": repr(self._base_points),
        }
        text = json.dumps(doc, sort_keys=True, default=str).encode()
        return f"{type(self.model).__name__}-{hashlib.sha256(text).hexdigest()[:12]}"

    def __repr__(self) -> str:
        return (
            f"DriftMonitor(model_id={self.model_id!r}, "
            f"n_features={len(self.features)}, "
            f"psi_bands={self.psi_bands}, alpha={self.alpha}, "
            f"reference={self.reference!r})"
        )

    # -------------------------------------------------------------- counting

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
        """0/1 (1 = bad) labels, validated against the model's classes."""
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
        if bad_value is not None:
            bad = values.to_numpy() == bad_value
            if not bad.any() and isinstance(bad_value, str):
                bad = values.astype(str).to_numpy() == bad_value
            return bad.astype(np.int64)
        classes = list(self.model.classes_)
        index = pd.Index(classes)
        codes = index.get_indexer(values)
        if np.any(codes < 0):
            codes = pd.Index([str(c) for c in classes]).get_indexer(values.astype(str))
        if np.any(codes < 0):
            unknown = pd.unique(values[codes < 0])[:5].tolist()
            raise ValueError(
                f"{name} has values {unknown} outside the model's classes "
                f"{np.asarray(classes).tolist()} (the second is bad); pass "
                "bad_value to name the bad label."
            )
        return codes.astype(np.int64)

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
            from ._dask import count_dask

            return count_dask(self, X, y, bad_value=bad_value)
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

    # ------------------------------------------------------------ statistics

    def _check_table(self, counts: CountTable) -> tuple[NDArray[np.float64], bool]:
        if not isinstance(counts, CountTable):
            raise TypeError(
                f"counts must be a CountTable from DriftMonitor.count; got "
                f"{type(counts).__name__}."
            )
        if counts.features != self.row_names or counts.counts.shape[1] != self._width:
            raise ValueError(
                "counts do not match this model's bins: rows "
                f"{list(counts.features)[:5]}... of width {counts.counts.shape[1]}, "
                f"expected {list(self.row_names)[:5]}... of width {self._width}."
            )
        if counts.classes not in (LABELLED, UNLABELLED):
            raise ValueError(
                f"counts must have classes {LABELLED} or {UNLABELLED}; got "
                f"{counts.classes}."
            )
        return counts.counts, counts.classes == LABELLED

    def _conditions(self, totals: NDArray[np.float64], n_rows: float) -> list[str]:
        """Validate the batch counts; return data-condition messages."""
        if n_rows <= 0:
            raise ValueError("The batch is empty (0 rows); nothing to check.")
        notes = []
        for i, f in enumerate(self.features):
            fb = self._bins[f]
            n_missing = totals[i, fb.missing_code]
            if n_missing >= n_rows:
                raise ValueError(
                    f"Feature {f!r} is missing (NaN) in all {n_rows:g} rows of the "
                    "batch: a broken feed, not drift. Fix the data or drop the "
                    "feature from the model."
                )
            if fb.unseen_code is not None and totals[i, fb.unseen_code] > 0:
                notes.append(
                    f"Feature {f!r}: {totals[i, fb.unseen_code]:g} row(s) with "
                    "categories unseen in training (counted in its 'unseen' bin, "
                    "whose reference count is 0)."
                )
            trained_missing = fb.goods[fb.missing_code] + fb.bads[fb.missing_code]
            if n_missing > 0 and trained_missing <= 0:
                notes.append(
                    f"Feature {f!r}: {n_missing:g} missing value(s), but training "
                    "had none (counted in its 'missing' bin, reference count 0)."
                )
        return notes

    def report(
        self,
        counts: CountTable,
        *,
        batch_id: str,
        created_at: str | None = None,
    ) -> DriftReport:
        """Drift report from the counts of a batch (see :meth:`count`).

        Parameters
        ----------
        counts : CountTable
            From :meth:`count` or :meth:`count_chunks` (or a sum of them).
        batch_id : str
            Id of the batch (key of the run in a history store).
        created_at : str, default=None
            ISO-8601 UTC time of the check (default: now).

        Returns
        -------
        DriftReport

        Raises
        ------
        ValueError
            For an empty batch, a feature missing in every row, counts of
            another model, or an empty ``batch_id``.
        """
        return self._report(counts, batch_id, created_at, stacklevel=3)

    def _report(
        self,
        counts: CountTable,
        batch_id: str,
        created_at: str | None,
        *,
        stacklevel: int,
    ) -> DriftReport:
        if not isinstance(batch_id, str) or not batch_id.strip():
            raise ValueError(f"batch_id must be a non-empty string; got {batch_id!r}.")
        arr, labelled = self._check_table(counts)
        totals = arr.sum(axis=2)
        n_rows = float(totals[-1].sum())
        notes = self._conditions(totals, n_rows)
        for note in notes:
            warnings.warn(note, DataConditionWarning, stacklevel=stacklevel)
        ref = self.reference_counts.counts
        labels = [self._bins[f].labels() for f in self.features] + [
            self._score_bins.labels()
        ]
        points = np.full((len(self.features), self._width), np.nan)
        for i, f in enumerate(self.features):
            points[i, : self._bins[f].n_bins] = self._points[f]
        n_feat = len(self.features)
        chars = characteristic_analysis(
            ref[:n_feat].sum(axis=2),
            totals[:n_feat],
            points,
            features=self.features,
            reference=self.reference,
        )
        iv = auc = bad_rate = None
        if labelled:
            iv, auc, bad_rate, more = self._performance(arr, stacklevel + 1)
            notes += more
        report, psi_notes = _record(
            drift_from_counts,
            ref.sum(axis=2),
            totals,
            features=self.row_names,
            kinds=["feature"] * n_feat + ["score"],
            bin_labels=labels,
            psi_bands=self.psi_bands,
            alpha=self.alpha,
            reference=self.reference,
            smoothing=self.smoothing,
            model_id=self.model_id,
            batch_id=batch_id,
            created_at=created_at if created_at is not None else _now(),
            n_rows=int(round(n_rows)),
            iv=iv,
            auc=auc,
            bad_rate=bad_rate,
            characteristics=chars,
        )
        for note in psi_notes:
            warnings.warn(note, DataConditionWarning, stacklevel=stacklevel)
        return replace(report, notes=tuple(notes + psi_notes))

    def _performance(
        self, arr: NDArray[np.float64], stacklevel: int
    ) -> tuple[Any, Any, Any, list[str]]:
        """IV, AUC and bad-rate drift from labelled counts."""
        notes: list[str] = []
        n_feat = len(self.features)
        ref = self.reference_counts.counts
        sb = self._score_bins
        regular = slice(0, sb.n_regular)  # the score is never missing
        bands = sb.labels()[regular]
        bad_rate = bad_rate_by_band(ref[-1, regular], arr[-1, regular], bands=bands)
        n_good, n_bad = arr[-1].sum(axis=0)
        if n_good <= 0 or n_bad <= 0:
            message = (
                f"The labelled batch has {n_good:g} good and {n_bad:g} bad rows; "
                "IV and AUC need both classes and are omitted."
            )
            warnings.warn(message, DataConditionWarning, stacklevel=stacklevel)
            return None, None, bad_rate, [message]
        # IV needs two non-empty bins on both sides; a feature the binner never
        # split (or a batch concentrated in one bin) has no IV to compare.
        used = np.minimum(
            (ref[:n_feat].sum(axis=2) > 0).sum(axis=1),
            (arr[:n_feat].sum(axis=2) > 0).sum(axis=1),
        )
        keep = np.flatnonzero(used >= 2)
        # A feature the binner never split has no IV anywhere (not a data
        # condition); one the batch squeezes into a single bin is.
        ref_used = (ref[:n_feat].sum(axis=2) > 0).sum(axis=1)
        iv_notes = [
            f"IV: feature {self.features[i]!r} falls in a single bin in the batch; "
            "its IV drift is omitted."
            for i in np.flatnonzero((used < 2) & (ref_used >= 2))
        ]
        iv = None
        if keep.size:
            iv, messages = _record(
                iv_drift,
                ref[keep],
                arr[keep],
                features=[self.features[i] for i in keep],
                smoothing=self.smoothing,
            )
            iv_notes += [f"IV: {m}" for m in messages]
        for note in iv_notes:
            warnings.warn(note, DataConditionWarning, stacklevel=stacklevel)
        auc = auc_drift(
            auc_from_counts(ref[-1, regular, 0], ref[-1, regular, 1], higher="good"),
            auc_from_counts(arr[-1, regular, 0], arr[-1, regular, 1], higher="good"),
        )
        return iv, auc, bad_rate, notes + iv_notes

    def check(
        self,
        current: Any,
        *,
        batch_id: str,
        y: Any = None,
        bad_value: Any = None,
        created_at: str | None = None,
    ) -> DriftReport:
        """Check one in-memory batch: :meth:`count` then :meth:`report`.

        Parameters
        ----------
        current : DataFrame or array-like of shape (n_samples, n_features)
            The batch (extra columns are ignored); a Dask DataFrame is counted
            per partition on the workers (``y`` then a Dask Series).
        batch_id : str
            Id of the batch.
        y : array-like of shape (n_samples,), default=None
            Labels, for IV, AUC and bad rate by score band.
        bad_value : scalar, default=None
            The label meaning bad (default: the model's ``classes_[1]``).
        created_at : str, default=None
            ISO-8601 UTC time of the check (default: now).

        Returns
        -------
        DriftReport
            ``to_frame()``, ``to_json()``, ``to_html()``.

        Raises
        ------
        ValueError
            Missing model columns, an empty batch, a feature missing in every
            row, invalid labels.
        TypeError
            Non-numeric values in a numeric feature.
        """
        counts = self.count(current, y, bad_value=bad_value)
        return self._report(counts, batch_id, created_at, stacklevel=3)

    def check_chunks(
        self,
        chunks: Iterable[Any],
        *,
        batch_id: str,
        target: str | None = None,
        bad_value: Any = None,
        created_at: str | None = None,
    ) -> DriftReport:
        """Check a batch given as chunks: :meth:`count_chunks` then :meth:`report`.

        Parameters
        ----------
        chunks : iterable of DataFrame
            The batch, chunk by chunk.
        batch_id : str
            Id of the batch.
        target : str, default=None
            Label column, optional.
        bad_value : scalar, default=None
            Label meaning bad.
        created_at : str, default=None
            ISO-8601 UTC time of the check (default: now).

        Returns
        -------
        DriftReport
        """
        counts = self.count_chunks(chunks, target=target, bad_value=bad_value)
        return self._report(counts, batch_id, created_at, stacklevel=3)
