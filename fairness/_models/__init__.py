"""Fair models: distance-covariance regularised GLMs and boosted scorecards.

- ``_glm``: :class:`DCovLogisticRegression`, :class:`DCovGLM`;
- ``_boosted_objective``: the XGBoost objective (likelihood + lambda * dCov);
- ``_boosted``: :class:`FairBoostedScorecard`, :class:`FairBoostedRegressor`;
- ``_calibration``: :func:`lambda_path`, :class:`LambdaPath`,
  :func:`generalized_js`.
"""

from ._boosted import FairBoostedRegressor, FairBoostedScorecard
from ._calibration import LambdaPath, generalized_js, lambda_path
from ._glm import DCovGLM, DCovLogisticRegression

__all__ = [
    "DCovGLM",
    "DCovLogisticRegression",
    "FairBoostedRegressor",
    "FairBoostedScorecard",
    "LambdaPath",
    "generalized_js",
    "lambda_path",
]
