"""``infoscore monitor`` and ``infoscore history``, and the monitoring demo step.

``infoscore monitor card.json BATCH --batch-id ID --store monitor.db`` reads
the batch in chunks (CSV chunks, Parquet batches), counts rows per bin of the
model, computes the drift report, and only then writes: first the HTML report
to a temporary file, then the run into the store in one transaction, then the
report is moved into place. Any bad input (a missing column, a non-numeric
value, an empty batch, an all-missing feature, a damaged artifact, a file
that is not a store) stops the job before anything is written: exit code 2,
one line on stderr, the store exactly as it was.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scorecard import Scorecard
from scorecard._kit.exceptions import DataConditionWarning
from scorecard._kit.io import (
    check_outputs,
    check_suffix,
    iter_table_chunks,
    stage_file,
    table_columns,
    table_format,
    write_atomic,
)
from scorecard.datasets import load_simucredit

from ._dask import dask_client, read_batch
from ._monitor import DriftMonitor
from ._store import HistoryStore, StoreBusyError, precheck_store

__all__ = ["register_monitor", "register_history", "demo_step"]

#: Rows per chunk read from the batch file.
CHUNK_ROWS = 200_000


# --------------------------------------------------------------------------
# infoscore monitor


def add_cluster_arguments(parser: argparse.ArgumentParser) -> None:
    """``--master`` and ``--scheduler`` of the engines (monitor and validate)."""
    parser.add_argument(
        "--master",
        metavar="URL",
        help="with --engine spark: Spark master URL (default: a local[2] "
        "session on the loopback interface)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: address of a running Dask scheduler "
        "(default: start a local cluster)",
    )


def register_monitor(subparsers: Any) -> None:
    """Add ``infoscore monitor``."""
    parser = subparsers.add_parser(
        "monitor",
        help="check a batch for drift against a scorecard and store the run",
        description=(
            "Drift check of one batch (CSV or Parquet) against a scorecard "
            "artifact. Exit codes: 0 ok, 1 drift found with --fail-on, "
            "2 bad input (nothing written)."
        ),
    )
    parser.add_argument("card", help="scorecard artifact (.json)")
    parser.add_argument("batch", help="batch to check (.csv, .parquet)")
    parser.add_argument(
        "--batch-id", required=True, help="id of the batch (e.g. 2024-03)"
    )
    parser.add_argument("--store", required=True, help="history store (SQLite file)")
    parser.add_argument("--target", help="label column (adds IV, AUC and bad rates)")
    parser.add_argument(
        "--bad-value", help="value of --target meaning bad (default: the model's)"
    )
    parser.add_argument("--report", help="write the HTML drift report here (.html)")
    parser.add_argument(
        "--replace",
        action="store_true",
        help="replace the stored run of the same model and batch id (without "
        "it, an already stored batch id is an error)",
    )
    parser.add_argument(
        "--fail-on",
        choices=("drift", "watch"),
        help="exit 1 when the overall status is drift (or watch or drift)",
    )
    parser.add_argument(
        "--model-id", help="model id in the store (default: from the model)"
    )
    parser.add_argument(
        "--as-of", help="time the batch describes (ISO date; default: now)"
    )
    parser.add_argument(
        "--reference",
        choices=("sample", "fixed"),
        default="sample",
        help="treat the training counts as a sample (default) or as fixed",
    )
    parser.add_argument(
        "--chunk-rows", type=int, default=CHUNK_ROWS, help="rows per chunk read"
    )
    parser.add_argument(
        "--engine",
        choices=("pandas", "dask", "spark"),
        default="pandas",
        help=(
            "pandas: read the batch in chunks in this process (default); dask: "
            "count the partitions of the batch (e.g. a Parquet directory) on a "
            "Dask cluster (needs infoscore[dask]); spark: count the Arrow "
            "batches of a Parquet batch on Spark (needs infoscore[spark] and Java 17)"
        ),
    )
    add_cluster_arguments(parser)
    parser.set_defaults(func=_run_monitor)


def _progress(
    chunks: Iterator[pd.DataFrame], total: int | None
) -> Iterator[pd.DataFrame]:
    """Wrap chunks in a tqdm bar on stderr, only when stderr is a terminal."""
    from tqdm import tqdm

    with tqdm(
        total=total,
        unit="rows",
        unit_scale=True,
        desc="reading batch",
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
        leave=False,
    ) as bar:
        for chunk in chunks:
            bar.update(len(chunk))
            yield chunk


def _row_count(path: str) -> int | None:
    if table_format(path) != "parquet":
        return None
    import pyarrow.dataset as ds

    return int(ds.dataset(path, format="parquet").count_rows())


def _check_paths(args: argparse.Namespace) -> Path | None:
    """Outputs checked against every input before anything is read or written."""
    if args.report is not None:
        check_suffix(args.report, "--report", (".html", ".htm"))
    outputs = check_outputs(
        {"--report": args.report},
        {"card": args.card, "batch": args.batch, "--store": args.store},
    )
    return outputs.get("--report")


def _check_bads(counts: Any, args: argparse.Namespace) -> None:
    """``--bad-value`` must name a label that occurs in the batch."""
    if args.target is None or args.bad_value is None:
        return
    table = np.asarray(counts.counts)
    if table.ndim == 3 and table.shape[2] == 2 and not table[0, :, 1].sum() > 0:
        raise ValueError(
            f"--bad-value {args.bad_value!r} does not occur in --target column "
            f"{args.target!r} of the batch; nothing was stored."
        )


def _count(monitor: DriftMonitor, args: argparse.Namespace, needed: list[str]) -> Any:
    if args.engine == "spark":  # Arrow batches counted on Spark
        from ._spark import read_batch as read_spark
        from ._spark import spark_session

        with spark_session(args.master) as session:
            frame = read_spark(session, args.batch, needed)
            return monitor.count(frame, args.target, bad_value=args.bad_value)
    if args.engine == "dask":  # partitions counted on a Dask cluster
        frame = read_batch(args.batch, needed)
        with dask_client(args.scheduler):
            return monitor.count(
                frame[list(monitor.features)],
                frame[args.target] if args.target else None,
                bad_value=args.bad_value,
            )
    chunks = iter_table_chunks(args.batch, columns=needed, chunk_rows=args.chunk_rows)
    return monitor.count_chunks(
        _progress(chunks, _row_count(args.batch)),
        target=args.target,
        bad_value=args.bad_value,
    )


def _run_monitor(args: argparse.Namespace) -> int:
    if args.chunk_rows < 1:
        raise ValueError(f"--chunk-rows must be >= 1; got {args.chunk_rows}.")
    if args.scheduler is not None and args.engine != "dask":
        raise ValueError("--scheduler needs --engine dask.")
    if args.master is not None and args.engine != "spark":
        raise ValueError("--master needs --engine spark.")
    report_path = _check_paths(args)
    monitor = DriftMonitor(args.card, model_id=args.model_id, reference=args.reference)
    store_path = Path(args.store)
    state = precheck_store(store_path, key=(monitor.model_id, args.batch_id))
    if state.revision is not None and not args.replace:
        raise ValueError(
            f"Batch id {args.batch_id!r} of model {monitor.model_id!r} is already "
            f"in {str(store_path)!r}; pass --replace to replace that run."
        )
    header = table_columns(args.batch)
    needed = list(monitor.features) + ([args.target] if args.target else [])
    missing = [c for c in needed if c not in header]
    if missing:
        raise ValueError(
            f"Batch {args.batch!r} is missing column(s) {missing} (model features"
            + (" and --target" if args.target else "")
            + ")."
        )
    counts = _count(monitor, args, needed)
    _check_bads(counts, args)
    with warnings.catch_warnings():
        # Data conditions are printed below as notes (once each).
        warnings.simplefilter("ignore", DataConditionWarning)
        report = monitor.report(counts, batch_id=args.batch_id)
    # Everything is computed; now write: report to a temporary file, the run
    # in one transaction, then the report into place.
    tmp = stage_file(report_path, report.to_html()) if report_path else None
    try:
        try:
            with HistoryStore(store_path) as store:
                store.write(report, as_of=args.as_of)
        except StoreBusyError as exc:
            raise OSError(str(exc)) from exc
        if tmp is not None and report_path is not None:
            os.replace(tmp, report_path)
            tmp = None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    _print_run(report, store_path, report_path, state.revision)
    if args.fail_on == "drift" and report.status == "drift":
        return 1
    if args.fail_on == "watch" and report.status in ("watch", "drift"):
        return 1
    return 0


def _print_run(
    report: Any, store_path: Path, report_path: Path | None, replaced: int | None
) -> None:
    frame = report.to_frame()
    flagged = frame[frame["status"] != "stable"]
    print(
        f"model {report.model_id} batch {report.batch_id}: {report.n_rows} rows, "
        f"status {report.status.upper()} ({len(flagged)} of {len(frame)} rows "
        "flagged)"
    )
    if len(flagged):
        with pd.option_context("display.float_format", "{:.4f}".format):
            print(flagged[["psi", "ci_low", "ci_high", "pvalue", "status"]].to_string())
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    if replaced is not None:
        print(
            f"note: replaced the stored run of batch {report.batch_id} (revision "
            f"{replaced}; the new one is revision {replaced + 1})",
            file=sys.stderr,
        )
    print(
        f"stored in {store_path}" + (f"; report: {report_path}" if report_path else "")
    )


# --------------------------------------------------------------------------
# infoscore history


def register_history(subparsers: Any) -> None:
    """Add ``infoscore history``."""
    parser = subparsers.add_parser(
        "history",
        help="plot PSI per feature over time from a history store",
    )
    parser.add_argument("store", help="history store (SQLite file)")
    parser.add_argument("--model", help="one model id (default: all models)")
    parser.add_argument("--report", required=True, help="HTML file to write")
    parser.set_defaults(func=_run_history)


def _run_history(args: argparse.Namespace) -> int:
    check_suffix(args.report, "--report", (".html", ".htm"))
    report_path = check_outputs({"--report": args.report}, {"store": args.store})[
        "--report"
    ]
    if not Path(args.store).exists():
        raise FileNotFoundError(f"History store {args.store!r} does not exist.")
    # read-only first: a failing history changes no byte (not even the
    # journal mode that opening the store for writing would set)
    state = precheck_store(args.store, writable=False)
    if not state.models:
        raise ValueError(f"The store {args.store!r} has no runs yet.")
    if args.model is not None and args.model not in state.models:
        raise ValueError(
            f"Model {args.model!r} has no runs in {args.store!r}; models are "
            f"{list(state.models)}."
        )
    with HistoryStore(args.store, read_only=True) as store:
        html = store.to_html(model_id=args.model)
        runs = store.runs(args.model)
    write_atomic(report_path, html)
    print(
        f"{len(runs)} run(s) of {runs['model_id'].nunique()} model(s); "
        f"written: {report_path}"
    )
    return 0


# --------------------------------------------------------------------------
# demo step

DEMO_MONTHS = (
    ("2024-01", "2024-01-31", None),
    ("2024-02", "2024-02-29", None),
    ("2024-03", "2024-03-31", ("Utilization", 0.15)),
)


def _demo_model(context: Any, data: pd.DataFrame) -> tuple[Any, pd.DataFrame, str]:
    """The demo's scorecard and the rows it was not fitted on (if known)."""
    card = context.results.get("scorecard")
    rng = np.random.default_rng(2024)
    held = rng.random(len(data)) < 0.5
    if card is not None:
        return card, data, "scorecard from the earlier demo step"
    train = data[~held]
    X = train.drop(columns=["Status", "Race", "Gender"])
    card = Scorecard().fit(X, (train["Status"] == 0).astype(int))
    return card, data[held], "Scorecard fitted on a random half of SimuCredit"


