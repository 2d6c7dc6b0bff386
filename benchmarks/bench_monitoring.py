"""Benchmark: drift check of a 1,000,000 x 50 batch against a fitted scorecard.

Run: ``python benchmarks/bench_monitoring.py`` (``--quick`` for 100,000 rows).

Compares, on the same in-memory batch (file reading excluded):

* ``DriftMonitor.check``: bins the batch with the model's bins, counts per bin
  (in slices of 100,000 rows), computes PSI + SE + CI + test per feature and
  for the score, and the points shift; the reference is the count table stored
  in the model (no reference rows needed);
* evidently's data-drift report with the PSI method
  (``Report([DataDriftPreset(method="psi")])``) against the model's training
  rows as reference data.

Targets (issue 6): at least 10x faster than evidently; peak memory of the
check at most 2x the batch's in-memory size (``DataFrame.memory_usage(deep=True)``),
measured as the tracemalloc peak of the check in a separate run (numpy
reports its buffers to tracemalloc).

evidently is a benchmark-only dependency, not in pyproject.toml; install it
with ``pip install evidently``. evidently 0.7.x imports
``pandas.core.dtypes.common.infer_dtype_from_object``, which pandas 3 removed;
the import is used only by evidently's legacy test classes, not by the drift
computation, so this script provides that one name before importing evidently
(printed in the output). If evidently cannot be imported, the script falls
back to optbinning's ``ScorecardMonitoring`` (PSI of the score and of every
characteristic) and says so.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _synthetic import make_credit_data  # noqa: E402

from monitoring import DriftMonitor  # noqa: E402
from scorecard import DataConditionWarning, Scorecard  # noqa: E402


def _import_evidently():
    """evidently's Report and DataDriftPreset, or None with the reason."""
    note = ""
    try:
        import pandas.core.dtypes.common as common

        if not hasattr(common, "infer_dtype_from_object"):
            # Removed in pandas 3; evidently's legacy test module imports it.
            common.infer_dtype_from_object = lambda dtype: dtype
            note = (
                "(shim: pandas.core.dtypes.common.infer_dtype_from_object provided "
                "for evidently's legacy import under pandas 3)"
            )
        import evidently
        from evidently import Report
        from evidently.presets import DataDriftPreset
    except Exception as exc:  # noqa: BLE001 - any import failure means fallback
        return None, f"evidently unavailable: {type(exc).__name__}: {exc}"
    return (Report, DataDriftPreset), f"evidently {evidently.__version__} {note}"


def _timed(fn):
    gc.collect()
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def _peak(fn):
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000-row batch")
    args = parser.parse_args()
    n_rows = 100_000 if args.quick else 1_000_000
    n_features = 50
    n_train = 50_000 if args.quick else 100_000

    data = make_credit_data(n_train + n_rows, n_features, seed=1)
    train_X, train_y = data.X.iloc[:n_train], data.y[:n_train]
    batch = data.X.iloc[n_train:].reset_index(drop=True)
    y_batch = data.y[n_train:]
    del data
    shifted = "x05_utilisation"  # a bounded (beta) monotone feature
    batch[shifted] = (batch[shifted] + 0.15).clip(0, 1)
    batch_bytes = int(batch.memory_usage(deep=True).sum())
    card = Scorecard().fit(train_X, train_y)
    monitor = DriftMonitor(card)
    print(
        f"batch {n_rows:,} x {n_features} ({batch_bytes / 2**20:,.0f} MiB in memory); "
        f"model: Scorecard fitted on {n_train:,} rows; '{shifted}' shifted by +0.15"
    )

    def ours():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataConditionWarning)
            return monitor.check(batch, batch_id="bench")

    ours()  # warm-up (imports, caches)
    report, t_ours = _timed(ours)
    peak = _peak(ours)
    flagged = report.to_frame().query("status != 'stable'").index.tolist()

    rows = [
        {
            "method": "infoscore DriftMonitor.check",
            "seconds": t_ours,
            "peak MiB": peak / 2**20,
            "peak / batch": peak / batch_bytes,
            "flagged": ", ".join(flagged) or "-",
        }
    ]

    peer, peer_note = _import_evidently()
    print(peer_note)
    if peer is not None:
        Report, DataDriftPreset = peer
        reference = train_X

        def theirs():
            return Report([DataDriftPreset(method="psi")]).run(batch, reference)

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result, t_peer = _timed(theirs)
        values = [
            m
            for m in result.dict()["metrics"]
            if m["metric_name"].startswith("ValueDrift")
        ]
        drifted = [
            m["config"]["column"]
            for m in values
            if float(m["value"]) >= m["config"].get("threshold", 0.1)
        ]
        rows.append(
            {
                "method": "evidently DataDriftPreset(method='psi')",
                "seconds": t_peer,
                "peak MiB": np.nan,
                "peak / batch": np.nan,
                "flagged": ", ".join(drifted) or "-",
            }
        )
    else:
        print("falling back to optbinning ScorecardMonitoring (evidently unavailable)")
        t_peer = _optbinning_time(train_X, train_y, batch, y_batch)
        rows.append(
            {
                "method": "optbinning ScorecardMonitoring",
                "seconds": t_peer,
                "peak MiB": np.nan,
                "peak / batch": np.nan,
                "flagged": "",
            }
        )

    table = pd.DataFrame(rows).set_index("method")
    with pd.option_context(
        "display.float_format", "{:,.2f}".format, "display.width", 160
    ):
        print(table.to_string())
    speedup = t_peer / t_ours
    print(f"\nspeed-up: {speedup:,.1f}x   (target >= 10x)")
    print(
        f"peak memory of the check (tracemalloc): {peak / batch_bytes:.2f}x the "
        "batch's in-memory size   (target <= 2x)"
    )


def _optbinning_time(train_X, train_y, batch, y_batch) -> float:
    """Fit an optbinning scorecard on the training rows, then time the monitor."""
    from optbinning import BinningProcess
    from optbinning import Scorecard as OBScorecard
    from optbinning.scorecard import ScorecardMonitoring
    from sklearn.linear_model import LogisticRegression

    card = OBScorecard(
        binning_process=BinningProcess(list(train_X.columns)),
        estimator=LogisticRegression(max_iter=1000),
    ).fit(train_X, train_y)

    def run():
        return ScorecardMonitoring(scorecard=card, psi_method="cart").fit(
            batch, y_batch, train_X, train_y
        )

    return _timed(run)[1]


if __name__ == "__main__":
    main()
