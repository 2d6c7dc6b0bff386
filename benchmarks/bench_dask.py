"""Benchmark: drift job and WoE transform on Dask vs one process (issue 7).

Run: ``python benchmarks/bench_dask.py`` (10,000,000 rows x 20 features;
``--quick`` for 1,000,000 rows).

Data: ``make_credit_data`` (18 numeric features with missing and special
values, 2 string categoricals, a 0/1 target), generated in parts of 500,000
rows (a different seed per part, so memory stays bounded while writing) into a
Parquet directory under /tmp, one file per part; the directory is reused when
it already holds the requested rows. The model is a ``Scorecard`` fitted on
the first 200,000 rows of part 0; the encoder is its fitted ``WoEEncoder``.

Jobs, each from the Parquet files on disk to the final result:

* drift: ``DriftMonitor.check(batch, y=batch["y"])`` (PSI of every feature
  and of the score, IV, AUC, bad rate by band);
* WoE: ``WoEEncoder.transform(batch)`` reduced to the column sums (so that
  the 10^7 x 20 output need not travel to one process).

Engines:

* ``in-memory``: one process reads the whole batch with ``pd.read_parquet``
  and runs the in-memory path (the read time is shown separately);
* ``chunked``: one process, ``DriftMonitor.check_chunks`` over Parquet
  batches of 500,000 rows (drift only: the bounded-memory single-process path);
* ``dask, N workers``: a fresh ``LocalCluster(n_workers=N,
  threads_per_worker=1, processes=True)``; one partition per Parquet file.

Binning (skip with ``--no-binning``): ``StumpBinner(special_values=...)``
with default parameters fitted on all rows, in memory (one process, after
reading) and on the 2-worker cluster (reading included); bins are compared
feature by feature (identical where every distinct value is kept exactly,
i.e. at most ``scorecard._binning._dask.EXACT_DISTINCT`` of them) and IVs otherwise.

Memory: the peak resident set (``ru_maxrss``) of the single process (each
single-process engine runs in a fresh subprocess), and of every Dask worker
process, read from the workers with ``client.run`` after each job; the peak
of a worker is to be compared with the in-memory size of one partition
(printed). Equality: the drift counts of every engine are compared with the
in-memory counts (must be identical), and the WoE column sums with
``np.allclose`` (sums in another order).
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import contextlib
import importlib
import multiprocessing as mp
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _synthetic import make_credit_data  # noqa: E402

from scorecard._binning._dask import EXACT_DISTINCT  # noqa: E402

PART_ROWS = 500_000
#: Row groups of the Parquet files (the small-partition Dask run reads one
#: row group per partition).
GROUP_ROWS = 125_000
N_FEATURES = 20
FIT_ROWS = 200_000


def _rss_mb() -> float:
    """Peak resident set of this process in MB since the last reset.

    Linux's ``VmHWM`` (high-water mark) from /proc/self/status; ru_maxrss is
    not used because Linux keeps it across fork + exec, so a fresh worker
    would report its parent's peak.
    """
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")  # pragma: no cover - not Linux


def tree_cpu_s(root: int | None = None) -> float:
    """CPU seconds (user + system) of a process and all its live descendants.

    Reaped children count through their parent's ``cutime``/``cstime``; the
    wall clock is noisy on a shared machine, the CPU clock much less so.
    Linux ``/proc`` only.
    """
    import os

    tick = os.sysconf("SC_CLK_TCK")
    kids: dict[int, list[tuple[int, list[str]]]] = {}
    stats: dict[int, list[str]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as fh:
                text = fh.read()
        except OSError:
            continue
        fields = text[text.rfind(")") + 2 :].split()
        stats[int(d)] = fields
        kids.setdefault(int(fields[1]), []).append((int(d), fields))
    root = os.getpid() if root is None else root
    total = 0.0
    stack = [(root, stats.get(root, ["0"] * 15))]
    while stack:
        pid, fields = stack.pop()
        total += sum(int(x) for x in fields[11:15]) / tick
        stack.extend(kids.get(pid, []))
    return total


def _reset_peak() -> float:
    """Reset the high-water mark to the current RSS (Linux >= 4.0)."""
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    return _rss_mb()


def make_dataset(folder: Path, n_rows: int) -> list[str]:
    """Write ``n_rows`` rows in parts of 500,000; reuse an existing directory."""
    marker = folder / f"_rows_{n_rows}_rg{GROUP_ROWS}"
    data = folder / "data"
    if marker.exists():
        print(f"reusing {data}")
    else:
        data.mkdir(parents=True, exist_ok=True)
        for old in data.glob("*.parquet"):
            old.unlink()
        t = time.perf_counter()
        for k in range(int(np.ceil(n_rows / PART_ROWS))):
            rows = min(PART_ROWS, n_rows - k * PART_ROWS)
            part = make_credit_data(rows, N_FEATURES, seed=k)
            frame = part.X.assign(y=part.y)
            frame.to_parquet(
                data / f"part-{k:04d}.parquet", index=False, row_group_size=GROUP_ROWS
            )
        marker.touch()
        print(f"wrote {n_rows:,} rows to {data} in {time.perf_counter() - t:.1f} s")
    first = pd.read_parquet(next(iter(sorted(data.glob("*.parquet")))))
    return [c for c in first.columns if c != "y"]


#: Special values of the synthetic data (the bureau score's -999).
SPECIAL = make_credit_data(10, N_FEATURES, seed=0).special_values


def fit_model(folder: Path) -> tuple[Path, Any]:
    """Scorecard (JSON artifact) on the first 200,000 rows of part 0."""
    from scorecard import StumpBinner
    from scorecard._models._scorecard import Scorecard

    path = folder / "card.json"
    part0 = pd.read_parquet(sorted((folder / "data").glob("*.parquet"))[0])
    train = part0.iloc[:FIT_ROWS]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        binner = StumpBinner(n_rounds=50, special_values=SPECIAL)
        card = Scorecard(binner=binner).fit(
            train.drop(columns="y"), train["y"].to_numpy()
        )
    card.to_json(path)
    card.binner_.to_json(folder / "binner.json")
    return path, card


# --------------------------------------------------------------------------
# single-process engines (run in a fresh subprocess each)


def _warm(func: Any, repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``repeat`` more runs of a job (this process)."""
    import statistics

    walls, cpus = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        func()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def _single(
    engine: str, folder: str, card_path: str, repeat: int = 0
) -> dict[str, Any]:
    """One engine in this (fresh) process; ``repeat`` > 0: warm medians too.

    ``drift_s`` / ``woe_s`` are the first run of each job; with ``repeat``,
    ``drift_warm_s`` / ``woe_warm_s`` (and their CPU seconds) are the medians
    of ``repeat`` further runs (in-memory engine only).
    """
    warnings.simplefilter("ignore")
    from monitoring import DriftMonitor
    from scorecard import WoEEncoder, load
    from scorecard._kit.io import iter_table_chunks

    card = load(card_path)
    monitor = DriftMonitor(card)
    data = str(Path(folder) / "data")
    features = list(card.bins_)
    out: dict[str, Any] = {"engine": engine, "base_mb": _reset_peak()}
    if engine == "binning":
        from scorecard import StumpBinner

        t = time.perf_counter()
        batch = pd.read_parquet(data, columns=[*features, "y"])
        out["read_s"] = time.perf_counter() - t
        t = time.perf_counter()
        binner = StumpBinner(special_values=SPECIAL).fit(batch[features], batch["y"])
        out["fit_s"] = time.perf_counter() - t
        out["bins"] = binner.bins_
        out["iv"] = binner.information_table()["iv"]
        out["peak_mb"] = _rss_mb()
        out["distinct"] = {f: int(batch[f].nunique()) for f in features}
        return out
    if engine == "chunked":
        t = time.perf_counter()
        chunks = iter_table_chunks(data, columns=[*features, "y"], chunk_rows=PART_ROWS)
        counts = monitor.count_chunks(chunks, target="y")
        monitor.report(counts, batch_id="bench")
        out["drift_s"] = time.perf_counter() - t
        out["counts"] = counts.counts
        out["peak_mb"] = _rss_mb()
        return out
    t = time.perf_counter()
    batch = pd.read_parquet(data, columns=[*features, "y"])
    out["read_s"] = time.perf_counter() - t
    out["batch_mb"] = batch.memory_usage(deep=True).sum() / 2**20
    t, c = time.perf_counter(), time.process_time()
    counts = monitor.count(batch[features], batch["y"])
    monitor.report(counts, batch_id="bench")
    out["drift_s"] = time.perf_counter() - t
    out["drift_cpu_s"] = time.process_time() - c
    out["counts"] = counts.counts
    if repeat > 0:
        out["drift_warm_s"], out["drift_warm_cpu_s"] = _warm(
            lambda: monitor.report(
                monitor.count(batch[features], batch["y"]), batch_id="bench"
            ),
            repeat,
        )
    binner = load(Path(card_path).with_name("binner.json"))
    encoder = WoEEncoder(binner=binner).fit(batch[features].iloc[:10])
    t, c = time.perf_counter(), time.process_time()
    out["woe_sums"] = encoder.transform(batch[features]).sum(axis=0)
    out["woe_s"] = time.perf_counter() - t
    out["woe_cpu_s"] = time.process_time() - c
    if repeat > 0:
        out["woe_warm_s"], out["woe_warm_cpu_s"] = _warm(
            lambda: encoder.transform(batch[features]).sum(axis=0), repeat
        )
    out["peak_mb"] = _rss_mb()
    return out


