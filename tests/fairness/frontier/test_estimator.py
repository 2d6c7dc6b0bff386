"""Tests of the MIP accuracy-fairness frontier (fairness.ParetoFrontier)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import dcor  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from sklearn.base import BaseEstimator, clone  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

from fairness import ParetoFrontier, assess  # noqa: E402
from fairness._frontier._menus import _merged_bins  # noqa: E402
from scorecard import (  # noqa: E402
    DataConditionWarning,
    FeatureBins,  # noqa: E402
    information_value,
)
from scorecard.datasets import load_simucredit  # noqa: E402


class QuantileBinner(BaseEstimator):
    """Minimal pre-binner (quantile cuts) so these tests do not depend on the
    stump binner; ParetoFrontier accepts any estimator exposing ``bins_``."""

    def __init__(self, *, n_bins: int = 10):
        self.n_bins = n_bins

    def fit(self, X, y):
        y = np.asarray(y)
        self.bins_ = {}
        for c in X.columns:
            x = X[c].to_numpy(float)
            thr = np.unique(np.nanquantile(x, np.linspace(0, 1, self.n_bins + 1)[1:-1]))
            thr = thr[thr > np.nanmin(x)]
            zeros = (0.0,) * (len(thr) + 2)
            fb = FeatureBins(
                name=str(c),
                kind="numeric",
                thresholds=tuple(thr),
                goods=zeros,
                bads=zeros,
            )
            codes = fb.assign(x)
            g = np.bincount(codes[y == 0], minlength=fb.n_bins).astype(float)
            b = np.bincount(codes[y == 1], minlength=fb.n_bins).astype(float)
            self.bins_[str(c)] = fb.with_counts(g, b)
        return self


@pytest.fixture(scope="module")
def simucredit():
    data = load_simucredit().sample(8000, random_state=1).reset_index(drop=True)
    y = (data["Status"] == 0).to_numpy().astype(int)
    return data.drop(columns=["Status", "Gender"]), y


@pytest.fixture(scope="module")
def fitted(simucredit):
    X, y = simucredit
    return ParetoFrontier(eps=8, binner=QuantileBinner(), random_state=0).fit(
        X, y, sensitive_features="Race"
    )


def proxy_data(n=3000, seed=0):
    """Every feature carries group information, so the smallest budget is > 0."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2, n)
    X = pd.DataFrame(
        {
            "p1": rng.normal(size=n) + 0.8 * a,
            "p2": rng.normal(size=n) - 0.6 * a,
        }
    )
    logit = 0.9 * X["p1"] - 0.7 * X["p2"] - 0.3
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int).to_numpy()
    return X, y, a


def test_frontier_shape_and_monotone_train_iv(fitted):
    front = fitted.frontier_
    assert len(front) == 8
    assert set(front["status"]) == {"optimal"}
    assert (front["time_limit"] == 10.0).all()  # the default, per solve
    # the MIP objective (IV against the target) never decreases with eps
    assert np.all(np.diff(front["train_iv"].to_numpy()) >= -1e-9)
    assert np.all(front["constraint"] <= front["eps"] * (1 + 1e-5) + 1e-12)
    assert np.all(np.diff(front["eps"].to_numpy()) >= 0)
    # the protected column is not a feature
    assert "Race" not in fitted.feature_names_in_
    assert fitted.n_features_in_ == 7
    assert front["auc"].between(0.5, 1).all()
    # loosest budget uses the strong proxy (Mortgage) and has the lowest AIR
    last, first = front.iloc[-1], front.iloc[1]
    assert "Mortgage" in last["features"]
    assert last["air"] < first["air"]
    assert last["auc"] > first["auc"]


def test_menu_values_match_information_value(fitted, simucredit):
    """Each candidate's IVs are those of its binning on the training rows."""
    menu = fitted.menu_
    row = menu[menu["feature"] == "Utilization"].iloc[0]
    fb = fitted.candidate_bins_[("Utilization", row["option"])]
    res = information_value(np.asarray(fb.goods), np.asarray(fb.bads))
    assert res.estimate == pytest.approx(row["iv_y"])
    assert res.se == pytest.approx(row["se_y"])
    # every row of a feature is a distinct binning with >= 2 bins
    assert (menu["n_bins"] >= 2).all()
    assert not menu.duplicated(["feature", "option"]).any()


