"""Spark plumbing: detection, column checks, a map over batches summed on a driver.

As for Dask (:mod:`scorecard._kit.dask`), every statistic of the package is a
function of bin count tables, and the tables of the parts of a data set add up
to the table of the whole. A Spark DataFrame is handled by running the same
pandas/numpy code as the in-memory path on every Arrow batch of every
partition (``mapInArrow``), folding the results of one partition in order on
the executor, sending each partition's result (a small pickled table) to the
driver and folding those in partition order there (:func:`map_reduce`). An
executor holds one Arrow batch (``spark.sql.execution.arrow.maxRecordsPerBatch``
rows) and one summary at a time, so its memory is bounded by the batch size,
not by the data size.

The Python workers receive pyarrow RecordBatches (``mapInArrow``, not
``mapInPandas``): only the columns a job needs are converted to pandas, by
pyarrow's own ``to_pandas`` (the conversion ``pd.read_parquet`` and the Dask
engine use, so an integer column with missing values arrives as float64 with
NaN, as in memory), and the columns a lazy output keeps are handed back as
the input's Arrow arrays, without a round trip through pandas
(:func:`map_columns`).

Per-row arguments are columns of the one DataFrame: Spark rows have no order
that a second DataFrame could be aligned to, so ``y`` and ``sample_weight``
are given as column *names* of ``X`` (``binner.fit(sdf, "target")``).

An exception raised by the pandas code on an executor is sent back pickled and
raised again on the driver, so a Spark input gets the same named error as a
pandas input. An input with no rows runs the pandas code once on an empty
frame with the input's columns, again as pandas would.

This module never imports pyspark at import time: :func:`is_spark_dataframe`
looks at the class's module name, and pyspark is imported only once a Spark
input has been given (:func:`require_spark`), with the install hint when it is
missing. The package works without pyspark installed.
"""

from __future__ import annotations

import functools
import operator
import pickle
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import pandas as pd

__all__ = [
    "INSTALL_HINT",
    "Group",
    "bin_code_column",
    "check_column_name",
    "check_features",
    "check_method",
    "empty_frame",
    "feature_columns",
    "is_spark_dataframe",
    "map_columns",
    "map_reduce",
    "output_schema",
    "require_spark",
    "spark_columns",
    "spark_types",
]

INSTALL_HINT = (
    "install the extra: pip install 'infoscore[spark]' (and a Java 17 runtime, "
    "e.g. the Debian package openjdk-17-jre-headless)"
)

#: One argument of a partition function: a list of column names (a pandas
#: DataFrame), one name (a pandas Series) or None (passed as None).
Group = Sequence[str] | str | None


# --------------------------------------------------------------------------
# detection and imports


def is_spark_dataframe(obj: Any) -> bool:
    """Whether ``obj`` is a Spark DataFrame, without importing pyspark.

    Parameters
    ----------
    obj : object
        Anything.

    Returns
    -------
    bool
        True for instances of a class named ``DataFrame`` defined in
        ``pyspark.sql`` (classic and Spark Connect DataFrames).

    Examples
    --------
    >>> import pandas as pd
    >>> is_spark_dataframe(pd.DataFrame({"a": [1]}))
    False
    """
    return any(
        k.__name__ == "DataFrame" and k.__module__.startswith("pyspark.sql")
        for k in type(obj).__mro__
    )


def require_spark(what: str) -> Any:
    """Import ``pyspark.sql``; ImportError with the install hint if absent."""
    try:
        import pyspark.sql as psql
        import pyspark.sql.functions  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            f"{what} got a Spark DataFrame, but pyspark is not available: {exc}. "
            f"To use Spark inputs, {INSTALL_HINT}."
        ) from exc
    return psql


def spark_columns(X: Any, what: str) -> list[str]:
    """Column names of a Spark DataFrame (TypeError for anything else)."""
    require_spark(what)
    if not is_spark_dataframe(X):
        raise TypeError(
            f"{what}: X must be a Spark DataFrame when Spark inputs are used; "
            f"got {type(X).__name__}."
        )
    return [str(c) for c in X.columns]


