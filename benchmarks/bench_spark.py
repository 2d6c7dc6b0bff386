"""Benchmark: drift, WoE and counting on local Spark vs Dask vs one process.

Run: ``python benchmarks/bench_spark.py`` (10,000,000 rows x 20 features;
``--rows N`` for another size, e.g. ``--rows 2000000`` while developing).
Needs the ``spark`` and ``dask`` extras and a Java 17 runtime.

Data and model: those of ``benchmarks/bench_dask.py`` (its functions are
reused): ``make_credit_data`` in Parquet files of 500,000 rows under /tmp
(reused when they hold the requested rows), a ``Scorecard`` fitted on the
first 200,000 rows.

Jobs, each from the Parquet files on disk to the final result:

* drift: ``DriftMonitor.check`` of the whole batch with its labels (on
  Spark, the default ``method="arrow"``: every Arrow batch counted by the
  in-memory code in a Python worker, ``mapInArrow``; ``--native-repeat``
  runs of ``method="native"``, bin codes as Spark expressions and one JVM
  aggregation, are timed too when asked for);
* WoE: ``WoEEncoder.transform`` of the feature columns reduced to the column
  sums (the default Arrow-batch path; with ``--native-repeat`` also
  ``method="native"``, Spark expressions in the JVM).

Cold and warm. Each engine starts fresh (a new Spark session; a new Dask
``LocalCluster``; a new process in memory); starting it is not timed. The
*cold* time of a job is its first run: for Spark it includes the Python
workers' start and imports and the JVM's JIT compilation, for Dask the
workers' first import of the package (no warm-up job runs before it). The
*warm* time is the median of ``--repeat`` further runs in the same session:
the steady-state rate, on which the throughput goal ("within 2x of Dask")
is read, since a monitoring service or a batch-scoring job keeps its
session. Both are printed, with the Spark / Dask ratios.

Times: wall clock and CPU clock (user + system seconds of the processes
doing the work: the Dask client, scheduler and workers; the driver, JVM
and Python workers of Spark), since the machine is shared.

Engines, one after the other in the same run:

* ``in-memory``: one fresh process, ``pd.read_parquet`` then the in-memory
  path (the read time is shown separately and is not in the job times);
* ``dask, 2 workers``: a ``LocalCluster`` of 2 single-threaded worker
  processes, one partition per Parquet file;
* ``spark local[2]``: a local session with 2 cores (loopback, no UI),
  ``spark.read.parquet`` with ``spark.sql.files.maxPartitionBytes`` set to
  the largest file's size, so that every file is one partition as for Dask
  (20 partitions at 10^7 rows; Spark's default gives 3 on 2 cores, and the
  last of 2 waves runs on one core); ``--partition-mb`` sets another size
  (0: Spark's default). Arrow batches of ``maxRecordsPerBatch`` rows
  (default 10,000; ``--batch-rows``). The partition count is printed.

Memory: the peak resident set (Linux ``VmHWM``) of the single process, of
every Dask worker process, and for Spark of every Python worker (read by a
small job after the timed jobs; workers are reused between tasks) and of the
JVM (driver and executor in local mode; its heap is capped by
``spark.driver.memory``). The goal: Spark's Python worker peak bounded by
the Arrow batch size, not the data size.

Counting (``--count-rows``, default 2,000,000): the bin codes of the first
rows written once as Parquet, then
:func:`scorecard._stats._spark.count_codes` with ``method="arrow"``
(``mapInArrow``, batch tables summed) vs ``method="groupby"`` (one Spark
aggregation), medians of ``--repeat`` runs.

Equality: the drift counts of every engine against the in-memory counts
(must be identical), the WoE column sums with ``np.allclose``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_dask as bd  # noqa: E402


def _median_runs(func: Any, repeat: int) -> tuple[float, float, Any]:
    """Median wall and median CPU seconds (this process, the JVM, its workers)."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        t, c = time.perf_counter(), bd.tree_cpu_s()
        result = func()
        walls.append(time.perf_counter() - t)
        cpus.append(bd.tree_cpu_s() - c)
    return statistics.median(walls), statistics.median(cpus), result


