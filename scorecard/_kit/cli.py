"""The ``infoscore`` command line.

Sub-commands come from the ``infoscore.commands`` entry-point group and demo
steps from ``infoscore.demo_steps``, so that ``fairness`` and ``monitoring``
add their commands without ``scorecard`` importing them.
"""

from __future__ import annotations

import argparse
import logging
import os
import sqlite3
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from .validation import check_binary_target
from .version import versions_text

__all__ = ["INPUT_ERRORS", "DemoContext", "main", "register_demo", "target_column"]

#: Exceptions that mean "bad input": one line on stderr and exit code 2. The
#: arithmetic, recursion and memory errors come from hostile artifacts or
#: options (e.g. counts of 1e308); every ``sqlite3`` error is a store problem.
INPUT_ERRORS: tuple[type[BaseException], ...] = (
    ValueError,
    TypeError,
    KeyError,
    OSError,
    ArithmeticError,
    RecursionError,
    MemoryError,
    sqlite3.Error,
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


class _VersionAction(argparse.Action):
    """``--version``: the versions text, line breaks kept, then exit 0."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any):
        super().__init__(
            option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs
        )

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        print(versions_text())
        parser.exit()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``infoscore`` command line; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="infoscore",
        description="Credit-risk scorecards with honest statistics.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")
    parser.add_argument(
        "--version",
        action=_VersionAction,
        help="print the version of infoscore and its dependencies, and exit",
    )
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
    except BrokenPipeError:
        # The reader of our output went away (``... | head``): the work is
        # done and stored; say nothing more and exit 0.
        _silence_stdout()
        return 0
    except INPUT_ERRORS as exc:
        print(f"infoscore {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return 2


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    if isinstance(exc, RecursionError | MemoryError) or not text:
        text = text or type(exc).__name__
        return f"{type(exc).__name__}: input too large or too deeply nested ({text})"
    if isinstance(exc, sqlite3.Error):
        return f"history store: {type(exc).__name__}: {text.splitlines()[0]}"
    return text.splitlines()[0]


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout without a file descriptor (tests)
        pass


# --------------------------------------------------------------------------
# options shared by the sub-commands


def target_column(data: Any, column: str, bad_value: str | None) -> Any:
    """0/1 target (1 = bad) from a column, by the one binary-target rule.

    The column must be 0/1 or boolean, or ``--bad-value`` names the label
    meaning bad (see :func:`scorecard._kit.validation.check_binary_target`).
    """
    if column not in data.columns:
        raise ValueError(f"--target column {column!r} is not in the data.")
    values = data[column]
    if values.isna().any():
        raise ValueError(f"--target column {column!r} has missing values.")
    if bad_value is not None and not (values.astype(str) == bad_value).any():
        # the command line gives text: the label is looked up as text
        raise ValueError(
            f"--bad-value {bad_value!r} does not occur in column {column!r}; "
            f"values are {sorted(map(str, values.unique()))[:10]}."
        )
    return check_binary_target(
        values.to_numpy(),
        bad_value=bad_value,
        name=f"--target column {column!r}",
        parameter="--bad-value",
    ).y01


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