def test_merged_bins_hand_computed():
    fine = FeatureBins(
        name="x",
        kind="numeric",
        thresholds=(1.0, 2.0, 3.0),
        goods=(10.0, 20.0, 30.0, 40.0, 5.0),
        bads=(1.0, 2.0, 3.0, 4.0, 0.0),
    )
    merged = _merged_bins(fine, (2,))
    assert merged.thresholds == (2.0,)
    assert merged.goods == (30.0, 70.0, 5.0)  # missing bin kept
    assert merged.bads == (3.0, 7.0, 0.0)
    np.testing.assert_array_equal(merged.assign([0.5, 1.5, 2.5, np.nan]), [0, 0, 1, 2])


def test_validation_data_given(simucredit):
    X, y = simucredit
    front = ParetoFrontier(eps=3, binner=QuantileBinner(), random_state=0)
    front.fit(
        X.iloc[:5000],
        y[:5000],
        sensitive_features="Race",
        X_valid=X.iloc[5000:],
        y_valid=y[5000:],
        sensitive_features_valid="Race",
    )
    assert len(front.frontier_) == 3
    assert np.isfinite(front.frontier_["auc"]).all()
    # held-out metrics against peer oracles, recomputed from the stored model
    row = front.frontier_.iloc[-1]
    chosen, model = front.models_[row["eps"]]
    Xv = X.iloc[5000:]
    woe = np.column_stack([fb.woe()[fb.assign(Xv[f])] for f, fb in chosen.items()])
    p_bad = model.predict_proba(woe)[:, 1]
    assert row["auc"] == pytest.approx(roc_auc_score(y[5000:], p_bad))
    race = Xv["Race"].to_numpy(dtype=float)
    assert row["dcor2"] == pytest.approx(
        dcor.u_distance_correlation_sqr(-model.decision_function(woe), race), abs=1e-9
    )
    # AIR and AUC are those of fairness.assess / the shared DeLong AUC
    score = -model.decision_function(woe)
    np.testing.assert_allclose(front.predict_score(Xv, eps=row["eps"]), score)
    with pytest.raises(ValueError, match="eps must be the budget of a frontier row"):
        front.predict_score(Xv, eps=-1.0)
    res = assess(
        y[5000:],
        score,
        sensitive_features=Xv["Race"].rename("Race").reset_index(drop=True),
        approval_rate=0.5,
        reference_group=f"Race={front.reference_group_}",
    )
    air = res.metric("AIR")
    assert row["air"] == pytest.approx(air.estimate, rel=1e-12)
    assert [row["air_low"], row["air_high"]] == pytest.approx(air.ci(), rel=1e-12)
    assert row["demographic_iv"] == pytest.approx(
        res.metric("demographic IV").estimate, rel=1e-12
    )
    # rates by hand: exactly half approved, ties at the cutoff shared
    order = np.sort(score)[::-1]
    cut = order[len(score) // 2 - 1]
    approved = (score > cut) + (score == cut) * (
        (len(score) // 2 - (score > cut).sum()) / (score == cut).sum()
    )
    ref = race == front.reference_group_
    assert row["air"] == pytest.approx(approved[~ref].mean() / approved[ref].mean())
    assert row["auc_ci_low"] < row["auc"] < row["auc_ci_high"]
    assert row["auc_se"] == pytest.approx(
        (row["auc_ci_high"] - row["auc_ci_low"]) / (2 * 1.959963985), rel=1e-6
    )


def test_infeasible_eps_is_a_row():
    X, y, a = proxy_data()
    front = ParetoFrontier(eps=[0.0, 5.0], binner=QuantileBinner(), random_state=0)
    with pytest.warns(DataConditionWarning, match="below the smallest feasible"):
        front.fit(X, y, sensitive_features=a)
    statuses = front.frontier_["status"].tolist()
    assert statuses == ["infeasible", "optimal"]
    assert np.isnan(front.frontier_.loc[0, "auc"])
    assert front.frontier_.loc[0, "n_features"] == 0


def test_every_eps_infeasible_raises():
    X, y, a = proxy_data()
    front = ParetoFrontier(eps=[0.0, 1e-6], binner=QuantileBinner(), random_state=0)
    with pytest.raises(ValueError, match="Every eps is below the smallest feasible"):
        front.fit(X, y, sensitive_features=a)


def test_plot_with_lambda_path(fitted):
    path = pd.DataFrame({"air": [0.7, 0.9], "auc": [0.8, 0.75], "auc_se": 0.01})
    ax = fitted.plot(lambda_path=path)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["MIP frontier", "lambda path"]
    assert ax.get_xlabel() == "air"
    with pytest.raises(ValueError, match=r"lambda_path lacks the columns \['auc'\]"):
        fitted.plot(lambda_path=path.drop(columns="auc"))


def test_estimator_contract():
    est = ParetoFrontier(eps=5, z=1.645, max_features=3)
    assert clone(est).get_params() == est.get_params()
    with pytest.raises(NotFittedError, match="not fitted"):
        est.plot()
    with pytest.raises(TypeError, match="positional"):
        ParetoFrontier(5)  # keyword-only


# ----------------------------------------------------------------- bad input


def test_protected_column_missing(simucredit):
    X, y = simucredit
    with pytest.raises(ValueError, match="sensitive_features 'Sex' is not a column"):
        ParetoFrontier(binner=QuantileBinner()).fit(X, y, sensitive_features="Sex")


def test_protected_constant(simucredit):
    X, y = simucredit
    with pytest.raises(ValueError, match="sensitive_features is constant"):
        ParetoFrontier(binner=QuantileBinner()).fit(
            X.drop(columns="Race"), y, sensitive_features=np.ones(len(y))
        )


def test_protected_not_binary_or_missing(simucredit):
    X, y = simucredit
    three = np.arange(len(y)) % 3
    with pytest.raises(ValueError, match="exactly two groups; got 3"):
        ParetoFrontier(binner=QuantileBinner()).fit(
            X.drop(columns="Race"), y, sensitive_features=three
        )
    holes = X["Race"].to_numpy(dtype=float, copy=True)
    holes[:3] = np.nan
    with pytest.raises(ValueError, match="3 missing values"):
        ParetoFrontier(binner=QuantileBinner()).fit(
            X.drop(columns="Race"), y, sensitive_features=holes
        )


def test_candidate_grid_yields_no_bins():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"c1": np.ones(500), "c2": np.zeros(500)})
    y = rng.integers(0, 2, 500)
    a = rng.integers(0, 2, 500)
    with pytest.raises(ValueError, match="candidate grid yields no bins"):
        ParetoFrontier(binner=QuantileBinner()).fit(X, y, sensitive_features=a)