def demo_step(context: Any) -> None:
    """Three monthly batches, one with a shifted feature, into a history store."""
    data = context.results.get("simucredit")
    if data is None:
        data = load_simucredit()
    card, pool, origin = _demo_model(context, data)
    monitor = DriftMonitor(card)
    context.say("\nDrift monitoring: three monthly batches of 5,000 rows, bootstrap")
    context.say(f"samples of {len(pool):,} SimuCredit rows ({origin}).")
    context.say("In March Utilization is shifted by +0.15 (clipped to [0, 1]).")
    context.say("Bad = Status 0; PSI bands 0.10 / 0.25, alpha 0.05.\n")
    path = context.out_dir / "monitor.db"
    rng = np.random.default_rng(7)
    reports = []
    with HistoryStore(path) as store:
        for batch_id, as_of, shift in DEMO_MONTHS:
            batch = pool.iloc[rng.integers(0, len(pool), size=5000)].reset_index(
                drop=True
            )
            if shift is not None:
                name, delta = shift
                batch[name] = (batch[name] + delta).clip(0.0, 1.0)
            with warnings.catch_warnings():
                # Data conditions (e.g. smoothed zero cells) are kept in the
                # report's notes and shown in its HTML page.
                warnings.simplefilter("ignore", DataConditionWarning)
                report = monitor.check(
                    batch, batch_id=batch_id, y=batch["Status"], bad_value=0
                )
            store.write(report, as_of=as_of)
            reports.append(report)
        store.to_html(
            context.out_dir / "monitor_history.html", model_id=monitor.model_id
        )
    last = context.out_dir / "monitor_2024-03.html"
    reports[-1].to_html(last)
    table = pd.DataFrame({r.batch_id: r.to_frame()["status"] for r in reports})
    psi = pd.DataFrame({r.batch_id: r.to_frame()["psi"] for r in reports})
    shown = table.copy()
    for col in shown.columns:
        shown[col] = [
            f"{s:<6} {p:.3f}" for s, p in zip(table[col], psi[col], strict=True)
        ]
    context.say("status and PSI per feature and month:")
    context.say(shown.to_string())
    auc = reports[-1].auc
    if auc is not None:
        context.say(
            f"\nMarch AUC {auc.current.estimate:.4f} vs training "
            f"{auc.reference.estimate:.4f} (difference {auc.estimate:+.4f}, "
            f"SE {auc.se:.4f}, p = {auc.pvalue:.3g}; same score deciles)"
        )
    context.say(f"\nwritten: {path}")
    context.say(f"written: {context.out_dir / 'monitor_history.html'}")
    context.say(f"written: {last}")
    context.results["monitor_store"] = path
