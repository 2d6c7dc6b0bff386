"""Scorecards with honest statistics: binning, WoE, IV, PSI and JS with SEs."""

from ._binning._binner import StumpBinner
from ._binning._bins import FeatureBins
from ._binning._merge import MergeResult, merge_counts, optimal_merge
from ._binning._split import split_information
from ._calibration._calibrator import PDCalibrator
from ._calibration._scale import MasterScale
from ._kit.artifacts import load
from ._kit.exceptions import DataConditionWarning, InfoscoreWarning
from ._kit.version import __version__ as __version__
from ._kit.version import show_versions
from ._models._boosted import BoostedScorecard
from ._models._encoder import WoEEncoder
from ._models._gains import gains_table
from ._models._points import PointsScaling
from ._models._report import scorecard_report
from ._models._scorecard import Scorecard, ScorecardSummary
from ._models._selection import FeatureSelector
from ._stats._auc import AUCResult, auc_from_counts, delong_auc, ks_statistic
from ._stats._constraint import ChanceConstraint, chance_constraint, tradeoff_ratio
from ._stats._counts import CountTable, count_codes
from ._stats._divergence import Divergence, information_value, jensen_shannon, psi
from ._stats._woe import WoEResult, woe

__all__ = [
    "AUCResult",
    "auc_from_counts",
    "Scorecard",
    "ScorecardSummary",
    "delong_auc",
    "gains_table",
    "ks_statistic",
    "scorecard_report",
    "BoostedScorecard",
    "ChanceConstraint",
    "CountTable",
    "DataConditionWarning",
    "Divergence",
    "FeatureBins",
    "FeatureSelector",
    "InfoscoreWarning",
    "MasterScale",
    "MergeResult",
    "PDCalibrator",
    "PointsScaling",
    "StumpBinner",
    "WoEEncoder",
    "WoEResult",
    "chance_constraint",
    "count_codes",
    "information_value",
    "jensen_shannon",
    "load",
    "merge_counts",
    "optimal_merge",
    "psi",
    "show_versions",
    "split_information",
    "tradeoff_ratio",
    "woe",
]
