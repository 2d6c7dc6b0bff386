import matplotlib
import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import jensenshannon
from scipy.stats import gaussian_kde

from fairness import DCovLogisticRegression, generalized_js, lambda_path
from scorecard import DataConditionWarning

matplotlib.use("Agg")


def _split(seed=0, n=1200):
    rng = np.random.default_rng(seed)
    race = rng.integers(0, 2, n)
    sex = rng.integers(0, 2, n)
    # the second feature is independent of the attributes: a fair model exists
    X = np.column_stack([rng.normal(size=n) + race + 0.5 * sex, rng.normal(size=n)])
    y = (X.sum(axis=1) + rng.logistic(size=n) > 1).astype(int)
    S = pd.DataFrame({"race": race, "sex": sex})
    h = n // 2
    return X[:h], y[:h], S.iloc[:h], X[h:], y[h:], S.iloc[h:]


def test_generalized_js_against_scipy_for_two_equal_groups():
    rng = np.random.default_rng(1)
    a, b = rng.normal(0, 1, 300), rng.normal(0.7, 1.2, 300)
    scores = np.r_[a, b]
    groups = np.r_[np.zeros(300), np.ones(300)]
    ours = generalized_js(scores, groups, bandwidth=0.3, standardize=False)
    grid = np.linspace(scores.min() - 1.2, scores.max() + 1.2, 1000)
    pa = gaussian_kde(a, bw_method=0.3 / a.std(ddof=1))(grid)
    pb = gaussian_kde(b, bw_method=0.3 / b.std(ddof=1))(grid)
    assert ours == pytest.approx(jensenshannon(pa, pb, base=2) ** 2, rel=1e-6)


def test_generalized_js_bounds():
    rng = np.random.default_rng(2)
    same = rng.normal(size=2000)
    groups = rng.integers(0, 3, 2000)
    assert generalized_js(same, groups) < 0.02
    # disjoint groups with weights 0.3 / 0.7: JS = entropy of the weights (bits)
    scores = np.r_[np.zeros(300), np.full(700, 10.0)]
    labels = np.r_[np.zeros(300), np.ones(700)]
    js = generalized_js(scores, labels, bandwidth=0.05, standardize=False)
    entropy = -(0.3 * np.log2(0.3) + 0.7 * np.log2(0.7))
    assert js == pytest.approx(entropy, rel=1e-6)
    with pytest.raises(ValueError, match="at least two groups"):
        generalized_js(same, np.zeros(2000))
    with pytest.raises(ValueError, match="bandwidth"):
        generalized_js(same, groups, bandwidth=-1.0)


def test_lambda_path_trade_off_and_rules():
    Xt, yt, St, Xv, yv, Sv = _split()
    path = lambda_path(
        DCovLogisticRegression(),
        Xt,
        yt,
        Xv,
        yv,
        sensitive_features=St,
        sensitive_features_valid=Sv,
        lambdas=[0, 1, 10, 100],
    )
    t = path.table
    assert list(t["lambda"]) == [0, 1, 10, 100]
    assert t["js"].iloc[-1] < 0.5 * t["js"].iloc[0]
    assert t["dcor"].iloc[-1] < 0.5 * t["dcor"].iloc[0]
    assert t["unfairness_ratio"].iloc[-1] < t["unfairness_ratio"].iloc[0]
    assert t["auc"].iloc[-1] < t["auc"].iloc[0]
    assert path.chosen_lambda in {0, 1, 10, 100} and path.rule == "elbow"
    assert path.chosen_model.lambda_ == path.chosen_lambda
    assert path.to_frame()["chosen"].sum() == 1
    assert "LambdaPath(chosen_lambda" in repr(path)
    ax = path.plot()
    assert ax.get_xscale() == "log"
    target = float(t["js"].iloc[2]) + 1e-12
    picked = lambda_path(
        DCovLogisticRegression(),
        Xt,
        yt,
        Xv,
        yv,
        sensitive_features=St,
        sensitive_features_valid=Sv,
        lambdas=[0, 1, 10, 100],
        js="paper",
        js_target=float(
            lambda_path(
                DCovLogisticRegression(),
                Xt,
                yt,
                Xv,
                yv,
                sensitive_features=St,
                sensitive_features_valid=Sv,
                lambdas=[10],
                js="paper",
            )
            .table["js"]
            .iloc[0]
        )
        + 1e-12,
    )
    assert picked.chosen_lambda <= 10
    assert picked.rule.startswith("js_target")
    del target
    with pytest.warns(DataConditionWarning, match="No lambda reaches"):
        lambda_path(
            DCovLogisticRegression(),
            Xt,
            yt,
            Xv,
            yv,
            sensitive_features=St,
            sensitive_features_valid=Sv,
            lambdas=[0, 1],
            js_target=0.0,
        )


def test_lambda_path_bad_input():
    Xt, yt, St, Xv, yv, Sv = _split(n=200)
    args = (DCovLogisticRegression(), Xt, yt, Xv, yv)
    kw = {"sensitive_features": St, "sensitive_features_valid": Sv}
    with pytest.raises(ValueError, match="lambdas must be a non-empty grid"):
        lambda_path(*args, **kw, lambdas=[0, -1])
    with pytest.raises(ValueError, match="strictly increasing"):
        lambda_path(*args, **kw, lambdas=[1, 0])
    with pytest.raises(ValueError, match="js must be"):
        lambda_path(*args, **kw, js="silverman")


def test_lambda_path_old_names_and_string_target():
    Xt, yt, St, Xv, yv, Sv = _split(n=400)
    new = lambda_path(
        DCovLogisticRegression(),
        Xt,
        yt,
        X_valid=Xv,
        y_valid=yv,
        sensitive_features=St,
        sensitive_features_valid=Sv,
        lambdas=[0.0, 10.0],
    )
    with pytest.warns(FutureWarning, match="was renamed to") as record:
        old = lambda_path(
            DCovLogisticRegression(),
            Xt,
            yt,
            X_val=Xv,
            y_val=yv,
            sensitive_train=St,
            sensitive_val=Sv,
            lambdas=[0.0, 10.0],
        )
    assert sorted(str(w.message).split("'")[1] for w in record) == [
        "X_val",
        "sensitive_train",
        "sensitive_val",
        "y_val",
    ]
    pd.testing.assert_frame_equal(old.table, new.table)
    words = lambda y: np.where(y == 1, "bad", "good")  # noqa: E731
    kw = {"sensitive_features": St, "sensitive_features_valid": Sv}
    with pytest.raises(ValueError, match=r"y_train must be 0/1 .* set bad_value"):
        lambda_path(DCovLogisticRegression(), Xt, words(yt), Xv, words(yv), **kw)
    got = lambda_path(
        DCovLogisticRegression(bad_value="bad"),
        Xt,
        words(yt),
        Xv,
        words(yv),
        bad_value="bad",
        lambdas=[0.0, 10.0],
        **kw,
    )
    pd.testing.assert_frame_equal(got.table, new.table)


def test_generalized_js_old_name():
    rng = np.random.default_rng(3)
    s, g = rng.normal(size=200), rng.integers(0, 2, 200)
    with pytest.warns(FutureWarning, match="'scores' was renamed to 'y_score'"):
        old = generalized_js(scores=s, groups=g)
    assert old == generalized_js(y_score=s, groups=g)
