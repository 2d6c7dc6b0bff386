"""``infoscore validate`` and the validation demo step.

``infoscore validate CARD.json BATCH --target default --store monitor.db``
loads a :class:`~scorecard.PDCalibrator` artifact, reads the batch with its
realised outcomes, computes every validation test, and only then writes: the
HTML report and the grade table to temporary files, the run into the store in
one transaction, then the files into place. Bad input (no outcome column, a
non-binary outcome, a grade without obligors, a damaged artifact, a file that
is not a store) stops the job before anything is written: exit code 2, one
line on stderr, the store exactly as it was. ``--fail-on red`` exits 1 when a
grade's traffic light is red.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scorecard import PDCalibrator, delong_auc, load
from scorecard._kit.cli import target_column
from scorecard._kit.exceptions import DataConditionWarning
from scorecard._kit.io import (
    check_outputs,
    check_suffix,
    read_table,
    stage_file,
    stage_table,
    table_columns,
)
from scorecard.datasets import load_simucredit

from ._cli import add_cluster_arguments
from ._store import HistoryStore, StoreBusyError, precheck_store
from ._validation import ValidationMonitor, ValidationReport
from ._validation._engines import tally_batch

__all__ = ["demo_step", "register_validate"]

NO_TARGET = (
    "a back-test needs realised outcomes: pass --target COLUMN (the default "
    "flag of each obligor over the observation window)."
)


def register_validate(subparsers: Any) -> None:
    """Add ``infoscore validate``."""
    parser = subparsers.add_parser(
        "validate",
        help="PD validation of a calibrated scorecard on a batch with outcomes",
        description=(
            "Back-test per grade (Jeffreys, binomial, normal, Vasicek), portfolio "
            "tests, AUC against the initial validation and rating stability. "
            "Exit codes: 0 ok, 1 with --fail-on when a grade's light is at least "
            "that colour, 2 bad input (nothing written)."
        ),
    )
    parser.add_argument("card", help="PDCalibrator artifact (.json)")
    parser.add_argument("batch", help="obligors with outcomes (.csv, .parquet)")
    parser.add_argument("--target", help="realised default column (required)")
    parser.add_argument("--bad-value", help="value of --target meaning default")
    parser.add_argument("--batch-id", help="id of the batch (default: file stem)")
    parser.add_argument("--store", help="history store (SQLite file) to add the run to")
    parser.add_argument("--report", help="write the HTML validation report here")
    parser.add_argument("--grades-out", help="write the grade table (.csv/.parquet)")
    parser.add_argument("--initial-auc", type=float, help="AUC at initial validation")
    parser.add_argument("--rho", type=float, help="asset correlation (Vasicek test)")
    parser.add_argument(
        "--previous-grade", metavar="COLUMN", help="column with last date's grades"
    )
    parser.add_argument(
        "--initial-score",
        metavar="COLUMN",
        help="column with the initial model's points",
    )
    parser.add_argument(
        "--fail-on",
        choices=("red", "yellow"),
        help="exit 1 when a grade's light is red (or yellow or red)",
    )
    parser.add_argument("--model-id", help="model id in the store")
    parser.add_argument("--as-of", help="time the batch describes (ISO date)")
    parser.add_argument(
        "--replace",
        action="store_true",
        help="replace a validation run already stored for this model and batch id",
    )
    parser.add_argument(
        "--engine",
        choices=("pandas", "dask", "spark"),
        default="pandas",
        help=(
            "pandas: read the batch in this process (default); dask: count the "
            "partitions of the batch on a Dask cluster (needs infoscore[dask]); "
            "spark: count the Arrow batches of a Parquet batch on Spark (needs "
            "infoscore[spark] and Java 17). Same results, same store rows"
        ),
    )
    add_cluster_arguments(parser)
    parser.set_defaults(func=_run_validate)


def _check_paths(args: argparse.Namespace) -> dict[str, Path]:
    """Outputs checked against every input, and the store read-only, first."""
    if args.report is not None:
        check_suffix(args.report, "--report", (".html", ".htm"))
    if args.grades_out is not None:
        check_suffix(args.grades_out, "--grades-out", (".csv", ".parquet"))
    outputs = check_outputs(
        {"--report": args.report, "--grades-out": args.grades_out},
        {"card": args.card, "batch": args.batch, "--store": args.store},
    )
    if args.store is not None:
        precheck_store(args.store)  # read-only: a foreign or damaged file stops here
    return outputs


def _compute(args: argparse.Namespace) -> ValidationReport:
    if args.target is None:
        raise ValueError(NO_TARGET)
    cal = load(args.card)
    if not isinstance(cal, PDCalibrator):
        raise ValueError(
            f"{args.card!r} holds a {type(cal).__name__}; validate needs a "
            "PDCalibrator artifact (PDCalibrator(estimator=card, prefit=True))."
        )
    header = table_columns(args.batch)
    extra = [c for c in (args.target, args.previous_grade, args.initial_score) if c]
    missing = [c for c in [*cal.feature_names_in_, *extra] if c not in header]
    if missing:
        raise ValueError(f"Batch {args.batch!r} is missing column(s) {missing}.")
    monitor = ValidationMonitor(
        cal, initial_auc=args.initial_auc, rho=args.rho, model_id=args.model_id
    )
    if args.engine != "pandas":
        return _compute_distributed(args, monitor, [*cal.feature_names_in_, *extra])
    frame = read_table(args.batch, columns=[*cal.feature_names_in_, *extra])
    y = target_column(frame, args.target, args.bad_value)
    previous = None
    if args.previous_grade:
        previous = frame[args.previous_grade].astype(str).str.removesuffix(".0")
    initial = frame[args.initial_score].to_numpy(float) if args.initial_score else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        return monitor.check(
            frame[list(cal.feature_names_in_)],
            y=y,
            batch_id=args.batch_id or Path(args.batch).stem,
            previous_grade=previous,
            y_score_initial=initial,
        )


def _compute_distributed(
    args: argparse.Namespace, monitor: ValidationMonitor, columns: list[str]
) -> ValidationReport:
    """``--engine dask|spark``: count on the cluster, then the same report.

    The outcome labels are counted as they are and checked afterwards by the
    pandas engine's ``--target`` rule (on the distinct labels), so both
    engines stop on the same bad outcomes with the same message.
    """

    def encode(labels: Any) -> Any:
        return target_column(
            pd.DataFrame({args.target: labels}), args.target, args.bad_value
        )

    options = {
        "previous_as_text": True,  # as the pandas engine reads them
    }
    if args.engine == "spark":
        from ._spark import read_batch as read_spark
        from ._spark import spark_session

        with spark_session(args.master) as session:
            frame = read_spark(session, args.batch, columns)
            tally = tally_batch(
                monitor.calibrator,
                frame,
                y=args.target,
                previous_grade=args.previous_grade,
                y_score_initial=args.initial_score,
                **options,
            )
    else:
        from ._dask import dask_client, read_batch

        frame = read_batch(args.batch, columns)
        previous, initial = (
            frame[c] if c else None for c in (args.previous_grade, args.initial_score)
        )
        with dask_client(args.scheduler):
            tally = tally_batch(
                monitor.calibrator,
                frame,
                y=frame[args.target],
                previous_grade=previous,
                y_score_initial=initial,
                **options,
            )
    return monitor._from_tally(
        tally, batch_id=args.batch_id or Path(args.batch).stem, encode=encode
    )


def _already_stored(store: str, model_id: str, batch_id: str) -> bool:
    """Whether the store holds this run; read-only, so nothing changes."""
    path = Path(store)
    if not path.exists() or path.stat().st_size == 0:
        return False
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        if not con.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
            ("validation_runs",),
        ).fetchone():
            return False
        row = con.execute(
            "SELECT 1 FROM validation_runs WHERE model_id = ? AND batch_id = ?",
            (model_id, batch_id),
        ).fetchone()
        return row is not None
    finally:
        con.close()


def _run_validate(args: argparse.Namespace) -> int:
    if args.scheduler is not None and args.engine != "dask":
        raise ValueError("--scheduler needs --engine dask.")
    if args.master is not None and args.engine != "spark":
        raise ValueError("--master needs --engine spark.")
    outputs = _check_paths(args)
    report = _compute(args)
    if (
        args.store
        and not args.replace
        and _already_stored(args.store, str(report.model_id), str(report.batch_id))
    ):
        raise ValueError(
            f"Batch id {report.batch_id!r} of model {report.model_id!r} already has "
            f"a validation run in {args.store!r}; pass --replace to replace it."
        )
    # Everything is computed; now write: files to randomly named temporaries,
    # the run in one transaction, then the files into place.
    staged: list[tuple[Path, Path]] = []
    try:
        if "--report" in outputs:
            target = outputs["--report"]
            staged.append((stage_file(target, report.to_html()), target))
        if "--grades-out" in outputs:
            target = outputs["--grades-out"]
            staged.append((stage_table(report.grade_table(), target), target))
        if args.store:
            try:
                with HistoryStore(args.store) as store:
                    store.write_validation(report, as_of=args.as_of)
            except StoreBusyError as exc:
                raise OSError(str(exc)) from exc
        for tmp, target in staged:
            os.replace(tmp, target)
        staged = []
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
    _print(report, args)
    order = {"green": 0, "yellow": 1, "red": 2}
    if args.fail_on and order[report.light] >= order[args.fail_on]:
        return 1
    return 0


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def _print(report: ValidationReport, args: argparse.Namespace) -> None:
    s = report.summary()
    _say(
        f"model {report.model_id} batch {report.batch_id}: {s['n']} obligors, "
        f"{s['defaults']} defaults (observed {s['observed_dr']:.4%}, expected "
        f"{s['expected_dr']:.4%}); light {report.light.upper()}"
    )
    table = report.grade_table()
    columns = [
        "grade",
        "n",
        "defaults",
        "observed_dr",
        "pd",
        "jeffreys_pvalue",
        "binomial_pvalue",
        "light",
    ]
    with pd.option_context("display.float_format", "{:.4g}".format):
        _say(table[columns].to_string(index=False))
        _say(
            report.portfolio.to_frame()[["test", "statistic", "pvalue"]].to_string(
                index=False
            )
        )
    if report.auc_test is not None:
        t = report.auc_test
        _say(
            f"AUC {t.estimate:.4f} (SE {t.se:.4f}) vs initial {t.initial:.4f}: "
            f"S = {t.statistic:.3f}, p = {t.pvalue:.4g}"
        )
    written = [p for p in (args.store, args.report, args.grades_out) if p]
    if written:
        _say("written: " + ", ".join(written))


# --------------------------------------------------------------------------
# demo step


def demo_step(context: Any) -> None:
    """Calibrate the demo scorecard, grade it, and back-test two years."""
    data = context.results.get("simucredit")
    if data is None:
        data = load_simucredit()
    rng = np.random.default_rng(45)
    held = rng.random(len(data)) < 0.5
    X = data.drop(columns=["Status", "Race", "Gender"])
    y = (data["Status"] == 0).astype(int)
    card = context.results.get("scorecard")
    if card is None:
        from scorecard import Scorecard

        card = Scorecard().fit(X[~held], y[~held])
    cal = PDCalibrator(estimator=card, prefit=True, n_grades=7)
    cal.fit(X[held], y[held])
    initial = delong_auc(y[held], card.predict_score(X[held]), higher="good")
    monitor = ValidationMonitor(cal, initial_auc=initial.estimate, rho=0.05)
    context.say("\nPD validation: Platt calibration of the scorecard on half of")
    context.say("SimuCredit, a 7-grade master scale, two yearly back-tests of 5,000")
    context.say("obligors; in 2024 the bads are over-sampled (PDs underestimated).\n")
    context.say(cal.master_scale_.to_frame().to_string(index=False))
    pool = np.flatnonzero(~held)
    bads = pool[y.to_numpy()[pool] == 1]
    path = context.out_dir / "monitor.db"
    reports = []
    with HistoryStore(path) as store:
        for year, extra in (("2023", 0), ("2024", 600)):
            rows = np.concatenate(
                [rng.choice(pool, 5000 - extra), rng.choice(bads, extra)]
            )
            # last year's grades: the same obligors with noisier features
            before = X.iloc[rows].copy()
            numeric = before.select_dtypes("number").columns
            before[numeric] = before[numeric] * rng.normal(
                1.0, 0.05, (len(rows), len(numeric))
            )
            previous = cal.predict_grade(before)
            report = monitor.check(
                X.iloc[rows], y=y.iloc[rows], batch_id=year, previous_grade=previous
            )
            store.write_validation(report, as_of=f"{year}-12-31")
            reports.append(report)
        store.validation_to_html(
            context.out_dir / "validation_history.html",
            model_id=monitor.model_id,
        )
    reports[-1].to_html(context.out_dir / "validation_2024.html")
    for r in reports:
        context.say(f"\n{r.batch_id}: light {r.light}")
        shown = r.grade_table()[
            ["grade", "n", "defaults", "pd", "jeffreys_pvalue", "light"]
        ]
        context.say(shown.to_string(index=False))
    context.say(f"\nwritten: {context.out_dir / 'validation_2024.html'}")
    context.say(f"written: {context.out_dir / 'validation_history.html'}")
