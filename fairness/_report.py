"""FairnessReport: one self-contained HTML page (and JSON) of a fairness audit.

The report only renders: the numbers come from :func:`fairness.assess`,
:func:`fairness.proxy_table` and, optionally, a fitted
:class:`fairness.ParetoFrontier` (or its ``frontier_`` table).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
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
    errorbar_plot,
    new_figure,
    render_report,
)

from ._groups import FairnessAssessment, ProxyTable

__all__ = ["FairnessReport"]

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


def _jsonable(value: Any) -> Any:
    """Plain JSON types; NaN and infinities become null."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        x = float(value)
        return x if math.isfinite(x) else None
    if value is None or isinstance(value, str):
        return value
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return None
    return str(value)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return _jsonable(frame.to_dict(orient="records"))


@dataclass(frozen=True, eq=False)
class FairnessReport:
    """HTML and JSON report of a fairness assessment.

    Parameters
    ----------
    assessment : FairnessAssessment
        Result of :func:`fairness.assess`.
    proxy : ProxyTable, default=None
        Result of :func:`fairness.proxy_table` (the proxy-feature section).
    frontier : DataFrame or fitted ParetoFrontier, default=None
        The accuracy-fairness frontier: a table with at least ``eps``,
        ``auc`` and ``air`` (one row per eps), or an object with such a
        ``frontier_`` table. Intervals are read from ``{col}_ci_low`` /
        ``{col}_ci_high``, ``{col}_low`` / ``{col}_high`` or ``{col}_se``;
        ``status`` marks rows without an optimal solution.
    operating_point : float, default=None
        The ``eps`` of the frontier row chosen for deployment (highlighted).
    title : str, default="Fairness report"
        Page title.
    subtitle : str, default=None
        Line under the title (data set, model, date).

    Raises
    ------
    TypeError
        If ``assessment``, ``proxy`` or ``frontier`` has the wrong type.
    ValueError
        If the frontier lacks a required column or ``operating_point`` is not
        one of its eps values.

    Examples
    --------
    >>> from fairness import assess
    >>> res = assess([0, 0, 1, 1, 0, 1, 0, 1],
    ...              [650, 620, 610, 590, 640, 595, 580, 570],
    ...              sensitive_features=pd.Series(["a"] * 4 + ["b"] * 4, name="g"),
    ...              cutoff=600, score_bins=2)
    >>> html = FairnessReport(res).to_html()
    >>> html.startswith("<!DOCTYPE html>") and "Adverse impact ratio" in html
    True
    >>> json.loads(FairnessReport(res).to_json())["groups"][1]["air"]
    0.3333333333333333
    """

    assessment: FairnessAssessment
    proxy: ProxyTable | None = None
    frontier: Any = None
    operating_point: float | None = None
    title: str = "Fairness report"
    subtitle: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.assessment, FairnessAssessment):
            raise TypeError(
                "assessment must be a FairnessAssessment from fairness.assess; got "
                f"{type(self.assessment).__name__}."
            )
        if self.proxy is not None and not isinstance(self.proxy, ProxyTable):
            raise TypeError(
                "proxy must be a ProxyTable from fairness.proxy_table; got "
                f"{type(self.proxy).__name__}."
            )
        frame = self.frontier
        if frame is not None and not isinstance(frame, pd.DataFrame):
            frame = getattr(frame, "frontier_", None)
            if not isinstance(frame, pd.DataFrame):
                raise TypeError(
                    "frontier must be a DataFrame or a fitted ParetoFrontier; got "
                    f"{type(self.frontier).__name__}."
                )
        if frame is not None:
            missing = [c for c in FRONTIER_REQUIRED if c not in frame.columns]
            if missing:
                raise ValueError(
                    f"frontier lacks the columns {missing}; it needs "
                    f"{list(FRONTIER_REQUIRED)} (got {list(map(str, frame.columns))})."
                )
            frame = frame.reset_index(drop=True)
        object.__setattr__(self, "frontier", frame)
        if self.operating_point is not None:
            if frame is None:
                raise ValueError("operating_point needs a frontier.")
            if not np.isclose(frame["eps"].to_numpy(float), self.operating_point).any():
                raise ValueError(
                    f"operating_point must be one of the frontier's eps values "
                    f"{frame['eps'].tolist()}; got {self.operating_point}."
                )

    # ------------------------------------------------------------ sections

    def sections(self) -> list[Section]:
        """The report's sections, in order."""
        out = [self._summary(), self._groups(), self._metrics(), self._distributions()]
        if self.proxy is not None:
            out.append(self._proxies())
        if self.frontier is not None:
            out.append(self._frontier())
        out.append(self._operating_point())
        out.append(_methodology(self.assessment))
        return out

    def _summary(self) -> Section:
        a = self.assessment
        low_evidence = a.groups["air_ci_high"] < 0.8
        items = {
            "rows": a.n,
            "protected attributes": ", ".join(a.protected),
            "groups": len(a.groups),
            "reference group": a.reference_group,
            "approval cutoff (score >= cutoff)": a.cutoff,
            "overall approval rate": a.approval_rate,
            "demographic IV tolerance eps": a.eps,
            "chance-constraint quantile z": a.z,
        }
        blocks: list[Any] = [KeyValues(items)]
        violations = a.four_fifths_violations
        if violations:
            strong = list(a.groups.index[low_evidence])
            text = (
                f"Four-fifths rule: {len(violations)} group(s) are approved at under "
                f"4/5 of the best-approved group's rate: {', '.join(violations)}."
            )
            if strong:
                text += (
                    f" For {', '.join(strong)} the whole 95% AIR interval (against "
                    f"{a.reference_group}) is below 0.8."
                )
            blocks.append(Note(text, kind="warn"))
        else:
            blocks.append(
                Note(
                    "Four-fifths rule met: every group is approved at 4/5 or more "
                    "of the best-approved group's rate.",
                    "ok",
                )
            )
        if a.constraint_satisfied:
            blocks.append(
                Note(
                    f"Chance constraint met: demographic IV + {a.z:g} SE <= {a.eps:g} "
                    "for every group.",
                    "ok",
                )
            )
        else:
            bad = np.flatnonzero(~np.atleast_1d(a.constraint.satisfied))
            names = [a.demographic_iv.features[i] for i in bad]
            blocks.append(
                Note(
                    f"Chance constraint not met (demographic IV + {a.z:g} SE > "
                    f"{a.eps:g}) for: {', '.join(names)}.",
                    "warn",
                )
            )
        return Section("Summary", blocks, id="summary")

    def _groups(self) -> Section:
        a = self.assessment
        g = a.groups
        table = g[
            [
                "n",
                "share",
                "bad_rate",
                "approval_rate",
                "mean_score",
                "sd_score",
                "auc",
                "auc_ci_low",
                "auc_ci_high",
                "air",
                "air_ci_low",
                "air_ci_high",
                "four_fifths",
            ]
        ].rename(columns={"four_fifths": "four-fifths flag"})
        level = round(100 * (1 - a.alpha))
        labels = list(g.index)
        air_fig = errorbar_plot(
            labels,
            g["air"],
            low=g["air_ci_low"],
            high=g["air_ci_high"],
            reference=0.8,
            xlabel=f"adverse impact ratio vs {a.reference_group} ({level}% CI)",
            highlight=g["four_fifths"].tolist(),
        )
        auc_fig = errorbar_plot(
            labels,
            g["auc"],
            low=g["auc_ci_low"],
            high=g["auc_ci_high"],
            xlabel=f"AUC within group (DeLong {level}% CI)",
        )
        return Section(
            "Groups",
            [
                Paragraph(
                    "One row per protected group (several protected columns: their "
                    "intersection). Approval means score >= cutoff; the AUC is the "
                    "chance that a good outscores a bad within the group."
                ),
                Table(
                    table,
                    caption=f"Group table ({level}% intervals)",
                    formats={
                        "share": "{:.2%}",
                        "bad_rate": "{:.2%}",
                        "approval_rate": "{:.2%}",
                    },
                    highlight=g["four_fifths"].tolist(),
                ),
                Plot(air_fig, caption="Adverse impact ratio; dashed line: 0.8."),
                Plot(auc_fig, caption="Rank-ordering power within each group."),
            ],
            id="groups",
        )

    def _metrics(self) -> Section:
        a = self.assessment
        summary = a.summary(a.alpha)
        table = summary[
            ["metric", "comparison", "estimate", "se", "ci_low", "ci_high", "pvalue"]
        ]
        div = a.demographic_iv
        constraint = pd.DataFrame(
            {
                "comparison": list(div.features),
                "demographic IV": np.atleast_1d(div.estimate),
                "se": np.atleast_1d(div.se),
                f"IV + {a.z:g} SE": np.atleast_1d(a.constraint.upper_bound),
                "eps": a.eps,
                "satisfied": np.atleast_1d(a.constraint.satisfied),
            }
        )
        level = round(100 * (1 - a.alpha))
        iv_fig = errorbar_plot(
            list(div.features),
            np.atleast_1d(div.estimate),
            se=np.atleast_1d(div.se),
            reference=a.eps,
            xlabel="demographic IV of the score (+- 1 SE); dashed: eps",
            highlight=(~np.atleast_1d(a.constraint.satisfied)).tolist(),
        )
        return Section(
            "Metrics with confidence intervals",
            [
                Paragraph(
                    "Each metric compares a group with the reference group "
                    f"({a.reference_group}); dCor and CCdCov relate the score to all "
                    f"protected attributes at once. {level}% intervals; p-values test "
                    "no disparity (AIR = 1, SMD = 0, IV = JS = 0, independence)."
                ),
                Table(table, caption="Fairness metrics"),
                Section(
                    "Probabilistic constraint on the demographic IV",
                    [
                        Table(
                            constraint,
                            caption="IV + z SE <= eps",
                            highlight=(~constraint["satisfied"]).tolist(),
                        ),
                        Plot(iv_fig),
                    ],
                    id="constraint",
                ),
            ],
            id="metrics",
        )

    def _distributions(self) -> Section:
        a = self.assessment
        div = a.demographic_iv
        edges = a.score_bin_edges
        centers = np.arange(edges.size - 1)
        fig = new_figure(6.4, 3.4)
        ax = fig.add_subplot()
        ref = div.second[0] / div.second[0].sum()
        ax.step(
            centers,
            ref,
            where="mid",
            color="#000000",
            linewidth=2,
            label=a.reference_group,
        )
        for i, name in enumerate(div.features):
            share = div.first[i] / div.first[i].sum()
            ax.step(
                centers,
                share,
                where="mid",
                color=PALETTE[i % len(PALETTE)],
                label=name.split(" vs ")[0],
            )
        ticks = [f"{edges[k]:.4g}" for k in range(edges.size - 1)]
        step = max(1, len(ticks) // 10)
        ax.set_xticks(centers[::step], ticks[::step], rotation=30, ha="right")
        ax.set_xlabel("score bin (lower edge)")
        ax.set_ylabel("share of group")
        ax.grid(color="#e5e5e5")
        ax.legend(fontsize=8, frameon=False)
        return Section(
            "Score distributions",
            [
                Paragraph(
                    f"Share of each group in the {edges.size - 1} quantile bins of the "
                    "pooled score (the bins of the demographic IV and JS divergence); "
                    "identical curves mean the score carries no group information."
                ),
                Plot(fig),
            ],
            id="distributions",
        )

    def _proxies(self) -> Section:
        assert self.proxy is not None
        frame = self.proxy.to_frame()
        top = frame.head(20)
        fig = errorbar_plot(
            [
                f"{f} ({c.split(' vs ')[0]})" if len(self.proxy.comparisons) > 1 else f
                for f, c in zip(top["feature"], top["comparison"], strict=True)
            ],
            top["iv"],
            se=top["se"],
            xlabel="IV against the protected group (+- 1 SE)",
        )
        return Section(
            "Proxy features",
            [
                Paragraph(
                    "Information value of each feature between a protected group and "
                    f"the reference ({self.proxy.reference_group}), with delta-method "
                    "SEs: a high IV means the feature can stand in for the protected "
                    "attribute. target_iv and tradeoff (conservative ratio "
                    "(IV_y - SE_y) / (IV_a + SE_a)) appear when the target was given."
                ),
                Table(frame, caption=f"Proxy features ({self.proxy.method})"),
                Plot(fig),
            ],
            id="proxies",
        )

    def _frontier(self) -> Section:
        frame: pd.DataFrame = self.frontier
        z = 1.959964
        shown = [c for c in FRONTIER_SHOWN if c in frame.columns]
        chosen = (
            np.isclose(frame["eps"].to_numpy(float), self.operating_point)
            if self.operating_point is not None
            else np.zeros(len(frame), bool)
        )
        status = (
            frame["status"] if "status" in frame else pd.Series("optimal", frame.index)
        )
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
        ax.set_xlabel("adverse impact ratio (95% CI)")
        ax.set_ylabel("held-out AUC")
        ax.grid(color="#e5e5e5")
        ax.legend(fontsize=8, frameon=False)
        blocks: list[Any] = [
            Paragraph(
                "Each point is a scorecard refitted on the features and binnings the "
                "MIP chose under a demographic-IV budget eps, evaluated on held-out "
                "data. Error bars are 95% intervals; points nearer AIR = 1 are nearer "
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

    def _operating_point(self) -> Section:
        a = self.assessment
        items: dict[str, Any] = {
            "cutoff (approve when score >= cutoff)": a.cutoff,
            "approval rate achieved": a.approval_rate,
        }
        if a.target_approval_rate is not None:
            items["approval rate requested"] = a.target_approval_rate
        blocks: list[Any] = [KeyValues(items)]
        if self.operating_point is not None and self.frontier is not None:
            frame = self.frontier
            row = frame[np.isclose(frame["eps"].to_numpy(float), self.operating_point)]
            cols = [c for c in FRONTIER_SHOWN if c in row.columns]
            blocks.append(
                Paragraph(f"Chosen frontier point: eps = {self.operating_point:g}.")
            )
            blocks.append(Table(row[cols], caption="Chosen frontier point"))
        return Section("Operating point", blocks, id="operating-point")

    # ------------------------------------------------------------ outputs

    def to_html(self, path: str | Path | None = None) -> str:
        """Render the report; write it to ``path`` (UTF-8) when given.

        Parameters
        ----------
        path : path-like, default=None
            File to write.

        Returns
        -------
        str
            The HTML document.
        """
        a = self.assessment
        subtitle = self.subtitle or (
            f"{a.n:,} rows; protected: {', '.join(a.protected)}; "
            f"reference group {a.reference_group}"
        )
        html = render_report(self.title, self.sections(), subtitle=subtitle)
        if path is not None:
            Path(path).write_text(html, encoding="utf-8")
        return html

    def to_json(self, path: str | Path | None = None) -> str:
        """The report's numbers as JSON (NaN as null); write to ``path`` if given.

        Parameters
        ----------
        path : path-like, default=None
            File to write.

        Returns
        -------
        str
            JSON with ``settings``, ``groups``, ``metrics``, ``constraint``,
            ``proxies``, ``frontier`` and ``operating_point``.
        """
        a = self.assessment
        groups = a.groups.reset_index()
        doc = {
            "schema": "infoscore.fairness_report/1",
            "title": self.title,
            "settings": {
                "n": a.n,
                "protected": list(a.protected),
                "continuous": list(a.continuous),
                "reference_group": a.reference_group,
                "cutoff": a.cutoff,
                "approval_rate": a.approval_rate,
                "target_approval_rate": a.target_approval_rate,
                "eps": a.eps,
                "z": a.z,
                "alpha": a.alpha,
                "score_bin_edges": a.score_bin_edges,
                "method": a.method,
            },
            "groups": _records(groups),
            "metrics": _records(a.summary(a.alpha)),
            "constraint": {
                "comparisons": list(a.demographic_iv.features),
                "upper_bound": np.atleast_1d(a.constraint.upper_bound),
                "satisfied": np.atleast_1d(a.constraint.satisfied),
                "all_satisfied": a.constraint_satisfied,
            },
            "four_fifths_violations": a.four_fifths_violations,
            "proxies": None if self.proxy is None else _records(self.proxy.to_frame()),
            "frontier": None if self.frontier is None else _records(self.frontier),
            "operating_point": self.operating_point,
        }
        text = json.dumps(_jsonable(doc), indent=2, allow_nan=False)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text


def _methodology(a: FairnessAssessment) -> Section:
    z = a.z
    return Section(
        "Methodology",
        [
            Paragraph(
                "Conventions: y = 1 is bad; a higher score is better; an applicant "
                f"is approved when score >= {a.cutoff:.6g}. Comparisons are against "
                f"the reference group {a.reference_group} (by default the largest "
                "group, so the AIR is comparable across models and cutoffs; an AIR "
                "above 1 favours the group). Several protected columns define "
                "intersectional groups; a "
                "numeric column with more than 10 values is cut into quantile bins "
                "for the group view and enters dCor/CCdCov min-max scaled."
            ),
            Formula(
                "Adverse impact ratio   AIR_g = a_g / a_ref   (a = approval rate)\n"
                "Var(ln AIR_g) = (1 - a_g)/(n_g a_g) + (1 - a_ref)/(n_ref a_ref)\n"
                "CI = AIR_g * exp(+- z SE);  four-fifths rule flags a_g < 0.8 max_h a_h"
            ),
            Formula(
                "Standardised mean difference   d = (mean_g - mean_ref) / s_pooled\n"
                "SE(d) = sqrt((n_g + n_ref)/(n_g n_ref) + d^2 / (2 (n_g + n_ref)))"
            ),
            Formula(
                "AUC (DeLong): V10_i = share of bads good i outscores, V01_j = share "
                "of goods outscoring bad j\n"
                "Var(AUC) = var(V10)/m + var(V01)/n   (midrank algorithm, "
                "Sun & Xu 2014)"
            ),
            Formula(
                "Demographic IV over the score's quantile bins j, group shares p_j, "
                "reference shares q_j:\n"
                "IV = sum_j (p_j - q_j) ln(p_j / q_j)   (Jeffreys divergence)\n"
                "Var(IV) = [sum p a^2 - (sum p a)^2]/n_g + [sum q c^2 - (sum q c)^2]"
                "/n_ref,\n"
                "  a_j = ln(p_j/q_j) + 1 - q_j/p_j,  c_j = -ln(p_j/q_j) + 1 - p_j/q_j\n"
                f"Chance constraint: IV + {z:g} SE <= eps = {a.eps:g}"
            ),
            Formula(
                "Jensen-Shannon: JS = 1/2 KL(p||m) + 1/2 KL(q||m),  m = (p + q)/2  "
                "(nats, at most ln 2)"
            ),
            Formula(
                "Distance correlation: dCor^2 = dCov^2(s, S) / sqrt(dCov^2(s, s) "
                "dCov^2(S, S)); CCdCov = dCov^2(s, [S_1..S_K]) with one-hot "
                "categorical and min-max scaled continuous attributes; U-statistics, "
                "jackknife SEs."
            ),
            Paragraph(
                "Zero cells in a bin get 0.5 added to both counts (Haldane-Anscombe) "
                "and are reported. Intervals are Wald intervals (log scale for the "
                "AIR), truncated at 0 for divergences."
            ),
        ],
        id="methodology",
    )
