"""HTML rendering of drift reports and of a history store.

Rendering only: the statistics come from :class:`~monitoring.DriftReport`
and :class:`~monitoring.HistoryStore`; the page is built with the shared kit
in :mod:`scorecard._kit.report` (one self-contained HTML file with inline SVG, no
script, no external resource).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

    from ._drift import DriftReport
    from ._store import HistoryStore

__all__ = ["drift_report_html", "history_report_html"]

#: At most this many features get their own line in the PSI-over-time plot.
MAX_LINES = 8

_STATUS_RULE = (
    "drift  : p-value < alpha  and  CI lower bound >= upper band\n"
    "watch  : not drift, p-value < alpha  and  PSI >= lower band\n"
    "stable : otherwise\n"
    "PSI = sum_j (a_j - e_j) ln(a_j / e_j);  "
    "chi-square test T = PSI / (1/n + 1/m) ~ chi2(B - 1)\n"
    "bias-corrected PSI = PSI - (1/n + 1/m)(B - 1)"
)


def _status_note(report: DriftReport) -> Note:
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


def _summary(report: DriftReport) -> Section:
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


def _stability(report: DriftReport) -> Section:
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


def _score(report: DriftReport) -> Section | None:
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


def _characteristics(report: DriftReport) -> Section | None:
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


def _performance(report: DriftReport) -> Section | None:
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


def _bins(report: DriftReport) -> Section:
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


def _method(report: DriftReport) -> Section:
    blocks: list[Any] = [Formula(_STATUS_RULE)]
    if report.notes:
        blocks.append(Paragraph("Data conditions met during the check:"))
        blocks += [Note(n, "warn") for n in report.notes]
    else:
        blocks.append(Note("No data conditions (unseen categories, zero cells).", "ok"))
    return Section("Method and data conditions", blocks)


def drift_report_html(report: DriftReport, *, title: str | None = None) -> str:
    """Render one :class:`~monitoring.DriftReport` as a self-contained page.

    Parameters
    ----------
    report : DriftReport
        The check.
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
    from ._drift import DriftReport

    if not isinstance(report, DriftReport):
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


# --------------------------------------------------------------------------
# history


def _history_section(store: HistoryStore, model_id: str) -> Section:
    runs = store.runs(model_id)
    hist = store.history(model_id)
    order = list(dict.fromkeys(runs["batch_id"]))
    low, high = float(runs["psi_low"].iloc[-1]), float(runs["psi_high"].iloc[-1])
    psi = hist.pivot(index="batch_id", columns="feature", values="psi").reindex(order)
    kinds = dict(zip(hist["feature"], hist["kind"], strict=False))
    feats = [c for c in dict.fromkeys(hist["feature"]) if kinds[c] == "feature"]
    scores = [c for c in dict.fromkeys(hist["feature"]) if kinds[c] == "score"]
    top = list(psi[feats].max().sort_values(ascending=False).index[:MAX_LINES])
    shown = [f for f in feats if f in top]
    fig = line_plot(
        order,
        {f: psi[f].to_numpy() for f in shown},
        hlines={"watch": low, "drift": high},
        xlabel="batch",
        ylabel="PSI",
    )
    caption = "PSI per feature over time."
    if len(feats) > len(shown):
        caption += (
            f" The {len(shown)} features with the largest PSI are drawn; the "
            "table below has all."
        )
    blocks: list[Any] = [Plot(fig, caption=caption)]
    for s in scores:
        rows = hist[hist["feature"] == s].set_index("batch_id").reindex(order)
        blocks.append(
            Plot(
                line_plot(
                    order,
                    {s: rows["psi"].to_numpy()},
                    bands={s: (rows["ci_low"].to_numpy(), rows["ci_high"].to_numpy())},
                    hlines={"watch": low, "drift": high},
                    xlabel="batch",
                    ylabel="PSI (CI shaded)",
                ),
                caption="Score PSI over time with its confidence interval.",
            )
        )
    status = hist.pivot(index="feature", columns="batch_id", values="status")
    status = status.reindex(index=feats + scores, columns=order)
    blocks.append(
        Table(
            status,
            caption="Status per feature (rows) and batch (columns)",
            highlight=(status == "drift").any(axis=1).tolist(),
        )
    )
    blocks.append(
        Table(
            psi.T.reindex(feats + scores),
            caption="PSI per feature (rows) and batch (columns)",
        )
    )
    shown_runs = runs[
        ["batch_id", "as_of", "status", "n_rows", "n_watch", "n_drift", "max_psi"]
    ]
    blocks.append(
        Table(
            shown_runs,
            caption="Runs",
            highlight=(shown_runs["status"] == "drift").tolist(),
        )
    )
    try:
        window = store.window_counts(model_id).drift(
            psi_bands=(low, high), alpha=float(runs["alpha"].iloc[-1])
        )
    except ValueError as exc:
        blocks.append(Note(f"No pooled window: {exc}", "info"))
    else:
        frame = window.to_frame()[
            ["psi", "se", "ci_low", "ci_high", "pvalue", "status"]
        ]
        blocks += [
            Paragraph(
                f"All {len(order)} batches pooled (recomputed from the stored bin "
                "counts, no raw data): a slow drift small in every batch can show "
                "here."
            ),
            Table(frame, highlight=(frame["status"] != "stable").tolist()),
        ]
    return Section(f"Model {model_id}", blocks)


def history_report_html(
    store: HistoryStore,
    *,
    model_id: str | None = None,
    title: str | None = None,
) -> str:
    """Render the drift history of a store: PSI per feature over time.

    Parameters
    ----------
    store : HistoryStore
        An open store.
    model_id : str, default=None
        One model; all models in the store when ``None``.
    title : str, default=None
        Page title (default: "Drift history").

    Returns
    -------
    str
        The HTML document.

    Raises
    ------
    ValueError
        If the store has no runs (of ``model_id``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from monitoring import HistoryStore, drift_from_counts
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "monitor.db"
    >>> with HistoryStore(path) as store:
    ...     for month, cur in (("2024-01", [48, 32, 20]), ("2024-02", [30, 40, 30])):
    ...         rep = drift_from_counts([[50, 30, 20]], [cur], features=["age"])
    ...         _ = store.write(rep, model_id="card", batch_id=month, as_of=month)
    ...     html = history_report_html(store)
    >>> "PSI per feature over time" in html
    True
    """
    models = store.models()
    if model_id is not None:
        if model_id not in models:
            raise ValueError(
                f"Model {model_id!r} has no runs in {str(store.path)!r}; models "
                f"are {models}."
            )
        models = [model_id]
    if not models:
        raise ValueError(f"The store {str(store.path)!r} has no runs yet.")
    overview = (
        store.runs()
        .groupby("model_id", sort=True)
        .agg(
            runs=("batch_id", "size"),
            first=("as_of", "min"),
            last=("as_of", "max"),
            drift_runs=("status", lambda s: int((s == "drift").sum())),
        )
    )
    overview = overview.loc[models]
    sections = [
        Section(
            "Overview",
            [
                Paragraph(
                    "Runs stored per model. PSI bands and alpha are those of the "
                    "latest run."
                ),
                Table(pd.DataFrame(overview)),
            ],
        )
    ]
    sections += [_history_section(store, m) for m in models]
    return render_report(
        title or "Drift history",
        sections,
        subtitle=str(store.path),
    )
