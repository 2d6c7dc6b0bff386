"""HTML page of one validation run, and the validation history of a store.

Rendering only: the page reads a :class:`~monitoring.ValidationReport` by
its shape (``grade_table()``, ``to_frame()``, the result attributes), so this
module imports nothing of the validation statistics.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from scorecard._kit.report import (
    PALETTE,
    Formula,
    KeyValues,
    Note,
    Paragraph,
    Plot,
    Section,
    Table,
    line_plot,
    new_figure,
    render_report,
)

__all__ = [
    "validation_history_html",
    "validation_history_sections",
    "validation_report_html",
]

_LIGHT_RULE = (
    "green  : defaults <= binomial quantile at the yellow level\n"
    "yellow : above it, up to the quantile at the red level\n"
    "red    : above the red-level quantile\n"
    "Jeffreys p = Beta(d + 1/2, n - d + 1/2).cdf(PD)   (small: PD underestimated)\n"
    "binomial p = P(D >= d),  D ~ Bin(n, PD)"
)


def _light_note(report: Any) -> Note:
    table = report.grade_table()
    red = table.loc[table["light"] == "red", "grade"].tolist()
    yellow = table.loc[table["light"] == "yellow", "grade"].tolist()
    if red:
        return Note(
            f"Red: grade(s) {', '.join(red)}; yellow: {', '.join(yellow) or 'none'}.",
            "warn",
        )
    if yellow:
        return Note(f"Yellow: grade(s) {', '.join(yellow)}.", "info")
    return Note("Green: no grade has more defaults than its PD allows.", "ok")


def _summary(report: Any) -> Section:
    s = report.summary()
    items: dict[str, Any] = {
        "model": report.model_id,
        "batch (observation window)": report.batch_id,
        "run at (UTC)": report.created_at,
        "obligors / defaults": f"{s['n']:,} / {s['defaults']:,}",
        "observed / expected default rate": (
            f"{s['observed_dr']:.4%} / {s['expected_dr']:.4%}"
        ),
        "overall light (worst grade)": report.light,
        "alpha": report.alpha,
        "traffic-light levels": ", ".join(f"{v:g}" for v in report.grades.light_levels),
        "asset correlation rho (Vasicek test)": report.grades.rho,
    }
    return Section("Summary", [_light_note(report), KeyValues(items)])


def _dr_plot(table: pd.DataFrame, alpha: float) -> Any:
    fig = new_figure(6.4, 3.2)
    ax = fig.add_subplot()
    x = np.arange(len(table))
    low = table["observed_dr"] - table["ci_low"]
    high = table["ci_high"] - table["observed_dr"]
    ax.errorbar(
        x,
        table["observed_dr"],
        yerr=[low, high],
        fmt="o",
        color=PALETTE[0],
        label=f"observed DR, {100 * (1 - alpha):g}% Jeffreys CI",
    )
    ax.plot(x, table["pd"], "s", color=PALETTE[1], label="grade PD")
    ax.set_xticks(x, table["grade"].tolist())
    ax.set_yscale("log")
    ax.set_xlabel("grade")
    ax.set_ylabel("default rate")
    ax.legend(fontsize=8, frameon=False)
    ax.grid(axis="y", color="#e5e5e5")
    return fig


def _calibration(report: Any) -> Section:
    table = report.grade_table()
    shown = (
        table.drop(columns=["vasicek_pvalue"]) if report.grades.rho is None else table
    )
    flagged = (table["light"] != "green").tolist()
    portfolio = report.portfolio.to_frame()
    b = report.portfolio.brier
    low, high = b.ci(report.alpha)
    return Section(
        "Calibration by grade",
        [
            Paragraph(
                "One row per grade: obligors at the start of the window, realised "
                "defaults, the grade PD and one-sided tests of the PD being "
                "underestimated. The tests assume independent defaults except the "
                "Vasicek-adjusted one, which allows the correlation rho."
            ),
            Table(
                shown,
                caption="Back-test per grade (regulator's layout)",
                formats={
                    "observed_dr": "{:.4%}",
                    "pd": "{:.4%}",
                    "ci_low": "{:.4%}",
                    "ci_high": "{:.4%}",
                },
                highlight=flagged,
            ),
            Plot(
                _dr_plot(table, report.alpha),
                caption="Observed default rate and PD per grade",
            ),
            Formula(_LIGHT_RULE),
            Table(portfolio, caption="Portfolio tests"),
            KeyValues(
                {
                    "Brier score": f"{b.estimate:.5f} (SE {b.se:.2g}, "
                    f"{100 * (1 - report.alpha):g}% CI {low:.5f} - {high:.5f})",
                    "reliability / resolution / uncertainty": (
                        f"{b.reliability:.5f} / {b.resolution:.5f} / "
                        f"{b.uncertainty:.5f}"
                    ),
                }
            ),
        ],
    )


def _discrimination(report: Any) -> Section:
    blocks: list[Any] = []
    if report.auc is None:
        return Section(
            "Discriminatory power", [Note("No AUC: one outcome class only.")]
        )
    a = report.auc
    low, high = a.ci(report.alpha)
    items: dict[str, Any] = {
        "AUC (DeLong SE)": f"{a.estimate:.4f} ({a.se:.4f})",
        f"{100 * (1 - report.alpha):g}% CI": f"{low:.4f} - {high:.4f}",
        "Gini / accuracy ratio": f"{a.gini:.4f}",
    }
    t = report.auc_test
    if t is not None:
        items["initial AUC (fixed)"] = f"{t.initial:.4f}"
        items["ECB test S = (AUC_init - AUC) / se"] = f"{t.statistic:.3f}"
        items["ECB one-sided p-value"] = f"{t.pvalue:.4g}"
    c = report.comparison
    if c is not None:
        items["current - initial model, same rows"] = (
            f"{c.estimate:+.4f} (paired bootstrap SE {c.se:.4f}, p = {c.pvalue:.4g})"
        )
    blocks.append(KeyValues(items))
    blocks.append(
        Paragraph(
            "The ECB test treats the initial AUC as a constant: only the current "
            "AUC's DeLong variance enters, unlike auc_drift, which compares two "
            "estimates."
        )
    )
    return Section("Discriminatory power", blocks)


def _stability(report: Any) -> Section:
    conc = report.concentration
    psi = report.grade_psi
    low, high = psi.ci(report.alpha)
    items = {
        "Herfindahl sum of squared shares": f"{conc.herfindahl:.4f}",
        "HI (ECB normalised) / CV": f"{conc.estimate:.4f} / {conc.cv:.4f}",
        "CV at calibration; test p-value": f"{conc.initial_cv:.4f}; {conc.pvalue:.4g}",
        "grade PSI (SE, CI)": f"{float(psi.estimate):.4f} ({float(psi.se):.4f}, "
        f"{float(np.ravel(low)[0]):.4f} - {float(np.ravel(high)[0]):.4f})",
        "grade PSI chi-square p-value": f"{float(psi.pvalue):.4g}",
    }
    ref = report.reference_counts / report.reference_counts.sum()
    cur = conc.counts / conc.counts.sum()
    fig = new_figure(6.4, 3.0)
    ax = fig.add_subplot()
    x = np.arange(len(cur))
    ax.bar(x - 0.2, ref, width=0.4, color=PALETTE[0], label="calibration")
    ax.bar(x + 0.2, cur, width=0.4, color=PALETTE[1], label="current")
    ax.set_xticks(x, list(report.grades.grades))
    ax.set_xlabel("grade")
    ax.set_ylabel("share of obligors")
    ax.legend(fontsize=8, frameon=False)
    blocks: list[Any] = [KeyValues(items), Plot(fig, caption="Grade distribution")]
    blocks.append(
        Table(
            pd.DataFrame(
                {
                    "grade": list(report.grades.grades),
                    "calibration_share": ref,
                    "current_share": cur,
                }
            ),
            caption="Grade distribution",
            formats={"calibration_share": "{:.2%}", "current_share": "{:.2%}"},
        )
    )
    m = report.migration
    if m is not None:
        blocks.append(KeyValues(m.summary()))
        blocks.append(
            Table(
                m.to_frame(),
                caption="Migration matrix (row shares)",
                index=True,
                digits=3,
            )
        )
    else:
        blocks.append(Note("No migration matrix: previous grades were not given."))
    return Section("Stability", blocks)


def _tests(report: Any) -> Section:
    frame = report.to_frame()
    notes = [Note(n) for n in report.notes]
    return Section(
        "All tests",
        [
            Table(
                frame,
                caption="Every test of the run",
                highlight=(frame["light"] == "red").tolist(),
            ),
            *notes,
        ],
    )


def validation_report_html(report: Any, *, title: str | None = None) -> str:
    """Render a :class:`~monitoring.ValidationReport` as one HTML page."""
    if not hasattr(report, "grade_table") or not hasattr(report, "portfolio"):
        raise TypeError(
            f"report must be a ValidationReport; got {type(report).__name__}."
        )
    sections = [
        _summary(report),
        _calibration(report),
        _discrimination(report),
        _stability(report),
        _tests(report),
    ]
    subtitle = " · ".join(str(v) for v in (report.model_id, report.batch_id) if v)
    return render_report(
        title or "Validation report", sections, subtitle=subtitle or None
    )


def validation_history_html(
    runs: pd.DataFrame, tests: pd.DataFrame, *, title: str | None = None
) -> str:
    """Validation history: each test's p-value and light over the runs.

    Parameters
    ----------
    runs : DataFrame
        One row per run (``model_id, batch_id, as_of, light, n, defaults``).
    tests : DataFrame
        One row per test of a run (``batch_id, test, scope, grade, pvalue,
        light``).
    title : str, default=None
        Page title (default "Validation history").
    """
    return render_report(
        title or "Validation history", validation_history_sections(runs, tests)
    )


def validation_history_sections(
    runs: pd.DataFrame, tests: pd.DataFrame, *, model_id: str | None = None
) -> list[Section]:
    """The sections of :func:`validation_history_html` (also in the history page).

    ``model_id``, when given, is named in each section's title.
    """
    label = f" ({model_id})" if model_id else ""
    sections = [
        Section(f"Validation runs{label}", [Table(runs, caption="Validation runs")])
    ]
    portfolio = tests[tests["scope"] == "portfolio"]
    if not portfolio.empty:
        wide = portfolio.pivot_table(
            index="batch_id",
            columns="test",
            values="pvalue",
            aggfunc="first",
            sort=False,
        )
        fig = line_plot(
            list(wide.index),
            {c: wide[c].to_numpy() for c in wide.columns},
            hlines={"0.05": 0.05},
            xlabel="batch",
            ylabel="p-value",
        )
        sections.append(
            Section(
                f"Portfolio tests over time{label}",
                [Plot(fig), Table(wide.reset_index())],
            )
        )
    grades = tests[(tests["scope"] == "grade") & (tests["test"] == "jeffreys")]
    if not grades.empty:
        lights = grades.pivot_table(
            index="grade",
            columns="batch_id",
            values="light",
            aggfunc="first",
            sort=False,
        )
        pvals = grades.pivot_table(
            index="grade",
            columns="batch_id",
            values="pvalue",
            aggfunc="first",
            sort=False,
        )
        sections.append(
            Section(
                f"Traffic lights per grade{label}",
                [
                    Table(lights.reset_index(), caption="Light per grade and batch"),
                    Table(
                        pvals.reset_index(),
                        caption="Jeffreys p-value per grade and batch",
                    ),
                ],
            )
        )
    return sections
