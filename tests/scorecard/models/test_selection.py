"""FeatureSelector: thresholds, correlation, VIF, stepwise, the decisions table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import Pipeline

from scorecard import FeatureSelector, Scorecard, StumpBinner


def known_truth(n: int = 6000, seed: int = 1) -> tuple[pd.DataFrame, np.ndarray]:
    """strong, weak drivers; pure noise; a near-duplicate of strong."""
    rng = np.random.default_rng(seed)
    strong = rng.normal(size=n)
    weak = rng.normal(size=n)
    logit = -1.0 + 1.5 * strong + 0.5 * weak
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    X = pd.DataFrame(
        {
            "strong": strong,
            "noise": rng.normal(size=n),
            "weak": weak,
            "dup": strong + 0.05 * rng.normal(size=n),
        }
    )
    return X, y


BINNER = StumpBinner(n_rounds=20, n_permutations=49, random_state=0)


@pytest.fixture(scope="module")
def data():
    return known_truth()


@pytest.fixture(scope="module")
def selector(data):
    X, y = data
    return FeatureSelector(binner=BINNER, max_pvalue=0.05).fit(X, y)


def test_noise_and_near_duplicate_are_dropped_with_exact_reasons(selector):
    table = selector.decisions_.set_index("feature")
    assert list(table.index) == ["strong", "noise", "weak", "dup"]
    assert table["status"].to_dict() == {
        "strong": "selected",
        "noise": "dropped",
        "weak": "selected",
        "dup": "dropped",
    }
    assert set(table["step"]) == {"selection"}
    assert table.loc["noise", "reason"].startswith(
        ("IV lower 95% bound 0 below min_iv 0.02", "IV p-value (selection-adjusted)")
    )
    # the near-duplicate loses to the feature with the higher IV
    assert (
        "with 'strong' (higher IV) above max_correlation 0.9"
        in table.loc["dup", "reason"]
    )
    corr = float(table.loc["dup", "reason"].split()[1])
    assert corr > 0.9
    assert selector.get_support().tolist() == [True, False, True, False]
    assert list(selector.get_feature_names_out()) == ["strong", "weak"]


def test_transform_keeps_the_frame_and_works_in_a_pipeline(data, selector):
    X, y = data
    out = selector.transform(X)
    assert isinstance(out, pd.DataFrame) and list(out.columns) == ["strong", "weak"]
    pipe = Pipeline(
        [
            ("select", FeatureSelector(binner=BINNER)),
            ("card", Scorecard(binner=StumpBinner(n_rounds=20, n_permutations=0))),
        ]
    ).fit(X, y)
    assert pipe.named_steps["card"].model_features_ == ["strong", "weak"]
    assert pipe.predict_proba(X.head(5)).shape == (5, 2)


def test_vif_max_features_and_stepwise(data):
    X, y = data
    no_corr = {"binner": BINNER, "min_iv": None, "max_pvalue": None}
    vif = FeatureSelector(max_correlation=None, max_vif=10, **no_corr).fit(X, y)
    # strong and dup inflate each other; the first of the two largest goes
    dropped = vif.decisions_[vif.decisions_["status"] == "dropped"]
    assert len(dropped) == 1 and dropped["feature"].iloc[0] in {"strong", "dup"}
    assert dropped["reason"].iloc[0].startswith("VIF ")
    top = FeatureSelector(max_features=1, **no_corr).fit(X, y)
    assert top.get_support().sum() == 1
    assert "rank 2 by IV beyond max_features 1" in set(top.decisions_["reason"])
    lr = FeatureSelector(stepwise="lr", **no_corr).fit(X, y)
    table = lr.decisions_.set_index("feature")
    assert table.loc["noise", "status"] == "dropped"
    assert "likelihood-ratio p-value" in table.loc["noise", "reason"]
    assert table.loc["strong", "status"] == table.loc["weak", "status"] == "selected"
    auc = FeatureSelector(stepwise="auc", random_state=0, **no_corr).fit(X, y)
    table = auc.decisions_.set_index("feature")
    assert table.loc["noise", "status"] == "dropped"
    assert "held-out AUC gain" in table.loc["noise", "reason"]


def test_inside_scorecard_the_table_is_in_feature_decisions(data):
    X, y = data
    card = Scorecard(
        binner=StumpBinner(n_rounds=20, n_permutations=49, random_state=0),
        selection={"max_correlation": 0.9},
    ).fit(X, y)
    table = card.feature_decisions_.set_index("feature")
    assert table.loc["dup", "step"] == "selection"
    assert table.loc["noise", "status"] == "dropped"
    assert card.model_features_ == ["strong", "weak"]
    assert set(card.excluded_features_) == {"noise", "dup"}


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"max_correlation": 1.5}, "'max_correlation' parameter"),
        ({"min_iv": -0.1}, "'min_iv' parameter"),
        ({"max_vif": 0.5}, "'max_vif' parameter"),
        ({"stepwise": "backward"}, "'stepwise' parameter"),
    ],
)
def test_threshold_out_of_range_names_it(data, params, match):
    X, y = data
    with pytest.raises(ValueError, match=match):
        FeatureSelector(**params).fit(X.head(100), y[:100])
    with pytest.raises(ValueError, match=match):
        Scorecard(selection=params).fit(X.head(100), y[:100])


def test_selection_dict_with_unknown_key_or_own_binner_is_an_error(data):
    X, y = data
    with pytest.raises(
        ValueError, match=r"unknown FeatureSelector parameter\(s\) \['max_iv'\]"
    ):
        Scorecard(selection={"max_iv": 0.1}).fit(X.head(100), y[:100])
    with pytest.raises(ValueError, match="selection.binner must be None"):
        Scorecard(selection=FeatureSelector(binner=BINNER)).fit(X.head(100), y[:100])


def test_stepwise_lr_with_sampling_weights_is_scale_free(data):
    X, y = data
    w = np.random.default_rng(3).uniform(0.3, 3.0, len(y))
    params = {"binner": BINNER, "min_iv": None, "max_pvalue": None}
    params |= {"stepwise": "lr", "weight_kind": "sampling"}
    fits = [FeatureSelector(**params).fit(X, y, sample_weight=c * w) for c in (1, 37.5)]
    pd.testing.assert_frame_equal(fits[0].decisions_, fits[1].decisions_)
    table = fits[0].decisions_.set_index("feature")
    assert "Rao-Scott likelihood-ratio p-value" in table.loc["noise", "reason"]


def test_rao_scott_entry_test_holds_its_size_under_unequal_weights():
    # a noise column against a 0/1 target, rows weighted 1 or 10 (weights
    # unrelated to the target: design effect about 1 + CV^2 = 1.67). Read as
    # frequencies (rescaled to mean 1), the 5% likelihood-ratio entry test
    # rejects about 13%; the Rao-Scott ratio about 5%.
    from scorecard._models._selection import _forward

    rng = np.random.default_rng(11)
    selector = FeatureSelector(stepwise="lr", entry_pvalue=0.05)
    reps, n = 400, 600
    entered = {False: 0, True: 0}
    for _ in range(reps):
        y = (rng.random(n) < 0.3).astype(np.int64)
        noise = rng.normal(size=(n, 1))
        w = np.where(rng.random(n) < 0.5, 1.0, 10.0)
        w /= w.mean()
        for sampling in (False, True):
            got, _ = _forward(selector, noise, y, w, [0], sampling)
            entered[sampling] += bool(got)
    naive, rao_scott = entered[False] / reps, entered[True] / reps
    assert 0.025 <= rao_scott <= 0.08  # binomial SE 1.1%
    assert naive >= 0.09
