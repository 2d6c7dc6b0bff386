"""Protected attributes in, one frame out: the package's one sensitive-feature rule.

Every fairness function and estimator (``assess``, ``proxy_table``, the
distance-covariance family, the penalised GLMs, ``lambda_path`` and the
frontier) turns its ``sensitive_features`` argument into a frame with
:func:`as_sensitive_frame` and decides each column's kind with
:func:`column_kinds`, so the same data is treated the same everywhere.

The kind rule
-------------
A column is **categorical** when its dtype is not numeric, is pandas
``category``, or is boolean, or when it is numeric with at most
``MAX_CATEGORIES`` (10) distinct values (a 0/1 float column, a 5-level
integer code); every other numeric column is **continuous**. The rule
depends only on the groups a column holds, not on how they are coded: a
bool array, an int 0/1 array, a float 0/1 array and a categorical column
with the same two groups are all categorical, and the distance-covariance
family factorises them to the same codes (in order of first appearance),
so they give identical results on the same fast path.

Two explicit overrides exist: ``kind=`` (one kind for every column, or a
mapping from column name to kind) and the older ``categorical=[...]`` list
(the columns that are categorical; all others continuous).

Unnamed input (a list or an array) gets columns ``s0, s1, ...``; an unnamed
Series is ``s0``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = [
    "MAX_CATEGORIES",
    "Kind",
    "KindOption",
    "as_sensitive_frame",
    "column_kinds",
    "has_categorical_dtype",
    "is_categorical",
]

#: Numeric columns with at most this many distinct values are categorical.
MAX_CATEGORIES = 10

Kind = Literal["categorical", "continuous"]
KindOption = Literal["auto", "categorical", "continuous"]
_KIND_OPTIONS = ("auto", "categorical", "continuous")


def as_sensitive_frame(
    sensitive_features: Any,
    n: int | None = None,
    *,
    name: str = "sensitive_features",
) -> pd.DataFrame:
    """Protected attributes as a checked frame with string column names.

    Parameters
    ----------
    sensitive_features : DataFrame, Series, mapping, list or array
        One column per attribute (1-D input is one attribute).
    n : int, default=None
        The number of rows expected (the length of the scores); checked when
        given.
    name : str, default="sensitive_features"
        The argument's name in messages.

    Returns
    -------
    DataFrame
        A new frame with a fresh ``RangeIndex``.

    Raises
    ------
    ValueError
        If the input is not 1-D or 2-D, has no columns, the wrong number of
        rows, a missing value, or a column with a single value.

    Examples
    --------
    >>> as_sensitive_frame([0, 1, 1]).columns.tolist()
    ['s0']
    """
    if sensitive_features is None:
        raise ValueError(f"{name} is required; got None.")
    if isinstance(sensitive_features, pd.DataFrame):
        frame = sensitive_features.reset_index(drop=True)
    elif isinstance(sensitive_features, pd.Series):
        label = sensitive_features.name if sensitive_features.name is not None else "s0"
        frame = sensitive_features.reset_index(drop=True).to_frame(name=label)
    elif isinstance(sensitive_features, Mapping):
        frame = pd.DataFrame(
            {str(k): np.asarray(v) for k, v in sensitive_features.items()}
        )
    else:
        arr = np.asarray(sensitive_features)
        if arr.ndim == 1:
            arr = arr[:, None]
        if arr.ndim != 2:
            raise ValueError(f"{name} must be 1-D or 2-D; got shape {arr.shape}.")
        frame = pd.DataFrame(
            arr, columns=[f"s{i}" for i in range(arr.shape[1])]
        ).infer_objects()
    frame.columns = [str(c) for c in frame.columns]
    if frame.shape[1] == 0:
        raise ValueError(f"{name} has no columns.")
    if n is not None and len(frame) != n:
        raise ValueError(
            f"{name} has {len(frame)} rows but the scores have {n}; they must have "
            "the same length."
        )
    for col in frame.columns:
        missing = int(frame[col].isna().sum())
        if missing:
            raise ValueError(
                f"{name} column {col!r} has {missing} missing values; give them an "
                "explicit category (e.g. 'unknown') or drop those rows."
            )
        if frame[col].nunique() < 2:
            raise ValueError(
                f"{name} column {col!r} has a single value "
                f"({frame[col].iloc[0]!r}); a protected attribute needs at least "
                "two groups."
            )
    return frame


def has_categorical_dtype(column: pd.Series) -> bool:
    """The dtype half of the rule: non-numeric, pandas ``category`` or boolean.

    Generic two-variable statistics (:func:`fairness.distance_covariance`'s
    ``y``) use only this half: a numeric ``y`` is a numeric variable there.
    """
    dtype = column.dtype
    return bool(
        not pd.api.types.is_numeric_dtype(dtype)
        or isinstance(dtype, pd.CategoricalDtype)
        or pd.api.types.is_bool_dtype(dtype)
    )


def is_categorical(
    column: pd.Series, kind: KindOption = "auto", *, name: str = "sensitive_features"
) -> bool:
    """The kind rule for one column (see the module docstring).

    Parameters
    ----------
    column : Series
    kind : {"auto", "categorical", "continuous"}, default="auto"
        ``"auto"``: the rule; otherwise the explicit kind (a column made
        continuous must be numeric and not boolean).
    name : str, default="sensitive_features"
        The argument's name in messages.

    Raises
    ------
    ValueError
        ``kind`` not one of the three options.
    TypeError
        ``kind="continuous"`` for a non-numeric or boolean column.
    """
    if kind not in _KIND_OPTIONS:
        raise ValueError(
            f"kind must be 'auto', 'categorical' or 'continuous'; got {kind!r}."
        )
    if kind == "categorical":
        return True
    if kind == "continuous":
        _check_continuous(column, column.name, name)
        return False
    if has_categorical_dtype(column):
        return True
    # a prefix with more distinct values settles it without hashing every row
    head = column.iloc[:1000]
    if len(column) > 1000 and head.nunique() > MAX_CATEGORIES:
        return False
    return bool(column.nunique() <= MAX_CATEGORIES)


def _check_continuous(column: pd.Series, col: object, name: str) -> None:
    dtype = column.dtype
    if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        where = name if col is None else f"{name} column {str(col)!r}"
        raise TypeError(
            f"{where} is treated as continuous but has "
            f"non-numeric dtype {dtype}; make it categorical or convert it "
            "to numbers."
        )


def column_kinds(
    frame: pd.DataFrame,
    categorical: Sequence[str] | Literal["auto"] = "auto",
    *,
    kind: KindOption | Mapping[str, KindOption] = "auto",
    name: str = "sensitive_features",
) -> tuple[Kind, ...]:
    """Kind of each column: the rule, ``kind=`` or the explicit ``categorical`` list.

    Parameters
    ----------
    frame : DataFrame
        From :func:`as_sensitive_frame`.
    categorical : sequence of str or "auto", default="auto"
        The columns that are categorical (all others continuous).
    kind : {"auto", "categorical", "continuous"} or mapping, default="auto"
        One kind for every column, or ``{column: kind}`` (columns not named
        follow the rule). Cannot be combined with a ``categorical`` list.
    name : str, default="sensitive_features"

    Raises
    ------
    ValueError
        If ``categorical`` or ``kind`` names a column that is not in ``frame``,
        a kind is not one of the options, or both overrides are given.
    TypeError
        If a column that is to be continuous is not numeric.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"sex": [0.0, 1.0, 1.0], "age": [30, 41, 52]})
    >>> column_kinds(f)
    ('categorical', 'categorical')
    >>> column_kinds(f, kind={"age": "continuous"})
    ('categorical', 'continuous')
    """
    columns = [str(c) for c in frame.columns]
    if not isinstance(categorical, str):
        if not (isinstance(kind, str) and kind == "auto"):
            raise ValueError(
                "give either categorical=[...] or kind=..., not both; got "
                f"categorical={list(categorical)!r} and kind={kind!r}."
            )
        return _kinds_from_list(frame, categorical, columns, name)
    if categorical != "auto":
        raise ValueError(
            f"categorical must be 'auto' or a list of column names; got "
            f"{categorical!r}."
        )
    if isinstance(kind, Mapping):
        unknown = sorted(set(map(str, kind)) - set(columns))
        if unknown:
            raise ValueError(
                f"kind names {unknown} that are not columns of {name}; columns "
                f"are {columns}."
            )
        per_column = {str(k): v for k, v in kind.items()}
    else:
        per_column = dict.fromkeys(columns, kind)
    return tuple(
        "categorical"
        if is_categorical(frame[key], per_column.get(col, "auto"), name=name)
        else "continuous"
        for key, col in zip(frame.columns, columns, strict=True)
    )


def _kinds_from_list(
    frame: pd.DataFrame, categorical: Sequence[str], columns: list[str], name: str
) -> tuple[Kind, ...]:
    chosen = set(map(str, categorical))
    unknown = sorted(chosen - set(columns))
    if unknown:
        raise ValueError(
            f"categorical names {unknown} that are not columns of {name}; columns "
            f"are {columns}."
        )
    kinds: list[Kind] = []
    for key, col in zip(frame.columns, columns, strict=True):
        if col in chosen:
            kinds.append("categorical")
            continue
        _check_continuous(frame[key], col, name)
        kinds.append("continuous")
    return tuple(kinds)
