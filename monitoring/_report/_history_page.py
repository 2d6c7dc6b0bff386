"""HTML page of the drift history of a store: PSI per feature over time.

Rendering only, from plain tables: :meth:`monitoring.HistoryStore.to_html`
reads the runs, the per-feature history and the pooled window of each model
and hands them here as :class:`ModelHistory` records, so this module imports
nothing of the store (the store calls down into it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from scorecard._kit.report import (
    Note,
    Paragraph,
    Plot,
    Section,
    Table,
    line_plot,
    render_report,
)

__all__ = ["MAX_LINES", "ModelHistory", "history_report_html"]

#: At most this many features get their own line in the PSI-over-time plot.
MAX_LINES = 8


@dataclass(frozen=True)
class ModelHistory:
    """The stored history of one model, as the page needs it.

    Attributes
    ----------
    model_id : str
        The model.
    runs : DataFrame
        ``HistoryStore.runs(model_id)``.
    history : DataFrame
        ``HistoryStore.history(model_id)``.
    window : DataFrame or None
        ``to_frame()`` of the drift check of all runs pooled, or None.
    window_note : str or None
        Why there is no pooled window (when ``window`` is None).
    """

    model_id: str
    runs: pd.DataFrame
    history: pd.DataFrame
    window: pd.DataFrame | None = None
    window_note: str | None = None


def _history_section(model: ModelHistory) -> Section:
    runs, hist = model.runs, model.history
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
    if model.window is None:
        blocks.append(Note(f"No pooled window: {model.window_note}", "info"))
    else:
        frame = model.window[["psi", "se", "ci_low", "ci_high", "pvalue", "status"]]
        blocks += [
            Paragraph(
                f"All {len(order)} batches pooled (recomputed from the stored bin "
                "counts, no raw data): a slow drift small in every batch can show "
                "here."
            ),
            Table(frame, highlight=(frame["status"] != "stable").tolist()),
        ]
    return Section(f"Model {model.model_id}", blocks)


def history_report_html(
    overview: pd.DataFrame,
    models: Sequence[ModelHistory],
    *,
    subtitle: str,
    title: str | None = None,
    extra: Sequence[Section] = (),
) -> str:
    """Render the drift history of some models as one self-contained page.

    Parameters
    ----------
    overview : DataFrame
        One row per model: runs, first and last ``as_of``, drift runs.
    models : sequence of ModelHistory
        The models' sections, in order.
    subtitle : str
        Page subtitle (the store's path).
    title : str, default=None
        Page title (default: "Drift history").
    extra : sequence of Section, default=()
        Sections appended after the models' (the validation history).

    Returns
    -------
    str
        The HTML document.
    """
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
    sections += [_history_section(m) for m in models]
    sections += list(extra)
    return render_report(title or "Drift history", sections, subtitle=subtitle)
