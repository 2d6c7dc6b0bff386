"""The ``infoscore`` command line.

Sub-commands come from the ``infoscore.commands`` entry-point group and demo
steps from ``infoscore.demo_steps``, so that ``fairness`` and ``monitoring``
add their commands without ``scorecard`` importing them.

The shell does what every sub-command shares: ``--verbose`` (before or after
the sub-command), bad input as one ``error:`` line and exit 2, warnings as one
tidy ``note: <message>`` line each on stderr (de-duplicated, no file paths;
``--verbose`` shows them in full), and the reading and checking of config
files (TOML or JSON: sections of keys, unknown ones named).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import re
import sqlite3
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from .validation import check_binary_target
from .version import versions_text

__all__ = [
    "INPUT_ERRORS",
    "DemoContext",
    "check_section",
    "main",
    "parse_assignment",
    "read_config",
    "register_demo",
    "target_column",
    "tidy_warnings",
]

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


def _add_verbose(sub: Any) -> None:
    """``--verbose`` after the sub-command too (``infoscore fit ... --verbose``)."""
    for parser in dict.fromkeys(sub.choices.values()):
        with contextlib.suppress(argparse.ArgumentError):  # it has its own
            parser.add_argument(
                "-v",
                "--verbose",
                action="store_true",
                default=argparse.SUPPRESS,
                help="log progress and show warnings in full",
            )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``infoscore`` command line; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="infoscore",
        description="Credit-risk scorecards with honest statistics.",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="log progress and show warnings in full (with their source lines)",
    )
    parser.add_argument(
        "--version",
        action=_VersionAction,
        help="print the version of infoscore and its dependencies, and exit",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for ep in _plugins("infoscore.commands"):
        ep.load()(sub)
    _add_verbose(sub)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        # Warnings are one tidy line each; the caller's own filters are
        # restored afterwards (main may run in-process).
        with tidy_warnings(verbose=args.verbose):
            return int(args.func(args))
    except BrokenPipeError:
        # The reader of our output went away (``... | head``): the work is
        # done and stored; say nothing more and exit 0.
        _silence_stdout()
        return 0
    except INPUT_ERRORS as exc:
        print(f"infoscore {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return 2


@contextlib.contextmanager
def tidy_warnings(*, verbose: bool = False, stream: Any = None) -> Iterator[None]:
    r"""Show every warning of the block as one ``note: <message>`` line.

    Each distinct message is printed once, when first raised, on ``stream``
    (default: ``sys.stderr`` at the time of the warning), with its text on
    one line and no file path, line number or warning class. With
    ``verbose`` the warnings are shown in full, as Python formats them
    (source file and line), once per message and place. The previous
    warning filters and ``warnings.showwarning`` are restored on exit.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> with tidy_warnings(stream=out):
    ...     for _ in range(3):
    ...         warnings.warn("feature 'x' is constant\n  (dropped)", UserWarning)
    >>> out.getvalue()
    "note: feature 'x' is constant (dropped)\n"
    """
    seen: set[Any] = set()

    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: Any = None,  # noqa: ARG001 (showwarning's signature)
        line: str | None = None,
    ) -> None:
        text = " ".join(str(message).split())
        key = (text, filename, lineno) if verbose else text
        if key in seen:
            return
        seen.add(key)
        out_stream = stream if stream is not None else sys.stderr
        if verbose:
            out = warnings.formatwarning(message, category, filename, lineno, line)
        else:
            out = f"note: {text}\n"
        out_stream.write(out)

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = show
        yield


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


# --------------------------------------------------------------------------
# config files (``infoscore fit --config``)


def read_config(path: str | os.PathLike[str], option: str = "--config") -> dict:
    """Read a TOML (``.toml``) or JSON (``.json``) config file into a dict.

    The top level must be a table of sections (``[binner]``, ``[model]``, ...),
    each a table of keys; :func:`check_section` checks their names.

    Raises
    ------
    ValueError
        If the suffix is neither, the file does not parse (the message names
        the file and the parser's reason), or a section is not a table.
    OSError
        If the file cannot be read.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise ValueError(f"{option} must end in .toml or .json; got {str(path)!r}.")
    text = p.read_text(encoding="utf-8")
    try:
        if suffix == ".toml":
            import tomllib

            doc: Any = tomllib.loads(text)
        else:
            doc = json.loads(text)
    except ValueError as exc:  # TOMLDecodeError and JSONDecodeError
        reason = " ".join(str(exc).split())
        raise ValueError(
            f"{option} file {str(path)!r} does not parse: {reason}"
        ) from None
    if not isinstance(doc, dict):
        raise ValueError(
            f"{option} file {str(path)!r} must hold a table of sections; got a "
            f"{type(doc).__name__}."
        )
    for name, section in doc.items():
        if not isinstance(section, dict):
            raise ValueError(
                f"{option} file {str(path)!r}: [{name}] must be a section (a table "
                f"of keys); got {section!r}."
            )
    return doc


def check_section(
    name: str, section: Mapping[str, Any], allowed: Sequence[str] | set[str]
) -> None:
    """Refuse keys of a config section that are not ``allowed``.

    Raises
    ------
    ValueError
        Naming the unknown key(s), the section and the allowed keys.

    Examples
    --------
    >>> check_section("binner", {"max_n_bins": 5}, {"max_n_bins", "min_bin_size"})
    >>> check_section("binner", {"max_bins": 5}, {"max_n_bins"})
    Traceback (most recent call last):
    ...
    ValueError: unknown key 'max_bins' in section [binner]; allowed keys: max_n_bins.
    """
    unknown = [k for k in section if k not in allowed]
    if unknown:
        keys = ", ".join(repr(k) for k in unknown)
        raise ValueError(
            f"unknown key{'s' if len(unknown) > 1 else ''} {keys} in section "
            f"[{name}]; allowed keys: {', '.join(sorted(allowed))}."
        )


def parse_assignment(text: str, option: str) -> tuple[str, Any]:
    """``KEY=VALUE`` of a command-line option; VALUE as JSON, else as text.

    Examples
    --------
    >>> parse_assignment("max_n_bins=5", "--set"), parse_assignment("t=auto", "--set")
    (('max_n_bins', 5), ('t', 'auto'))
    """
    key, sep, value = text.partition("=")
    if not sep or not re.fullmatch(r"[A-Za-z_][\w.]*", key.strip()):
        raise ValueError(f"{option} takes KEY=VALUE; got {text!r}.")
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = value
    return key.strip(), parsed


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
