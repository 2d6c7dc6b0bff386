import numpy as np
import pandas as pd
import pytest

from fairness import (
    jdcov,
)

from ._data import REF, _onehot


def _jdcov_naive(variables, c, estimator):
    n = variables[0].shape[0]
    prod = np.ones((n, n))
    for v in variables:
        d = (
            np.abs(v[:, None] - v[None, :])
            if v.ndim == 1
            else np.sqrt(((v[:, None, :] - v[None, :, :]) ** 2).sum(-1))
        )
        if estimator == "V":
            cen = d - d.mean(0) - d.mean(1)[:, None] + d.mean()
        else:
            rs = d.sum(0)
            cen = (
                d - rs / (n - 2) - rs[:, None] / (n - 2) + d.sum() / ((n - 1) * (n - 2))
            )
        prod *= c - cen
    k = len(variables)
    if estimator == "V":
        return prod.mean() - c**k
    np.fill_diagonal(prod, 0)
    return prod.sum() / (n * (n - 3)) - c**k * (n - 1) / (n - 3)


@pytest.mark.parametrize("estimator", ["U", "V"])
def test_jdcov_matches_direct_formula(estimator):
    rng = np.random.default_rng(9)
    n = 60
    race = rng.integers(0, 2, n)
    sex = np.where(rng.random(n) < 0.7, race, 1 - race)
    age = rng.uniform(0, 1, n)
    pred = race + 0.5 * sex + rng.normal(0, 0.3, n)
    frame = pd.DataFrame({"race": race, "sex": sex})
    res = jdcov(pred, frame, c=0.5, unbiased=estimator == "U")
    want = _jdcov_naive([pred, _onehot(race), _onehot(sex)], 0.5, estimator)
    assert res.estimate == pytest.approx(want, rel=1e-9)
    attr_part = _jdcov_naive([_onehot(race), _onehot(sex)], 0.5, estimator)
    assert dict(res.components)["attribute_part"] == pytest.approx(0.5 * attr_part)
    mixed = frame.assign(age=age)
    res = jdcov(pred, mixed, unbiased=estimator == "U")
    scaled = (age - age.min()) / np.ptp(age)  # continuous attributes are min-max scaled
    want = _jdcov_naive([pred, _onehot(race), _onehot(sex), scaled], 1.0, estimator)
    assert res.estimate == pytest.approx(want, rel=1e-9)
    # one attribute: JdCov is dCov
    one = jdcov(pred, frame[["race"]], unbiased=estimator == "U").estimate
    ref = REF[estimator][0](pred, _onehot(race))
    assert one == pytest.approx(ref, rel=1e-9)
