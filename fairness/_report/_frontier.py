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
    "demographic_iv_ci_low",
    "demographic_iv_ci_high",
    "air",
    "air_ci_low",
    "air_ci_high",
    "air_low",
    "air_high",
    "dcor2",
    "dcor2_se",
    "cutoff_points",
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


def _mark_points(
    ax: Any, frame: pd.DataFrame, nonopt: Any, chosen: Any, level: int
) -> None:
    """Points not proven optimal, the operating point, the 0.8 line, labels."""
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


def _other_models(ax: Any, models: pd.DataFrame) -> Table:
    """Other models' (held-out AUC, AIR) points on the axes, and their table."""
    for i, (_, row) in enumerate(models.iterrows()):
        ax.scatter(
            [row["air"]],
            [row["auc"]],
            marker="D^vPX"[i % 5],
            color=PALETTE[(i + 2) % len(PALETTE)],
            s=60,
            zorder=6,
            label=str(row["label"]),
        )
    out = pd.DataFrame({"model": models["label"].astype(str).to_numpy()})
    for col, label in (("auc", "AUC"), ("air", "AIR")):
        low_col = "auc_ci_low" if col == "auc" else "air_low"
        high_col = "auc_ci_high" if col == "auc" else "air_high"
        mid = models[col].to_numpy(float)
        if low_col in models and high_col in models:
            low = models[low_col].to_numpy(float)
            high = models[high_col].to_numpy(float)
            out[label] = [
                f"{m:.4f} [{lo:.4f}, {hi:.4f}]" if np.isfinite(lo) else f"{m:.4f}"
                for m, lo, hi in zip(mid, low, high, strict=True)
            ]
        else:
            out[label] = [f"{m:.4f}" for m in mid]
    return Table(out, caption="Other models on the same held-out rows")


def frontier_section(
    frame: pd.DataFrame,
    operating_point: float | None,
    alpha: float,
    models: pd.DataFrame | None = None,
) -> Section:
    """The frontier section: AUC against AIR with intervals, and the table.

    ``models`` (columns ``label``, ``auc``, ``air``, optionally
    ``auc_ci_low/high``, ``air_low/high``; e.g.
    :meth:`fairness.ParetoFrontier.model_points`) adds other models' points
    to the plot and a table of them.
    """
    z = z_critical(alpha)
    level = round(100 * (1 - alpha))
    hidden = 0
    if "dominated" in frame:
        keep = ~frame["dominated"].fillna(False).astype(bool)
        if operating_point is not None:
            keep |= np.isclose(frame["eps"].to_numpy(float), operating_point)
        hidden = int((~keep).sum())
        frame = frame[keep].reset_index(drop=True)
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
    others = None
    if models is not None and len(models):
        missing = [c for c in ("label", "auc", "air") if c not in models]
        if missing:
            raise ValueError(
                f"frontier models lack the columns {missing}; they need label, "
                "auc and air."
            )
        others = _other_models(ax, models)
    _mark_points(ax, frame, solved & (status != "optimal"), chosen, level)
    blocks: list[Any] = [
        Paragraph(
            "Each point is a scorecard whose features, binnings and "
            "sign-constrained weights maximise its normal-theory information "
            "value on the training rows under a budget on its normal-theory "
            "demographic IV (the largest one-vs-rest value over the groups), "
            "refitted on the training rows and evaluated on held-out rows. The "
            "budget bounds that training approximation only; the held-out "
            "demographic IV is measured (bias-corrected, with its interval), not "
            f"bounded. Error bars are {level}% intervals; points nearer AIR = 1 "
            "are nearer parity, points higher are more accurate; the cutoff is "
            "in scorecard points."
        ),
        Plot(fig, caption="AUC against adverse impact ratio; dashed line: 0.8."),
        Table(
            _compact(frame, z),
            caption="Frontier (held-out values; budget: training bound)",
            highlight=chosen.tolist(),
        ),
    ]
    if others is not None:
        blocks.append(others)
    if hidden:
        blocks.insert(
            1,
            Note(
                f"{hidden} point(s) dominated on the held-out rows (another point "
                "has at least the AUC and at most the demographic IV) are hidden.",
                "info",
            ),
        )
    unsolved = int((~solved).sum())
    if unsolved:
        blocks.insert(
            1,
            Note(f"{unsolved} budget value(s) had no solution (see status).", "warn"),
        )
    return Section("Accuracy-fairness frontier", blocks, id="frontier")


def _fmt(mid: Any, low: Any, high: Any) -> list[str]:
    return [
        "" if not np.isfinite(m) else f"{m:.4f} [{lo:.4f}, {hi:.4f}]"
        for m, lo, hi in zip(mid, low, high, strict=True)
    ]


def _compact(frame: pd.DataFrame, z: float) -> pd.DataFrame:
    """The frontier table with intervals folded into their columns (narrow)."""
    out = pd.DataFrame({"budget": frame["eps"].to_numpy(float)})
    for col, label in (("status", "status"), ("n_features", "features (n)")):
        if col in frame:
            out[label] = frame[col].to_numpy()
    if "features" in frame:
        out["feature set"] = frame["features"].to_numpy()
    for col, label in (
        ("auc", "AUC"),
        ("demographic_iv", "demographic IV"),
        ("air", "AIR"),
    ):
        bounds = _interval(frame, col, z)
        mid = frame[col].to_numpy(float)
        out[label] = (
            _fmt(mid, *bounds)
            if bounds is not None
            else [f"{v:.4f}" if np.isfinite(v) else "" for v in mid]
        )
    if "cutoff_points" in frame:
        out["cutoff (points)"] = frame["cutoff_points"].round(0).to_numpy()
    return out