def _cold_warm(out: dict[str, Any], name: str, func: Any, repeat: int) -> Any:
    """The first run (``name_s``) and the median of ``repeat`` more (``_warm_s``)."""
    out[name + "_s"], out[name + "_cpu_s"], first = _median_runs(func, 1)
    out[name + "_warm_s"], out[name + "_warm_cpu_s"], _ = _median_runs(func, repeat)
    return first


def _worker_peak(_: Any) -> float:
    """VmHWM of a Python worker (self-contained: workers cannot import bench_dask)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _jvm_peak(session: Any) -> float:
    pid = session.sparkContext._jvm.java.lang.ProcessHandle.current().pid()
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _session(
    batch_rows: int | None,
    partition_bytes: int | None,
    confs: dict[str, str] | None = None,
) -> Any:
    import os

    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # loopback only
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers: this venv
    builder = (
        SparkSession.builder.master("local[2]")
        .appName("infoscore-bench")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.pyspark.python", sys.executable)
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    )
    if batch_rows is not None:
        builder = builder.config(
            "spark.sql.execution.arrow.maxRecordsPerBatch", str(batch_rows)
        )
    if partition_bytes is not None:  # one Parquet file per partition
        builder = builder.config(
            "spark.sql.files.maxPartitionBytes", str(partition_bytes)
        )
    for key, value in (confs or {}).items():  # --spark-conf KEY=VALUE
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def run_spark(
    folder: Path,
    card: Any,
    repeat: int,
    count_rows: int,
    batch_rows: int | None,
    partition_bytes: int | None,
    native_repeat: int = 0,
    confs: dict[str, str] | None = None,
) -> dict[str, Any]:
    from pyspark.sql import functions as F

    from monitoring import DriftMonitor
    from monitoring._spark import count_spark
    from scorecard import WoEEncoder
    from scorecard._models._spark import woe_transform
    from scorecard._stats._spark import count_codes

    session = _session(batch_rows, partition_bytes, confs)
    features = list(card.bins_)
    monitor = DriftMonitor(card)
    out: dict[str, Any] = {"engine": "spark local[2]"}
    try:
        sdf = session.read.parquet(str(folder / "data")).select(*features, "y")
        out["partitions"] = sdf.rdd.getNumPartitions()

        def drift() -> Any:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                counts = monitor.count(sdf, "y")
                monitor.report(counts, batch_id="bench")
            return counts

        counts = _cold_warm(out, "drift", drift, repeat)
        out["counts"] = counts.counts
        encoder = WoEEncoder(binner=card.binner_).fit(
            sdf.limit(10).toArrow().to_pandas()[features]
        )
        X = sdf.select(*features)  # as the Dask job's batch[features]

        def sums(lazy: Any) -> Any:
            row = lazy.agg(*[F.sum(c).alias(c) for c in features]).collect()[0]
            return np.array([row[c] for c in features])

        def woe() -> Any:  # the default: Arrow batches (mapInArrow)
            return sums(encoder.transform(X))

        out["woe_sums"] = _cold_warm(out, "woe", woe, repeat)
        if native_repeat > 0:

            def drift_native() -> Any:  # bin codes as expressions, one JVM groupBy
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    counts = count_spark(monitor, sdf, "y", method="native")
                    monitor.report(counts, batch_id="bench")
                return counts

            def woe_native() -> Any:  # the same job as Spark expressions (JVM only)
                return sums(woe_transform(encoder, X, method="native"))

            out["drift_native_s"], out["drift_native_cpu_s"], native = _median_runs(
                drift_native, native_repeat
            )
            out["native_same"] = bool(np.array_equal(native.counts, counts.counts))
            out["woe_native_s"], out["woe_native_cpu_s"], native_sums = _median_runs(
                woe_native, native_repeat
            )
            out["woe_native_same"] = bool(
                np.allclose(native_sums, out["woe_sums"], rtol=1e-12)
            )
        n_slots = 8
        peaks = (
            session.sparkContext.parallelize(range(n_slots), n_slots)
            .map(_worker_peak)
            .collect()
        )
        out["peak_mb"] = max(peaks)
        out["jvm_mb"] = _jvm_peak(session)
        # Counting: mapInArrow + driver sum vs one groupBy aggregation.
        codes_dir = folder / f"codes_{count_rows}"
        if not codes_dir.exists():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                codes = card.transform_bins(sdf.limit(count_rows))
            codes.write.parquet(str(codes_dir))
        cdf = session.read.parquet(str(codes_dir))
        n_bins = max(fb.n_bins for fb in card.bins_.values())
        timings = {}
        tables = {}
        for method in ("arrow", "groupby"):
            timings[method], _, tables[method] = _median_runs(
                lambda m=method: count_codes(
                    cdf, features, "y", n_bins=n_bins, n_classes=2, method=m
                ),
                repeat,
            )
        out["count_s"] = timings
        out["count_same"] = bool(np.array_equal(tables["arrow"], tables["groupby"]))
        out["count_rows"] = cdf.count()
    finally:
        session.stop()
    return out


def run_dask(folder: Path, card: Any, repeat: int) -> dict[str, Any]:
    """Drift and WoE on a fresh 2-worker ``LocalCluster``: cold, then warm.

    As :func:`bench_dask.run_dask` but without its import warm-up, so that
    the cold run pays the workers' first import as Spark's pays its Python
    workers' start.
    """
    import dask.dataframe as dd

    from monitoring import DriftMonitor
    from scorecard import WoEEncoder

    features = list(card.bins_)
    monitor = DriftMonitor(card)
    out: dict[str, Any] = {"engine": "dask, 2 workers"}
    with bd.local_cluster(2) as client:
        batch = dd.read_parquet(str(folder / "data"), columns=[*features, "y"])
        out["partitions"] = batch.npartitions

        def drift() -> Any:
            counts = monitor.count(batch[features], batch["y"])
            monitor.report(counts, batch_id="bench")
            return counts

        out["counts"] = _cold_warm(out, "drift", drift, repeat).counts
        encoder = WoEEncoder(binner=card.binner_)
        encoder.fit(batch[features].partitions[0].head(10, compute=True))

        def woe() -> Any:
            return encoder.transform(batch[features]).sum().compute().to_numpy()

        out["woe_sums"] = _cold_warm(out, "woe", woe, repeat)
        out["peak_mb"] = max(client.run(bd._rss_mb).values())
        part = batch.partitions[0].compute()
        out["partition_mb"] = part.memory_usage(deep=True).sum() / 2**20
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows")
    parser.add_argument(
        "--repeat", type=int, default=3, help="warm runs per job (after the cold one)"
    )
    parser.add_argument(
        "--count-rows", type=int, default=2_000_000, help="rows of the counting test"
    )
    parser.add_argument(
        "--batch-rows", type=int, help="Spark Arrow batch rows (default Spark's)"
    )
    parser.add_argument(
        "--partition-mb",
        type=float,
        help="Spark maxPartitionBytes in MB (default: the largest file; 0: Spark's)",
    )
    parser.add_argument(
        "--native-repeat",
        type=int,
        default=0,
        help="runs of the Spark jobs by JVM expressions (slow; 0: skip)",
    )
    parser.add_argument(
        "--spark-conf",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a Spark conf of the session, e.g. "
        "spark.sql.codegen.hugeMethodLimit=8000 (repeatable)",
    )
    parser.add_argument(
        "--folder", default="/tmp/infoscore_bench_dask", help="where data goes"
    )
    args = parser.parse_args()
    n_rows = args.rows
    folder = Path(args.folder) / f"rows_{n_rows}"
    folder.mkdir(parents=True, exist_ok=True)
    bd.make_dataset(folder, n_rows)
    card_path, card = bd.fit_model(folder)
    print(f"model: Scorecard on {bd.FIT_ROWS:,} rows, {len(card.bins_)} features")
    if args.partition_mb is None:
        partition_bytes: int | None = max(
            f.stat().st_size for f in (folder / "data").glob("*.parquet")
        )
    elif args.partition_mb > 0:
        partition_bytes = int(args.partition_mb * 2**20)
    else:
        partition_bytes = None
    ref = bd.run_single("in-memory", folder, card_path, args.repeat)
    dask = run_dask(folder, card, args.repeat)
    spark = run_spark(
        folder,
        card,
        args.repeat,
        min(args.count_rows, n_rows),
        args.batch_rows,
        partition_bytes,
        args.native_repeat,
        dict(c.split("=", 1) for c in args.spark_conf),
    )
    rows = []
    for r in (ref, dask, spark):
        rows.append(
            {
                "engine": r["engine"],
                "drift cold": r["drift_s"],
                "drift warm": r["drift_warm_s"],
                "WoE cold": r["woe_s"],
                "WoE warm": r["woe_warm_s"],
                "drift cpu cold": r["drift_cpu_s"],
                "drift cpu warm": r["drift_warm_cpu_s"],
                "WoE cpu cold": r["woe_cpu_s"],
                "WoE cpu warm": r["woe_warm_cpu_s"],
                "peak MB/process": r["peak_mb"],
                "counts ==": bool(np.array_equal(r["counts"], ref["counts"])),
                "WoE sums ==": bool(
                    np.allclose(r["woe_sums"], ref["woe_sums"], rtol=1e-9)
                ),
            }
        )
    table = pd.DataFrame(rows).set_index("engine")
    print(
        f"\n{n_rows:,} rows x {bd.N_FEATURES} features; batch in memory "
        f"{ref['batch_mb']:.0f} MB (read {ref['read_s']:.1f} s, not in the job "
        f"times); Dask {dask['partitions']} partitions of "
        f"{dask['partition_mb']:.0f} MB; Spark {spark['partitions']} partitions "
        f"(maxPartitionBytes {partition_bytes or 'default'}), Arrow batches of "
        f"{args.batch_rows or 10000} rows. Seconds; cold: the first run of a job "
        f"in a fresh session / cluster / process, warm: median of {args.repeat} "
        "more runs."
    )
    with pd.option_context(
        "display.width", 200, "display.float_format", "{:.1f}".format
    ):
        print(table.to_string())
    for what in ("drift", "woe"):
        ratio = {
            k: spark[what + k] / dask[what + k]
            for k in ("_s", "_warm_s", "_cpu_s", "_warm_cpu_s")
        }
        print(
            f"spark / dask {what}: warm wall {ratio['_warm_s']:.2f}x (goal: within "
            f"2x), warm cpu {ratio['_warm_cpu_s']:.2f}x; cold wall "
            f"{ratio['_s']:.2f}x, cold cpu {ratio['_cpu_s']:.2f}x."
        )
    if "drift_native_s" in spark:
        print(
            f"spark by JVM expressions (method='native', median of "
            f"{args.native_repeat}): drift {spark['drift_native_s']:.1f} s wall "
            f"({spark['drift_native_cpu_s']:.1f} s cpu), counts equal: "
            f"{spark['native_same']}; WoE {spark['woe_native_s']:.1f} s wall "
            f"({spark['woe_native_cpu_s']:.1f} s cpu), sums equal: "
            f"{spark['woe_native_same']}."
        )
    print(
        f"spark memory: Python worker peak {spark['peak_mb']:.0f} MB, JVM (driver + "
        f"executor) peak {spark['jvm_mb']:.0f} MB; dask worker peak "
        f"{dask['peak_mb']:.0f} MB; in-memory process {ref['peak_mb']:.0f} MB."
    )
    c = spark["count_s"]
    print(
        f"count_codes on {spark['count_rows']:,} rows x {bd.N_FEATURES} code columns "
        f"(median of {args.repeat}): arrow (mapInArrow) {c['arrow']:.2f} s, "
        f"groupby {c['groupby']:.2f} s, ratio groupby/arrow "
        f"{c['groupby'] / c['arrow']:.2f}; tables identical: {spark['count_same']}."
    )


if __name__ == "__main__":
    main()
