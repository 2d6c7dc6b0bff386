"""Accuracy-fairness frontier of WoE scorecards that holds on held-out data.

Each point maximises the normal-theory (LDA) information value of a linear
WoE score, ``(b'd_y)^2 / b'Sb``, subject to its normal-theory demographic IV
``(b'd_g)^2 / b'Sb`` being at most eps for every protected group (one vs
rest), over features, one binning per feature and sign-constrained weights:
a mixed-integer program solved by outer approximation (tangent cuts) with
PuLP/CBC (docs/methodology.md section 16). Every point is
refitted on the training rows and evaluated on held-out rows.

``_protected``: the protected attribute (any kind) coded into groups;
``_menus``: the candidate binnings; ``_program``: moments, the continuous
program and the held-out divergence; ``_oa``: the outer approximation;
``_evaluation``: refit, held-out metrics and the operating point; ``_plot``:
the plot; ``_checks``: input checks; ``_estimator``: :class:`ParetoFrontier`.
"""

from ._estimator import ParetoFrontier
from ._evaluation import choose_operating_point

__all__ = ["ParetoFrontier", "choose_operating_point"]
