"""scikit-learn's common estimator checks for every public estimator.

Append new estimators to ``ESTIMATORS`` (a plain list of instances) and any
expected failure, with its reason, to ``EXPECTED_FAILED_CHECKS``.
"""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from scorecard import StumpBinner, WoEEncoder

ESTIMATORS = [
    StumpBinner(n_rounds=5),
    WoEEncoder(n_rounds=5),
]

#: {estimator class name: {check name: reason}}
EXPECTED_FAILED_CHECKS: dict[str, dict[str, str]] = {}


def _expected_failed_checks(estimator):
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})


# The checks fit on tiny random data sets (10-30 rows), where a bin with one
# class only is expected; the package reports that with DataConditionWarning,
# which pytest's filterwarnings=error would otherwise turn into a failure.
@pytest.mark.filterwarnings("ignore::scorecard.DataConditionWarning")
@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)
