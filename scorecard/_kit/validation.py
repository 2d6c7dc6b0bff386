"""The one input-check layer: binary targets, weights, model columns, parameters.

Every estimator, function and CLI command of the three packages checks its
target with :func:`check_binary_target`, so one rule holds everywhere:

* a boolean target, or a numeric one whose values are 0 and 1, takes 1
  (``True``) as the event (bad);
* any other pair of labels (strings, ``{1, 2}``, ...) needs ``bad_value=``
  naming the label that means bad; without it a ``ValueError`` names the
  labels found and the parameter to set. Nothing is guessed: with strings
  "good"/"bad" scikit-learn's "larger label is the positive class" would
  silently take "good" as the event.

Public functions check their scalar arguments with scikit-learn's
``validate_params`` machinery (re-exported from :mod:`scorecard._kit.compat`),
the same constraints the estimators declare in ``_parameter_constraints``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import column_or_1d

from .compat import assert_all_finite, check_sample_weight
from .exceptions import DataConditionWarning

__all__ = [
    "BAD_VALUE_MESSAGE",
    "BinaryTarget",
    "check_binary_target",
    "check_model_columns",
    "check_weight_kind",
    "check_weights",
    "fractional_frequency_error",
    "model_weight_kind",
    "search_weight_scale",
    "warn_unsaid_kind",
    "WeightKind",
    "WEIGHT_KIND_RULE",
    "WEIGHT_KINDS",
]

#: The message for labels that are not 0/1 or boolean and no ``bad_value``.
BAD_VALUE_MESSAGE = (
    "{name} must be 0/1 (1 = bad, the event) or boolean, or set {parameter} to "
    "the label that means bad; got labels {labels}."
)


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


@dataclass(frozen=True)
class BinaryTarget:
    """A checked binary target.

    Attributes
    ----------
    y01 : ndarray of int64
        1 for the event (bad), 0 otherwise.
    classes : ndarray of shape (2,)
        The two labels as given, ``[good, bad]`` (so ``classes[1]`` is the
        event, as scikit-learn's ``classes_[1]`` is the positive class).
    """

    y01: NDArray[np.int64]
    classes: NDArray[Any]


def check_binary_target(
    y: Any,
    n_rows: int | None = None,
    *,
    bad_value: Any = None,
    name: str = "y",
    parameter: str = "bad_value",
    require_both: bool = True,
) -> BinaryTarget:
    """Check a binary target and encode it as 0/1 (1 = bad, the event).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The target.
    n_rows : int, default=None
        Rows of X; checked when given.
    bad_value : object, default=None
        The label meaning bad. Needed unless ``y`` is boolean or numeric 0/1.
        A label given as text matches a numeric label of the same text
        (``"1"`` matches 1), as on the command line.
    name : str, default="y"
        The target's name in messages (e.g. ``"--target column 'default'"``).
    parameter : str, default="bad_value"
        The parameter to name in messages (``"--bad-value"`` in the CLI).
    require_both : bool, default=True
        Raise when only one class is present.

    Returns
    -------
    BinaryTarget

    Raises
    ------
    ValueError
        If ``y`` is None, has missing values or the wrong length, holds more
        than two labels (or one, with ``require_both``), holds labels other
        than 0/1 or booleans without ``bad_value``, or ``bad_value`` does not
        occur.

    Examples
    --------
    >>> check_binary_target([0, 1, 1]).y01.tolist()
    [0, 1, 1]
    >>> check_binary_target(["good", "bad", "bad"], bad_value="bad").y01.tolist()
    [0, 1, 1]
    """
    if y is None:
        raise ValueError(
            f"This estimator requires {name} to be passed, but the target {name} "
            "is None."
        )
    y_arr = column_or_1d(y, warn=True)
    if y_arr.shape[0] == 0:
        raise ValueError(f"{name} is empty; a binary target needs at least one row.")
    if n_rows is not None and y_arr.shape[0] != n_rows:
        raise ValueError(
            f"{name} has {y_arr.shape[0]} rows but X has {n_rows}; they must match."
        )
    if y_arr.dtype.kind in "fc":
        assert_all_finite(y_arr, input_name=name)
    elif y_arr.dtype.kind == "O" and pd.isna(y_arr).any():
        raise ValueError(f"Input {name} contains NaN (a missing target).")
    try:
        classes = np.unique(y_arr)
    except TypeError:
        raise TypeError(
            f"{name} has labels of mixed types {list(pd.unique(y_arr))[:6]}; "
            f"use 0 (good) and 1 (bad), or one type of label with {parameter}=."
        ) from None
    shown = [_plain(c) for c in classes[:6]]
    more = " ..." if classes.size > 6 else ""
    if classes.size > 2:
        kind = type_of_target(y_arr, input_name=name)
        raise ValueError(
            f"Only binary classification is supported: {name} must hold two "
            f"labels (e.g. 0 = good and 1 = bad, the event); the type of the "
            f"target is {kind!r} with {classes.size} labels {shown}{more}."
        )
    if bad_value is None:
        zero_one = y_arr.dtype.kind == "b" or (
            y_arr.dtype.kind in "iuf" and set(classes.tolist()) <= {0, 1}
        )
        if not zero_one:
            raise ValueError(
                BAD_VALUE_MESSAGE.format(name=name, labels=shown, parameter=parameter)
            )
        is_bad = y_arr.astype(bool) if y_arr.dtype.kind == "b" else y_arr == 1
        event: Any = True if y_arr.dtype.kind == "b" else 1
    else:
        is_bad = _matches(y_arr, bad_value)
        if not is_bad.any():
            raise ValueError(
                f"{parameter} {bad_value!r} does not occur in {name}; its labels "
                f"are {shown}{more}."
            )
        event = _plain(y_arr[np.argmax(is_bad)])
    if require_both and classes.size < 2:
        raise ValueError(
            f"{name} must contain both classes (good and bad); got only one class "
            f"({shown[0]!r}): the type of the target is 'binary' with 1 class."
        )
    goods = classes[classes != event] if classes.size == 2 else classes[:0]
    labels = [_plain(goods[0]) if goods.size else None, event]
    return BinaryTarget(
        y01=np.asarray(is_bad, dtype=np.int64),
        classes=np.array(labels, dtype=classes.dtype if goods.size else object),
    )


def _matches(y_arr: NDArray[Any], bad_value: Any) -> NDArray[np.bool_]:
    """Rows whose label is ``bad_value``, by value or by its text."""
    is_bad = np.asarray(y_arr == bad_value, dtype=bool)
    if is_bad.shape != y_arr.shape:  # comparison not elementwise
        is_bad = np.zeros(y_arr.shape, dtype=bool)
    if not is_bad.any() and isinstance(bad_value, str):
        is_bad = pd.Series(y_arr).astype(str).to_numpy() == bad_value
    return is_bad


def check_weights(sample_weight: Any, y01: NDArray[np.int64]) -> NDArray[np.float64]:
    """Float sample weights: finite, non-negative, each class with weight > 0.

    Raises
    ------
    ValueError
        For NaN, infinite or negative weights, all-zero weights, or a class
        whose rows all have weight 0.
    """
    w = check_sample_weight(
        sample_weight,
        np.empty((y01.shape[0], 0)),
        dtype=np.float64,
        ensure_non_negative=True,
    )
    if w.sum() <= 0:
        raise ValueError(
            "Sample weights must not all be zero; got a zero total weight."
        )
    for label in (0, 1):
        if w[y01 == label].sum() <= 0:
            raise ValueError(
                f"The class {'bad' if label else 'good'} (y = {label}) has zero "
                "total sample weight; both classes need weight > 0."
            )
    return w


#: How sample weights are read by the variances (docs/methodology.md).
#: ``"frequency"``: integer replication counts (a row of weight 3 is three
#: observations); ``"sampling"``: inverse-probability / survey / case-control
#: weights, variances by linearisation with the row as the sampling unit.
WeightKind = Literal["frequency", "sampling"]
WEIGHT_KINDS: tuple[WeightKind, ...] = ("frequency", "sampling")

#: The one statement of what ``weight_kind=None`` (not said) means; every
#: function with a ``weight_kind`` parameter cites it instead of restating it.
WEIGHT_KIND_RULE = (
    "Not said (``weight_kind=None``): the weights are read as sampling weights "
    "whenever what the linearised variances need is there (the row weights, or "
    "the per-bin sums of squared weights of count inputs) and as frequency "
    "counts otherwise (counts given without squared sums); row weights that do "
    "not sum to the row count also warn (DataConditionWarning)."
)


def check_weight_kind(
    weight_kind: Any,
    sample_weight: NDArray[np.float64] | None,
    *,
    parameter: str = "weight_kind",
) -> WeightKind:
    """The kind of ``sample_weight`` the variances must assume.

    Parameters
    ----------
    weight_kind : {"frequency", "sampling"} or None
        What the caller said. ``None`` follows :data:`WEIGHT_KIND_RULE`, the
        one statement of the rule: row weights are read as sampling weights
        (the kind valid for any weights), with a
        :class:`DataConditionWarning` when they do not sum to the row count,
        because their scale then changes nothing for sampling weights but
        every variance for frequency weights.
    sample_weight : ndarray or None
        The checked weights (see :func:`check_weights`); ``None`` means no
        weights, which both kinds treat alike (returns ``"frequency"``).
    parameter : str
        Parameter name used in the messages.

    Returns
    -------
    {"frequency", "sampling"}

    Raises
    ------
    ValueError
        If ``weight_kind`` is not ``None``, ``"frequency"`` or ``"sampling"``,
        or if ``"frequency"`` weights are not whole numbers.
    """
    if weight_kind is not None and weight_kind not in WEIGHT_KINDS:
        raise ValueError(
            f"{parameter} must be 'frequency', 'sampling' or None; got {weight_kind!r}."
        )
    if sample_weight is None:
        return "frequency"
    if weight_kind == "frequency":
        if not np.array_equal(sample_weight, np.round(sample_weight)):
            raise fractional_frequency_error(parameter)
        return "frequency"
    if weight_kind is None:
        warn_unsaid_kind(
            float(sample_weight.sum()),
            sample_weight.shape[0],
            parameter=parameter,
            stacklevel=4,
        )
    return "sampling"


def model_weight_kind(
    weight_kind: Any, binner: Any, sample_weight: NDArray[np.float64] | None
) -> WeightKind:
    """The kind of a model's weights, said by the model or by its binner.

    A model that bins its features (``Scorecard``, ``FeatureSelector``) and
    its binner must read the weights alike: ``weight_kind=None`` takes the
    binner's ``weight_kind`` when it says one; then :func:`check_weight_kind`.

    Raises
    ------
    ValueError
        If the model and its binner say different kinds.
    """
    params = binner.get_params(deep=False) if binner is not None else {}
    binner_kind = params.get("weight_kind")
    if weight_kind is None:
        weight_kind = binner_kind
    elif binner_kind is not None and binner_kind != weight_kind:
        raise ValueError(
            f"weight_kind={weight_kind!r} but the binner's weight_kind is "
            f"{binner_kind!r}; say one kind (or leave one of them None)."
        )
    return check_weight_kind(weight_kind, sample_weight)


def warn_unsaid_kind(
    total: float, n_rows: int, *, parameter: str = "weight_kind", stacklevel: int
) -> None:
    """The warning of :data:`WEIGHT_KIND_RULE` from the weights' sum alone.

    Distributed fits know only the summed weights and the row count; they
    warn through this, as :func:`check_weight_kind` does for row weights.
    """
    if not np.isclose(total, n_rows, rtol=1e-9, atol=0.0):
        warnings.warn(
            f"sample_weight sums to {total:.6g} for {n_rows} rows and "
            f"{parameter} was not given: the weights are read as sampling "
            "weights (variances by linearisation). Set "
            f"{parameter}='frequency' if each weight counts replicated rows.",
            DataConditionWarning,
            stacklevel=stacklevel,
        )


def fractional_frequency_error(parameter: str = "weight_kind") -> ValueError:
    """The error for fractional weights said to be frequency counts."""
    return ValueError(
        f"{parameter}='frequency' needs whole-number sample weights "
        "(replication counts); got fractional weights. Use "
        f"{parameter}='sampling' for survey or inverse-probability weights."
    )


def search_weight_scale(total: float, n_rows: float, kind: WeightKind) -> float:
    """Weight per row that a scale-free search divides the weights by.

    Sampling weights carry no information in their scale (survey weights
    summed to the population size, inverse-probability weights): a search
    whose rules count rows (XGBoost's ``min_child_weight`` and ``reg_lambda``,
    a minimum gain, ``min_bin_count``, smoothing pseudo-counts, chi-square
    statistics) must see them rescaled to sum to the row count, so ``w`` and
    ``c * w`` give the same result. Frequency weights are rows: ``1.0``.

    Parameters
    ----------
    total : float
        Sum of the weights (positive).
    n_rows : float
        Rows the weights belong to.
    kind : {"frequency", "sampling"}
        As returned by :func:`check_weight_kind`.

    Returns
    -------
    float
        ``total / n_rows`` for sampling weights (exactly ``1.0`` when they
        already sum to the row count), ``1.0`` otherwise.
    """
    if kind != "sampling" or total == n_rows or not (total > 0 and n_rows > 0):
        return 1.0
    return float(total) / float(n_rows)


def check_model_columns(
    names: list[str], columns: list[str], *, stacklevel: int
) -> None:
    """Raise if a model feature is missing; warn once of the columns ignored.

    Raises
    ------
    ValueError
        Naming the missing model features.
    """
    missing = [n for n in names if n not in columns]
    if missing:
        raise ValueError(
            f"X is missing model feature(s) {missing}; the model needs {names}."
        )
    extra = [c for c in columns if c not in names]
    if extra:
        warnings.warn(
            f"Ignoring {len(extra)} column(s) the model does not use: "
            f"{extra[:10]}" + (" ..." if len(extra) > 10 else ""),
            DataConditionWarning,
            stacklevel=stacklevel,
        )