def run_single(
    engine: str, folder: Path, card_path: Path, repeat: int = 0
) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        job = pool.submit(_single, engine, str(folder), str(card_path), repeat)
        return job.result()


# --------------------------------------------------------------------------
# Dask


@contextlib.contextmanager
def local_cluster(n_workers: int) -> Iterator[Any]:
    """A client of a fresh loopback ``LocalCluster`` of single-threaded processes."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def run_dask(
    n_workers: int,
    folder: Path,
    card: Any,
    *,
    small: bool = False,
    binning: bool = False,
) -> dict[str, Any]:
    import dask.dataframe as dd

    from monitoring import DriftMonitor
    from scorecard import WoEEncoder

    features = list(card.bins_)
    monitor = DriftMonitor(card)
    name = f"dask, {n_workers} worker(s)"
    if small:
        name += f", {GROUP_ROWS // 1000}k-row partitions"
    out: dict[str, Any] = {"engine": name}
    with local_cluster(n_workers) as client:
        # Warm-up: import the package on every worker (a one-off cost of a new
        # cluster, not of the job), then reset the peak memory.
        client.run(importlib.import_module, "monitoring")
        out["base_mb"] = max(client.run(_reset_peak).values())
        batch = dd.read_parquet(
            str(folder / "data"),
            columns=[*features, "y"],
            split_row_groups=bool(small),
        )
        out["partitions"] = batch.npartitions
        t, c = time.perf_counter(), tree_cpu_s()
        counts = monitor.count(batch[features], batch["y"])
        monitor.report(counts, batch_id="bench")
        out["drift_s"] = time.perf_counter() - t
        out["drift_cpu_s"] = tree_cpu_s() - c
        out["counts"] = counts.counts
        out["drift_peak_mb"] = max(client.run(_rss_mb).values())
        encoder = WoEEncoder(binner=card.binner_)
        encoder.fit(batch[features].partitions[0].head(10, compute=True))
        t, c = time.perf_counter(), tree_cpu_s()
        out["woe_sums"] = encoder.transform(batch[features]).sum().compute().to_numpy()
        out["woe_s"] = time.perf_counter() - t
        out["woe_cpu_s"] = tree_cpu_s() - c
        out["peak_mb"] = max(client.run(_rss_mb).values())
        part = batch.partitions[0].compute()
        out["partition_mb"] = part.memory_usage(deep=True).sum() / 2**20
        if binning:
            from scorecard import StumpBinner

            client.run(_reset_peak)
            t = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                binner = StumpBinner(special_values=SPECIAL).fit(
                    batch[features], batch["y"]
                )
            out["fit_s"] = time.perf_counter() - t
            out["fit_peak_mb"] = max(client.run(_rss_mb).values())
            out["bins"] = binner.bins_
            out["iv"] = binner.information_table()["iv"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000,000 rows")
    parser.add_argument(
        "--no-binning", action="store_true", help="skip the StumpBinner comparison"
    )
    parser.add_argument("--rows", type=int, help="rows (default 10,000,000)")
    parser.add_argument(
        "--folder", default="/tmp/infoscore_bench_dask", help="where data goes"
    )
    args = parser.parse_args()
    n_rows = args.rows or (1_000_000 if args.quick else 10_000_000)
    folder = Path(args.folder) / f"rows_{n_rows}"
    folder.mkdir(parents=True, exist_ok=True)
    make_dataset(folder, n_rows)
    card_path, card = fit_model(folder)
    print(f"model: Scorecard on {FIT_ROWS:,} rows, {len(card.bins_)} features")
    results = [
        run_single("in-memory", folder, card_path),
        run_single("chunked", folder, card_path),
        run_dask(1, folder, card),
        run_dask(2, folder, card, binning=not args.no_binning),
        run_dask(2, folder, card, small=True),
    ]
    ref = results[0]
    rows = []
    for r in results:
        same = np.array_equal(r["counts"], ref["counts"])
        woe_same = (
            bool(np.allclose(r["woe_sums"], ref["woe_sums"], rtol=1e-9))
            if "woe_sums" in r
            else None
        )
        rows.append(
            {
                "engine": r["engine"],
                "read s": r.get("read_s", np.nan),
                "drift s": r["drift_s"],
                "WoE s": r.get("woe_s", np.nan),
                "peak MB/process": r["peak_mb"],
                "idle MB/process": r["base_mb"],
                "counts == in-memory": same,
                "WoE sums == in-memory": woe_same,
            }
        )
    table = pd.DataFrame(rows).set_index("engine")
    print(
        f"\n{n_rows:,} rows x {N_FEATURES} features; batch in memory "
        f"{ref['batch_mb']:.0f} MB; Dask: {results[2]['partitions']} partitions "
        f"of {results[2]['partition_mb']:.0f} MB (in memory)"
    )
    with pd.option_context(
        "display.width", 160, "display.float_format", "{:.1f}".format
    ):
        print(table.to_string())
    one, two = results[2], results[3]
    print(
        f"\n2 vs 1 worker: drift {one['drift_s'] / two['drift_s']:.2f}x, "
        f"WoE {one['woe_s'] / two['woe_s']:.2f}x faster; in-memory read+drift "
        f"{ref['read_s'] + ref['drift_s']:.1f} s vs dask 2 workers "
        f"{two['drift_s']:.1f} s (dask times include reading)."
    )
    for r in results[2:]:
        print(
            f"{r['engine']}: {r['partitions']} partitions of "
            f"{r['partition_mb']:.0f} MB; peak worker memory {r['peak_mb']:.0f} MB "
            f"(idle {r['base_mb']:.0f} MB): "
            f"{(r['peak_mb'] - r['base_mb']) / r['partition_mb']:.1f} x one "
            "partition above idle"
        )
    print(
        f"single process (in-memory): peak {ref['peak_mb']:.0f} MB for a "
        f"{ref['batch_mb']:.0f} MB batch."
    )
    if not args.no_binning:
        mem = run_single("binning", folder, card_path)
        bins_d, bins_m = two["bins"], mem["bins"]
        same = [f for f in bins_m if bins_d[f] == bins_m[f]]
        many = {f for f, k in mem["distinct"].items() if k > EXACT_DISTINCT}
        differ = set(bins_m) - set(same)
        rel = (two["iv"] - mem["iv"]).abs() / mem["iv"]
        print(
            f"\nStumpBinner (per_feature, defaults) on all {n_rows:,} rows: "
            f"in-memory fit {mem['fit_s']:.1f} s (+ read {mem['read_s']:.1f} s, "
            f"peak {mem['peak_mb']:.0f} MB); dask 2 workers {two['fit_s']:.1f} s "
            f"including reading (peak worker {two['fit_peak_mb']:.0f} MB). "
            f"Bins identical for {len(same)} of {len(bins_m)} features; "
            f"{len(many)} have more than {EXACT_DISTINCT} distinct values "
            f"(sketched pre-bin cuts, exact counts); every differing feature is "
            f"one of them: {differ <= many}; largest relative IV difference "
            f"{rel.max():.2%}."
        )


if __name__ == "__main__":
    main()
