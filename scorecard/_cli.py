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
    warnings.simplefilter("default")
    try:
        return int(args.func(args))
    except INPUT_ERRORS as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        print(f"infoscore {args.command}: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
