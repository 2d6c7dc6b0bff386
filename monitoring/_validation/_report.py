"""ValidationReport: every test of one validation run, with JSON and HTML.

The report keeps the counts its figures come from (grade counts, migration
counts, grade distributions) plus the AUC figures, so :meth:`from_json`
recomputes every test from the stored counts and reproduces each figure.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scorecard import AUCResult, Divergence, psi

from .._report import write_page
from .._report._validation_page import validation_report_html
from ._backtest import GradeBacktest, Light, backtest_from_counts, worst_light
from ._discrimination import AUCComparison, AUCTest
from ._portfolio import PortfolioBacktest
from ._stability import (
    Concentration,
    Migration,
    concentration_from_counts,
    migration_from_counts,
)

__all__ = ["ValidationReport"]

FORMAT = "infoscore-validation"
VERSION = 1


def _num(x: float) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None


def _val(x: Any) -> float:
    return math.nan if x is None else float(x)


def _auc_doc(a: AUCResult) -> dict[str, Any]:
    return {
        "estimate": a.estimate,
        "se": a.se,
        "n_events": a.n_events,
        "n_nonevents": a.n_nonevents,
        "method": a.method,
    }


def _auc_of(doc: Mapping[str, Any]) -> AUCResult:
    return AUCResult(
        float(doc["estimate"]),
        float(doc["se"]),
        float(doc["n_events"]),
        float(doc["n_nonevents"]),
        str(doc["method"]),
    )


@dataclass(frozen=True, eq=False, repr=False)
class ValidationReport:
    """One validation run of a calibrated scorecard on a batch with outcomes.

    Attributes
    ----------
    grades : GradeBacktest
        Per-grade Jeffreys, binomial, normal (and Vasicek) tests and lights.
    portfolio : PortfolioBacktest
        Hosmer-Lemeshow, Spiegelhalter, binomial total, Brier.
    auc : AUCResult or None
        Current AUC of the points with its DeLong SE.
    auc_test : AUCTest or None
        The ECB test against the fixed initial AUC (when one was given).
    comparison : AUCComparison or None
        Current versus initial model on the same rows (when scored).
    migration : Migration or None
        Grade migration from the previous date (when grades were given).
    concentration : Concentration
        Herfindahl index, tested against the calibration distribution.
    grade_psi : Divergence
        PSI of the grade distribution against the calibration sample.
    reference_counts : ndarray
        Obligors per grade in the calibration sample (PSI and HI reference).
    alpha : float
        Level of the report's intervals and of the "rejected" flags.
    model_id, batch_id, created_at : str or None
        Identity of the run.
    notes : tuple of str
        What was skipped and why.
    """

    grades: GradeBacktest
    portfolio: PortfolioBacktest
    auc: AUCResult | None
    auc_test: AUCTest | None
    comparison: AUCComparison | None
    migration: Migration | None
    concentration: Concentration
    grade_psi: Divergence
    reference_counts: np.ndarray
    alpha: float = 0.05
    model_id: str | None = None
    batch_id: str | None = None
    created_at: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def light(self) -> Light:
        """Worst traffic light of the grades (the run's status)."""
        return worst_light(self.grades.light)

    @property
    def n(self) -> int:
        """Obligors back-tested."""
        return int(self.grades.n.sum())

    def grade_table(self) -> pd.DataFrame:
        """The regulator's grade table (see :meth:`GradeBacktest.to_frame`)."""
        return self.grades.to_frame(self.alpha)

    def to_frame(self) -> pd.DataFrame:
        """One row per test: ``test, scope, grade, statistic, pvalue, light``.

        ``scope`` is ``"grade"`` or ``"portfolio"``; ``light`` is the traffic
        light of a grade row and, for the portfolio tests, ``"red"`` when the
        p-value is below ``alpha`` and ``"green"`` otherwise.
        """
        g = self.grades
        rows: list[tuple] = []
        z = g.statistic
        columns = (
            ("jeffreys", g.jeffreys_pvalue, None),
            ("binomial", g.binomial_pvalue, None),
            ("normal", g.normal_pvalue, z),
            ("vasicek", g.vasicek_pvalue, None),
        )
        for test, pvals, stat in columns:
            if test == "vasicek" and g.rho is None:
                continue
            for i, grade in enumerate(g.grades):
                s = float(stat[i]) if stat is not None else float(g.defaults[i])
                rows.append((test, "grade", grade, s, float(pvals[i]), g.light[i]))
        flag = lambda p: "red" if p < self.alpha else "green"  # noqa: E731
        for t in self.portfolio.tests:
            rows.append(
                (t.test, "portfolio", None, t.statistic, t.pvalue, flag(t.pvalue))
            )
        extra = [
            ("ecb_auc", self.auc_test),
            ("auc_comparison", self.comparison),
            ("herfindahl", self.concentration),
        ]
        for name, res in extra:
            if res is not None and math.isfinite(res.pvalue):
                rows.append(
                    (
                        name,
                        "portfolio",
                        None,
                        res.statistic,
                        res.pvalue,
                        flag(res.pvalue),
                    )
                )
        rows.append(
            (
                "grade_psi",
                "portfolio",
                None,
                float(self.grade_psi.statistic),
                float(self.grade_psi.pvalue),
                flag(float(self.grade_psi.pvalue)),
            )
        )
        return pd.DataFrame(
            rows, columns=["test", "scope", "grade", "statistic", "pvalue", "light"]
        )

    def summary(self) -> dict[str, Any]:
        """Headline figures as a flat dict."""
        b = self.portfolio.brier
        out: dict[str, Any] = {
            "light": self.light,
            "n": self.n,
            "defaults": int(self.grades.defaults.sum()),
            "observed_dr": self.portfolio.binomial.estimate,
            "expected_dr": self.portfolio.binomial.expected,
            "brier": b.estimate,
            "hi": self.concentration.estimate,
            "grade_psi": float(self.grade_psi.estimate),
        }
        if self.auc is not None:
            out.update(auc=self.auc.estimate, auc_se=self.auc.se, gini=self.auc.gini)
        if self.migration is not None:
            out.update(self.migration.summary())
        return out

    # ------------------------------------------------------------------ JSON

    def to_json(self, *, indent: int | None = None) -> str:
        """The run as JSON: its counts and AUC figures (recomputable)."""
        g = self.grades
        c = self.comparison
        doc = {
            "format": FORMAT,
            "version": VERSION,
            "model_id": self.model_id,
            "batch_id": self.batch_id,
            "created_at": self.created_at,
            "alpha": self.alpha,
            "grades": list(g.grades),
            "n": g.n.tolist(),
            "defaults": g.defaults.tolist(),
            "pd": g.pd.tolist(),
            "rho": g.rho,
            "light_levels": list(g.light_levels),
            "reference_counts": np.asarray(self.reference_counts, dtype=float).tolist(),
            "current_counts": self.concentration.counts.tolist(),
            "initial_auc": None if self.auc_test is None else self.auc_test.initial,
            "auc": None if self.auc is None else _auc_doc(self.auc),
            "comparison": None
            if c is None
            else {
                "current": _auc_doc(c.current),
                "initial": _auc_doc(c.initial),
                "se": c.se,
                "n_boot": c.n_boot,
            },
            "migration": None
            if self.migration is None
            else self.migration.counts.tolist(),
            "notes": list(self.notes),
        }
        return json.dumps(doc, indent=indent, allow_nan=False)

    @classmethod
    def from_json(cls, text: str | Mapping[str, Any]) -> ValidationReport:
        """Rebuild a report from :meth:`to_json`, recomputing every test.

        Raises
        ------
        ValueError
            If the text is not a validation report of a known version.
        """
        doc = json.loads(text) if isinstance(text, str) else dict(text)
        if doc.get("format") != FORMAT or doc.get("version") != VERSION:
            raise ValueError(
                f"Not an infoscore validation report (format {FORMAT!r}, version "
                f"{VERSION}); got {doc.get('format')!r} {doc.get('version')!r}."
            )
        return build_report(
            grades=doc["grades"],
            n=doc["n"],
            defaults=doc["defaults"],
            pd_values=doc["pd"],
            rho=doc["rho"],
            light_levels=doc["light_levels"],
            reference_counts=doc["reference_counts"],
            current_counts=doc["current_counts"],
            auc=None if doc["auc"] is None else _auc_of(doc["auc"]),
            initial_auc=doc["initial_auc"],
            comparison=doc["comparison"],
            migration=doc["migration"],
            alpha=doc["alpha"],
            model_id=doc["model_id"],
            batch_id=doc["batch_id"],
            created_at=doc["created_at"],
            notes=tuple(doc["notes"]),
        )

    # ------------------------------------------------------------------ HTML

    def to_html(
        self,
        path: str | Path | None = None,
        *,
        title: str | None = None,
        alpha: float | None = None,
    ) -> str:
        """Self-contained HTML validation report.

        Parameters
        ----------
        path : str or path-like, default=None
            When given, the page is also written there (UTF-8).
        title : str, default=None
            Page title (default "Validation report").
        alpha : float, default=None
            Level of the intervals and flags (default: the report's).

        Returns
        -------
        str
            The HTML document.
        """
        report = self if alpha is None else _with_alpha(self, alpha)
        return write_page(validation_report_html(report, title=title), path)

    def __repr__(self) -> str:
        return (
            f"ValidationReport(model_id={self.model_id!r}, batch_id={self.batch_id!r}, "
            f"n={self.n}, light={self.light!r})"
        )


def _with_alpha(report: ValidationReport, alpha: float) -> ValidationReport:
    from dataclasses import replace

    from scorecard._kit.intervals import check_alpha

    return replace(report, alpha=check_alpha(alpha))


def build_report(
    *,
    grades: Any,
    n: Any,
    defaults: Any,
    pd_values: Any,
    rho: float | None,
    light_levels: Any,
    reference_counts: Any,
    current_counts: Any,
    auc: AUCResult | None,
    initial_auc: float | None,
    comparison: Mapping[str, Any] | AUCComparison | None,
    migration: Any,
    alpha: float,
    model_id: str | None,
    batch_id: str | None,
    created_at: str | None,
    notes: tuple[str, ...],
) -> ValidationReport:
    """Compute every test from counts (the monitor and :meth:`from_json`)."""
    table, portfolio = backtest_from_counts(
        n, defaults, pd_values, grades=grades, rho=rho, light_levels=light_levels
    )
    ref = np.asarray(reference_counts, dtype=np.float64)
    cur = np.asarray(current_counts, dtype=np.float64)
    conc: Concentration = concentration_from_counts(
        cur, initial_counts=ref, grades=table.grades
    )
    grade_psi = psi(ref, cur)
    auc_test = None
    if auc is not None and initial_auc is not None:
        auc_test = AUCTest.from_auc(auc, float(initial_auc))
    comp = comparison if isinstance(comparison, AUCComparison) else None
    if isinstance(comparison, Mapping):
        cur_auc, init_auc = (
            _auc_of(comparison["current"]),
            _auc_of(comparison["initial"]),
        )
        se = _val(comparison["se"])
        diff = cur_auc.estimate - init_auc.estimate
        z = diff / se if se > 0 else math.nan
        from scorecard._kit.intervals import two_sided_pvalue

        p = float(two_sided_pvalue(z)) if math.isfinite(z) else math.nan
        comp = AUCComparison(
            cur_auc, init_auc, diff, se, z, p, int(comparison["n_boot"])
        )
    mig = (
        None
        if migration is None
        else migration_from_counts(migration, grades=table.grades)
    )
    return ValidationReport(
        grades=table,
        portfolio=portfolio,
        auc=auc,
        auc_test=auc_test,
        comparison=comp,
        migration=mig,
        concentration=conc,
        grade_psi=grade_psi,
        reference_counts=ref,
        alpha=float(alpha),
        model_id=model_id,
        batch_id=batch_id,
        created_at=created_at,
        notes=tuple(notes),
    )
