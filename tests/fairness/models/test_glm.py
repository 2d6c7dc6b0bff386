import numpy as np
import pandas as pd
import pytest
import sklearn
import statsmodels.api as sm
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from fairness import DCovGLM, DCovLogisticRegression, ccdcov, distance_covariance
from scorecard import WoEEncoder


def _credit(n=600, seed=0):
    rng = np.random.default_rng(seed)
    race = rng.integers(0, 2, n)
    sex = rng.integers(0, 2, n)
    X = np.column_stack(
        [
            rng.normal(size=n) + 0.8 * race,
            rng.normal(size=n),
            rng.normal(size=n) - 0.3 * sex,
        ]
    )
    y = (X @ [1.0, 1.0, 0.5] + rng.logistic(size=n) > 0.3).astype(int)
    return X, y, pd.DataFrame({"race": race, "sex": sex})


def test_unpenalised_matches_statsmodels_and_sklearn():
    X, y, _ = _credit()
    model = DCovLogisticRegression(tol=1e-10).fit(X, y)
    ref = sm.Logit(y, sm.add_constant(X)).fit(disp=0)
    np.testing.assert_allclose(model.intercept_, ref.params[0], rtol=1e-5)
    np.testing.assert_allclose(model.coef_, ref.params[1:], rtol=1e-5)
    sk = LogisticRegression(C=1 / (len(y) * 0.1), tol=1e-10, max_iter=1000).fit(X, y)
    ridge = DCovLogisticRegression(l2=0.1, tol=1e-10).fit(X, y)
    np.testing.assert_allclose(ridge.coef_, sk.coef_[0], rtol=1e-5)
    np.testing.assert_allclose(
        ridge.predict_proba(X), sk.predict_proba(X), rtol=1e-5, atol=1e-8
    )
    assert set(model.predict(X)) <= {0, 1}


def test_poisson_with_exposure_matches_statsmodels():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(500, 2))
    exposure = rng.uniform(0.2, 3, 500)
    y = rng.poisson(exposure * np.exp(0.2 + 0.4 * X[:, 0] - 0.3 * X[:, 1]))
    model = DCovGLM(family="poisson", tol=1e-10).fit(X, y, exposure=exposure)
    ref = sm.GLM(
        y, sm.add_constant(X), family=sm.families.Poisson(), offset=np.log(exposure)
    ).fit()
    np.testing.assert_allclose(model.coef_, ref.params[1:], rtol=1e-5)
    np.testing.assert_allclose(
        model.predict(X[:3], exposure=exposure[:3]), ref.mu[:3], rtol=1e-6
    )
    gauss = DCovGLM(tol=1e-10).fit(X, y)
    ols = sm.OLS(y, sm.add_constant(X)).fit()
    np.testing.assert_allclose(gauss.coef_, ols.params[1:], rtol=1e-5)


@pytest.mark.parametrize("penalty", ["dcov", "ccdcov", "jdcov"])
@pytest.mark.parametrize("scale", ["probability", "logit"])
def test_penalty_reduces_dependence(penalty, scale):
    X, y, S = _credit()
    plain = DCovLogisticRegression().fit(X, y)
    fair = DCovLogisticRegression(lambda_=50.0, penalty=penalty, scale=scale).fit(
        X, y, sensitive_features=S
    )
    before = ccdcov(plain.predict_proba(X)[:, 1], S, test=None).estimate
    after = ccdcov(fair.predict_proba(X)[:, 1], S, test=None).estimate
    assert after < 0.5 * before
    assert np.isfinite(fair.penalty_value_)


@pytest.mark.parametrize("estimator", ["U", "V"])
def test_solution_is_stationary_point_of_full_objective(estimator):
    # a wrong analytic gradient would stop L-BFGS where the true gradient is not 0
    X, y, S = _credit(n=300, seed=2)
    lam, alpha = 5.0, 0.01
    model = DCovLogisticRegression(
        lambda_=lam, l2=alpha, unbiased=estimator == "U", penalty="dcov", tol=1e-9
    ).fit(X, y, sensitive_features=S)

    def objective(theta):
        eta = X @ theta[:3] + theta[3]
        p = expit(eta)
        loss = (
            np.mean(np.logaddexp(0, eta) - y * eta)
            + 0.5 * alpha * theta[:3] @ theta[:3]
        )
        pen = sum(
            distance_covariance(
                p, S[c].astype(str), unbiased=estimator == "U", test=None
            ).estimate
            for c in S
        )
        return loss + lam * pen

    theta = np.append(model.coef_, model.intercept_)
    base = objective(theta)
    assert model.objective_ == pytest.approx(base, rel=1e-10)
    for k in range(4):
        for step in (1e-3, -1e-3):
            e = np.zeros(4)
            e[k] = step
            assert objective(theta + e) >= base - 1e-7


