"""The methodology section of the fairness report (formulas, conventions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scorecard._kit.report import Formula, Paragraph, Section

if TYPE_CHECKING:
    from .._groups import FairnessAssessment

__all__ = ["methodology_section"]


def methodology_section(a: FairnessAssessment) -> Section:
    """Conventions and formulas of every metric in the report."""
    z = a.z
    return Section(
        "Methodology",
        [
            Paragraph(
                "Conventions: y = 1 is bad; a higher score is better; an applicant "
                f"is approved when score >= {a.cutoff:.6g}. Comparisons are against "
                f"the reference group {a.reference_group} ("
                + {
                    "given": "named by the user",
                    "largest": "the largest group, the default, so the AIR is "
                    "comparable across models and cutoffs",
                    "most_favoured": "the most favoured group: highest approval "
                    "rate among groups of at least min_group_size rows",
                }.get(a.reference_rule, a.reference_rule)
                + "; an AIR above 1 favours the group). The AIR column, the "
                "four-fifths flag, the plot and this text use that one reference; "
                "it is never flagged against itself, and a group under "
                f"{a.min_group_size} rows (min_group_size) is reported but not "
                "flagged. Several protected columns define intersectional groups "
                "(beyond max_groups, the smallest are pooled into 'other'); a "
                "numeric column with more than 10 values is cut into quantile bins "
                "for the group view and enters dCor/CCdCov min-max scaled."
            ),
            Formula(
                "Adverse impact ratio   AIR_g = a_g / a_ref   (a = approval rate)\n"
                "CI = {phi : |Z(phi)| <= z}  (Koopman 1984 score interval),\n"
                "  Z(phi) = (a_g - phi a_ref) / sqrt(p~_g (1 - p~_g)/n_g"
                " + phi^2 p~_ref (1 - p~_ref)/n_ref),\n"
                "  p~ the maximum likelihood rates under a_g = phi a_ref "
                "(0 approvals: CI = [0, u])\n"
                "p-value of AIR = 1: Fisher's exact test (or mid-p) on the 2x2 "
                "table of approvals\n"
                "four-fifths rule flags AIR_g < 0.8 (same reference; groups of "
                "n_g >= min_group_size)"
            ),
            Formula(
                "Standardised mean difference   d = (mean_g - mean_ref) / s_pooled\n"
                "SE(d) = sqrt((n_g + n_ref)/(n_g n_ref) + d^2 / (2 (n_g + n_ref)))"
            ),
            Formula(
                "AUC (DeLong): V10_i = share of bads good i outscores, V01_j = share "
                "of goods outscoring bad j\n"
                "Var(AUC) = var(V10)/m + var(V01)/n   (midrank algorithm, "
                "Sun & Xu 2014)\n"
                "CI on the logit scale: logit(AUC) +- z SE / (AUC (1 - AUC)); "
                "with fewer than 5 bads or goods the group is warned about"
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
                "and are reported. Other intervals are Wald intervals, truncated at "
                "0 for divergences. Sampling weights: linearisation variances of "
                "the weighted approval rates (effective counts a(1-a)/V enter the "
                "AIR interval and test) and of the weighted DeLong placements; "
                "SMD, IV, JS and dCor are unweighted when weights are given."
            ),
        ],
        id="methodology",
    )
