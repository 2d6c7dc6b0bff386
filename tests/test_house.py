"""The habits that keep the house in order (issue 12, "Done when").

Module and function sizes, lazy heavy imports, one version, one report shape,
and a test tree that mirrors the package layout.
"""

from __future__ import annotations

import ast
import functools
import importlib
import importlib.metadata
import inspect
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("scorecard", "fairness", "monitoring")
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 100


def _sources() -> list[Path]:
    return [
        path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
    ]


@functools.cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text())


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


# ---------------------------------------------------------------------------
# size
# ---------------------------------------------------------------------------


def _first_line_after_docstring(text: str, tree: ast.Module) -> str:
    lines = text.splitlines()
    start = 0
    body = tree.body
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        start = body[0].end_lineno or 0
    for line in lines[start:]:
        if line.strip():
            return line.strip()
    return ""


def test_no_module_over_600_lines_without_a_reason():
    """A module over 600 lines starts (after its docstring) with ``# size: why``."""
    bad = []
    for path in _sources():
        text = path.read_text()
        n_lines = len(text.splitlines())
        if n_lines <= MAX_MODULE_LINES:
            continue
        first = _first_line_after_docstring(text, _tree(path))
        if not re.fullmatch(r"# size: \S.*", first):
            bad.append(f"{_rel(path)}: {n_lines} lines and no '# size: <reason>'")
    assert not bad, "\n".join(bad)


