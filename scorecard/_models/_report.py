"""The HTML scorecard report (rendering only; statistics come from the model)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._kit.report import (
    Formula,
    KeyValues,
    Note,
    Paragraph,
    Plot,
    Section,
    Table,
    errorbar_plot,
    ks_plot,
    render_report,
    roc_plot,
)
from .._stats._auc import delong_auc, ks_statistic

__all__ = ["scorecard_report"]


def _evaluation(
    card: Any, data: dict[str, tuple[Any, Any]]
) -> tuple[pd.DataFrame, dict[str, tuple[np.ndarray, np.ndarray]]]:
    rows, curves = [], {}
    for label, (X, y) in data.items():
        y01 = (np.asarray(y) == card.classes_[1]).astype(int)
        score = card.predict_score(X)
        auc = delong_auc(y01, score, higher="good")
        low, high = auc.ci()
        rows.append(
            {
                "data": label,
                "n": len(y01),
                "bad rate": y01.mean(),
                "AUC": auc.estimate,
                "AUC se": auc.se,
                "AUC ci_low": low,
                "AUC ci_high": high,
                "Gini": auc.gini,
                "KS": ks_statistic(y01, score),
            }
        )
        curves[label] = (y01, score)
    return pd.DataFrame(rows), curves


def scorecard_report(
    card: Any,
    *,
    data: dict[str, tuple[Any, Any]] | None = None,
    title: str = "Scorecard report",
    subtitle: str | None = None,
    alpha: float = 0.05,
) -> str:
    """Render a fitted scorecard as one self-contained HTML page.

    Parameters
    ----------
    card : Scorecard
        A fitted WoE scorecard (or one loaded from an artifact).
    data : dict of str to (X, y), default=None
        Labelled data sets to evaluate (e.g. ``{"train": (X, y), "test":
        (X_test, y_test)}``) for the ROC and KS plots and the performance
        table; without it the training AUC, KS and Gini stored in the model
        are shown.
    title, subtitle : str
        Page heading and the line under it.
    alpha : float, default=0.05
        One minus the confidence level of the intervals.

    Returns
    -------
    str
        The HTML document (inline SVG, no scripts, nothing fetched).
    """
    summary = card.summary()
    info = card.information_table(alpha=alpha)
    sections = []

    overview: list[Any] = [
        KeyValues(
            {
                "training rows": summary.n,
                "training AUC": summary.auc.estimate,
                "training AUC SE (DeLong)": summary.auc.se,
                "training Gini": summary.gini,
                "training KS": summary.ks,
                "features in model": int(info["in_model"].sum()),
                "scaling": f"{card.base_score} points at odds {card.base_odds}:1, "
                f"{card.pdo} points to double the odds",
            }
        )
    ]
    if card.excluded_features_:
        overview.append(
            Note(f"Left out of the regression: {card.excluded_features_}", "warn")
        )
    if data:
        perf, curves = _evaluation(card, data)
        overview.append(Table(perf, caption="Discrimination (DeLong SE and CI)"))
        first = next(iter(curves))
        overview.append(Plot(roc_plot(curves), caption="ROC curves"))
        overview.append(
            Plot(ks_plot(*curves[first]), caption=f"KS plot ({first} data)")
        )
    sections.append(Section("Model summary", overview))

    iv_plot = errorbar_plot(
        list(info.index),
        info["iv"].to_numpy(),
        low=info["ci_low"].to_numpy(),
        high=info["ci_high"].to_numpy(),
        xlabel="IV (95% Wald CI)",
        title="Information value",
    )
    sections.append(
        Section(
            "Information table",
            [
                Paragraph(
                    "IV of every feature's final binning with its delta-method "
                    "standard error, Wald interval and the chi-square test of no "
                    "information, T = nG nB / (nG + nB) IV ~ chi2(J - 1)."
                ),
                Plot(iv_plot),
                Table(info.reset_index()),
            ],
        )
    )
    sections.append(
        Section(
            "Coefficients",
            [
                Paragraph(
                    "Binomial GLM (statsmodels) of bad on the encoded features; "
                    "SEs are conditional on the bins."
                ),
                Table(summary.coefficients.reset_index()),
            ],
        )
    )
    points = card.points_table()
    sections.append(Section("Points table", [Table(points)]))

    feature_sections = []
    for name in card.bins_:
        table = card.binning_table(name, alpha=alpha)
        bins = table[table["bin"] != "Totals"]
        shown = bins[bins["count"] > 0]
        blocks: list[Any] = []
        if len(shown) >= 2 and shown["se"].notna().all():
            blocks.append(
                Plot(
                    errorbar_plot(
                        list(shown["bin"]),
                        shown["woe"].to_numpy(),
                        se=shown["se"].to_numpy(),
                        z=1.96,
                        reference=0.0,
                        xlabel="WoE (95% CI)",
                        title=str(name),
                    )
                )
            )
        blocks.append(Table(table))
        feature_sections.append(Section(str(name), blocks))
    sections.append(Section("Binning tables", feature_sections))
    sections.append(
        Section(
            "Methodology",
            [
                Formula(
                    "WoE_j = ln(p_j / q_j),  p_j = goods_j / n_G,  q_j = bads_j / n_B"
                ),
                Formula(
                    "Var(WoE_j) = 1/g_j - 1/n_G + 1/b_j - 1/n_B   (product multinomial)"
                ),
                Formula("IV = sum_j (p_j - q_j) ln(p_j / q_j)"),
                Formula(
                    "score = base_score - pdo/ln2 * (ln(base_odds) + logit P(bad))"
                ),
                Paragraph(
                    "Bins come from depth-1 XGBoost stumps fitted on each feature's "
                    "pre-bin count table, merged by an exact dynamic program that "
                    "maximises IV under the minimum bin size, bin count and trend "
                    "constraints. Missing values and special values have their own "
                    "bins; categories unseen in training get the neutral WoE 0."
                ),
            ],
        )
    )
    return render_report(title, sections, subtitle=subtitle)
