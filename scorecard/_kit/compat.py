"""The scikit-learn private names the package relies on, imported in one place.

scikit-learn does not promise these (they live in underscore modules), so a
change in a new release is mended here once. ``validate_params`` checks the
arguments of public functions with the same constraint objects the
estimators declare in ``_parameter_constraints``.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
    make_constraint,
    validate_params,
)
from sklearn.utils.validation import (
    _assert_all_finite,
    _check_sample_weight,
)

__all__ = [
    "ARGUMENT_MESSAGE",
    "RENAMED_MESSAGE",
    "HasMethods",
    "Interval",
    "Options",
    "StrOptions",
    "assert_all_finite",
    "check_arguments",
    "check_sample_weight",
    "renamed",
    "validate_params",
    "warn_renamed",
]

assert_all_finite = _assert_all_finite
check_sample_weight = _check_sample_weight


# --------------------------------------------------------------------------
# renamed public parameters (one release with a FutureWarning)

#: The one message of a renamed public parameter.
RENAMED_MESSAGE = "'{old}' was renamed to '{new}' in 0.2 and will be removed in 0.3."

_F = TypeVar("_F", bound=Callable[..., Any])


def renamed(**old_to_new: str) -> Callable[[_F], _F]:
    """Record the renamed parameters of a function or ``__init__``.

    The decorator does not wrap (signatures stay as they are, as scikit-learn's
    ``get_params`` needs); it stores ``{old: new}`` in
    ``__renamed_parameters__``, which ``tests/test_vocabulary.py`` reads. The
    function itself calls :func:`warn_renamed` when an old name is used.
    """

    def mark(func: _F) -> _F:
        func.__renamed_parameters__ = dict(old_to_new)  # type: ignore[attr-defined]
        return func

    return mark


def warn_renamed(old: str, new: str, *, stacklevel: int = 2) -> None:
    """Emit the FutureWarning of a renamed parameter (from the caller's caller)."""
    warnings.warn(
        RENAMED_MESSAGE.format(old=old, new=new),
        FutureWarning,
        stacklevel=stacklevel + 1,
    )


# --------------------------------------------------------------------------
# argument checks of public functions (the estimators' constraint machinery)

#: The one message of an argument outside its constraints.
ARGUMENT_MESSAGE = "{name} must be {allowed}; got {value!r}."


def _describe(constraint: Any) -> str:
    if isinstance(constraint, StrOptions):
        options = [
            repr(o)
            for o in sorted(constraint.options)
            if o not in constraint.deprecated
        ]
        return (
            options[0]
            if len(options) == 1
            else f"{', '.join(options[:-1])} or {options[-1]}"
        )
    return str(constraint)


def check_arguments(constraints: dict[str, list[Any]]) -> Callable[[_F], _F]:
    """Check a public function's arguments against scikit-learn constraints.

    The same constraint objects as an estimator's ``_parameter_constraints``
    (``Interval``, ``StrOptions``, ``"array-like"``, ``None``, types), so a
    function and an estimator accept the same values; the error is
    :data:`ARGUMENT_MESSAGE` ("se_method must be 'delta' or 'paper'; got 'x'.")
    raised as scikit-learn's ``InvalidParameterError`` (a ``ValueError`` and a
    ``TypeError``).
    """

    def decorate(func: _F) -> _F:
        signature = inspect.signature(func)
        checks = {
            name: [make_constraint(c) for c in allowed]
            for name, allowed in constraints.items()
        }

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            bound = signature.bind_partial(*args, **kwargs)
            for name, value in bound.arguments.items():
                allowed = checks.get(name)
                if allowed is None or any(c.is_satisfied_by(value) for c in allowed):
                    continue
                shown = [
                    _describe(c) for c in allowed if not getattr(c, "hidden", False)
                ]
                raise InvalidParameterError(
                    ARGUMENT_MESSAGE.format(
                        name=name, allowed=" or ".join(shown), value=value
                    )
                )
            return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
