"""The HTML scorecard report (rendering only; statistics come from the model).

Every additive scorecard offers ``to_html(path=None, *, data=None, alpha=0.05,
title=None, subtitle=None)`` through :class:`ScorecardReportMixin`; each model
says which sections it has with ``_report_sections``, built here from the
shared pieces (the model summary with the discrimination on labelled data, the
points table) and its own (information table, coefficients, binning tables,
monotone constraints, methodology). Every interval, axis label, caption and
line of text follows ``alpha``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._kit.intervals import check_alpha, wald_interval
from .._kit.report import (
    Formula,
    KeyValues,
    Note,
    Paragraph,
    Plot,
    Section,
    Table,
    errorbar_plot,
    format_number,
    render_report,
)
from .._kit.validation import check_binary_target
from .._stats._auc import delong_auc, ks_statistic
from ._gains import GainsTableMixin, gains_edges, gains_table
from ._plots import binning_plot, ks_plot, roc_plot

__all__ = [
    "ScorecardReportMixin",
    "boosted_sections",
    "confidence_label",
    "decisions_section",
    "gains_section",
    "points_section",
    "scorecard_report",
    "summary_section",
    "woe_scorecard_sections",
]

Data = dict[str, tuple[Any, Any]]


def confidence_label(alpha: float) -> str:
    """The confidence level of ``alpha`` as text: ``0.05 -> "95%"``.

    Examples
    --------
    >>> confidence_label(0.05), confidence_label(0.1), confidence_label(0.001)
    ('95%', '90%', '99.9%')
    """
    return f"{round(100 * (1 - alpha), 10):g}%"


class ScorecardReportMixin(GainsTableMixin):
    """``to_html`` (the one report shape of the scorecards) and ``gains_table``.

    A subclass implements ``_report_sections(data, alpha)`` returning the
    report's sections, and may set ``_report_title``.
    """

    _report_title = "Scorecard report"

    def _report_sections(self, data: Data | None, alpha: float) -> list[Section]:
        raise NotImplementedError

    def to_html(
        self,
        path: str | Path | None = None,
        *,
        data: Data | None = None,
        alpha: float = 0.05,
        title: str | None = None,
        subtitle: str | None = None,
    ) -> str:
        """Render the fitted scorecard as one self-contained HTML page.

        Parameters
        ----------
        path : str or Path, default=None
            Also write the page here (UTF-8).
        data : dict of str to (X, y), default=None
            Labelled data sets to evaluate (e.g. ``{"train": (X, y), "test":
            (X_test, y_test)}``): the discrimination table shows them side by
            side (one column each), with ROC and KS plots and one gains table
            each on the score bands of the first data set; ``y`` uses the
            labels of the training target (``classes_[1]`` is bad).
        alpha : float, default=0.05
            One minus the confidence level of every interval in the report.
        title : str, default=None
            Page heading (default: "Scorecard report" or "Boosted scorecard
            report").
        subtitle : str, default=None
            Line under the heading (data set, date, model id).

        Returns
        -------
        str
            The HTML document (inline SVG, no scripts, nothing fetched).

        Raises
        ------
        ValueError
            If ``alpha`` is not in (0, 1), or a target in ``data`` is not
            binary in the labels of the training target.
        """
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "bin_margins_")
        alpha = check_alpha(alpha)
        html = render_report(
            title if title is not None else self._report_title,
            self._report_sections(data, alpha),
            subtitle=subtitle,
        )
        if path is not None:
            Path(path).write_text(html, encoding="utf-8")
        return html


def scorecard_report(
    card: Any,
    *,
    data: Data | None = None,
    title: str = "Scorecard report",
    subtitle: str | None = None,
    alpha: float = 0.05,
) -> str:
    """Render a fitted scorecard as one self-contained HTML page.

    The same page as ``card.to_html(data=data, alpha=alpha, title=title,
    subtitle=subtitle)``.

    Parameters
    ----------
    card : Scorecard or BoostedScorecard
        A fitted scorecard (or one loaded from an artifact).
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

    Raises
    ------
    TypeError
        If ``card`` is not a scorecard.
    """
    if not isinstance(card, ScorecardReportMixin):
        raise TypeError(
            f"card must be a Scorecard or BoostedScorecard; got {type(card).__name__}."
        )
    return card.to_html(data=data, alpha=alpha, title=title, subtitle=subtitle)


# --------------------------------------------------------------------------
# shared sections


def _scored(card: Any, data: Data) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each labelled data set as (0/1 target, points), in the training labels."""
    scored = {}
    bad = card.classes_[1]
    bad = bad.item() if isinstance(bad, np.generic) else bad
    for label, (X, y) in data.items():
        y01 = check_binary_target(
            y, bad_value=bad, name=f"the target of data[{label!r}]"
        ).y01
        scored[str(label)] = (y01, card.predict_score(X))
    return scored


def _evaluation(
    scored: dict[str, tuple[np.ndarray, np.ndarray]], alpha: float
) -> pd.DataFrame:
    """Discrimination of every data set side by side: one column per data set."""
    level = confidence_label(alpha)
    columns = {}
    for label, (y01, score) in scored.items():
        auc = delong_auc(y01, score, higher="good")
        low, high = auc.ci(alpha)
        columns[label] = {
            "rows": int(y01.size),
            "bads": int(y01.sum()),
            "bad rate": float(y01.mean()),
            "AUC": auc.estimate,
            "AUC SE (DeLong)": auc.se,
            f"AUC {level} CI low": low,
            f"AUC {level} CI high": high,
            "Gini": auc.gini,
            f"Gini {level} CI low": 2 * low - 1,
            f"Gini {level} CI high": 2 * high - 1,
            "KS (no interval)": ks_statistic(y01, score),
        }
    # one object column per data set: counts stay integers, rates floats
    first = next(iter(columns.values()))
    index = pd.Index(list(first), name="metric")
    return pd.DataFrame(
        {
            label: pd.Series(list(values.values()), index=index, dtype=object)
            for label, values in columns.items()
        }
    )


def _scaling(card: Any) -> str:
    return (
        f"{card.base_score:,.10g} points at odds {card.base_odds:,.10g}:1, "
        f"{card.pdo:,.10g} points to double the odds"
    )


def summary_section(
    card: Any,
    items: dict[str, Any],
    data: Data | None,
    alpha: float,
    notes: tuple[Note, ...] = (),
) -> Section:
    """The "Model summary" section: key figures, notes, discrimination on ``data``."""
    level = confidence_label(alpha)
    overview: list[Any] = [KeyValues(items), *notes]
    if data:
        scored = _scored(card, data)
        overview.append(
            Table(
                _evaluation(scored, alpha),
                caption=(
                    f"Discrimination by data set (DeLong SE and {level} CI of the "
                    "AUC; Gini = 2 AUC - 1 with the same interval)"
                ),
            )
        )
        overview.append(
            Paragraph(
                "KS is shown without an interval: its sampling distribution has "
                "no simple form under a real difference of the score "
                "distributions; compare data sets by the AUC intervals."
            )
        )
        first = next(iter(scored))
        overview.append(Plot(roc_plot(scored), caption="ROC curves"))
        overview.append(
            Plot(ks_plot(*scored[first]), caption=f"KS plot ({first} data)")
        )
    return Section("Model summary", overview)


#: Gains-table columns shown in the report (the band label replaces the edges).
_GAINS_SHOWN = [
    "band",
    "count",
    "goods",
    "bads",
    "bad_rate",
    "bad_rate_ci_low",
    "bad_rate_ci_high",
    "cum_share",
    "cum_goods_share",
    "cum_bads_share",
    "cum_bad_rate",
    "ks",
    "lift",
    "cum_lift",
]


def gains_section(card: Any, data: Data, alpha: float, bands: int = 10) -> Section:
    """The "Gains tables" section: one table per data set on shared score bands."""
    level = confidence_label(alpha)
    scored = _scored(card, data)
    first = next(iter(scored))
    edges = gains_edges(scored[first][1], bands)
    blocks: list[Any] = [
        Paragraph(
            f"Score bands are the {bands} quantile bands of the {first} scores "
            f"(edges at round numbers between observed scores; tied scores give "
            f"fewer bands), used for every data set so the tables compare. "
            "Rows run from the riskiest band (lowest score: a higher score means "
            "lower risk) to the safest; cumulative columns add the bands from the "
            f"riskiest one. Bad rates carry {level} Jeffreys intervals; ks is "
            "cum_bads_share - cum_goods_share; lift is the band's bad rate over "
            "the overall bad rate."
        )
    ]
    for label, (y01, score) in scored.items():
        table = gains_table(y01, score, bands=edges, alpha=alpha)
        blocks.append(
            Section(
                f"Gains table: {label}",
                [
                    Table(
                        table[_GAINS_SHOWN],
                        caption=(
                            f"{label}: bad rate with {level} Jeffreys CI; banded KS "
                            f"{format_number(table.attrs['ks'])}"
                        ),
                    )
                ],
            )
        )
    return Section("Gains tables", blocks)


def decisions_section(card: Any) -> Section | None:
    """The "Feature decisions" section, when the model records them."""
    decisions = getattr(card, "feature_decisions_", None)
    if not isinstance(decisions, pd.DataFrame) or decisions.empty:
        return None
    flagged = None
    if "status" in decisions.columns:
        flagged = list(decisions["status"].astype(str) != "selected")
    return Section(
        "Feature decisions",
        [
            Paragraph(
                "Every input feature with what happened to it (selected, "
                "constrained or dropped), the step that decided it and why."
            ),
            Table(decisions.reset_index(drop=True), highlight=flagged),
        ],
    )


def _one_decimal(value: Any) -> str:
    """Points to one decimal, without a negative zero."""
    return f"{round(float(value), 1) + 0.0:,.1f}"


def points_section(card: Any) -> Section:
    """The "Points table" section (points to 1 decimal, or integers if rounded)."""
    table = card.points_table()
    formats: dict[str, Any] = {}
    if not getattr(card, "rounding", False):
        formats["points"] = _one_decimal
    return Section("Points table", [Table(table, formats=formats)])


# --------------------------------------------------------------------------
# the WoE scorecard


def _woe_summary_items(card: Any, alpha: float) -> dict[str, Any]:
    summary = card.summary()
    info = card.information_table(alpha=alpha)
    low, high = summary.auc.ci(alpha)
    n = float(summary.n)  # the summed weights: a whole number without weights
    return {
        "training rows": int(n) if n.is_integer() else round(n, 1),
        "training AUC": summary.auc.estimate,
        "training AUC SE (DeLong)": summary.auc.se,
        f"training AUC {confidence_label(alpha)} CI": f"[{low:.4f}, {high:.4f}]",
        "training Gini": summary.gini,
        "training KS": summary.ks,
        "features in model": int(info["in_model"].sum()),
        "scaling": _scaling(card),
    }


def _information_section(card: Any, alpha: float) -> Section:
    level = confidence_label(alpha)
    info = card.information_table(alpha=alpha)
    iv_plot = errorbar_plot(
        list(info.index),
        info["iv"].to_numpy(),
        low=info["ci_low"].to_numpy(),
        high=info["ci_high"].to_numpy(),
        xlabel=f"IV ({level} Wald CI)",
        title="Information value",
    )
    return Section(
        "Information table",
        [
            Paragraph(
                "IV of every feature's final binning with its delta-method "
                f"standard error, {level} Wald interval and the chi-square test of "
                "no information, T = nG nB / (nG + nB) IV ~ chi2(J - 1)."
            ),
            Plot(iv_plot),
            Table(info.reset_index(), caption=f"IV with SE and {level} Wald CI"),
        ],
    )


def _coefficients_section(card: Any, alpha: float) -> Section:
    level = confidence_label(alpha)
    table = card.coefficients_.copy()
    ci = wald_interval(table["coef"].to_numpy(), table["se"].to_numpy(), alpha)
    table["ci_low"], table["ci_high"] = ci[:, 0], ci[:, 1]
    return Section(
        "Coefficients",
        [
            Paragraph(
                "Binomial GLM (statsmodels) of bad on the encoded features; "
                f"SEs are conditional on the bins; {level} Wald intervals."
            ),
            Table(table.reset_index(), caption=f"Coefficients with {level} CI"),
        ],
    )


def _binning_sections(card: Any, alpha: float) -> Section:
    level = confidence_label(alpha)
    feature_sections = []
    for name in card.bins_:
        table = card.binning_table(name, alpha=alpha)
        bins = table[table["bin"] != "Totals"]
        shown = bins[bins["count"] > 0]
        blocks: list[Any] = []
        if len(shown) >= 2:
            blocks.append(
                Plot(
                    binning_plot(
                        list(shown["bin"]),
                        shown["count"].to_numpy(),
                        shown["event_rate"].to_numpy(),
                        shown["woe"].to_numpy(),
                        shown["ci_low"].to_numpy(),
                        shown["ci_high"].to_numpy(),
                        woe_label=f"WoE ({level} Wald CI)",
                    ),
                    caption=(
                        "Rows per bin, event rate (dashed: overall) and WoE with "
                        f"its {level} Wald interval (empty bins omitted)"
                    ),
                )
            )
        blocks.append(Table(table, caption=f"WoE and IV with {level} CI"))
        feature_sections.append(Section(str(name), blocks))
    return Section("Binning tables", feature_sections)


def _woe_methodology(alpha: float) -> Section:
    return Section(
        "Methodology",
        [
            Formula("WoE_j = ln(p_j / q_j),  p_j = goods_j / n_G,  q_j = bads_j / n_B"),
            Formula(
                "Var(WoE_j) = 1/g_j - 1/n_G + 1/b_j - 1/n_B   (product multinomial)"
            ),
            Formula("IV = sum_j (p_j - q_j) ln(p_j / q_j)"),
            Formula("score = base_score - pdo/ln2 * (ln(base_odds) + logit P(bad))"),
            Paragraph(
                "Bins come from depth-1 XGBoost stumps fitted on each feature's "
                "pre-bin count table, merged by an exact dynamic program that "
                "maximises IV under the minimum bin size, bin count and trend "
                "constraints. Missing values and special values have their own "
                "bins; categories unseen in training get the neutral WoE 0."
            ),
            Paragraph(
                f"Intervals are {confidence_label(alpha)} Wald intervals "
                f"(alpha = {alpha:g})."
            ),
        ],
    )


def woe_scorecard_sections(card: Any, data: Data | None, alpha: float) -> list[Section]:
    """Sections of the WoE :class:`Scorecard` report."""
    notes: tuple[Note, ...] = ()
    if card.excluded_features_:
        excluded = card.excluded_features_
        notes = (Note(f"Left out of the regression: {excluded}", "warn"),)
    sections = [
        summary_section(card, _woe_summary_items(card, alpha), data, alpha, notes)
    ]
    if data:
        sections.append(gains_section(card, data, alpha))
    decisions = decisions_section(card)
    if decisions is not None:
        sections.append(decisions)
    sections += [
        _information_section(card, alpha),
        _coefficients_section(card, alpha),
        points_section(card),
        _binning_sections(card, alpha),
        _woe_methodology(alpha),
    ]
    return sections


# --------------------------------------------------------------------------
# the boosted scorecard


def boosted_sections(card: Any, data: Data | None, alpha: float) -> list[Section]:
    """Sections of the :class:`BoostedScorecard` report."""
    items = {
        "features": len(card.bins_),
        "boosting rounds (stumps)": card.n_rounds,
        "learning rate": card.learning_rate,
        "scaling": _scaling(card),
    }
    constraints = pd.DataFrame(
        {
            "feature": list(card.monotone_constraints_),
            "constraint": list(card.monotone_constraints_.values()),
            "bins": [card.bins_[name].n_bins for name in card.monotone_constraints_],
        }
    )
    sections = [summary_section(card, items, data, alpha)]
    if data:
        sections.append(gains_section(card, data, alpha))
    return [
        *sections,
        Section(
            "Monotone constraints",
            [
                Paragraph(
                    "1: points fall as the feature rises (risk increases); -1: "
                    "points rise; 0: unconstrained."
                ),
                Table(constraints),
            ],
        ),
        points_section(card),
        Section(
            "Methodology",
            [
                Formula("margin = intercept + sum_f m_f[bin_f(x)]"),
                Formula("score = base_score - pdo/ln2 * (ln(base_odds) + margin)"),
                Paragraph(
                    "Depth-1 XGBoost stumps: every tree splits one feature once, so "
                    "the model is additive and each bin's points are the summed "
                    "leaf values of the stumps on its feature. Missing values "
                    "follow XGBoost's learned default direction."
                ),
                Paragraph(
                    f"Intervals are {confidence_label(alpha)} intervals "
                    f"(alpha = {alpha:g})."
                ),
            ],
        ),
    ]
