"""DriftMonitor: count tables of a batch to a drift report."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scorecard import CountTable, DataConditionWarning, auc_from_counts

from .._drift import (
    DriftReport,
    auc_drift,
    bad_rate_by_band,
    characteristic_analysis,
    drift_from_counts,
    iv_drift,
)
from .._drift._checks import record
from ._counting import MonitorCounting
from ._setup import LABELLED, UNLABELLED, now_text

__all__ = ["DriftMonitor"]


class DriftMonitor(MonitorCounting):
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
    vs reference, both computed by :func:`scorecard.auc_from_counts`
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
        report, psi_notes = record(
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
            created_at=created_at if created_at is not None else now_text(),
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
            iv, messages = record(
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
