"""The frontier section of the fairness report (a ParetoFrontier's table)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from scorecard._kit.intervals import z_critical
from scorecard._kit.report import (
    PALETTE,
    Note,
    Paragraph,
    Plot,
    Section,
    Table,
    new_figure,
)

__all__ = ["FRONTIER_REQUIRED", "FRONTIER_SHOWN", "frontier_section"]

#: Columns a frontier table must have, and the ones used when present.
FRONTIER_REQUIRED = ("eps", "auc", "air")
FRONTIER_SHOWN = (
    "eps",
    "status",
    "n_features",
    "auc",
    "auc_ci_low",
    "auc_ci_high",
    "auc_se",
    "iv",
    "iv_se",
    "demographic_iv",
    "demographic_iv_se",
    "air",
    "air_ci_low",
    "air_ci_high",
    "air_low",
    "air_high",
    "dcor2",
    "dcor2_se",
    "features",
)


def _interval(frame: pd.DataFrame, col: str, z: float) -> tuple[Any, Any] | None:
    """Interval ends of ``col`` from ``{col}_ci_low/high``, ``_low/_high`` or SE."""
    for low, high in (
        (f"{col}_ci_low", f"{col}_ci_high"),
        (f"{col}_low", f"{col}_high"),
    ):
        if low in frame and high in frame:
            return frame[low].to_numpy(float), frame[high].to_numpy(float)
    if f"{col}_se" in frame:
        mid, se = frame[col].to_numpy(float), frame[f"{col}_se"].to_numpy(float)
        return mid - z * se, mid + z * se
    return None


def frontier_section(
    frame: pd.DataFrame, operating_point: float | None, alpha: float
) -> Section:
    """The frontier section: AUC against AIR with intervals, and the table."""
    z = z_critical(alpha)
    level = round(100 * (1 - alpha))
    shown = [c for c in FRONTIER_SHOWN if c in frame.columns]
    chosen = (
        np.isclose(frame["eps"].to_numpy(float), operating_point)
        if operating_point is not None
        else np.zeros(len(frame), bool)
    )
    status = frame["status"] if "status" in frame else pd.Series("optimal", frame.index)
    solved = frame["auc"].notna() & frame["air"].notna()
    fig = new_figure(6.4, 4.2)
    ax = fig.add_subplot()
    ok = frame[solved].sort_values("eps")  # the sweep, in eps order
    xerr = _interval(ok, "air", z)
    yerr = _interval(ok, "auc", z)
    air, auc = ok["air"].to_numpy(float), ok["auc"].to_numpy(float)
    ax.errorbar(
        air,
        auc,
        xerr=None
        if xerr is None
        else np.abs(np.vstack([air - xerr[0], xerr[1] - air])),
        yerr=None
        if yerr is None
        else np.abs(np.vstack([auc - yerr[0], yerr[1] - auc])),
        fmt="o-",
        color=PALETTE[0],
        ecolor="#8fb8d8",
        capsize=2,
        markersize=4,
        label="frontier (eps sweep)",
    )
    nonopt = solved & (status != "optimal")
    if nonopt.any():
        ax.scatter(
            frame.loc[nonopt, "air"],
            frame.loc[nonopt, "auc"],
            marker="s",
            facecolors="none",
            edgecolors=PALETTE[4],
            s=60,
            label="not proven optimal",
            zorder=4,
        )
    if chosen.any():
        ax.scatter(
            frame.loc[chosen, "air"],
            frame.loc[chosen, "auc"],
            marker="*",
            color=PALETTE[1],
            s=160,
            zorder=5,
            label="operating point",
        )
    ax.axvline(0.8, color="#666666", linestyle="--", linewidth=1)
    ax.set_xlabel(f"adverse impact ratio ({level}% CI)")
    ax.set_ylabel("held-out AUC")
    ax.grid(color="#e5e5e5")
    ax.legend(fontsize=8, frameon=False)
    blocks: list[Any] = [
        Paragraph(
            "Each point is a scorecard refitted on the features and binnings the "
            "MIP chose under a demographic-IV budget eps, evaluated on held-out "
            f"data. Error bars are {level}% intervals; points nearer AIR = 1 are "
            "nearer "
            "parity, points higher are more accurate."
        ),
        Plot(fig, caption="AUC against adverse impact ratio; dashed line: 0.8."),
        Table(frame[shown], caption="Frontier", highlight=chosen.tolist()),
    ]
    unsolved = int((~solved).sum())
    if unsolved:
        blocks.insert(
            1,
            Note(f"{unsolved} eps value(s) had no solution (see status).", "warn"),
        )
    return Section("Accuracy-fairness frontier", blocks, id="frontier")
