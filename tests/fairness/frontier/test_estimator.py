"""ParetoFrontier: the score-level frontier, any protected attribute, bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from fairness import ParetoFrontier
from fairness._frontier._program import dominated
from scorecard import DataConditionWarning, delong_auc


def _data(n=1500, seed=0, levels=2):
    rng = np.random.default_rng(seed)
    group = rng.integers(0, levels, n)
    X = pd.DataFrame(
        {
            "fair": rng.normal(size=n),
            "proxy": rng.normal(size=n) + 0.8 * (group > 0),
            "copy": np.nan,
            "mostly_zero": np.where(rng.random(n) < 0.88, 0.0, rng.exponential(size=n)),
        }
    )
    X["copy"] = X["proxy"] + 0.1 * rng.normal(size=n)
    logit = -1 + X.fair + 0.6 * X.proxy + 2 * X.mostly_zero
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return X, y, group


def _warned(pattern, call):
    """Run call, return its result; one warning's text matches pattern."""
    import re

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = call()
    texts = [str(w.message) for w in caught]
    assert any(re.search(pattern, t) for t in texts), texts
    return out


def _fit(front, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        return front.fit(*args, **kwargs)


@pytest.fixture(scope="module")
def binary():
    X, y, group = _data()
    return _fit(ParetoFrontier(eps=5, random_state=0), X, y, sensitive_features=group)


def test_budget_holds_on_training_and_objective_grows(binary):
    t = binary.frontier_
    assert set(t["status"]) <= {"optimal", "relaxed"}
    ok = t["status"] == "optimal"
    assert (t.loc[ok, "train_demographic_iv"] <= t.loc[ok, "eps"] * (1 + 1e-6)).all()
    # a larger budget never gives a worse optimum
    assert np.all(np.diff(t["train_iv"].to_numpy()) >= -1e-6)
    # the redundant copy of the proxy is not needed twice
    assert not t["features"].str.contains("copy.*proxy|proxy.*copy").all()


def test_feature_sets_are_in_words(binary):
    text = binary.frontier_["features"].iloc[-1]
    assert "bins" in text and "fair" in text
    assert "pareto_" not in text and "mu" not in text


def test_held_out_metrics_are_those_of_the_points(binary):
    Xv, yv, _ = binary._valid_data
    row = binary.frontier_.iloc[-1]
    points = binary.predict_score(Xv, eps=row["eps"])
    assert row["auc"] == pytest.approx(delong_auc(yv, points, higher="good").estimate)
    res = binary.assess_point(row["eps"])
    assert row["cutoff_points"] == pytest.approx(res.cutoff)
    # points on the scorecard's scale: hundreds, higher = better
    assert 300 < np.median(points) < 900


def test_dominated_points_are_marked(binary):
    t = binary.frontier_
    want = dominated(t["auc"].to_numpy(float), t["demographic_iv"].to_numpy(float))
    np.testing.assert_array_equal(t["dominated"].to_numpy(), want)
    ci = t[["demographic_iv_ci_low", "demographic_iv_ci_high"]].to_numpy()
    pi = t[["demographic_iv_pi_low", "demographic_iv_pi_high"]].to_numpy()
    assert np.all(pi[:, 0] <= ci[:, 0]) and np.all(pi[:, 1] >= ci[:, 1])


def test_a_95_percent_zero_feature_is_not_constant(binary):
    assert "mostly_zero" in set(binary.menu_["feature"])


def test_constant_feature_is_skipped_before_the_optimisation():
    X, y, group = _data(n=800)
    X["flat"] = 1.0
    front = _warned(
        "'flat': a single bin: the feature is constant",
        lambda: ParetoFrontier(eps=2, random_state=0).fit(
            X, y, sensitive_features=group
        ),
    )
    assert "flat" in front.skipped_features_
    assert "flat" not in set(front.menu_["feature"])


@pytest.mark.parametrize("kind", ["four", "continuous", "intersectional"])
def test_any_protected_attribute(kind):
    X, y, group = _data(n=2000, levels=4)
    rng = np.random.default_rng(5)
    if kind == "four":
        sens, n_groups = group, 4
    elif kind == "continuous":
        sens, n_groups = group + rng.normal(size=group.size), 4
    else:
        sens = pd.DataFrame({"a": group % 2, "b": group // 2})
        n_groups = 4
    front = _fit(ParetoFrontier(eps=3, random_state=0), X, y, sensitive_features=sens)
    assert len(front.groups_) == n_groups
    assert front.frontier_["auc"].notna().all()
    assert front._moments.d_a.shape[0] == n_groups


def test_small_groups_are_pooled_with_a_note():
    X, y, group = _data(n=1500)
    sens = np.array([str(g) for g in group], dtype=object)
    sens[:10] = "tiny"
    front = _warned(
        r"pooled into 'other'.*tiny",
        lambda: ParetoFrontier(eps=2, random_state=0, min_group_size=20).fit(
            X, y, sensitive_features=sens
        ),
    )
    assert front.pooled_groups_ == ["tiny"] and "other" in front.groups_
    # the 10-row pool is reported but not constrained: rows for "0" and "1" only
    assert front._constrained == [0, 1] and front._moments.d_a.shape[0] == 2


def test_group_cap_limits_intersections():
    X, y, _ = _data(n=3000)
    rng = np.random.default_rng(1)
    sens = pd.DataFrame({c: rng.integers(0, 3, 3000) for c in "abc"})  # 27 cells
    front = _fit(
        ParetoFrontier(eps=2, random_state=0, max_groups=5),
        X,
        y,
        sensitive_features=sens,
    )
    assert len(front.groups_) == 5 and front.groups_[-1] == "other"


# ------------------------------------------------------------------ bad input


def test_single_valued_attribute():
    X, y, _ = _data(n=400)
    with pytest.raises(ValueError, match="has a single value"):
        ParetoFrontier(eps=2).fit(X, y, sensitive_features=np.zeros(400))


def test_groups_below_min_group_size_only():
    X, y, group = _data(n=400)
    with pytest.raises(
        ValueError, match="fewer than two groups have at least min_group_size=500"
    ):
        ParetoFrontier(eps=2, min_group_size=500).fit(X, y, sensitive_features=group)


def test_eps_below_the_smallest_feasible_value():
    rng = np.random.default_rng(0)
    n = 1000
    group = rng.integers(0, 2, n)
    # every feature is shifted the same way by the group: eps = 0 admits no score
    X = pd.DataFrame({"a": rng.normal(size=n) + group, "b": rng.normal(size=n) + group})
    y = (rng.random(n) < 1 / (1 + np.exp(-X.a - X.b))).astype(int)
    with pytest.raises(ValueError, match="below the smallest feasible value"):
        _fit(ParetoFrontier(eps=[0.0]), X, y, sensitive_features=group)


def test_candidate_grid_without_bins():
    X, y, group = _data(n=400)
    flat = pd.DataFrame({"a": np.ones(400), "b": np.zeros(400)})
    with pytest.raises(ValueError, match="candidate grid yields no bins"):
        _fit(ParetoFrontier(eps=2), flat, y, sensitive_features=group)


def test_no_solver(monkeypatch):
    import pulp

    X, y, group = _data(n=400)
    monkeypatch.setattr(pulp, "listSolvers", lambda onlyAvailable=False: [])
    with pytest.raises(ValueError, match="solver 'cbc' is not available"):
        ParetoFrontier(eps=2).fit(X, y, sensitive_features=group)


def test_bad_eps_grid():
    X, y, group = _data(n=400)
    with pytest.raises(
        ValueError, match="eps must be an int >= 1 or a non-empty array"
    ):
        _fit(ParetoFrontier(eps=[-1.0]), X, y, sensitive_features=group)


def test_predict_score_needs_a_solved_budget(binary):
    with pytest.raises(ValueError, match="eps must be the budget of a frontier row"):
        binary.predict_score(binary._valid_data[0], eps=123.0)


def test_report_hides_dominated_points(binary):
    from fairness._report._frontier import frontier_section
    from scorecard._kit.report import Note, Table

    html = binary.to_html()
    assert "frontier" in html and "budget" in html and "cutoff (points)" in html
    frame = binary.frontier_.copy()
    frame.loc[frame.index[0], "dominated"] = True
    section = frontier_section(frame, None, 0.05)
    table = next(b.frame for b in section.blocks if isinstance(b, Table))
    assert len(table) == int((~frame["dominated"]).sum())
    notes = [b.text for b in section.blocks if isinstance(b, Note)]
    assert any("dominated on the held-out rows" in t for t in notes)
    # one meaning of eps on the page: the frontier calls its bound "budget"
    assert "eps" not in table.columns
    with pytest.raises(TypeError, match="to_html options must be"):
        binary.to_html(colour="red")
