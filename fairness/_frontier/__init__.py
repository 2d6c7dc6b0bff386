"""Accuracy-fairness Pareto frontier of WoE scorecards by an eps-constraint MIP.

For every feature a menu of candidate binnings is built from one fitted
binning (by default :class:`scorecard.StumpBinner`): merges of its bins at
several bin caps, and fairness-aware merges from the exact dynamic program
maximising ``IV_y - mu IV_a`` (docs/design.md section 6). Each candidate
carries its IV against the target and against the protected attribute with
delta-method SEs. The selection MIP (:mod:`fairness._mip`) is solved over a
grid of eps; at every point a WoE logistic regression is refitted on the
chosen binnings and evaluated on held-out data.

``_menus``: the candidate binnings; ``_sweep``: the eps sweep; ``_evaluation``:
refits, held-out metrics and the operating point; ``_plot``: the plot;
``_checks``: input checks; ``_estimator``: :class:`ParetoFrontier`.
"""

from ._estimator import ParetoFrontier
from ._evaluation import choose_operating_point

__all__ = ["ParetoFrontier", "choose_operating_point"]
