"""Fair models: distance-covariance regularised GLMs and the calibration of lambda.

- ``_glm``: :class:`DCovLogisticRegression`, :class:`DCovGLM`;
- ``_calibration``: :func:`lambda_path`, :class:`LambdaPath`,
  :func:`generalized_js`.
"""

from ._calibration import LambdaPath, generalized_js, lambda_path
from ._glm import DCovGLM, DCovLogisticRegression

__all__ = [
    "DCovGLM",
    "DCovLogisticRegression",
    "LambdaPath",
    "generalized_js",
    "lambda_path",
]