def test_no_solver_and_bad_parameters(simucredit):
    X, y = simucredit
    with pytest.raises(ValueError, match="'solver' parameter .* must be a str among"):
        ParetoFrontier(solver="nonexistent", binner=QuantileBinner()).fit(
            X, y, sensitive_features="Race"
        )
    with pytest.raises(ValueError, match="bin_caps must be ints >= 2"):
        ParetoFrontier(bin_caps=(1, 4), binner=QuantileBinner()).fit(
            X, y, sensitive_features="Race"
        )
    with pytest.raises(ValueError, match="must be given together"):
        ParetoFrontier(binner=QuantileBinner()).fit(
            X, y, sensitive_features="Race", X_valid=X
        )
    with pytest.raises(
        ValueError,
        match=r"y must be 0/1 \(1 = bad, the event\) or boolean, or set bad_value",
    ):
        ParetoFrontier(binner=QuantileBinner()).fit(X, y + 1, sensitive_features="Race")


# ------------------------------------------------- menus and the eps sweep


def _iv(cells, totals):
    p, q = cells[:, 0] / totals[0], cells[:, 1] / totals[1]
    return float(((p - q) * np.log(p / q)).sum())


def _all_merges(k, max_bins):
    from itertools import combinations

    for m in range(1, max_bins + 1):
        yield from combinations(range(1, k), m - 1)