def check_column_name(value: Any, name: str, columns: Sequence[str], what: str) -> Any:
    """A per-row argument of a Spark input: the name of a column of ``X``.

    ``None`` passes through. Anything else raises: TypeError for a
    non-string (a pandas Series or array cannot be aligned to Spark rows),
    ValueError for a name that is not a column.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(
            f"{what}: {name} must be the name of a column of X when X is a Spark "
            f"DataFrame (e.g. fit(sdf, 'target')); got {type(value).__name__}."
        )
    if value not in columns:
        raise ValueError(
            f"{what}: {name}={value!r} is not a column of X; columns are "
            f"{list(columns)[:20]}."
        )
    return value


def feature_columns(columns: Sequence[str], *exclude: str | None) -> list[str]:
    """The columns of ``X`` that are not the target or weight column."""
    drop = {e for e in exclude if e is not None}
    return [c for c in columns if c not in drop]


def empty_frame(X: Any, columns: Sequence[str]) -> pd.DataFrame:
    """An empty pandas frame with the Arrow dtypes of the given Spark columns.

    The same conversion as the Arrow batches of the jobs (pyarrow's
    ``to_pandas`` of the Arrow schema), computed on the driver without
    running a job.
    """
    from pyspark.sql.pandas.types import to_arrow_schema

    schema = X.select(*[_col(c) for c in columns]).schema
    return to_arrow_schema(schema).empty_table().to_pandas()


def _col(name: str) -> Any:
    from pyspark.sql import functions as F

    return F.col("`" + name.replace("`", "``") + "`")


def check_method(method: str) -> None:
    """Raise unless ``method`` names one of the two Spark paths of a job.

    ``"arrow"``: the in-memory code on every Arrow batch (``mapInArrow``);
    ``"native"``: Spark column expressions where the columns allow it.
    """
    if method not in ("arrow", "native"):
        raise ValueError(f"method must be 'arrow' or 'native'; got {method!r}.")


def check_features(X: Any, names: list[str], kinds: list[str], what: str) -> None:
    """Model columns present and numeric features not text (on the driver).

    Raises
    ------
    ValueError
        Naming the missing model features (the in-memory message).
    TypeError
        For a numeric feature held in a text column.
    """
    columns = spark_columns(X, what)
    missing = [n for n in names if n not in columns]
    if missing:
        raise ValueError(
            f"X is missing model feature(s) {missing}; the model needs {names}."
        )
    types = {f.name: f.dataType.typeName() for f in X.schema.fields}
    for name, kind in zip(names, kinds, strict=True):
        if kind == "numeric" and types[name] in ("string", "binary", "char", "varchar"):
            raise TypeError(
                f"Feature {name!r} is numeric but its Spark column has type "
                f"{types[name]}; cast it to a number or fix the data."
            )


def output_schema(X: Any, replace: dict[str, str], append: dict[str, str]) -> Any:
    """The schema of ``X`` with some column types replaced and columns appended."""
    from pyspark.sql.types import StructField, StructType, _parse_datatype_string

    fields = []
    for f in X.schema.fields:
        if f.name in replace:
            fields.append(StructField(f.name, _parse_datatype_string(replace[f.name])))
        else:
            fields.append(f)
    for name, kind in append.items():
        if name in X.columns:
            raise ValueError(
                f"X already has a column {name!r}; rename it before adding the "
                f"model's {name!r} column."
            )
        fields.append(StructField(name, _parse_datatype_string(kind)))
    return StructType(fields)


# --------------------------------------------------------------------------
# native column expressions (no Python worker)

#: Spark types whose values reach the in-memory code as exact float64.
EXACT_NUMERIC = ("byte", "short", "integer", "long", "float", "double")


def spark_types(X: Any) -> dict[str, str]:
    """Column name to Spark type name (``"double"``, ``"string"``, ...)."""
    return {f.name: f.dataType.typeName() for f in X.schema.fields}


def bin_code_column(
    fb: Any, name: str, type_name: str, *, infinite: str | None = None
) -> Any:
    """``FeatureBins.assign`` of one column as a Spark expression, or None.

    Parameters
    ----------
    fb : FeatureBins
        The bins of the feature.
    name : str
        Its column.
    type_name : str
        The column's Spark type name (:func:`spark_types`).
    infinite : str, default=None
        For a numeric feature: the error message the job fails with at an
        infinite value (``raise_error``, when the output is computed); None
        gives infinite values the code -1 (the caller raises on the driver).

    Returns
    -------
    Column or None
        The bin code (long) of every row, equal to ``fb.assign`` of the same
        values: for a numeric feature in a number column, missing (null or
        NaN) first, then the special values, then the number of thresholds
        at or below the value (``searchsorted(..., side="right")``); for a
        categorical feature in a text column whose categories and special
        values are all text, missing, specials, the groups, then the unseen
        bin. Infinite numbers: see ``infinite``. None for every other case
        (a text column for a numeric feature, numeric categories, ...): the
        caller then runs the in-memory code on Arrow batches, which gives
        its own errors.
    """
    from pyspark.sql import functions as F

    col = _col(name)
    if fb.kind == "numeric":
        if type_name not in EXACT_NUMERIC:
            return None
        x = col.cast("double")
        regular = F.lit(0).cast("long")
        for t in fb.thresholds:
            regular = regular + (x >= F.lit(float(t))).cast("long")
        expr = F.when(x.isNull() | F.isnan(x), F.lit(fb.missing_code))
        numeric = [
            (i, float(s))
            for i, s in enumerate(fb.special_values)
            if isinstance(s, int | float) and not isinstance(s, bool)
        ]
        for i, s in reversed(numeric):  # a later special wins, as in assign
            expr = expr.when(x == F.lit(s), F.lit(fb.n_regular + i))
        bad = F.lit(-1) if infinite is None else F.raise_error(F.lit(infinite))
        expr = expr.when((x == F.lit(float("inf"))) | (x == F.lit(float("-inf"))), bad)
        return expr.otherwise(regular).cast("long")
    values = [c for g in fb.groups for c in g] + list(fb.special_values)
    if type_name != "string" or not all(isinstance(v, str) for v in values):
        return None
    expr = F.when(col.isNull(), F.lit(fb.missing_code))
    seen: set[str] = set()
    for i, s in enumerate(fb.special_values):  # the first match, as get_indexer
        if s not in seen:
            expr = expr.when(col == F.lit(s), F.lit(fb.n_regular + i))
            seen.add(s)
    for k, group in enumerate(fb.groups):
        fresh = [c for c in group if c not in seen]
        if fresh:
            expr = expr.when(col.isin(fresh), F.lit(k))
            seen.update(fresh)
    return expr.otherwise(F.lit(fb.missing_code + 1)).cast("long")


# --------------------------------------------------------------------------
# map over partitions, fold on the driver


def _layout(groups: Sequence[Group]) -> tuple[list[str], list[Any]]:
    """Flat list of columns and, per group, the slice of positions (or None)."""
    flat: list[str] = []
    spans: list[Any] = []
    for g in groups:
        if g is None:
            spans.append(None)
        elif isinstance(g, str):
            spans.append(len(flat))
            flat.append(g)
        else:
            spans.append(slice(len(flat), len(flat) + len(g)))
            flat.extend(g)
    return flat, spans


def _split(
    pdf: pd.DataFrame, flat: list[str], spans: list[Any]
) -> list[pd.DataFrame | pd.Series | None]:
    pdf.columns = pd.Index(flat, dtype=object)
    out: list[Any] = []
    for s in spans:
        if s is None:
            out.append(None)
        elif isinstance(s, int):
            out.append(pdf.iloc[:, s])
        else:
            out.append(pdf.iloc[:, s])
    return out


def _select(X: Any, flat: list[str]) -> Any:
    # Positional aliases: a column may appear in two groups (and names may
    # hold characters Arrow or pandas would mangle).
    return X.select(*[_col(c).alias(f"_c{i}") for i, c in enumerate(flat)])


class _TreeFold:
    """Fold a stream in order as a balanced binary tree (a binary counter).

    ``combine`` is only ever applied to adjacent runs, older first, so
    order-dependent merges stay in row order; the tree has depth at most
    ``ceil(log2(n)) + 1`` for ``n`` items, which bounds the rank error of
    the quantile sketch (docs/methodology.md, section 21).
    """

    def __init__(self, combine: Callable[[Any, Any], Any]) -> None:
        self.combine = combine
        self.stack: list[tuple[int, Any]] = []
        self.seen = False

    def push(self, item: Any) -> None:
        self.seen = True
        level = 0
        while self.stack and self.stack[-1][0] == level:
            _, older = self.stack.pop()
            item = self.combine(older, item)
            level += 1
        self.stack.append((level, item))

    def result(self) -> Any:
        if not self.stack:
            return None
        items = [item for _, item in self.stack]
        return functools.reduce(self.combine, items)


def _partition_task(
    func: Callable[..., Any],
    combine: Callable[[Any, Any], Any],
    flat: list[str],
    spans: list[Any],
    kwargs: dict[str, Any],
) -> Callable[[Iterator[Any]], Iterator[Any]]:
    def run(batches: Iterator[Any]) -> Iterator[Any]:
        from pyspark import TaskContext

        ctx = TaskContext.get()
        pid = -1 if ctx is None else ctx.partitionId()
        fold = _TreeFold(combine)
        try:
            for batch in batches:
                if batch.num_rows > 0:
                    pdf = batch.to_pandas()
                    fold.push(func(*_split(pdf, flat, spans), **kwargs))
            acc = fold.result()
        except Exception as exc:  # noqa: BLE001 - re-raised on the driver
            yield _result_batch(pid, False, _dump(exc))
            return
        if fold.seen:
            yield _result_batch(pid, True, _dump(acc))

    return run


#: The rows :func:`map_reduce`'s tasks send to the driver: one per partition.
RESULT_SCHEMA = "part long, ok boolean, payload binary"


def _result_batch(pid: int, ok: bool, payload: bytes) -> Any:
    import pyarrow as pa

    return pa.RecordBatch.from_arrays(
        [pa.array([pid], pa.int64()), pa.array([ok]), pa.array([payload], pa.binary())],
        names=["part", "ok", "payload"],
    )


def _dump(obj: Any) -> bytes:
    try:
        return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - an unpicklable exception
        return pickle.dumps(RuntimeError(repr(obj)))


def map_reduce(
    func: Callable[..., Any],
    X: Any,
    *groups: Group,
    combine: Callable[[Any, Any], Any] = operator.add,
    **kwargs: Any,
) -> Any:
    """Apply ``func`` to every Arrow batch of ``X`` and fold the results.

    Parameters
    ----------
    func : callable
        ``func(*parts, **kwargs)`` on pandas objects, one per group: a
        DataFrame for a list of column names, a Series for one name, None for
        None (the same partition functions as the Dask paths).
    X : Spark DataFrame
        The data.
    *groups : list of str, str or None
        Columns of ``X`` passed to ``func``.
    combine : callable, default=operator.add
        Associative merge of two results, applied in row order within a
        partition and in partition order on the driver (so order-dependent
        summaries, such as categories in order of first appearance, follow
        the order of the data).
    **kwargs
        Passed to ``func``.

    Returns
    -------
    object
        The folded result. Without rows, ``func`` of empty pandas objects
        with the columns' dtypes (computed on the driver), as in memory.

    Raises
    ------
    Exception
        The exception ``func`` raised on an executor, raised again here.
    """
    require_spark("map_reduce")
    flat, spans = _layout(groups)
    task = _partition_task(func, combine, flat, spans, kwargs)
    rows = _select(X, flat).mapInArrow(task, schema=RESULT_SCHEMA).collect()
    rows = sorted(rows, key=lambda r: r["part"])
    for r in rows:
        if not r["ok"]:
            raise pickle.loads(r["payload"])  # noqa: S301 - our own executors
    if not rows:
        return func(*_split(empty_frame(X, flat), flat, spans), **kwargs)
    fold = _TreeFold(combine)
    for r in rows:
        fold.push(pickle.loads(r["payload"]))  # noqa: S301
    return fold.result()


def map_columns(
    func: Callable[[pd.DataFrame], Mapping[str, Any]],
    X: Any,
    columns: Sequence[str],
    schema: Any,
) -> Any:
    """A lazy Spark DataFrame: ``func`` applied to every Arrow batch of ``X``.

    Parameters
    ----------
    func : callable
        Takes a pandas frame of ``columns`` (one Arrow batch, converted by
        pyarrow) and returns the new or replaced output columns by name
        (arrays or Series of the batch's length).
    X : Spark DataFrame
        The data.
    columns : sequence of str
        The columns of ``X`` that ``func`` reads (the only ones converted to
        pandas).
    schema : StructType
        The output: the columns of ``X`` in place (types replaced where
        ``func`` replaces them), then appended columns
        (:func:`output_schema`).

    Returns
    -------
    Spark DataFrame
        Lazy. An output column that ``func`` does not return is the input's
        Arrow column, passed through unchanged; the others are converted by
        ``pyarrow.Array.from_pandas`` (NaN and None become null, as in a
        ``mapInPandas`` output).
    """
    require_spark("map_columns")
    from pyspark.sql.pandas.types import to_arrow_schema

    arrow = to_arrow_schema(schema)
    names = [str(c) for c in X.columns]
    take = [names.index(c) for c in columns]
    wanted = [str(c) for c in columns]

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import numpy as np
        import pyarrow as pa

        for batch in batches:
            pdf = batch.select(take).to_pandas()
            pdf.columns = pd.Index(wanted, dtype=object)
            new = func(pdf)
            arrays = []
            for j, field in enumerate(arrow):
                if field.name in new:
                    values = np.asarray(new[field.name])
                    arrays.append(pa.Array.from_pandas(values, type=field.type))
                else:
                    arrays.append(batch.column(j))
            yield pa.RecordBatch.from_arrays(arrays, names=arrow.names)

    return X.mapInArrow(run, schema=schema)
