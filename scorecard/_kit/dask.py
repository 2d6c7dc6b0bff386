"""Dask plumbing: detection, collections, and a map over partitions with a tree-sum.

Every statistic of the package is a function of bin count tables, and count
tables of the partitions of a data set add up to the table of the whole data
set. So a Dask input is handled by computing every partition with the same
pandas/numpy code as the in-memory path and combining the results in a tree
(:func:`map_reduce`). The Dask paths themselves live next to what they
compute: counting in :mod:`scorecard._stats._dask`, binning in
:mod:`scorecard._binning._dask`, WoE and scores in :mod:`scorecard._models._dask`
(and drift in ``monitoring``).

This module never imports Dask at import time: :func:`is_dask_collection`
duck-types the Dask collection protocol (``__dask_graph__``), and Dask is
imported only once a Dask input has been given (:func:`require_dask`), with a
clear message when it is missing. The package works without Dask installed.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any

import pandas as pd

__all__ = [
    "INSTALL_HINT",
    "SPLIT_EVERY",
    "as_frame",
    "as_series",
    "frame_and_meta",
    "is_dask_collection",
    "map_reduce",
    "meta_frame",
    "require_dask",
]

#: Fan-in of the tree that sums partition results.
SPLIT_EVERY = 8

INSTALL_HINT = "install the extra: pip install 'infoscore[dask]'"


# --------------------------------------------------------------------------
# detection and imports


def is_dask_collection(obj: Any) -> bool:
    """Whether ``obj`` is a Dask collection, without importing Dask.

    Parameters
    ----------
    obj : object
        Anything.

    Returns
    -------
    bool
        True for objects that implement the Dask collection protocol (a
        ``__dask_graph__`` method): Dask DataFrames, Series and Arrays.

    Examples
    --------
    >>> import numpy as np
    >>> is_dask_collection(np.zeros(3))
    False
    """
    return callable(getattr(type(obj), "__dask_graph__", None))


def require_dask(what: str) -> Any:
    """Import ``dask.dataframe``; ImportError with the install hint if absent."""
    try:
        import dask  # noqa: F401
        import dask.dataframe as dd
    except ImportError as exc:
        raise ImportError(
            f"{what} got a Dask collection, but Dask (with dask.dataframe) is not "
            f"available: {exc}. To use Dask inputs, {INSTALL_HINT}."
        ) from exc
    return dd


def as_frame(X: Any, what: str) -> Any:
    """A Dask DataFrame from a Dask DataFrame, Series or 2-D Array."""
    dd = require_dask(what)
    if isinstance(X, dd.DataFrame):
        return X
    if isinstance(X, dd.Series):
        return X.to_frame()
    if is_dask_collection(X) and getattr(X, "ndim", None) == 2:
        # Integer column names, as a numpy array has no feature names.
        return dd.from_dask_array(X, columns=list(range(X.shape[1])))
    raise TypeError(
        f"{what}: X must be a Dask DataFrame (or a 2-D Dask Array) when Dask "
        f"inputs are used; got {type(X).__name__}."
    )


def as_series(v: Any, name: str, what: str) -> Any:
    """A Dask Series (or None) for a per-row argument of a Dask input."""
    if v is None:
        return None
    dd = require_dask(what)
    if isinstance(v, dd.Series):
        return v
    if isinstance(v, dd.DataFrame) and len(v.columns) == 1:
        return v[v.columns[0]]
    if is_dask_collection(v) and getattr(v, "ndim", None) == 1:
        return dd.from_dask_array(v)
    raise TypeError(
        f"{what}: {name} must be a Dask Series partitioned like X when X is a Dask "
        f"collection (e.g. ddf['target']); got {type(v).__name__}."
    )


def meta_frame(X: Any) -> pd.DataFrame:
    """The empty pandas frame describing a Dask DataFrame's columns."""
    return X._meta


def frame_and_meta(X: Any, what: str) -> tuple[Any, pd.DataFrame]:
    """A Dask DataFrame of ``X`` and its empty pandas meta (names and dtypes)."""
    frame = as_frame(X, what)
    return frame, meta_frame(frame)


# --------------------------------------------------------------------------
# map and tree-sum


def _boxed(*parts: Any, _func: Callable[..., Any], _kwargs: dict[str, Any]) -> Any:
    """Run ``_func`` on one partition; box the result in a 1-element Series."""
    return pd.Series([_func(*parts, **_kwargs)], dtype=object)


def _unbox(item: Any) -> Any:
    return item.iloc[0] if isinstance(item, pd.Series) else item


def _combine(combine: Callable[[Any, Any], Any], *items: Any) -> Any:
    return functools.reduce(combine, [_unbox(i) for i in items])


def map_reduce(
    func: Callable[..., Any],
    *frames: Any,
    combine: Callable[[Any, Any], Any] = operator.add,
    split_every: int = SPLIT_EVERY,
    **kwargs: Any,
) -> Any:
    """Apply ``func`` to every partition and combine the results in a tree.

    Parameters
    ----------
    func : callable
        ``func(*partitions, **kwargs)`` on pandas partitions; ``None``
        arguments are passed through.
    *frames : Dask DataFrame or Series, or None
        Collections partitioned alike (aligned by Dask).
    combine : callable, default=operator.add
        Associative merge of two results, applied in partition order (so
        order-dependent summaries stay deterministic).
    split_every : int, default=8
        Fan-in of the reduction tree.
    **kwargs
        Passed to ``func``.

    Returns
    -------
    object
        The combined result, computed on the current Dask scheduler (the
        default ``distributed.Client`` when one is active).
    """
    dd = require_dask("map_reduce")
    import dask

    out = dd.map_partitions(
        _boxed,
        *frames,
        _func=func,
        _kwargs=kwargs,
        meta=pd.Series([], dtype=object),
        enforce_metadata=False,
    )
    level = list(out.to_delayed())
    combine_task = dask.delayed(_combine, pure=True)
    if len(level) == 1:
        level = [combine_task(combine, level[0])]
    while len(level) > 1:
        level = [
            combine_task(combine, *level[i : i + split_every])
            for i in range(0, len(level), split_every)
        ]
    return level[0].compute()
