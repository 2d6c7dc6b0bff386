"""The outer approximation equals brute force over the selections."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from fairness._frontier._oa import CutPool, solve_score_program
from fairness._frontier._program import Moments, solve_fixed
from fairness._mip import make_solver


def _instance(seed: int) -> tuple[Moments, np.ndarray]:
    rng = np.random.default_rng(seed)
    n_feat, per = 3, 2  # three features, two binnings each
    base = rng.normal(size=(400, n_feat))
    cols = []
    for j in range(n_feat):
        for k in range(per):
            cols.append(base[:, j] + 0.3 * (k + 1) * rng.normal(size=400))
    W = np.column_stack(cols)
    S = np.cov(W, rowvar=False)
    d_y = np.abs(rng.normal(size=W.shape[1])) * 0.5 + 0.05
    d_a = rng.normal(size=(2, W.shape[1])) * 0.3
    return Moments(S=S, d_y=d_y, d_a=d_a), np.repeat(np.arange(n_feat), per)


def _brute(m: Moments, features: np.ndarray, eps: float, max_features=None) -> float:
    best = 0.0
    per_feature = [np.flatnonzero(features == f) for f in np.unique(features)]
    for pick in itertools.product(*[[-1, *idx] for idx in per_feature]):
        chosen = np.array([i for i in pick if i >= 0], dtype=np.int64)
        if chosen.size == 0 or (max_features and chosen.size > max_features):
            continue
        best = max(best, float(m.d_y @ solve_fixed(m, chosen, eps)))
    return best


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("max_features", [None, 1])
def test_outer_approximation_equals_brute_force(seed, max_features):
    m, features = _instance(seed)
    pool = CutPool(m.S)
    for eps in (0.002, 0.02, 0.2):
        res = solve_score_program(
            m, features, eps, pool=pool, max_features=max_features, solver="cbc"
        )
        want = _brute(m, features, eps, max_features)
        assert res.status in ("optimal", "relaxed")
        got = float(m.d_y @ res.b)
        assert got == pytest.approx(want, rel=2e-4)
        # at most one binning per feature, the budget met by the solution
        assert len(set(features[res.chosen])) == res.chosen.size
        # "optimal" only when the budget holds for the score's ratio
        q = float(res.b @ m.S @ res.b)
        if res.status == "optimal":
            assert res.divergence <= eps * (1 + 1e-6) + 1e-12
            assert res.estimate == pytest.approx(got**2, rel=1e-6)
        else:
            assert q < 1 - 1e-6 and res.divergence > eps


def test_cbc_is_asked_for_zero_gap_and_increment():
    backend = make_solver("cbc", None)
    assert "increment 0" in backend.options
    assert backend.optionsDict.get("gapRel") == 0.0


def test_unknown_solver_is_refused():
    with pytest.raises(ValueError, match="solver must be one of"):
        make_solver("gurobi", None)
