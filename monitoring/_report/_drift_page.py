"""HTML page of one drift check.

Rendering only. The page reads a report through :class:`DriftPage`, the
protocol of what it needs (``DriftReport`` satisfies it), so this module
imports nothing of the drift statistics: ``DriftReport.to_html`` calls down
into it, never the other way round. The page is built with the shared kit in
:mod:`scorecard._kit.report` (one self-contained HTML file with inline SVG, no
script, no external resource).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

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
    errorbar_plot,
    line_plot,
    new_figure,
    render_report,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure
    from numpy.typing import NDArray

__all__ = ["DriftPage", "drift_report_html"]


class _Row(Protocol):
    """One feature (or score) row of a report."""

    @property
    def feature(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def estimate(self) -> float: ...
    @property
    def bins(self) -> tuple[str, ...]: ...
    @property
    def reference_counts(self) -> NDArray[np.float64]: ...
    @property
    def current_counts(self) -> NDArray[np.float64]: ...
    def to_frame(self) -> pd.DataFrame: ...


class _Framed(Protocol):
    """A result with a table at a level ``alpha`` (IV, AUC, bad-rate drift)."""

    def to_frame(self, alpha: float = ...) -> pd.DataFrame: ...


class _Shift(Protocol):
    """The characteristic analysis."""

    def summary(self, alpha: float = ...) -> pd.DataFrame: ...
    def ci(self, alpha: float = ...) -> NDArray[np.float64]: ...


@runtime_checkable
class DriftPage(Protocol):
    """What the drift page reads of a report (:class:`~monitoring.DriftReport`)."""

    @property
    def features(self) -> Sequence[_Row]: ...
    @property
    def psi_bands(self) -> tuple[float, float]: ...
    @property
    def alpha(self) -> float: ...
    @property
    def reference(self) -> str: ...
    @property
    def model_id(self) -> str | None: ...
    @property
    def batch_id(self) -> str | None: ...
    @property
    def created_at(self) -> str | None: ...
    @property
    def n_rows(self) -> int | None: ...
    @property
    def status(self) -> str: ...
    @property
    def drifted(self) -> tuple[str, ...]: ...
    @property
    def notes(self) -> tuple[str, ...]: ...
    @property
    def iv(self) -> _Framed | None: ...
    @property
    def auc(self) -> _Framed | None: ...
    @property
    def bad_rate(self) -> _Framed | None: ...
    @property
    def characteristics(self) -> _Shift | None: ...
    def to_frame(self) -> pd.DataFrame: ...


_STATUS_RULE = (
    "drift  : p-value < alpha  and  CI lower bound >= upper band\n"
    "watch  : not drift, p-value < alpha  and  PSI >= lower band\n"
    "stable : otherwise\n"
    "PSI = sum_j (a_j - e_j) ln(a_j / e_j);  "
    "chi-square test T = PSI / (1/n + 1/m) ~ chi2(B - 1)\n"
    "bias-corrected PSI = PSI - (1/n + 1/m)(B - 1)"
)


def _status_note(report: DriftPage) -> Note:
    watch = [f.feature for f in report.features if f.status == "watch"]
    drift = list(report.drifted)
    if drift:
        text = f"Drift: {', '.join(drift)}."
        if watch:
            text += f" Watch: {', '.join(watch)}."
        return Note(text, "warn")
    if watch:
        return Note(f"Watch (a real but moderate change): {', '.join(watch)}.", "info")
    return Note(
        "Stable: no feature or score shows a material, significant change.", "ok"
    )


def _shares_plot(row: Any, title: str) -> Figure:
    """Grouped bars of reference and current shares per bin of one row."""
    used = (row.reference_counts + row.current_counts) > 0
    labels = [b for b, u in zip(row.bins, used, strict=True) if u]
    ref = row.reference_counts[used] / row.reference_counts.sum()
    cur = row.current_counts[used] / row.current_counts.sum()
    fig = new_figure(6.4, 3.2)
    ax = fig.add_subplot()
    x = np.arange(len(labels))
    ax.bar(x - 0.2, ref, width=0.4, color=PALETTE[0], label="reference")
    ax.bar(x + 0.2, cur, width=0.4, color=PALETTE[1], label="current")
    ax.set_xticks(x, labels, rotation=30, ha="right", fontsize=7)
    ax.set_ylabel("share of rows")
    ax.grid(axis="y", color="#e5e5e5")
    ax.set_axisbelow(True)
    ax.legend(fontsize=8, frameon=False)
    ax.set_title(title, loc="left", fontsize=10)
    return fig


def _summary(report: DriftPage) -> Section:
    frame = report.to_frame()
    counts = frame["status"].value_counts()
    items = {
        "model": report.model_id,
        "batch": report.batch_id,
        "checked at (UTC)": report.created_at,
        "rows in batch": report.n_rows,
        "overall status": report.status,
        "features stable / watch / drift": " / ".join(
            str(int(counts.get(s, 0))) for s in ("stable", "watch", "drift")
        ),
        "PSI bands (watch, drift)": f"{report.psi_bands[0]:g}, {report.psi_bands[1]:g}",
        "alpha": report.alpha,
        "reference counts": (
            "a sample (both variance terms)"
            if report.reference == "sample"
            else "fixed (the population)"
        ),
        "labels": "yes" if report.auc is not None or report.iv is not None else "no",
    }
    return Section("Summary", [_status_note(report), KeyValues(items)])


def _stability(report: DriftPage) -> Section:
    frame = report.to_frame()
    flagged = (frame["status"] != "stable").tolist()
    fig = errorbar_plot(
        list(frame.index),
        frame["psi"],
        low=frame["ci_low"],
        high=frame["ci_high"],
        reference=report.psi_bands[1],
        xlabel=f"PSI with {100 * (1 - report.alpha):g}% CI (dashed: drift band)",
        highlight=flagged,
    )
    return Section(
        "Population stability",
        [
            Paragraph(
                "PSI between the training (reference) bin shares and the batch's "
                "shares over the model's own bins, per feature and for the score "
                "(training score deciles). A status needs both evidence (the "
                "chi-square test of no change rejects) and magnitude (bands)."
            ),
            Plot(fig, caption="PSI per feature and for the score, with its CI."),
            Table(frame.drop(columns=["kind"]), highlight=flagged),
        ],
    )


def _score(report: DriftPage) -> Section | None:
    rows = [f for f in report.features if f.kind == "score"]
    if not rows:
        return None
    row = rows[0]
    table = row.to_frame().drop(columns=["feature"])
    table = table[(table["reference"] + table["current"]) > 0]
    return Section(
        "Score distribution",
        [
            Plot(
                _shares_plot(row, f"{row.feature}: share per training decile"),
                caption="Reference and current share of rows per score band.",
            ),
            Table(table, caption=f"{row.feature}: per-bin table"),
        ],
    )


def _characteristics(report: DriftPage) -> Section | None:
    chars = report.characteristics
    if chars is None:
        return None
    summary = chars.summary(report.alpha)
    ci = chars.ci(report.alpha)
    flagged = (summary["pvalue"] < report.alpha).fillna(False).tolist()
    fig = errorbar_plot(
        list(summary.index),
        summary["shift"],
        low=ci[:, 0],
        high=ci[:, 1],
        reference=0.0,
        xlabel=f"shift of mean points with {100 * (1 - report.alpha):g}% CI",
        highlight=flagged,
    )
    return Section(
        "Characteristic analysis",
        [
            Paragraph(
                "Change of the mean points each feature contributes, "
                "sum_j (a_j - e_j) * points_j: how much of the score's move "
                "comes from each feature (negative = applicants lose points)."
            ),
            Plot(fig),
            Table(summary, highlight=flagged),
        ],
    )


def _performance(report: DriftPage) -> Section | None:
    blocks: list[Any] = []
    if report.auc is not None:
        blocks += [
            Paragraph(
                "AUC of the score now vs in training with DeLong SEs. Both AUCs "
                "are computed on the same training score deciles (rows in one "
                "decile count as ties), so the difference is not an artefact of "
                "binning; binned AUCs are slightly below raw-score AUCs."
            ),
            Table(report.auc.to_frame(report.alpha), caption="AUC (DeLong)"),
        ]
    if report.iv is not None:
        iv = report.iv.to_frame(report.alpha)
        blocks.append(
            Table(
                iv,
                caption="Information value now vs reference (delta-method SEs)",
                highlight=(iv["pvalue"] < report.alpha).fillna(False).tolist(),
            )
        )
    if report.bad_rate is not None:
        br = report.bad_rate.to_frame(report.alpha)
        fig = line_plot(
            [str(b) for b in br.index],
            {
                "reference": br["bad_rate_reference"],
                "current": br["bad_rate_current"],
            },
            bands={
                "reference": (
                    br["bad_rate_reference_low"],
                    br["bad_rate_reference_high"],
                ),
                "current": (br["bad_rate_current_low"], br["bad_rate_current_high"]),
            },
            xlabel="score band (training deciles)",
            ylabel="bad rate (Wilson CI)",
        )
        blocks += [
            Plot(fig, caption="Bad rate per score band, reference and current."),
            Table(
                br[
                    [
                        "n_reference",
                        "bad_rate_reference",
                        "n_current",
                        "bad_rate_current",
                        "difference",
                        "ci_low",
                        "ci_high",
                        "pvalue",
                    ]
                ],  # fmt: skip
                caption="Bad rate by score band (Wald CI of the difference)",
                highlight=(br["pvalue"] < report.alpha).fillna(False).tolist(),
            ),
        ]
    if not blocks:
        return None
    return Section("Performance", blocks)


def _bins(report: DriftPage) -> Section:
    nested = []
    for f in report.features:
        table = f.to_frame().drop(columns=["feature"])
        nested.append(
            Section(
                f"{f.feature} ({f.status}, PSI {f.estimate:.4f})",
                [Table(table, highlight=table["smoothed"].tolist())],
                id=None,
            )
        )
    return Section(
        "Bins",
        [
            Paragraph(
                "Per-bin counts, shares, log ratio ln(a/e) and PSI contribution "
                "(highlighted: a zero cell was smoothed)."
            ),
            *nested,
        ],
    )


def _method(report: DriftPage) -> Section:
    blocks: list[Any] = [Formula(_STATUS_RULE)]
    if report.notes:
        blocks.append(Paragraph("Data conditions met during the check:"))
        blocks += [Note(n, "warn") for n in report.notes]
    else:
        blocks.append(Note("No data conditions (unseen categories, zero cells).", "ok"))
    return Section("Method and data conditions", blocks)


def drift_report_html(report: DriftPage, *, title: str | None = None) -> str:
    """Render one :class:`~monitoring.DriftReport` as a self-contained page.

    Parameters
    ----------
    report : DriftReport
        The check (anything with the attributes of :class:`DriftPage`).
    title : str, default=None
        Page title (default: "Drift report").

    Returns
    -------
    str
        The HTML document (inline SVG, no script or external resource).

    Raises
    ------
    TypeError
        If ``report`` is not a DriftReport.

    Examples
    --------
    >>> from monitoring import drift_from_counts
    >>> rep = drift_from_counts([[50, 30, 20]], [[45, 35, 20]], features=["age"])
    >>> html = drift_report_html(rep)
    >>> html.startswith("<!DOCTYPE html>") and "Population stability" in html
    True
    """
    if not isinstance(report, DriftPage):
        raise TypeError(f"report must be a DriftReport; got {type(report).__name__}.")
    sections = [
        _summary(report),
        _stability(report),
        _score(report),
        _characteristics(report),
        _performance(report),
        _bins(report),
        _method(report),
    ]
    subtitle = f"model {report.model_id or '-'} | batch {report.batch_id or '-'}"
    return render_report(
        title or "Drift report",
        [s for s in sections if s is not None],
        subtitle=subtitle,
    )
