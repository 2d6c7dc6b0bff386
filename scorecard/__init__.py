"""Scorecards with honest statistics: binning, WoE, IV, PSI and JS with SEs."""

from ._artifacts import load
from ._binning import StumpBinner
from ._bins import FeatureBins
from ._boosted import BoostedScorecard
from ._counts import CountTable, count_codes
from ._encoder import WoEEncoder
from ._exceptions import DataConditionWarning, InfoscoreWarning
from ._information import (
    ChanceConstraint,
    Divergence,
    WoEResult,
    chance_constraint,
    information_value,
    jensen_shannon,
    psi,
    tradeoff_ratio,
    woe,
)
from ._merge import MergeResult, optimal_merge
from ._metrics import AUCResult, delong_auc, ks_statistic
from ._scorecard import Scorecard, ScorecardSummary
from ._scorecard_report import scorecard_report

__version__ = "0.1.0"

__all__ = [
    "AUCResult",
    "Scorecard",
    "ScorecardSummary",
    "delong_auc",
    "ks_statistic",
    "scorecard_report",
    "BoostedScorecard",
    "ChanceConstraint",
    "CountTable",
    "DataConditionWarning",
    "Divergence",
    "FeatureBins",
    "InfoscoreWarning",
    "MergeResult",
    "StumpBinner",
    "WoEEncoder",
    "WoEResult",
    "chance_constraint",
    "count_codes",
    "information_value",
    "jensen_shannon",
    "load",
    "optimal_merge",
    "psi",
    "tradeoff_ratio",
    "woe",
]
