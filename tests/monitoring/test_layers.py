"""Monitoring's import graph: no cycles (lazy or not), only public scorecard names."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import scorecard
from tests.test_public_api import _find_cycle

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "monitoring"
#: Heavy or optional third-party modules that may only be imported lazily.
HEAVY = {"xgboost", "matplotlib", "statsmodels", "jinja2", "pulp", "dask"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[str, list[str], bool]]:
    """(module, names, top_level) of every import, resolved to absolute names."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, [], id(node) in top) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((module, [a.name for a in node.names], id(node) in top))
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for m, path in modules.items():
        for target, names, _ in _imports(path):
            if not target.startswith("monitoring"):
                continue
            for sub in names:  # ``from . import _x`` imports a module
                if f"{target}.{sub}" in modules:
                    graph[m].add(f"{target}.{sub}")
            if target in modules and target != m:
                graph[m].add(target)
    return graph


def test_no_import_cycles_between_modules_even_lazy_or_type_only():
    graph = _graph()
    # A package's __init__ re-exports its modules; its modules never import it
    # back, so the graph stays a DAG with the re-export edges included.
    assert _find_cycle(graph) is None, _find_cycle(graph)


def test_no_import_cycles_between_sub_packages():
    def unit(m: str) -> str:
        return ".".join(m.split(".")[:2])

    graph: dict[str, set[str]] = {}
    for m, targets in _graph().items():
        graph.setdefault(unit(m), set()).update(
            unit(t) for t in targets if unit(t) != unit(m) and unit(t) != "monitoring"
        )
    assert _find_cycle(graph) is None, _find_cycle(graph)


def test_only_public_scorecard_names_are_imported():
    public_kit = {"artifacts", "exceptions", "io", "report", "validation", "dask",
                  "cli", "compat", "intervals", "version", "spark"}  # fmt: skip
    for path in PACKAGE.rglob("*.py"):
        for module, names, _ in _imports(path):
            if module == "scorecard":
                assert set(names) <= set(scorecard.__all__), (path, names)
            elif module.startswith("scorecard."):
                parts = module.split(".")
                ok = module == "scorecard.datasets" or (
                    parts[1] == "_kit" and len(parts) == 3 and parts[2] in public_kit
                )
                assert ok, (path, module)
                assert not any(n.startswith("_") for n in names), (path, names)
                importlib.import_module(module)


def test_heavy_dependencies_are_imported_lazily():
    for path in PACKAGE.rglob("*.py"):
        for module, _, top_level in _imports(path):
            # Imports under ``if TYPE_CHECKING:`` are not top-level nodes.
            assert not (top_level and module.split(".")[0] in HEAVY), (path, module)
