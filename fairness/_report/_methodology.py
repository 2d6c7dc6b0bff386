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
