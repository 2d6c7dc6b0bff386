"""``infoscore fit`` and ``infoscore score``: the scorecard sub-commands."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from ._kit.cli import target_column

__all__ = ["register_fit", "register_score"]


def register_fit(subparsers: Any) -> None:
    """Add ``infoscore fit``."""
    parser = subparsers.add_parser(
        "fit", help="fit a WoE scorecard to CSV/Parquet data"
    )
    parser.add_argument("data", help="training data (.csv, .parquet)")
    parser.add_argument("--target", required=True, help="target column")
    parser.add_argument(
        "--bad-value", help="value of the target meaning bad (default: target is 0/1)"
    )
    parser.add_argument(
        "--exclude", nargs="*", default=[], help="columns that are not features"
    )
    parser.add_argument("--out", required=True, help="artifact path (.json)")
    parser.add_argument("--report", help="also write the HTML scorecard report here")
    parser.set_defaults(func=_run_fit)


def _run_fit(args: argparse.Namespace) -> int:
    from ._kit.io import check_outputs, check_suffix, read_table, stage_file
    from ._models._scorecard import Scorecard

    check_suffix(args.out, "--out", (".json",))
    if args.report is not None:
        check_suffix(args.report, "--report", (".html", ".htm"))
    outputs = check_outputs(
        {"--out": args.out, "--report": args.report}, {"data": args.data}
    )
    data = read_table(args.data)
    unknown = [c for c in args.exclude if c not in data.columns]
    if unknown:
        raise ValueError(f"--exclude names columns not in the data: {unknown}.")
    y = target_column(data, args.target, args.bad_value)
    X = data.drop(columns=[args.target, *args.exclude])
    if X.shape[1] == 0:
        raise ValueError("No feature columns left after --target and --exclude.")
    card = Scorecard().fit(X, y)
    summary = card.summary()
    # Both outputs are made before either is renamed into place: a report
    # that fails leaves no artifact behind (and no old one replaced).
    staged = [(stage_file(outputs["--out"], card.to_json()), outputs["--out"])]
    try:
        if args.report:
            html = card.to_html(data={"train": (X, y)}, subtitle=str(args.data))
            staged.append((stage_file(outputs["--report"], html), outputs["--report"]))
        for tmp, final in staged:
            os.replace(tmp, final)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
    print(
        f"fitted Scorecard on {len(X)} rows, {X.shape[1]} features; training AUC "
        f"{summary.auc.estimate:.4f} (SE {summary.auc.se:.4f}), KS {summary.ks:.4f}"
    )
    print(f"written: {args.out}")
    if args.report:
        print(f"written: {args.report}")
    return 0


def register_score(subparsers: Any) -> None:
    """Add ``infoscore score``."""
    parser = subparsers.add_parser("score", help="score data with a JSON artifact")
    parser.add_argument("card", help="scorecard artifact (.json)")
    parser.add_argument("data", help="data to score (.csv, .parquet)")
    parser.add_argument("--out", required=True, help="output (.csv or .parquet)")
    parser.add_argument(
        "--reasons", type=int, default=0, help="add N adverse-action reason codes"
    )
    parser.add_argument(
        "--keep", nargs="*", default=[], help="input columns copied to the output"
    )
    parser.set_defaults(func=_run_score)


def _run_score(args: argparse.Namespace) -> int:
    import pandas as pd

    from ._kit.artifacts import load
    from ._kit.io import (
        check_outputs,
        read_table,
        table_columns,
        table_format,
        write_table,
    )

    table_format(args.out)
    check_outputs({"--out": args.out}, {"card": args.card, "data": args.data})
    card = load(args.card)
    if not hasattr(card, "predict_score"):
        raise ValueError(
            f"Artifact {args.card!r} is a {type(card).__name__}, not a scorecard."
        )
    features = [str(f) for f in card.bins_]
    if not 0 <= args.reasons <= len(features):
        raise ValueError(
            f"--reasons must be between 0 and the number of model features "
            f"({len(features)}); got {args.reasons}."
        )
    header = table_columns(args.data)
    missing = [f for f in features + list(args.keep) if f not in header]
    if missing:
        raise ValueError(
            f"Data is missing model feature(s) or --keep column(s) {missing}."
        )
    clash = [c for c in args.keep if c in ("score", "probability_bad")]
    if clash:
        raise ValueError(f"--keep may not name the output column(s) {clash}.")
    extra = [c for c in header if c not in features and c not in args.keep]
    if extra:
        print(
            f"ignoring {len(extra)} column(s) the model does not use: {extra[:10]}",
            file=sys.stderr,
        )
    data = read_table(args.data, columns=list(dict.fromkeys(features + args.keep)))
    out = data[list(args.keep)].copy()
    out["score"] = card.predict_score(data[features])
    out["probability_bad"] = card.predict_proba(data[features])[:, 1]
    if args.reasons:
        out = pd.concat(
            [out, card.reason_codes(data[features], n=args.reasons)], axis=1
        )
    write_table(out, args.out)  # atomic; CSV cells neutralised
    print(f"scored {len(out)} rows; written: {args.out}")
    return 0
