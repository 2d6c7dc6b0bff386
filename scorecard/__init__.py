"""Scorecards with honest statistics: binning, WoE, IV, PSI and JS with SEs."""

from ._counts import CountTable, count_codes
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

__version__ = "0.1.0"

__all__ = [
    "ChanceConstraint",
    "CountTable",
    "DataConditionWarning",
    "Divergence",
    "InfoscoreWarning",
    "WoEResult",
    "chance_constraint",
    "count_codes",
    "information_value",
    "jensen_shannon",
    "psi",
    "tradeoff_ratio",
    "woe",
]
