"""PD validation: back-tests per grade and portfolio, discrimination, stability.

Modules, from the bottom up: ``_portfolio`` (Hosmer-Lemeshow, Spiegelhalter,
Brier and the binomial total), ``_backtest`` (Jeffreys, binomial, normal and
Vasicek tests per grade, traffic lights), ``_discrimination`` (the ECB AUC
test against a fixed initial AUC, current-vs-initial comparison),
``_stability`` (migration matrix, bandwidths, Herfindahl), ``_report``
(:class:`ValidationReport`, imports ``monitoring._report``), ``_engines``
(the mergeable counts of Dask and Spark batches) and ``_monitor``
(:class:`ValidationMonitor`).
"""

from ._backtest import GradeBacktest, backtest, backtest_from_counts
from ._discrimination import AUCComparison, AUCTest, auc_comparison, ecb_auc_test
from ._monitor import ValidationMonitor
from ._portfolio import BrierScore, CalibrationTest, PortfolioBacktest
from ._report import ValidationReport
from ._stability import (
    Concentration,
    Migration,
    concentration,
    concentration_from_counts,
    migration_from_counts,
    migration_matrix,
)

__all__ = [
    "AUCComparison",
    "AUCTest",
    "BrierScore",
    "CalibrationTest",
    "Concentration",
    "GradeBacktest",
    "Migration",
    "PortfolioBacktest",
    "ValidationMonitor",
    "ValidationReport",
    "auc_comparison",
    "backtest",
    "backtest_from_counts",
    "concentration",
    "concentration_from_counts",
    "ecb_auc_test",
    "migration_from_counts",
    "migration_matrix",
]