def test_pipeline_with_metadata_routing():
    X, y, S = _credit()
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    with sklearn.config_context(enable_metadata_routing=True):
        for first in (StandardScaler(), WoEEncoder(n_rounds=5)):
            pipe = make_pipeline(
                first,
                DCovLogisticRegression(lambda_=10.0).set_fit_request(
                    sensitive_features=True, sample_weight=False
                ),
            )
            pipe.fit(frame, y, sensitive_features=S)
            assert np.isfinite(pipe[-1].penalty_value_)
            assert pipe.predict_proba(frame).shape == (len(y), 2)


def test_bad_input():
    X, y, S = _credit(n=50)
    with pytest.raises(ValueError, match="needs sensitive_features"):
        DCovLogisticRegression(lambda_=1.0).fit(X, y)
    with pytest.raises(ValueError, match="lambda_"):
        DCovLogisticRegression(lambda_=-1.0).fit(X, y, sensitive_features=S)
    with pytest.raises(ValueError, match="penalty"):
        DCovLogisticRegression(penalty="l1").fit(X, y)
    holes = S.astype(float)
    holes.iloc[0, 0] = np.nan
    with pytest.raises(ValueError, match="missing values"):
        DCovLogisticRegression(lambda_=1.0).fit(X, y, sensitive_features=holes)
    with pytest.raises(ValueError, match="single value"):
        DCovLogisticRegression(lambda_=1.0).fit(
            X, y, sensitive_features=S.assign(race=1)
        )
    with pytest.raises(ValueError, match="same length"):
        DCovLogisticRegression(lambda_=1.0).fit(X, y, sensitive_features=S.iloc[:-1])
    with pytest.raises(ValueError, match="Only binary classification"):
        DCovLogisticRegression().fit(X, np.arange(50) % 3)
    with pytest.raises(ValueError, match="exposure"):
        DCovGLM(family="poisson").fit(X, np.ones(50), exposure=np.zeros(50))
    with pytest.raises(ValueError, match="offset of family='poisson'"):
        DCovGLM().fit(X, np.ones(50), exposure=np.ones(50))
    with pytest.raises(ValueError, match="y >= 0"):
        DCovGLM(family="poisson").fit(X, -np.ones(50))


def test_string_target_needs_bad_value():
    X, y, S = _credit(n=200)
    labels = np.where(y == 1, "bad", "good")
    with pytest.raises(ValueError, match=r"set bad_value .*\['bad', 'good'\]"):
        DCovLogisticRegression().fit(X, labels)
    for lam in (0.0, 2.0):
        ref = DCovLogisticRegression(lambda_=lam).fit(X, y, sensitive_features=S)
        got = DCovLogisticRegression(lambda_=lam, bad_value="bad").fit(
            X, labels, sensitive_features=S
        )
        np.testing.assert_allclose(got.coef_, ref.coef_, rtol=1e-12)
        assert got.intercept_ == pytest.approx(ref.intercept_, rel=1e-12)
        assert got.classes_.tolist() == ["good", "bad"]
        np.testing.assert_allclose(got.predict_proba(X), ref.predict_proba(X))
        assert (got.predict(X) == np.where(ref.predict(X) == 1, "bad", "good")).all()


@pytest.mark.parametrize("cls", [DCovLogisticRegression, DCovGLM])
def test_renamed_parameters_keep_working(cls):
    X, y, S = _credit(n=200)
    target = y if cls is DCovLogisticRegression else X[:, 0] + y
    new = cls(lambda_=1.0, l2=0.1, unbiased=False).fit(X, target, sensitive_features=S)
    old_model = sklearn.base.clone(cls(lambda_=1.0, alpha=0.1, estimator="V"))
    assert old_model.get_params()["alpha"] == 0.1
    with pytest.warns(FutureWarning, match="'alpha' was renamed to 'l2' in 0.2"):
        with pytest.warns(FutureWarning, match="'estimator' was renamed to 'unbiased'"):
            old = old_model.fit(X, target, sensitive_features=S)
    np.testing.assert_allclose(old.coef_, new.coef_, rtol=1e-12)
    assert old.penalty_value_ == pytest.approx(new.penalty_value_, rel=1e-12)
    with pytest.raises(ValueError, match="unbiased"):
        cls(unbiased="U").fit(X, target)


def test_continuous_and_ten_level_attribute_use_the_fast_penalty():
    # issue 17: age + a 10-level attribute used the O(n^2) blocked path
    rng = np.random.default_rng(11)
    n = 3000
    region = rng.integers(0, 10, n)
    age = rng.uniform(20, 70, n)
    X = np.column_stack([rng.normal(size=n) + 0.03 * (age - 45), rng.normal(size=n)])
    y = (X.sum(axis=1) + 0.1 * region + rng.logistic(size=n) > 0).astype(int)
    S = pd.DataFrame({"region": region, "age": age})
    plain = DCovLogisticRegression().fit(X, y)
    fair = DCovLogisticRegression(lambda_=50.0).fit(X, y, sensitive_features=S)
    assert abs(fair.coef_[0]) < abs(plain.coef_[0])
    pred = fair.predict_proba(X)[:, 1]
    exact = ccdcov(pred, S, test=None, se=False)
    np.testing.assert_allclose(fair.penalty_value_, exact.estimate, rtol=1e-9)
