"""Tests of the option-selection MIP (fairness._mip)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pulp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairness._mip import (
    SelectionResult,
    available_solvers,
    min_feasible_eps,
    select_options,
)
from scorecard import DataConditionWarning

SOLVERS = available_solvers()


def random_menu(
    rng: np.random.Generator, n_features: int, n_options: int
) -> pd.DataFrame:
    rows = []
    for j in range(n_features):
        for k in range(int(rng.integers(1, n_options + 1))):
            rows.append(
                {
                    "feature": f"f{j}",
                    "option": f"o{k}",
                    # 3 decimals so that eps can be put between attainable sums
                    "iv_y": round(float(rng.uniform(0, 0.5)), 3),
                    "se_y": round(float(rng.uniform(0, 0.05)), 3),
                    "iv_a": round(float(rng.uniform(0, 0.1)), 3),
                    "se_a": round(float(rng.uniform(0, 0.02)), 3),
                }
            )
    return pd.DataFrame(rows)


def brute_force(
    menu: pd.DataFrame,
    eps: float,
    z: float,
    max_features: int | None,
    min_features: int,
) -> float:
    """Best objective by enumerating every choice (or none) per feature."""
    cost = (menu["iv_a"] + z * menu["se_a"]).to_numpy()
    value = menu["iv_y"].to_numpy()
    per_feature = [
        [None, *idx] for idx in menu.groupby("feature", sort=False).indices.values()
    ]
    best = -np.inf
    for combo in itertools.product(*per_feature):
        chosen = [i for i in combo if i is not None]
        if len(chosen) < min_features:
            continue
        if max_features is not None and len(chosen) > max_features:
            continue
        if cost[chosen].sum() <= eps + 1e-12:
            best = max(best, value[chosen].sum())
    return best


@pytest.mark.parametrize("solver", SOLVERS)
def test_optimum_equals_brute_force_seeded(solver):
    rng = np.random.default_rng(20240601)
    for _ in range(12):
        menu = random_menu(rng, int(rng.integers(1, 5)), 3)
        z = float(rng.choice([0.0, 1.645]))
        max_features = [None, 1, 2][int(rng.integers(0, 3))]
        # eps at x.xxx05 (z=0) never ties an attainable sum of 3-decimal costs
        eps = round(float(rng.uniform(0, 0.25)), 3) + 0.0005
        expected = brute_force(menu, eps, z, max_features, 1)
        res = select_options(
            menu, eps=eps, z=z, max_features=max_features, solver=solver
        )
        if np.isinf(expected):
            assert res.status == "infeasible"
            assert np.isnan(res.estimate)
        else:
            assert res.status == "optimal"
            assert res.estimate == pytest.approx(expected, abs=1e-9)
            assert res.constraint_value <= eps + 1e-9
            assert res.selection["feature"].is_unique


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    n_features=st.integers(1, 4),
    eps=st.floats(0.0, 0.3),
    min_features=st.integers(0, 2),
)
def test_optimum_equals_brute_force_property(seed, n_features, eps, min_features):
    menu = random_menu(np.random.default_rng(seed), n_features, 3)
    expected = brute_force(menu, eps, 0.0, None, min_features)
    res = select_options(menu, eps=eps, min_features=min_features)
    if np.isinf(expected):
        assert res.status == "infeasible"
    else:
        assert res.status == "optimal"
        # the solver may accept a sum a hair above eps (feasibility tolerance)
        assert res.estimate == pytest.approx(expected, abs=1e-6) or (
            res.estimate >= expected and res.constraint_value <= eps + 1e-6
        )


def test_hand_computed_choice():
    menu = pd.DataFrame(
        {
            "feature": ["a", "a", "b", "b", "c"],
            "option": ["coarse", "fine", "coarse", "fine", "only"],
            "iv_y": [0.20, 0.30, 0.10, 0.25, 0.05],
            "se_y": [0.02, 0.03, 0.01, 0.02, 0.01],
            "iv_a": [0.01, 0.06, 0.00, 0.05, 0.02],
            "se_a": [0.00, 0.00, 0.00, 0.00, 0.00],
        }
    )
    # eps=0.06: a/fine alone (0.30) < a/coarse + b/fine (0.45, cost 0.06)
    res = select_options(menu, eps=0.06)
    assert res.chosen == {"a": "coarse", "b": "fine"}
    assert res.estimate == pytest.approx(0.45)
    assert res.iv_a == pytest.approx(0.06)
    assert res.se == pytest.approx(np.hypot(0.02, 0.02))
    # one feature only: the single best option within budget
    res1 = select_options(menu, eps=0.06, max_features=1)
    assert res1.chosen == {"a": "fine"}
    # large budget: the best option of every feature
    res_all = select_options(menu, eps=10.0)
    assert res_all.chosen == {"a": "fine", "b": "fine", "c": "only"}
    assert res_all.estimate == pytest.approx(0.60)


def test_chance_constraint_z_moves_the_choice():
    menu = pd.DataFrame(
        {
            "feature": ["a", "b"],
            "option": ["x", "x"],
            "iv_y": [0.3, 0.2],
            "se_y": [0.0, 0.0],
            "iv_a": [0.02, 0.02],
            "se_a": [0.02, 0.001],
        }
    )
    assert select_options(menu, eps=0.03, z=0.0).chosen == {"a": "x"}
    # with z=1.645 the cost of a is 0.0529 > eps and only b fits (0.02165)
    res = select_options(menu, eps=0.03, z=1.645)
    assert res.chosen == {"b": "x"}
    assert res.constraint_value == pytest.approx(0.02 + 1.645 * 0.001)


def test_objective_non_decreasing_in_eps():
    rng = np.random.default_rng(7)
    menu = random_menu(rng, 6, 4)
    grid = np.linspace(min_feasible_eps(menu), 0.4, 12)
    values = [select_options(menu, eps=e).estimate for e in grid]
    assert np.all(np.diff(values) >= -1e-12)


def test_min_feasible_eps_hand_computed():
    menu = pd.DataFrame(
        {
            "feature": ["a", "a", "b", "c"],
            "option": ["1", "2", "1", "1"],
            "iv_y": [0.1, 0.2, 0.3, 0.1],
            "iv_a": [0.05, 0.03, 0.02, 0.04],
            "se_a": [0.01, 0.01, 0.0, 0.01],
        }
    )
    assert min_feasible_eps(menu) == pytest.approx(0.02)
    assert min_feasible_eps(menu, min_features=2) == pytest.approx(0.02 + 0.03)
    assert min_feasible_eps(menu, z=2.0, min_features=3) == pytest.approx(
        0.02 + 0.05 + 0.06
    )
    assert min_feasible_eps(menu, min_features=0) == 0.0
    assert min_feasible_eps(menu, min_features=4) == np.inf
    # se_y omitted is allowed
    assert select_options(menu, eps=0.025).chosen == {"b": "1"}


def test_infeasible_eps_is_a_result_not_an_error():
    menu = random_menu(np.random.default_rng(1), 3, 2)
    eps = min_feasible_eps(menu) / 2
    res = select_options(menu, eps=eps)
    assert res.status == "infeasible"
    assert not res.has_solution
    assert res.selection.empty
    assert "infeasible" in repr(res)
    # min_features larger than the number of features is infeasible too
    assert select_options(menu, eps=1.0, min_features=5).status == "infeasible"


def hard_knapsack() -> pd.DataFrame:
    """A 300 x 10 multiple-choice knapsack with correlated values and weights.

    CBC needs well over 5 s to prove optimality (measured), so tiny time
    limits must stop it.
    """
    rng = np.random.default_rng(0)
    value = rng.integers(1000, 100000, (300, 10))
    weight = value + rng.integers(-500, 500, (300, 10))
    j, k = np.meshgrid(np.arange(300), np.arange(10), indexing="ij")
    return pd.DataFrame(
        {
            "feature": [f"f{i}" for i in j.ravel()],
            "option": [f"o{i}" for i in k.ravel()],
            "iv_y": value.ravel() / 1e5,
            "se_y": 0.0,
            "iv_a": weight.ravel() / 1e5,
            "se_a": 0.0,
        }
    )


def test_time_limited_solve_reports_true_status():
    menu = hard_knapsack()
    eps = float(menu["iv_a"].sum() / 10 / 2)
    with pytest.warns(DataConditionWarning, match="before proving optimality"):
        res = select_options(menu, eps=eps, time_limit=0.01)
    assert res.status in ("not_solved", "feasible")
    assert res.status != "optimal"
    assert res.time_limit == 0.01
    # With a longer limit CBC finds an incumbent but cannot prove it optimal;
    # PuLP's own `status` says "Optimal" there, ours must not.
    with pytest.warns(DataConditionWarning, match="time_limit=0.5"):
        res2 = select_options(menu, eps=eps, time_limit=0.5)
    assert res2.status in ("feasible", "not_solved")
    if res2.status == "feasible":
        assert res2.solver_status == pulp.LpSolution[pulp.LpSolutionIntegerFeasible]
        assert res2.constraint_value <= eps + 1e-6
        assert res2.has_solution


def test_result_object():
    menu = random_menu(np.random.default_rng(3), 3, 2)
    res = select_options(menu, eps=1.0)
    assert isinstance(res, SelectionResult)
    low, high = res.ci(0.05)
    assert low <= res.estimate <= high
    assert np.isnan(res.statistic) and np.isnan(res.pvalue)
    assert res.n == len(menu)
    frame = res.to_frame()
    assert list(frame["feature"]) == list(res.chosen)
    assert "cost" in frame
    assert "SelectionResult(status='optimal'" in repr(res)
    with pytest.raises(Exception, match="cannot assign"):
        res.eps = 2.0  # frozen
    with pytest.raises(
        ValueError, match=r"alpha \(one minus the coverage\) must be a number in"
    ):
        res.ci(1.5)


@pytest.mark.skipif("highs" not in SOLVERS, reason="highspy not installed")
def test_cbc_and_highs_agree():
    menu = random_menu(np.random.default_rng(11), 8, 4)
    for eps in (0.05, 0.1, 0.2):
        a = select_options(menu, eps=eps, solver="cbc")
        b = select_options(menu, eps=eps, solver="highs")
        assert a.estimate == pytest.approx(b.estimate, abs=1e-6)


# ----------------------------------------------------------------- bad input


def good_menu() -> pd.DataFrame:
    return random_menu(np.random.default_rng(5), 2, 2)


def test_unknown_solver():
    with pytest.raises(ValueError, match=r"solver must be one of \['cbc', 'highs'\]"):
        select_options(good_menu(), eps=0.1, solver="nonexistent")


def test_no_solver_available(monkeypatch):
    monkeypatch.setattr(pulp, "listSolvers", lambda onlyAvailable=False: [])
    with pytest.raises(ValueError, match="solver 'cbc' is not available.*no solver"):
        select_options(good_menu(), eps=0.1)
    assert available_solvers() == []


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        (lambda m: m.drop(columns="iv_a"), ValueError, r"missing columns \['iv_a'\]"),
        (lambda m: m.iloc[:0], ValueError, "no candidate options"),
        (lambda m: m.assign(iv_y=-1.0), ValueError, "'iv_y' must be finite and >= 0"),
        (lambda m: m.assign(se_a=np.nan), ValueError, "'se_a' must be finite"),
        (lambda m: m.assign(iv_a="x"), TypeError, "'iv_a' must be numeric"),
        (lambda m: pd.concat([m, m.iloc[:1]]), ValueError, "twice"),
        (lambda m: m.to_numpy(), TypeError, "menu must be a pandas DataFrame"),
    ],
)
def test_bad_menu(change, error, match):
    with pytest.raises(error, match=match):
        select_options(change(good_menu()), eps=0.1)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"eps": -0.1}, ValueError, "eps must be a finite number >= 0; got -0.1"),
        ({"eps": np.nan}, ValueError, "eps must be a finite number"),
        ({"eps": 0.1, "z": -1.0}, ValueError, "z must be a finite number >= 0"),
        ({"eps": 0.1, "max_features": 0}, ValueError, "max_features must be >= "),
        ({"eps": 0.1, "max_features": 1.5}, TypeError, "max_features must be an int"),
        ({"eps": 0.1, "min_features": -1}, ValueError, "min_features must be >= 0"),
        ({"eps": 0.1, "time_limit": 0}, ValueError, "time_limit must be a positive"),
    ],
)
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        select_options(good_menu(), **kwargs)