def _body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of a function body from its first statement after the docstring."""
    body = node.body
    if (
        isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        body = body[1:]
    if not body:
        return 0
    return (node.end_lineno or 0) - body[0].lineno + 1


def test_body_lines_counts_without_docstring():
    tree = ast.parse(
        'def f():\n    """Doc.\n\n    More.\n    """\n    a = 1\n\n    return a\n'
    )
    assert _body_lines(tree.body[0]) == 3  # type: ignore[arg-type]


def test_no_function_over_100_lines():
    """No function or method body (excluding its docstring) over 100 lines."""
    bad = []
    for path in _sources():
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n_lines = _body_lines(node)
                if n_lines > MAX_FUNCTION_LINES:
                    bad.append(
                        f"{_rel(path)}:{node.lineno}: {node.name}() {n_lines} lines"
                    )
    assert not bad, "\n".join(bad)


# ---------------------------------------------------------------------------
# lazy heavy imports
# ---------------------------------------------------------------------------

HEAVY = (
    "xgboost",
    "matplotlib",
    "statsmodels",
    "jinja2",
    "pulp",
    "dask",
    "distributed",
)


def test_import_loads_no_heavy_dependency():
    """``import scorecard, fairness, monitoring`` loads none of the heavy ones."""
    code = (
        "import json, sys\n"
        "import scorecard, fairness, monitoring\n"
        f"heavy = {HEAVY!r}\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules"
        " if m.split('.')[0] in heavy})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert not loaded, (
        f"import scorecard, fairness, monitoring loads {loaded}; import them inside "
        "the function that uses them (see `python -X importtime -c 'import scorecard'`)"
    )


# ---------------------------------------------------------------------------
# one version
# ---------------------------------------------------------------------------

VERSION_FILE = ROOT / "scorecard" / "_kit" / "version.py"
VERSION_LITERAL = re.compile(r"\d+\.\d+\.\d+(?:[.-]?(?:dev|a|b|rc|post)\d*)*")


def test_version_is_single_sourced():
    import scorecard

    assert scorecard.__version__ == importlib.metadata.version("infoscore")
    bad = []
    for path in _sources():
        if path == VERSION_FILE:
            continue
        for node in ast.walk(_tree(path)):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and VERSION_LITERAL.fullmatch(node.value.strip())
            ):
                bad.append(
                    f"{_rel(path)}:{node.lineno}: version literal {node.value!r}"
                )
    # package data (templates, CSS, notes) must not repeat the version either
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            if path.is_file() and path.suffix in {
                ".html",
                ".j2",
                ".css",
                ".md",
                ".txt",
            }:
                if scorecard.__version__ in path.read_text(errors="replace"):
                    bad.append(f"{_rel(path)}: contains {scorecard.__version__!r}")
    assert not bad, "\n".join(bad)


# ---------------------------------------------------------------------------
# one report shape
# ---------------------------------------------------------------------------

REPORTERS = [
    ("scorecard", "Scorecard"),
    ("scorecard", "BoostedScorecard"),
    ("monitoring", "DriftReport"),
    ("monitoring", "HistoryStore"),
    ("monitoring", "ValidationReport"),
    ("fairness", "FairnessReport"),
    ("fairness", "FairnessAssessment"),
    ("fairness", "ParetoFrontier"),
]


@pytest.mark.parametrize(("package", "name"), REPORTERS)
def test_reports_have_to_html_path_none(package, name):
    """Every report offers ``to_html(path=None, **options) -> str``."""
    cls = getattr(importlib.import_module(package), name)
    method = getattr(cls, "to_html", None)
    assert callable(method), f"{package}.{name} has no to_html method"
    params = list(inspect.signature(method).parameters.values())
    if params and params[0].name in ("self", "cls"):
        params = params[1:]
    assert params, f"{package}.{name}.to_html takes no path"
    first = params[0]
    assert first.name == "path", (
        f"{package}.{name}.to_html: first parameter is {first.name!r}, expected 'path'"
    )
    assert first.default is None, (
        f"{package}.{name}.to_html: path defaults to {first.default!r}, expected None"
    )
    required = [
        p.name
        for p in params[1:]
        if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    assert not required, f"{package}.{name}.to_html requires {required}"


# ---------------------------------------------------------------------------
# the test tree mirrors the layout
# ---------------------------------------------------------------------------

# Test files under tests/<package>/ whose name is not a module, with the reason.
TEST_NAME_WHITELIST = {
    "test_spine.py": "cross-module equalities of the statistical spine",
    "test_common.py": "scikit-learn common checks of a package's estimators",
    "test_layers.py": "the import layers between a package's sub-packages",
}


def _matches(folder: Path, name: str) -> bool:
    return any(
        (folder / candidate).exists()
        for candidate in (f"_{name}.py", f"{name}.py", f"_{name}", name)
    )


def _source_folder(test_folder: Path) -> Path | None:
    """The package folder mirrored by ``tests/<package>/<sub>/...``."""
    folder = ROOT
    for part in test_folder.relative_to(ROOT / "tests").parts:
        for candidate in (part, f"_{part}", part.lstrip("_"), "_" + part.lstrip("_")):
            if (folder / candidate).is_dir():
                folder = folder / candidate
                break
        else:
            return None
    return folder


def test_test_tree_mirrors_the_layout():
    """``tests/<pkg>/<sub>/test_<module>[_<aspect>].py`` names a real module.

    ``<sub>`` is a sub-package (with or without its underscore) and
    ``<module>`` a module (``_<module>.py`` / ``<module>.py``) or a folder in
    it; a suffix ``_<aspect>`` is allowed (``test_cli_scorecard.py`` tests
    ``_cli.py``). Every test folder has an ``__init__.py``.
    """
    bad = []
    for package in PACKAGES:
        for path in sorted((ROOT / "tests" / package).rglob("test_*.py")):
            if path.name in TEST_NAME_WHITELIST:
                continue
            source = _source_folder(path.parent)
            if source is None:
                bad.append(f"{_rel(path)}: folder mirrors no sub-package")
                continue
            words = path.stem.removeprefix("test_").split("_")
            names = ["_".join(words[:k]) for k in range(len(words), 0, -1)]
            if not any(_matches(source, name) for name in names):
                bad.append(f"{_rel(path)}: no module {names[0]!r} in {_rel(source)}/")
        for folder in sorted((ROOT / "tests" / package).rglob("*")):
            if folder.is_dir() and folder.name != "__pycache__":
                if not (folder / "__init__.py").exists():
                    bad.append(f"{_rel(folder)}/ has no __init__.py")
    assert not bad, "\n".join(bad)
