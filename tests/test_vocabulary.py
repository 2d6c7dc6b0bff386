"""One public vocabulary: the naming table, enforced over the public API.

Every name in ``__all__`` of ``scorecard``, ``scorecard.datasets``,
``fairness`` and ``monitoring`` is walked: functions directly; classes through
``__init__`` and every public method (including ``fit``, class and static
methods) defined in our packages (methods inherited from scikit-learn are not
ours). Dataclass results are checked through their methods, not their
generated ``__init__`` (their fields are attributes, not parameters).

The table (CONTRIBUTING.md carries it):

========================  ====================================================
concept                   name
========================  ====================================================
validation data           ``X_valid``, ``y_valid``, ``sensitive_features_valid``
labels of a metric        ``y_true``; the bad label ``bad_value``
scores of a metric        ``y_score``
protected attributes      ``sensitive_features`` (never in ``__init__``)
drift baseline            ``reference``
fairness reference group  ``reference_group``
CI / test level           ``alpha`` (a float in (0, 1), ONLY that meaning)
L2 strength               ``l2``
fairness penalty          ``lambda_``
U vs V statistic          ``unbiased: bool``
score direction           ``higher: Literal["good", "bad"]``
WoE orientation           ``orientation: Literal["good/bad", "bad/good"]``
randomness                ``random_state``
sample weights            ``sample_weight``
========================  ====================================================

Deprecated aliases (the convention others follow)
-------------------------------------------------
A renamed public parameter keeps its old name for one release. The old name
may stay in the signature only as a **deprecated alias**: a parameter whose
default is the string ``"deprecated"`` (estimators: checked in ``fit``, as
scikit-learn's own deprecations do) or ``None`` for a function that checks it
in its body, recorded with ``@scorecard._kit.compat.renamed(old="new")`` on
the function or ``__init__``; the code warns with
``scorecard._kit.compat.warn_renamed`` (the one FutureWarning message, "'<old>'
was renamed to '<new>' in 0.2 and will be removed in 0.3."). The test accepts
a forbidden name when the new name is in the same signature and the old one
is recorded. For estimators it is checked dynamically too: an estimator is
built with the old name, and ``get_params()`` must still hold it.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

PACKAGES = ("scorecard", "scorecard.datasets", "fairness", "monitoring")
OURS = ("scorecard", "fairness", "monitoring")

# forbidden parameter name -> the table's name
FORBIDDEN = {
    "X_val": "X_valid",
    "y_val": "y_valid",
    "X_validation": "X_valid",
    "y_validation": "y_valid",
    "sensitive_val": "sensitive_features_valid",
    "sensitive_valid": "sensitive_features_valid",
    "sensitive_features_val": "sensitive_features_valid",
    "validation_data": "X_valid, y_valid",
    "eval_set": "X_valid, y_valid",
    "y_pred": "y_score",
    "scores": "y_score",
    "score": "y_score",
    "higher_is_better": "higher",
    "protected": "sensitive_features",
    "sensitive": "sensitive_features",
    "weights": "sample_weight",
    "sample_weights": "sample_weight",
    "seed": "random_state",
    "random_seed": "random_state",
    "rng": "random_state",
}

# (qualified callable, parameter) -> reason; keep it short and honest
WHITELIST: dict[tuple[str, str], str] = {
    ("scorecard.WoEResult.contrast_se", "weights"): (
        "coefficients of a linear contrast of WoEs, not sample weights"
    ),
}


def _defined_by_us(func: Any) -> bool:
    module = getattr(inspect.unwrap(func), "__module__", None) or ""
    return module.split(".")[0] in OURS


def _public_callables() -> Iterator[tuple[str, Callable[..., Any], bool, type | None]]:
    """``(qualified name, callable, is __init__, owning class)``, each once."""
    seen: set[int] = set()
    for package in PACKAGES:
        module = importlib.import_module(package)
        for name in module.__all__:
            obj = getattr(module, name)
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if inspect.isclass(obj):
                if not _defined_by_us(obj):
                    continue
                if not dataclasses.is_dataclass(obj) and _defined_by_us(obj.__init__):
                    yield f"{package}.{name}.__init__", obj.__init__, True, obj
                for attr, member in inspect.getmembers(obj):
                    if attr.startswith("_"):
                        continue
                    raw = inspect.getattr_static(obj, attr)
                    if isinstance(raw, property):
                        continue
                    if isinstance(raw, staticmethod | classmethod):
                        member = raw.__func__
                    if inspect.isfunction(member) and _defined_by_us(member):
                        yield f"{package}.{name}.{attr}", member, False, obj
            elif callable(obj) and _defined_by_us(obj):
                yield f"{package}.{name}", obj, False, None


CALLABLES = list(_public_callables())
IDS = [qualname for qualname, *_ in CALLABLES]


def _parameters(func: Callable[..., Any]) -> list[inspect.Parameter]:
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):  # pragma: no cover - builtins
        return []
    return [p for p in params if p.name not in ("self", "cls")]


def _is_deprecated_alias(func: Callable[..., Any], old: str, names: set[str]) -> bool:
    """The convention of the module docstring: a sentinel default and the old
    name recorded by ``scorecard._kit.compat.renamed`` (whose callers warn
    with ``warn_renamed``, the one FutureWarning message)."""
    param = inspect.signature(func).parameters[old]
    if param.default not in ("deprecated", None):
        return False
    recorded = getattr(func, "__renamed_parameters__", {})
    return old in recorded


def _new_present(old: str, names: set[str]) -> bool:
    """The new name is in the signature (``sensitive_*`` for derived data
    such as a count table of the protected groups)."""
    if old in ("protected", "sensitive"):
        return any(name.startswith("sensitive_") for name in names)
    return any(part.strip() in names for part in FORBIDDEN[old].split(","))


@pytest.mark.parametrize(("qualname", "func", "is_init", "owner"), CALLABLES, ids=IDS)
def test_no_forbidden_parameter_names(qualname, func, is_init, owner):
    params = _parameters(func)
    names = {p.name for p in params}
    bad = []
    for param in params:
        old = param.name
        if old not in FORBIDDEN or (qualname, old) in WHITELIST:
            continue
        new = FORBIDDEN[old]
        if _new_present(old, names) and _is_deprecated_alias(func, old, names):
            continue
        bad.append(f"{qualname}: parameter {old!r} -> use {new!r}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(("qualname", "func", "is_init", "owner"), CALLABLES, ids=IDS)
def test_alpha_is_the_ci_level(qualname, func, is_init, owner):
    """``alpha`` means one minus coverage only: it defaults to a float in (0, 1).

    A deprecated ``alpha`` (for example the L2 strength renamed to ``l2``)
    follows the deprecated-alias convention of the module docstring. A method
    of a result dataclass may default to ``None``, meaning the level the
    result was computed at (``FeatureDrift.ci(alpha=None)``).
    """
    params = {p.name: p for p in _parameters(func)}
    if "alpha" not in params:
        return
    default = params["alpha"].default
    if default is None and owner is not None and dataclasses.is_dataclass(owner):
        return
    if default in ("deprecated", None) and _is_deprecated_alias(
        func, "alpha", set(params)
    ):
        assert {"l2", "lambda_"} & set(params), (
            f"{qualname}: deprecated 'alpha' but neither 'l2' nor 'lambda_' present"
        )
        return
    assert isinstance(default, float) and 0.0 < default < 1.0, (
        f"{qualname}: alpha defaults to {default!r}; alpha is the CI level "
        "(one minus coverage), a float in (0, 1) such as 0.05"
    )


@pytest.mark.parametrize(("qualname", "func", "is_init", "owner"), CALLABLES, ids=IDS)
def test_option_spellings(qualname, func, is_init, owner):
    """``unbiased`` is a bool, ``higher`` is "good"/"bad", ``orientation`` is
    "good/bad"/"bad/good", ``estimator`` never means "U"/"V", randomness is
    ``random_state``."""
    bad = []
    for param in _parameters(func):
        name, default = param.name, param.default
        annotation = str(param.annotation)
        if name == "unbiased" and not isinstance(default, bool):
            bad.append(f"{qualname}: unbiased defaults to {default!r}, expected a bool")
        if name == "higher" and default not in ("good", "bad", param.empty):
            bad.append(f"{qualname}: higher defaults to {default!r}, not 'good'/'bad'")
        if name == "orientation" and default not in (
            "good/bad",
            "bad/good",
            param.empty,
        ):
            bad.append(f"{qualname}: orientation defaults to {default!r}")
        if name == "estimator" and (
            default in ("U", "V", "u", "v") or re.search(r"['\"][UV]['\"]", annotation)
        ):
            bad.append(f"{qualname}: 'estimator' means U/V; use unbiased: bool")
        if name.lower().replace("_", "") == "randomstate" and name != "random_state":
            bad.append(f"{qualname}: {name!r}; spell it random_state")
    assert not bad, "\n".join(bad)


ESTIMATORS = [
    (qualname, owner)
    for qualname, _, is_init, owner in CALLABLES
    if is_init and owner is not None and hasattr(owner, "fit")
]


@pytest.mark.parametrize(
    ("qualname", "owner"), ESTIMATORS, ids=[q for q, _ in ESTIMATORS]
)
def test_sensitive_features_never_in_init(qualname, owner):
    """Sensitive attribute values are data: passed to ``fit``, not ``__init__``."""
    names = {p.name for p in _parameters(owner.__init__)}
    found = sorted(n for n in names if n.startswith("sensitive"))
    assert not found, f"{qualname}: {found} in __init__; pass them to fit()"


@pytest.mark.parametrize(
    ("qualname", "owner"), ESTIMATORS, ids=[q for q, _ in ESTIMATORS]
)
def test_deprecated_estimator_aliases_stay_parameters(qualname, owner):
    """Cheap dynamic check of an estimator's deprecated alias: building the
    estimator with the old name keeps scikit-learn's contract (``get_params``
    returns it unchanged; the FutureWarning itself comes in ``fit``)."""
    for param in _parameters(owner.__init__):
        if param.default != "deprecated":
            continue
        value = 0.5
        estimator = owner(**{param.name: value})
        assert estimator.get_params()[param.name] == value, (
            f"{qualname}: deprecated {param.name!r} not stored as given"
        )
        assert _is_deprecated_alias(owner.__init__, param.name, set()), (
            f"{qualname}: {param.name!r} defaults to 'deprecated' but its module "
            f"emits no FutureWarning \"'{param.name}' was renamed to ...\""
        )


def test_walk_covers_the_public_api():
    """The walk sees the estimators and functions it is meant to police."""
    assert "scorecard.Scorecard.__init__" in IDS
    assert "scorecard.Scorecard.fit" in IDS
    assert "fairness.assess" in IDS
    assert "monitoring.DriftMonitor.__init__" in IDS
