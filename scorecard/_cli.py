"""The ``infoscore`` command line.

Sub-commands come from the ``infoscore.commands`` entry-point group and demo
steps from ``infoscore.demo_steps``, so that ``fairness`` and ``monitoring``
add their commands without ``scorecard`` importing them.
"""

from __future__ import annotations

import argparse
import logging
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

__all__ = ["main", "DemoContext", "register_demo"]

#: Exceptions that mean "bad input": one line on stderr and exit code 2.
INPUT_ERRORS: tuple[type[BaseException], ...] = (
    ValueError,
    TypeError,
    KeyError,
    OSError,
)


@dataclass
class DemoContext:
    """State handed from one demo step to the next.

    Attributes
    ----------
    out_dir : Path
        Folder where steps write their reports.
    results : dict
        Objects a step leaves for later steps (e.g. a fitted scorecard).
    """

    out_dir: Path
    results: dict[str, Any] = field(default_factory=dict)

    def say(self, text: str = "") -> None:
        """Print a line of the demo's output."""
        print(text, flush=True)


def _plugins(group: str) -> list[Any]:
    return sorted(entry_points(group=group), key=lambda ep: ep.name)


def register_demo(subparsers: Any) -> None:
    """Add ``infoscore demo``."""
    parser = subparsers.add_parser(
        "demo",
        help="run the whole pipeline on the bundled real data and write reports",
    )
    parser.add_argument(
        "--out",
        default="infoscore-demo",
        help="folder for the reports (default: ./infoscore-demo)",
    )
    parser.set_defaults(func=_run_demo)


def _run_demo(args: argparse.Namespace) -> int:
    context = DemoContext(out_dir=Path(args.out))
    context.out_dir.mkdir(parents=True, exist_ok=True)
    for ep in _plugins("infoscore.demo_steps"):
        step: Callable[[DemoContext], None] = ep.load()
        step(context)
    context.say(f"\nReports written to {context.out_dir.resolve()}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``infoscore`` command line; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="infoscore",
        description="Credit-risk scorecards with honest statistics.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")
    sub = parser.add_subparsers(dest="command", required=True)
    for ep in _plugins("infoscore.commands"):
        ep.load()(sub)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        # Data-condition warnings are shown once per place; the caller's own
        # filters are restored afterwards (main may run in-process).
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            return int(args.func(args))
    except INPUT_ERRORS as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        print(f"infoscore {args.command}: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


# --------------------------------------------------------------------------
# infoscore fit / score


def _target(data: Any, column: str, bad_value: str | None) -> Any:
    """0/1 target (1 = bad) from a column, checked."""
    import numpy as np

    if column not in data.columns:
        raise ValueError(f"--target column {column!r} is not in the data.")
    values = data[column]
    if values.isna().any():
        raise ValueError(f"--target column {column!r} has missing values.")
    if bad_value is not None:
        is_bad = values.astype(str) == bad_value
        if not is_bad.any():
            raise ValueError(
                f"--bad-value {bad_value!r} does not occur in column {column!r}; "
                f"values are {sorted(map(str, values.unique()))[:10]}."
            )
        return is_bad.to_numpy().astype(int)
    uniques = set(values.unique().tolist())
    if not uniques <= {0, 1}:
        raise ValueError(
            f"--target column {column!r} must be 0/1 (1 = bad) or give --bad-value; "
            f"got values {sorted(map(str, uniques))[:10]}."
        )
    return values.to_numpy().astype(np.int64)


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
    from ._io import read_table
    from ._scorecard import Scorecard
    from ._scorecard_report import scorecard_report

    data = read_table(args.data)
    unknown = [c for c in args.exclude if c not in data.columns]
    if unknown:
        raise ValueError(f"--exclude names columns not in the data: {unknown}.")
    y = _target(data, args.target, args.bad_value)
    X = data.drop(columns=[args.target, *args.exclude])
    if X.shape[1] == 0:
        raise ValueError("No feature columns left after --target and --exclude.")
    card = Scorecard().fit(X, y)
    card.to_json(args.out)
    summary = card.summary()
    print(
        f"fitted Scorecard on {len(X)} rows, {X.shape[1]} features; training AUC "
        f"{summary.auc.estimate:.4f} (SE {summary.auc.se:.4f}), KS {summary.ks:.4f}"
    )
    print(f"written: {args.out}")
    if args.report:
        html = scorecard_report(card, data={"train": (X, y)}, subtitle=str(args.data))
        Path(args.report).write_text(html, encoding="utf-8")
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

    from ._artifacts import load
    from ._io import read_table, table_columns, table_format, write_table

    card = load(args.card)
    if not hasattr(card, "predict_score"):
        raise ValueError(
            f"Artifact {args.card!r} is a {type(card).__name__}, not a scorecard."
        )
    if args.reasons < 0:
        raise ValueError(f"--reasons must be >= 0; got {args.reasons}.")
    table_format(args.out)
    features = [str(f) for f in card.bins_]
    header = table_columns(args.data)
    missing = [f for f in features + list(args.keep) if f not in header]
    if missing:
        raise ValueError(
            f"Data is missing model feature(s) or --keep column(s) {missing}."
        )
    extra = [c for c in header if c not in features and c not in args.keep]
    if extra:
        print(
            f"ignoring {len(extra)} column(s) the model does not use: {extra[:10]}",
            file=sys.stderr,
        )
    data = read_table(args.data, columns=features + list(args.keep))
    out = data[list(args.keep)].copy()
    out["score"] = card.predict_score(data[features])
    out["probability_bad"] = card.predict_proba(data[features])[:, 1]
    if args.reasons:
        out = pd.concat(
            [out, card.reason_codes(data[features], n=args.reasons)], axis=1
        )
    write_table(out, args.out)
    print(f"scored {len(out)} rows; written: {args.out}")
    return 0
