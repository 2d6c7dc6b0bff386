"""Fairness of credit scores: group metrics, distance covariance, fair models."""

from ._mip import SelectionResult, available_solvers, min_feasible_eps, select_options

__all__: list[str] = [
    "SelectionResult",
    "available_solvers",
    "min_feasible_eps",
    "select_options",
]
