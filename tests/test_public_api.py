"""Every public name resolves, has a docstring, and dependencies point one way."""

from __future__ import annotations

import ast
import functools
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
    found: set[str] = set()
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


# ---------------------------------------------------------------------------
# the stairs: the module graph of the three packages, read from the AST
# ---------------------------------------------------------------------------
# Every module is parsed with `ast`; imports anywhere in it count (module level,
# inside functions, inside `try`), except those under `if TYPE_CHECKING:`,
# which never run. Relative imports are resolved against the importing
# module; `from a import b` is an edge to `a.b` when `a.b` is a module of ours
# and to `a` (its `__init__`) otherwise. Third-party modules are not nodes.

OURS = ("scorecard", "fairness", "monitoring")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _our_modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in OURS
        for path in sorted((ROOT / package).rglob("*.py"))
    }


MODULES = _our_modules()


@functools.cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text())


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_nodes(tree: ast.AST):
    """Walk ``tree`` but skip the bodies of ``if TYPE_CHECKING:`` blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _resolve_from(module: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    is_package = MODULES[module].name == "__init__.py"
    base = module.split(".")
    # level 1 is the package holding the module (the module itself for __init__)
    drop = node.level - 1 if is_package else node.level
    base = base[: len(base) - drop] if drop else base
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str, *, runtime_only: bool) -> list[tuple[int, str, str | None]]:
    """``(line, imported module, imported name or None)`` for every import."""
    tree = _tree(MODULES[module])
    nodes = _runtime_nodes(tree) if runtime_only else ast.walk(tree)
    found: list[tuple[int, str, str | None]] = []
    for node in nodes:
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve_from(module, node)
            found.extend((node.lineno, target, alias.name) for alias in node.names)
    return found


def _edges(module: str) -> set[str]:
    """Modules of ours that ``module`` imports at run time (any depth)."""
    targets = set()
    for _, target, name in _imports(module, runtime_only=True):
        if target.split(".")[0] not in OURS:
            continue
        if name is not None and f"{target}.{name}" in MODULES:
            targets.add(f"{target}.{name}")
        elif target in MODULES:
            targets.add(target)
    targets.discard(module)
    return targets


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def _tangles(graph: dict[str, set[str]], limit: int = 20) -> list[list[str]]:
    """Distinct import cycles: find one, cut its closing edge, search again."""
    cycles: list[list[str]] = []
    remaining = {node: set(targets) for node, targets in graph.items()}
    while len(cycles) < limit and (cycle := _find_cycle(remaining)) is not None:
        cycles.append(cycle)
        remaining[cycle[-2]].discard(cycle[-1])
    return cycles


def test_no_import_cycles():
    """No cycle among our modules, counting function-level imports.

    A lazy import inside a function is allowed for a heavy or optional
    third-party dependency only; between our own modules it is an edge like
    any other, so it cannot hide a cycle. ``if TYPE_CHECKING:`` imports never
    run and are not edges. A package ``__init__`` that re-exports its
    sub-modules has an edge to each of them.
    """
    graph = {module: _edges(module) for module in MODULES}
    cycles = _tangles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_find_cycle_finds_a_cycle():
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None
    two = {"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"c"}}
    assert _tangles(two) == [["a", "b", "a"], ["c", "d", "c"]]


def _allowed_scorecard_module(target: str) -> bool:
    parts = target.split(".")
    if parts[0] != "scorecard":
        return True
    if parts in (["scorecard"], ["scorecard", "datasets"], ["scorecard", "_kit"]):
        return True
    return len(parts) == 3 and parts[1] == "_kit" and not parts[2].startswith("_")


@pytest.mark.parametrize("package", ["fairness", "monitoring"])
def test_stairs_only_public_scorecard_and_kit(package):
    """fairness/monitoring import from scorecard only its public face.

    Allowed: ``scorecard``, ``scorecard.datasets``, ``scorecard._kit`` and its
    non-underscore modules, and only names that do not start with ``_``. Every
    import counts, also inside functions and under ``if TYPE_CHECKING:``.
    """
    bad = []
    for module, path in MODULES.items():
        if not module.startswith(package + ".") and module != package:
            continue
        where = path.relative_to(ROOT)
        for line, target, name in _imports(module, runtime_only=False):
            top = target.split(".")[0]
            if top in OURS and top not in (package, "scorecard"):
                bad.append(f"{where}:{line}: imports {target} (sibling package)")
            if top != "scorecard":
                continue
            if not _allowed_scorecard_module(target):
                bad.append(f"{where}:{line}: imports private module {target}")
            elif name is not None and name.startswith("_"):
                bad.append(f"{where}:{line}: imports private name {target}.{name}")
    assert not bad, "\n".join(dict.fromkeys(bad))


def test_kit_imports_nothing_of_scorecard_outside_kit():
    """The platform ``scorecard._kit`` sits under everything: it may import
    only itself (any import, also lazy or under ``if TYPE_CHECKING:``)."""
    bad = []
    for module, path in MODULES.items():
        if not (module == "scorecard._kit" or module.startswith("scorecard._kit.")):
            continue
        for line, target, _ in _imports(module, runtime_only=False):
            parts = target.split(".")
            if parts[0] in OURS and parts[:2] != ["scorecard", "_kit"]:
                bad.append(f"{path.relative_to(ROOT)}:{line}: imports {target}")
    assert not bad, "\n".join(dict.fromkeys(bad))


# Private attributes read across packages. Statically the type of `obj` in
# `obj._name` is unknown, so the rule is: `_name` (single underscore, not a
# dunder) used on anything but `self`/`cls` in package P is a violation when
# `_name` is defined (def, class, assignment, attribute assignment) in one of
# the other packages and nowhere in P. `getattr(obj, "_name")` counts too.
PRIVATE_ATTRIBUTE_WHITELIST: dict[str, str] = {
    # "_name": "reason",
}


@functools.cache
def _defined_names(package: str) -> frozenset[str]:
    names: set[str] = set()
    for module, path in MODULES.items():
        if module.split(".")[0] != package:
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
    return frozenset(name for name in names if name.startswith("_"))


def _private_uses(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            attr, value = node.attr, node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr", "setattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            attr, value = node.args[1].value, node.args[0]
        else:
            continue
        if not attr.startswith("_") or attr.startswith("__"):
            continue
        if isinstance(value, ast.Name) and value.id in ("self", "cls"):
            continue
        yield node.lineno, attr


def test_private_uses_detector():
    tree = ast.parse("model._bin_points(x)\nself._own\ngetattr(m, '_p')\nm.__dict__\n")
    assert sorted(_private_uses(tree)) == [(1, "_bin_points"), (3, "_p")]


@pytest.mark.parametrize("package", OURS)
def test_no_private_attributes_of_other_packages(package):
    own = _defined_names(package)
    others = set().union(*(_defined_names(p) for p in OURS if p != package))
    suspects = (others - own) - set(PRIVATE_ATTRIBUTE_WHITELIST)
    bad = []
    for module, path in MODULES.items():
        if module.split(".")[0] != package:
            continue
        for line, attr in _private_uses(_tree(path)):
            if attr in suspects:
                bad.append(f"{path.relative_to(ROOT)}:{line}: uses .{attr}")
    assert not bad, (
        "private members of another package (give the owner a public method):\n"
        + "\n".join(bad)
    )