def _merge(counts, cuts):
    bounds = [0, *cuts, len(counts)]
    pairs = zip(bounds[:-1], bounds[1:], strict=True)
    return np.array([counts[a:b].sum(axis=0) for a, b in pairs])


def test_pareto_small_merges_equal_brute_force():
    from fairness._frontier._menus import _pareto_small_merges

    rng = np.random.default_rng(5)
    ty = rng.integers(5, 60, size=(8, 2)).astype(float)
    ta = rng.integers(5, 60, size=(8, 2)).astype(float)
    ta[:, 0] = ty.sum(axis=1) - ta[:, 1].clip(max=ty.sum(axis=1) - 1)
    ta[:, 1] = ty.sum(axis=1) - ta[:, 0]
    tot_y, tot_a = tuple(ty.sum(axis=0)), tuple(ta.sum(axis=0))
    floor = 0.08 * ty.sum()
    points = []
    for cuts in _all_merges(8, 3):
        my, ma = _merge(ty, cuts), _merge(ta, cuts)
        if len(cuts) == 0 or (my.sum(axis=1) < floor).any():
            continue
        points.append((_iv(ma, tot_a), _iv(my, tot_y), cuts))
    pareto = {
        c
        for a, v, c in points
        if not any((a2 <= a and v2 > v) or (a2 < a and v2 >= v) for a2, v2, _ in points)
    }
    got = _pareto_small_merges(ty, ta, 3, floor)
    assert set(got) == pareto
    assert len(pareto) >= 3


