"""Drift checks on Dask DataFrames: count every partition, sum the tables.

:meth:`DriftMonitor.count` (and so :meth:`DriftMonitor.check`) hand a Dask
batch to :func:`count_dask`, which counts each partition with the monitor's
own in-memory counting (:meth:`DriftMonitor.count`) and sums the count tables
in a tree on the workers. Only the tables (features x bins x classes) travel
to the client, so the client's memory does not depend on the batch size and a
worker's on its partition size. The report is then computed from the summed
table exactly as for an in-memory batch.

Dask is imported only when a Dask batch is given (or ``--engine dask`` is
used); the package works without it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import pandas as pd

from scorecard import CountTable
from scorecard._kit.dask import (
    INSTALL_HINT,
    as_frame,
    as_series,
    map_reduce,
    meta_frame,
)

__all__ = ["Counter", "count_dask", "dask_client", "read_batch"]


class Counter(Protocol):
    """What :func:`count_dask` needs of a monitor (``DriftMonitor`` satisfies it).

    A protocol, so this module (below the monitor) imports nothing of it.
    """

    @property
    def features(self) -> tuple[str, ...]: ...

    def count(self, X: Any, y: Any = None, *, bad_value: Any = None) -> CountTable:
        """Count an in-memory batch per bin."""
        ...


def _count_part(
    part: pd.DataFrame,
    y: pd.Series | None,
    *,
    monitor: Counter,
    bad_value: Any,
) -> CountTable:
    if y is not None and len(y) != len(part):
        raise ValueError(
            f"y has {len(y)} rows in a partition where the batch has {len(part)}; "
            "partition them alike (e.g. y = ddf[target])."
        )
    return monitor.count(part, y, bad_value=bad_value)


def count_dask(
    monitor: Counter, X: Any, y: Any = None, *, bad_value: Any = None
) -> CountTable:
    """Counts of a Dask batch: per-partition :meth:`DriftMonitor.count`, summed.

    Parameters
    ----------
    monitor : Counter
        The monitor, a :class:`~monitoring.DriftMonitor` (shipped to the
        workers with the tasks).
    X : Dask DataFrame
        The batch; extra columns are dropped before counting.
    y : Dask Series, default=None
        Labels, partitioned like ``X``.
    bad_value : scalar, default=None
        The label meaning bad.

    Returns
    -------
    CountTable
        Equal to ``monitor.count`` of the same rows in memory.

    Raises
    ------
    ValueError
        If a model column is missing (checked before anything runs), or a
        partition has invalid labels.
    TypeError
        If ``X`` is not a Dask DataFrame, ``y`` not a Dask Series, or a numeric
        feature holds non-numeric values.
    """
    frame = as_frame(X, "DriftMonitor.count")
    columns = {str(c): c for c in meta_frame(frame).columns}
    missing = [f for f in monitor.features if f not in columns]
    if missing:
        raise ValueError(
            f"The batch is missing model column(s) {missing}; the model needs "
            f"{list(monitor.features)}."
        )
    frame = frame[[columns[f] for f in monitor.features]]
    y_s = as_series(y, "y", "DriftMonitor.count")
    return map_reduce(_count_part, frame, y_s, monitor=monitor, bad_value=bad_value)


def read_batch(path: str, columns: Sequence[str]) -> Any:
    """A CSV or Parquet batch (file or Parquet directory) as a Dask DataFrame.

    Raises
    ------
    ValueError
        If Dask is not installed (``--engine dask`` needs the extra), a
        column name repeats or a CSV row has the wrong number of fields.
    """
    from scorecard._kit.io import check_table, table_format

    try:
        import dask.dataframe as dd
    except ImportError as exc:
        raise ValueError(
            f"--engine dask needs Dask, which is not installed ({exc}); {INSTALL_HINT}."
        ) from exc
    check_table(path)  # field counts and unique names, as the pandas engine
    if table_format(path) == "csv":
        return dd.read_csv(path, usecols=list(columns))
    return dd.read_parquet(path, columns=list(columns))


@contextlib.contextmanager
def dask_client(address: str | None) -> Iterator[Any]:
    """A distributed Client: to ``address``, or to a new local cluster.

    The local cluster (scheduler, workers and its HTTP server on a random
    port) listens on the loopback interface only; it is closed on exit.
    Dask's own logs (``distributed.*``, ``tornado``, ``bokeh``) are kept to
    errors unless logging is at INFO (``infoscore --verbose``): its start-up
    and shutdown chatter would hide the job's one-line error.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ValueError(
            f"--engine dask needs dask.distributed, which is not installed "
            f"({exc}); {INSTALL_HINT}."
        ) from exc
    with _quiet_dask():
        yield from _client(Client, LocalCluster, address)


@contextlib.contextmanager
def _quiet_dask() -> Iterator[None]:
    """Dask's loggers at ERROR (unless verbose) for the block; then restored."""
    verbose = logging.getLogger().isEnabledFor(logging.INFO)
    names = ("distributed", "tornado", "bokeh", "asyncio")
    loggers = [logging.getLogger(n) for n in names]
    levels = [lg.level for lg in loggers]
    if not verbose:
        for lg in loggers:
            lg.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def _client(Client: Any, LocalCluster: Any, address: str | None) -> Iterator[Any]:
    verbose = logging.getLogger().isEnabledFor(logging.INFO)
    if address is not None:
        try:
            client = Client(address, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise OSError(
                f"Cannot connect to the Dask scheduler at {address!r}: {exc}"
            ) from exc
        with client:
            yield client
        return
    with (
        LocalCluster(
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            processes=True,
            silence_logs=logging.INFO if verbose else logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client
