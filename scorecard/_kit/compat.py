"""The scikit-learn private names the package relies on, imported in one place.

scikit-learn does not promise these (they live in underscore modules), so a
change in a new release is mended here once. ``validate_params`` checks the
arguments of public functions with the same constraint objects the
estimators declare in ``_parameter_constraints``.
"""

from __future__ import annotations

from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    Options,
    StrOptions,
    validate_params,
)
from sklearn.utils.validation import (
    _assert_all_finite,
    _check_sample_weight,
)

__all__ = [
    "HasMethods",
    "Interval",
    "Options",
    "StrOptions",
    "assert_all_finite",
    "check_sample_weight",
    "validate_params",
]

assert_all_finite = _assert_all_finite
check_sample_weight = _check_sample_weight
