"""Every public name resolves, has a docstring, and dependencies point one way."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGES = ["scorecard", "scorecard.datasets", "fairness", "monitoring"]
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("package", PACKAGES)
def test_all_names_resolve_and_have_docstrings(package):
    module = importlib.import_module(package)
    assert isinstance(module.__all__, list)
    for name in module.__all__:
        assert isinstance(name, str)
        obj = getattr(module, name)
        assert (obj.__doc__ or "").strip(), f"{package}.{name} has no docstring"


def _imported_top_levels(package: str) -> set[str]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("scorecard", {"fairness", "monitoring"}),
        ("fairness", {"monitoring"}),
        ("monitoring", {"fairness"}),
    ],
)
def test_dependencies_point_one_way(package, forbidden):
    assert not (_imported_top_levels(package) & forbidden)


def test_no_print_or_eval_in_library_code():
    for package in ("scorecard", "fairness", "monitoring"):
        for path in (ROOT / package).rglob("*.py"):
            if path.name in ("_cli.py", "_demo.py", "cli.py"):
                continue
            tree = ast.parse(path.read_text())
            calls = {
                node.func.id
                for node in ast.walk(tree)
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            }
            assert not calls & {"print", "input", "eval", "exec"}, path