def test_hull_merges_find_every_hull_vertex():
    from fairness._frontier._menus import _hull_merges

    rng = np.random.default_rng(2)
    ty = rng.integers(5, 80, size=(7, 2)).astype(float)
    ta = np.column_stack([ty.sum(axis=1) // 2, ty.sum(axis=1) - ty.sum(axis=1) // 2])
    ta[::2, 0] += 10
    tot_y, tot_a = tuple(ty.sum(axis=0)), tuple(ta.sum(axis=0))
    pts = sorted(
        (_iv(_merge(ta, c), tot_a), _iv(_merge(ty, c), tot_y), c)
        for c in _all_merges(7, 4)
    )
    # upper-left hull (slopes >= 0) of the (IV_a, IV_y) points, monotone chain
    best, front = -np.inf, []
    for a, v, c in pts:
        if v > best + 1e-12:
            front.append((a, v, c))
            best = v
    hull = []
    for p in front:
        while len(hull) >= 2:
            (a1, v1, _), (a2, v2, _) = hull[-2], hull[-1]
            if (v2 - v1) * (p[0] - a1) <= (p[1] - v1) * (a2 - a1) + 1e-12:
                hull.pop()
            else:
                break
        hull.append(p)
    fair = dict(sensitive_counts=ta, sensitive_totals=tot_a, totals=tot_y)
    found = {r.cuts for _, r in _hull_merges(ty, 4, fair)}
    assert {c for _, _, c in hull} <= found
    assert len(hull) >= 3


def test_adaptive_sweep_finds_every_pareto_selection():
    """With enough budgets the sweep stops by itself, having found every
    Pareto-optimal selection of the MIP (checked by brute force)."""
    from itertools import product

    X, y, a = proxy_data(n=2000, seed=3)
    front = ParetoFrontier(
        eps=200,
        bin_caps=(2, 3),
        pareto_bins=None,
        binner=QuantileBinner(n_bins=5),
        random_state=0,  # the validation split; unseeded, a rare split warned
    ).fit(X, y, sensitive_features=a)
    menu = front.menu_
    assert len(front.frontier_) < 200  # stopped early: no gap left
    options = [
        [None, *menu.index[menu["feature"] == f].tolist()]
        for f in menu["feature"].unique()
    ]
    combos = []
    for pick in product(*options):
        rows = [i for i in pick if i is not None]
        if rows:
            combos.append((menu.loc[rows, "iv_a"].sum(), menu.loc[rows, "iv_y"].sum()))
    best, pareto = -np.inf, []
    for cost, value in sorted(combos, key=lambda t: (t[0], -t[1])):
        if value > best + 1e-9:
            pareto.append((cost, value))
            best = value
    got = front.frontier_[["constraint", "train_iv"]].drop_duplicates().to_numpy()
    assert len(got) == len(pareto)
    np.testing.assert_allclose(got, np.array(pareto), rtol=1e-6)
    assert np.all(np.diff(front.frontier_["eps"]) >= 0)


# ------------------------------------------------ gap-constrained refits


def test_parity_refit_constrains_the_mean_score_gap():
    from sklearn.linear_model import LogisticRegression

    X, y, a = proxy_data()
    front = ParetoFrontier(
        eps=3, binner=QuantileBinner(), parity_refit=(0.0, 1.0, 1.5), random_state=0
    ).fit(X, y, sensitive_features=a)
    table = front.parity_frontier_
    assert set(table["parity"]) <= {0.0, 1.0, 1.5}
    row = table[table["n_features"] == 2].iloc[0]
    chosen, _ = front.parity_models_[(row["eps"], 0.0)]
    plain_chosen, plain = front.models_[row["eps"]]
    assert list(chosen) == list(plain_chosen)
    # refit on the training part of the internal split (same seed, strata)
    from sklearn.model_selection import train_test_split

    Xt, _, yt, _, at, _ = train_test_split(
        X, y, a, test_size=0.3, stratify=y * 2 + a, random_state=0
    )
    woe = np.column_stack([fb.woe()[fb.assign(Xt[f])] for f, fb in chosen.items()])
    ref = front.reference_group_

    def gap(model):
        s = -model.decision_function(woe)
        return s[at != ref].mean() - s[at == ref].mean()

    # t = 0: the constraint is the plain fit's own gap, so the plain fit
    np.testing.assert_allclose(
        front.parity_models_[(row["eps"], 0.0)][1].coef_, plain.coef_, atol=1e-4
    )
    for t in (1.0, 1.5):
        model = front.parity_models_[(row["eps"], t)][1]
        assert gap(model) == pytest.approx((1 - t) * gap(plain), abs=1e-9)
    # t = 1 equals scikit-learn's L2 logistic regression on the WoE columns
    # projected off the direction of the groups' mean difference
    d = woe[at != ref].mean(axis=0) - woe[at == ref].mean(axis=0)
    proj = np.eye(d.size) - np.outer(d, d) / (d @ d)
    oracle = LogisticRegression(C=1.0, tol=1e-10, max_iter=10_000)
    oracle.fit(woe @ proj, yt)
    np.testing.assert_allclose(
        front.parity_models_[(row["eps"], 1.0)][1].coef_[0],
        proj @ oracle.coef_[0],
        atol=1e-4,
    )
    # the scores of the table are predict_score's
    Xs = X.head(50)
    direct = -front.parity_models_[(row["eps"], 1.5)][1].decision_function(
        np.column_stack([fb.woe()[fb.assign(Xs[f])] for f, fb in chosen.items()])
    )
    np.testing.assert_allclose(
        front.predict_score(Xs, eps=row["eps"], parity=1.5), direct
    )
    with pytest.raises(ValueError, match="parity must be a share of parity_frontier_"):
        front.predict_score(Xs, eps=row["eps"], parity=0.7)


def test_parity_refit_rejects_negative_shares():
    X, y, a = proxy_data(n=500)
    front = ParetoFrontier(eps=2, binner=QuantileBinner(), parity_refit=[-0.5])
    with pytest.raises(ValueError, match="parity_refit must be None or a non-empty"):
        front.fit(X, y, sensitive_features=a)
