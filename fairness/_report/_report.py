"""FairnessReport: one self-contained HTML page (and JSON) of a fairness audit.

The report only renders: the numbers come from :func:`fairness.assess`,
:func:`fairness.proxy_table` and, optionally, a fitted
:class:`fairness.ParetoFrontier` (or its ``frontier_`` table).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from scorecard._kit.report import (
    PALETTE,
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

from ._frontier import FRONTIER_REQUIRED, FRONTIER_SHOWN, frontier_section
from ._json import jsonable, records
from ._methodology import methodology_section

if TYPE_CHECKING:
    from .._groups import FairnessAssessment, ProxyTable

__all__ = ["FairnessReport"]

#: Attributes by which the report recognises its inputs. (The results offer
#: ``to_html`` through this report, so it cannot import their classes.)
_ASSESSMENT_FIELDS = ("groups", "metrics", "demographic_iv", "constraint", "alpha")
_PROXY_FIELDS = ("divergences", "comparisons", "reference_group", "target_iv")


def _has(obj: Any, fields: tuple[str, ...]) -> bool:
    return all(hasattr(obj, f) for f in fields)


def _reference_words(a: Any) -> str:
    """How the reference group was chosen, in words."""
    rule = getattr(a, "reference_rule", "largest")
    return {
        "given": "chosen by the user",
        "largest": "the largest group",
        "most_favoured": "the most favoured group (highest approval rate)",
    }.get(rule, str(rule))


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
    frontier_models : DataFrame, default=None
        Other models shown on the frontier plot and in a table beside it:
        columns ``label``, ``auc``, ``air`` (held-out), optionally
        ``auc_ci_low``/``auc_ci_high``/``air_low``/``air_high``; e.g.
        :meth:`fairness.ParetoFrontier.model_points` of a fair boosted
        scorecard and a dCov-regularised logistic model.

    Raises
    ------
    TypeError
        If ``assessment``, ``proxy`` or ``frontier`` has the wrong type.
    ValueError
        If the frontier lacks a required column or ``operating_point`` is not
        one of its eps values.

    Examples
    --------
    >>> import warnings
    >>> from fairness import assess
    >>> with warnings.catch_warnings():  # groups of 4 rows: AUC warning
    ...     warnings.simplefilter("ignore")
    ...     res = assess([0, 0, 1, 1, 0, 1, 0, 1],
    ...                  [650, 620, 610, 590, 640, 595, 580, 570],
    ...                  sensitive_features=pd.Series(["a"] * 4 + ["b"] * 4, name="g"),
    ...                  cutoff=600, score_bins=2, min_group_size=4)
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
    frontier_models: pd.DataFrame | None = None
    _frontier_alpha: float = field(default=0.05, init=False, repr=False)

    def __post_init__(self) -> None:
        if not _has(self.assessment, _ASSESSMENT_FIELDS):
            raise TypeError(
                "assessment must be a FairnessAssessment from fairness.assess; got "
                f"{type(self.assessment).__name__}."
            )
        if self.proxy is not None and not _has(self.proxy, _PROXY_FIELDS):
            raise TypeError(
                "proxy must be a ProxyTable from fairness.proxy_table; got "
                f"{type(self.proxy).__name__}."
            )
        frame = self.frontier
        level = (
            None if isinstance(frame, pd.DataFrame) else getattr(frame, "alpha", None)
        )
        object.__setattr__(
            self, "_frontier_alpha", self.assessment.alpha if level is None else level
        )
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
            out.append(
                frontier_section(
                    self.frontier,
                    self.operating_point,
                    self._frontier_alpha,
                    self.frontier_models,
                )
            )
        out.append(self._operating_point())
        out.append(methodology_section(self.assessment))
        return out

    def _summary(self) -> Section:
        a = self.assessment
        items = {
            "rows": a.n,
            "protected attributes": ", ".join(a.protected),
            "groups": len(a.groups),
            "reference group": f"{a.reference_group} ({_reference_words(a)})",
            "minimum group size for a flag": a.min_group_size,
            "approval cutoff (score >= cutoff)": a.cutoff,
            "overall approval rate": a.approval_rate,
            "demographic IV tolerance eps": a.eps,
            "chance-constraint quantile z": a.z,
        }
        pooled = a.pooled
        if pooled:
            items["pooled into 'other'"] = f"{len(pooled)} groups"
        blocks: list[Any] = [KeyValues(items)]
        blocks.append(self._four_fifths_note())
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

    def _four_fifths_note(self) -> Note:
        a = self.assessment
        g = a.groups
        ref = f"{a.reference_group} ({_reference_words(a)})"
        violations = a.four_fifths_violations
        small = list(g.index[g["small_group"]]) if "small_group" in g else []
        size = a.min_group_size
        tail = (
            f" {len(small)} group(s) under {size} rows are reported but not "
            f"flagged: {', '.join(small)}."
            if small
            else ""
        )
        if not violations:
            return Note(
                "Four-fifths rule met: every group of at least "
                f"{size} rows has an adverse impact ratio of 0.8 or more against "
                f"the reference group {ref}." + tail,
                "ok",
            )
        text = (
            f"Four-fifths rule: {len(violations)} group(s) have an adverse impact "
            f"ratio under 0.8 against the reference group {ref}: "
            f"{', '.join(violations)}."
        )
        strong = [v for v in violations if g.loc[v, "air_ci_high"] < 0.8]
        if strong:
            level = round(100 * (1 - a.alpha))
            text += (
                f" For {', '.join(strong)} the whole {level}% AIR interval "
                f"(against {a.reference_group}) is below 0.8."
            )
        return Note(text + tail, kind="warn")

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
                "air_pvalue",
                "small_group",
                "four_fifths",
            ]
        ].rename(
            columns={
                "four_fifths": "four-fifths flag",
                "small_group": f"under {a.min_group_size} rows",
            }
        )
        level = round(100 * (1 - a.alpha))
        labels = list(g.index)
        air_fig = errorbar_plot(
            labels,
            g["air"],
            low=g["air_ci_low"],
            high=g["air_ci_high"],
            reference=0.8,
            xlabel=(
                f"adverse impact ratio vs {a.reference_group} "
                f"({level}% CI, Koopman score)"
            ),
            highlight=g["four_fifths"].tolist(),
        )
        auc_fig = errorbar_plot(
            labels,
            g["auc"],
            low=g["auc_ci_low"],
            high=g["auc_ci_high"],
            xlabel=f"AUC within group (DeLong, {level}% CI on the logit scale)",
        )
        return Section(
            "Groups",
            [
                Paragraph(
                    "One row per protected group (several protected columns: their "
                    "intersection). Approval means score >= cutoff; the AUC is the "
                    "chance that a good outscores a bad within the group. The AIR "
                    f"column, the four-fifths flag and the plot all compare with "
                    f"the reference group {a.reference_group} "
                    f"({_reference_words(a)}), which is never flagged; a group "
                    f"under {a.min_group_size} rows is shown but not flagged. AIR "
                    "intervals are Koopman score intervals and air_pvalue an "
                    "exact test, both valid for small and zero counts."
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
                Plot(
                    air_fig,
                    caption=(
                        f"Adverse impact ratio against {a.reference_group}; "
                        "dashed line: 0.8."
                    ),
                ),
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
                Paragraph(f"Chosen frontier point: budget = {self.operating_point:g}.")
            )
            blocks.append(Table(row[cols], caption="Chosen frontier point"))
        return Section("Operating point", blocks, id="operating-point")

    # ------------------------------------------------------------ outputs

    def to_html(self, path: str | Path | None = None, **options: Any) -> str:
        """Render the report; write it to ``path`` (UTF-8) when given.

        Parameters
        ----------
        path : path-like, default=None
            File to write.
        **options
            ``title`` and ``subtitle`` override the report's own for this
            rendering.

        Returns
        -------
        str
            The HTML document.
        """
        unknown = sorted(set(options) - {"title", "subtitle"})
        if unknown:
            raise TypeError(
                f"to_html options must be 'title' or 'subtitle'; got {unknown}."
            )
        a = self.assessment
        subtitle = (
            options.get("subtitle")
            or self.subtitle
            or (
                f"{a.n:,} rows; protected: {', '.join(a.protected)}; "
                f"reference group {a.reference_group}"
            )
        )
        title = options.get("title", self.title)
        html = render_report(title, self.sections(), subtitle=subtitle)
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
                "reference_rule": a.reference_rule,
                "min_group_size": a.min_group_size,
                "pooled": list(a.pooled),
                "weight_kind": a.weight_kind,
                "cutoff": a.cutoff,
                "approval_rate": a.approval_rate,
                "target_approval_rate": a.target_approval_rate,
                "eps": a.eps,
                "z": a.z,
                "alpha": a.alpha,
                "score_bin_edges": a.score_bin_edges,
                "method": a.method,
            },
            "groups": records(groups),
            "metrics": records(a.summary(a.alpha)),
            "constraint": {
                "comparisons": list(a.demographic_iv.features),
                "upper_bound": np.atleast_1d(a.constraint.upper_bound),
                "satisfied": np.atleast_1d(a.constraint.satisfied),
                "all_satisfied": a.constraint_satisfied,
            },
            "four_fifths_violations": a.four_fifths_violations,
            "proxies": None if self.proxy is None else records(self.proxy.to_frame()),
            "frontier": None if self.frontier is None else records(self.frontier),
            "operating_point": self.operating_point,
        }
        text = json.dumps(jsonable(doc), indent=2, allow_nan=False)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text
