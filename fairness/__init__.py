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
from ._groups import (
    AUCResult,
    FairnessAssessment,
    GroupMetric,
    ProxyTable,
    assess,
    delong_auc,
    proxy_table,
)
from ._mip import SelectionResult, available_solvers, min_feasible_eps, select_options
from ._models import (
    DCovGLM,
    DCovLogisticRegression,
    FairBoostedRegressor,
    FairBoostedScorecard,
    LambdaPath,
    generalized_js,
    lambda_path,
)
from ._report import FairnessReport

__all__: list[str] = [
    "DCovGLM",
    "LambdaPath",
    "generalized_js",
    "lambda_path",
    "DCovGradient",
    "DCovLogisticRegression",
    "FairBoostedRegressor",
    "FairBoostedScorecard",
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
    "AUCResult",
    "FairnessAssessment",
    "FairnessReport",
    "GroupMetric",
    "ProxyTable",
    "assess",
    "delong_auc",
    "proxy_table",
]
