"""Native (JVM-expression) Spark WoE and drift against the Arrow path, per conf.

Run: ``python benchmarks/bench_spark_native.py ROWS [KEY=VALUE ...]``, e.g.
``python benchmarks/bench_spark_native.py 2000000
spark.sql.codegen.hugeMethodLimit=8000``. Data and model of
``bench_dask.py`` under /tmp/i19; the local[2] session of ``bench_spark.py``.
Prints wall and CPU seconds of 2 runs of the Arrow WoE job, then for each
conf (set with ``spark.conf.set``, cumulative) 2 runs of the native WoE job
and 1 native drift count, with their equality to the Arrow results.
A development script (round 8); its CPU seconds miss exited processes.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_dask as bd  # noqa: E402
import bench_spark as bs  # noqa: E402


def _timed(name: str, func: Any, n: int) -> Any:
    result = None
    for i in range(n):
        wall, cpu = time.perf_counter(), bd.tree_cpu_s()
        result = func()
        wall, cpu = time.perf_counter() - wall, bd.tree_cpu_s() - cpu
        print(f"{name} run {i}: wall {wall:.1f} s, cpu {cpu:.1f} s", flush=True)
    return result


def main() -> None:
    from pyspark.sql import functions as F

    from monitoring import DriftMonitor
    from monitoring._spark import count_spark
    from scorecard import WoEEncoder
    from scorecard._models._spark import woe_transform

    rows = int(sys.argv[1])
    folder = Path("/tmp/i19") / f"rows_{rows}"
    folder.mkdir(parents=True, exist_ok=True)
    bd.make_dataset(folder, rows)
    _, card = bd.fit_model(folder)
    size = max(f.stat().st_size for f in (folder / "data").glob("*.parquet"))
    session = bs._session(None, size)
    feats = list(card.bins_)
    sdf = session.read.parquet(str(folder / "data")).select(*feats, "y")
    head = sdf.limit(10).toArrow().to_pandas()[feats]
    encoder = WoEEncoder(binner=card.binner_).fit(head)
    X = sdf.select(*feats)
    monitor = DriftMonitor(card)

    def sums(lazy: Any) -> Any:
        row = lazy.agg(*[F.sum(c).alias(c) for c in feats]).collect()[0]
        return np.array([row[c] for c in feats])

    ref = _timed("woe arrow", lambda: sums(woe_transform(encoder, X)), 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        arrow_counts = monitor.count(sdf, "y").counts
    for conf in sys.argv[2:]:
        key, value = conf.split("=", 1)
        session.conf.set(key, value)
        print("set", key, value, flush=True)
        native = _timed(
            "woe native",
            lambda: sums(woe_transform(encoder, X, method="native")),
            2,
        )
        print("woe equal:", np.allclose(native, ref, rtol=1e-12), flush=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            counts = _timed(
                "drift native",
                lambda: count_spark(monitor, sdf, "y", method="native"),
                1,
            )
        print("counts equal:", np.array_equal(counts.counts, arrow_counts))
    session.stop()


if __name__ == "__main__":
    main()
