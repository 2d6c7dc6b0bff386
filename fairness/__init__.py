"""Fairness of credit scores: group metrics, distance covariance, fair models."""

from ._dcov import (
    DCovGradient,
    DistanceStatistic,
    ccdcov,
    distance_correlation,
    distance_covariance,
    distance_covariance_grad,
    intersect_groups,
    jdcov,
)
from ._frontier import ParetoFrontier
from ._mip import SelectionResult, available_solvers, min_feasible_eps, select_options

__all__: list[str] = [
    "DCovGradient",
    "DistanceStatistic",
    "ccdcov",
    "distance_correlation",
    "distance_covariance",
    "distance_covariance_grad",
    "intersect_groups",
    "jdcov",
    "ParetoFrontier",
    "SelectionResult",
    "available_solvers",
    "min_feasible_eps",
    "select_options",
]
