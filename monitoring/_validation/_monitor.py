"""ValidationMonitor: the yearly validation tests of a calibrated scorecard.

A sibling of :class:`~monitoring.DriftMonitor` for batches with outcomes:
grades the batch with the calibrator's master scale, counts obligors and
defaults per grade once, and computes every test of
:class:`~monitoring.ValidationReport` from those counts (plus the AUC of the
points, through :func:`scorecard.delong_auc`). It writes nothing: the job
(``infoscore validate``) stores the report with
:meth:`monitoring.HistoryStore.write_validation` after every figure has
been computed, so a failed run leaves the store as it was.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np

from scorecard import count_codes, delong_auc
from scorecard._kit.intervals import check_alpha
from scorecard._kit.validation import check_binary_target

from ._backtest import _check_levels, _check_rho
from ._discrimination import auc_comparison
from ._engines import (
    Encoder,
    Tally,
    auc_of_tally,
    encode_labels,
    grade_counts,
    is_distributed,
    paired_rows,
    tally_batch,
)
from ._report import ValidationReport, build_report
from ._stability import migration_matrix

__all__ = ["ValidationMonitor"]

NO_OUTCOMES = (
    "A back-test needs realised outcomes: pass y (the default flag of every "
    "obligor of the batch); got None."
)


class ValidationMonitor:
    """Run the validation tests of a calibrated scorecard on batches with outcomes.

    Parameters
    ----------
    calibrator : PDCalibrator
        Fitted calibrator (scorecard, PD map and master scale), in memory or
        loaded from its JSON artifact.
    initial_auc : float, default=None
        AUC recorded at initial validation, a constant; the ECB AUC test is
        skipped (noted) without it.
    rho : float, default=None
        Asset correlation for the Vasicek-adjusted binomial test per grade.
    light_levels : (float, float), default=(0.95, 0.999)
        Binomial quantile levels of the yellow and red lights.
    alpha : float, default=0.05
        Level of the intervals and portfolio flags.
    model_id : str, default=None
        Id of the model in a history store; default: the calibrator's
        artifact checksum (``PDCalibrator-<12 hex digits>``).

    Examples
    --------
    >>> from scorecard import PDCalibrator
    >>> from scorecard.datasets import load_german_credit
    >>> data = load_german_credit()
    >>> X = data[["duration_in_month", "credit_amount", "age_in_years"]]
    >>> cal = PDCalibrator(n_grades=3, bad_value="bad").fit(X, data["creditability"])
    >>> report = ValidationMonitor(cal, initial_auc=0.65).check(
    ...     X, y=data["creditability"], bad_value="bad", batch_id="2024")
    >>> report.grade_table()["grade"].tolist()
    ['1', '2', '3']
    """

    def __init__(
        self,
        calibrator: Any,
        *,
        initial_auc: float | None = None,
        rho: float | None = None,
        light_levels: Sequence[float] = (0.95, 0.999),
        alpha: float = 0.05,
        model_id: str | None = None,
    ) -> None:
        scale = getattr(calibrator, "master_scale_", None)
        if scale is None or not hasattr(calibrator, "score_to_pd"):
            raise TypeError(
                "calibrator must be a fitted scorecard.PDCalibrator (with a master "
                f"scale); got {type(calibrator).__name__}."
            )
        if initial_auc is not None and not (
            isinstance(initial_auc, int | float) and 0.0 <= initial_auc <= 1.0
        ):
            raise ValueError(
                f"initial_auc must be in [0, 1] or None; got {initial_auc!r}."
            )
        if model_id is not None and (
            not isinstance(model_id, str) or not model_id.strip()
        ):
            raise ValueError(f"model_id must be a non-empty string; got {model_id!r}.")
        self.calibrator = calibrator
        self.initial_auc = None if initial_auc is None else float(initial_auc)
        self.rho = _check_rho(rho)
        self.light_levels = _check_levels(light_levels)
        self.alpha = check_alpha(alpha)
        if model_id is None:
            digest = json.loads(calibrator.to_json())["sha256"]
            model_id = f"{type(calibrator).__name__}-{digest[:12]}"
        self.model_id = model_id

    @property
    def grades(self) -> tuple[str, ...]:
        """The master scale's grade labels, best first."""
        return tuple(self.calibrator.master_scale_.grades)

    def check(
        self,
        batch: Any,
        *,
        y: Any,
        batch_id: str,
        bad_value: Any = None,
        previous_grade: Any = None,
        y_score_initial: Any = None,
        created_at: str | None = None,
    ) -> ValidationReport:
        """Validate the model on one batch with realised defaults.

        Parameters
        ----------
        batch : DataFrame, Dask DataFrame or Spark DataFrame
            Obligors at the start of the observation window (model features).
            A Dask or Spark batch is counted on its cluster and only the
            count tables reach this process (module ``_engines``); the
            report equals the in-memory one.
        y : array-like of shape (n_samples,)
            Realised default flag over the window (1 = default), or labels
            with ``bad_value``. For a Spark batch: the name of its column
            (as are ``previous_grade`` and ``y_score_initial``); for a Dask
            batch: a Dask Series partitioned like it.
        batch_id : str
            Id of the batch (the observation window).
        bad_value : object, default=None
            The label meaning default, for targets other than 0/1 or boolean.
        previous_grade : array-like of shape (n_samples,), default=None
            Grades of the same obligors at the previous date, for the
            migration matrix.
        y_score_initial : array-like of shape (n_samples,), default=None
            The initial model's points for the same obligors, for the
            current-vs-initial AUC comparison (paired bootstrap; on Dask or
            Spark its three per-row columns are gathered on this process).
        created_at : str, default=None
            ISO time of the run.

        Returns
        -------
        ValidationReport

        Raises
        ------
        ValueError
            For a missing or non-binary outcome, a grade without obligors,
            grades off the master scale, or lengths that differ.
        """
        if y is None:
            raise ValueError(NO_OUTCOMES)
        if not isinstance(batch_id, str) or not batch_id.strip():
            raise ValueError(f"batch_id must be a non-empty string; got {batch_id!r}.")
        if is_distributed(batch):  # counted on Dask or Spark (see _engines)
            tally = tally_batch(
                self.calibrator,
                batch,
                y=y,
                previous_grade=previous_grade,
                y_score_initial=y_score_initial,
            )
            return self._from_tally(
                tally, batch_id=batch_id, bad_value=bad_value, created_at=created_at
            )
        cal = self.calibrator
        scale = cal.master_scale_
        n_rows = len(batch)
        y01 = check_binary_target(
            y, n_rows, bad_value=bad_value, name="y", require_both=False
        ).y01
        score = np.asarray(cal.estimator_.predict_score(batch), dtype=np.float64)
        codes = scale.assign(cal.score_to_pd(score))
        k = len(scale.grades)
        counts = count_codes(codes, y01, n_bins=k, n_classes=2)[0]
        auc = None
        if 0 < y01.sum() < n_rows:
            auc = delong_auc(y01, score, higher="good")
        comparison = None
        if y_score_initial is not None and auc is not None:
            comparison = auc_comparison(y01, score, y_score_initial, higher="good")
        migration = None
        if previous_grade is not None:
            grade_now = np.asarray(scale.grades)[codes]
            migration = migration_matrix(
                previous_grade, grade_now, grades=scale.grades
            ).counts
        return self._report(
            counts, auc, comparison, migration, batch_id=batch_id, created_at=created_at
        )

    def _from_tally(
        self,
        tally: Tally,
        *,
        batch_id: str,
        bad_value: Any = None,
        created_at: str | None = None,
        encode: Encoder | None = None,
    ) -> ValidationReport:
        """The report of a batch from its summed counts (Dask and Spark paths).

        ``encode`` maps the distinct outcome labels to 0/1 (default: the
        in-memory rule with ``bad_value``).
        """
        y01 = encode_labels(tally.cells["label"], encode, bad_value)
        counts = grade_counts(tally, y01, len(self.grades))
        auc = None
        if 0 < counts[:, 1].sum() < tally.rows:
            auc = auc_of_tally(tally, y01)
        comparison = None
        if tally.paired is not None and auc is not None:
            rows_y, current, initial = paired_rows(tally, encode, bad_value)
            comparison = auc_comparison(rows_y, current, initial, higher="good")
        return self._report(
            counts,
            auc,
            comparison,
            tally.migration,
            batch_id=batch_id,
            created_at=created_at,
        )

    def _report(
        self,
        counts: Any,
        auc: Any,
        comparison: Any,
        migration: Any,
        *,
        batch_id: str,
        created_at: str | None,
    ) -> ValidationReport:
        """Every test from the counts per (grade, outcome) and the AUC figures."""
        scale = self.calibrator.master_scale_
        notes: list[str] = []
        if auc is None:
            notes.append("AUC not computed: the batch has only one outcome class.")
        if self.initial_auc is None:
            notes.append("ECB AUC test skipped: no initial_auc was given.")
        if migration is None:
            notes.append("Migration matrix skipped: no previous grades were given.")
        if self.rho is None:
            notes.append("Vasicek-adjusted test skipped: no rho was given.")
        return build_report(
            grades=scale.grades,
            n=counts.sum(axis=1),
            defaults=counts[:, 1],
            pd_values=scale.pd,
            rho=self.rho,
            light_levels=self.light_levels,
            reference_counts=scale.n,
            current_counts=counts.sum(axis=1),
            auc=auc,
            initial_auc=self.initial_auc,
            comparison=comparison,
            migration=migration,
            alpha=self.alpha,
            model_id=self.model_id,
            batch_id=batch_id,
            created_at=created_at,
            notes=tuple(notes),
        )

    def grade(self, batch: Any) -> np.ndarray:
        """Grades of a batch (the calibrator's ``predict_grade``)."""
        return np.asarray(self.calibrator.predict_grade(batch))

    def __repr__(self) -> str:
        return (
            f"ValidationMonitor(model_id={self.model_id!r}, "
            f"n_grades={len(self.grades)}, "
            f"initial_auc={self.initial_auc!r}, rho={self.rho!r})"
        )
