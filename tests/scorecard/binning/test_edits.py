"""Expert edits: user_splits, feature_params and the edit API of a fitted binner."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from scorecard import Scorecard, StumpBinner, load

from .test_binner import make_data


@pytest.fixture(scope="module")
def data():
    return make_data(3000, seed=1)


@pytest.fixture(scope="module")
def fitted(data):
    X, y = data
    return StumpBinner(n_rounds=20, special_values={"score": [-999]}).fit(X, y)


def _hand_counts(x, y, cuts):
    """Goods and bads of [-inf, t1), ..., [tk, inf) of the non-missing x (pandas)."""
    keep = ~np.isnan(x)
    edges = [-np.inf, *cuts, np.inf]
    bins = pd.cut(pd.Series(x[keep]), edges, right=False, labels=False)
    table = pd.crosstab(bins, y[keep]).reindex(range(len(cuts) + 1), fill_value=0)
    return table[0].to_numpy(float), table[1].to_numpy(float)


# ------------------------------------------------------------- user_splits


def test_user_splits_numeric_are_fixed_and_counted(data):
    X, y = data
    cuts = [30000.0, 45000.0]
    b = StumpBinner(n_rounds=10, user_splits={"income": cuts}).fit(X, y)
    fb = b.bins_["income"]
    assert fb.thresholds == tuple(cuts)
    goods, bads = _hand_counts(X["income"].to_numpy(), y, cuts)
    np.testing.assert_array_equal(fb.goods[:3], goods)
    np.testing.assert_array_equal(fb.bads[:3], bads)
    assert "user_splits" in b.notes_["income"]
    # the other features are fitted as without user_splits
    free = StumpBinner(n_rounds=10).fit(X, y)
    assert b.bins_["age"] == free.bins_["age"]


def test_user_splits_categorical_groups(data):
    X, y = data
    groups = [["own"], ["free", "rent"], ["boat"]]
    b = StumpBinner(n_rounds=10, user_splits={"housing": groups}).fit(X, y)
    fb = b.bins_["housing"]
    assert fb.groups == (("own",), ("free", "rent"), ("boat",))
    counts = pd.crosstab(X["housing"], y)
    assert fb.bads[1] == counts.loc[["free", "rent"], 1].sum()
    assert fb.goods[2] == counts.loc["boat", 0]


def test_user_splits_bad_input(data):
    X, y = data
    cases = [
        ({"nope": [1.0]}, ValueError, "user_splits has the key 'nope'"),
        ({"income": [5e4, 3e4]}, ValueError, r"unsorted: 50000 then 30000"),
        ({"income": [3e4, 3e4]}, ValueError, r"duplicated: 30000 then 30000"),
        ({"income": [1e9]}, ValueError, r"cut 1e\+09 outside the data range"),
        ({"income": [np.nan]}, ValueError, "must be finite numbers"),
        ({"income": "30000"}, TypeError, "must be a list of cut points"),
        ({"housing": [["own"], ["rent"]]}, ValueError, r"does not place .*'free'"),
        (
            {"housing": [["own", "x"], ["rent", "free", "boat"]]},
            ValueError,
            "names the category 'x'",
        ),
        (
            {"housing": [["own"], ["own", "rent", "free", "boat"]]},
            ValueError,
            "'own' in more than one group",
        ),
    ]
    for spec, error, match in cases:
        with pytest.raises(error, match=match):
            StumpBinner(n_rounds=5, user_splits=spec).fit(X, y)


# ---------------------------------------------------------- feature_params


def test_feature_params_apply_to_one_feature(data):
    X, y = data
    b = StumpBinner(
        n_rounds=10, feature_params={"income": {"max_n_bins": 2, "min_bin_size": 0.2}}
    ).fit(X, y)
    free = StumpBinner(n_rounds=10).fit(X, y)
    assert b.bins_["income"].n_regular <= 2
    assert free.bins_["income"].n_regular > 2
    share = np.asarray(b.bins_["income"].goods[:2]) + b.bins_["income"].bads[:2]
    assert share.min() >= 0.2 * len(y)
    assert b.bins_["util"] == free.bins_["util"]


def test_feature_params_special_values_and_trend(data):
    X, y = data
    b = StumpBinner(
        n_rounds=10,
        feature_params={"score": {"special_values": [-999], "monotonic_trend": None}},
    ).fit(X, y)
    ref = StumpBinner(
        n_rounds=10, special_values={"score": [-999]}, monotonic_trend=None
    ).fit(X, y)
    assert b.bins_["score"] == ref.bins_["score"]


def test_feature_params_bad_input(data):
    X, y = data
    cases = [
        ({"nope": {}}, ValueError, "feature_params has the key 'nope'"),
        ({"income": {"trend": "up"}}, ValueError, "unknown key 'trend'"),
        ({"income": {"max_n_bins": 0}}, ValueError, r"feature_params\['income'\]"),
        ({"income": 3}, TypeError, "must be a dict of settings"),
    ]
    for spec, error, match in cases:
        with pytest.raises(error, match=match):
            StumpBinner(n_rounds=5, feature_params=spec).fit(X, y)
    with pytest.raises(ValueError, match="special values of 'score' are given twice"):
        StumpBinner(
            n_rounds=5,
            special_values={"score": [-999]},
            feature_params={"score": {"special_values": [-999]}},
        ).fit(X, y)


# ------------------------------------------------------------------ edits


def test_set_cuts_on_prebin_edges_needs_no_data(fitted, data):
    X, y = data
    edges = fitted.prebins_["income"].edges
    cuts = [edges[10], edges[40], edges[90]]
    edited = fitted.set_cuts("income", cuts)
    assert edited is not fitted and fitted.bins_["income"].thresholds != tuple(cuts)
    fb = edited.bins_["income"]
    goods, bads = _hand_counts(X["income"].to_numpy(), y, cuts)
    np.testing.assert_array_equal(fb.goods[:4], goods)
    np.testing.assert_array_equal(fb.bads[:4], bads)
    # missing bin kept; other features are the very same objects (no refit)
    assert fb.goods[-1] == fitted.bins_["income"].goods[-1]
    assert all(
        edited.bins_[k] is fitted.bins_[k] for k in fitted.bins_ if k != "income"
    )
    assert edited.user_splits == {"income": cuts}
    assert fitted.user_splits is None
    # a fresh fit with these user_splits gives the same bins
    fresh = clone(edited).fit(X, y)
    assert fresh.bins_["income"] == fb


def test_split_off_a_boundary_needs_the_rows(fitted, data):
    X, y = data
    fb = fitted.bins_["age"]
    at = fb.thresholds[0] + 0.5  # ages are integers: never a pre-bin edge
    with pytest.raises(ValueError, match=r"not a pre-bin boundary.*pass X and y"):
        fitted.split_bin("age", 1, at)
    edited = fitted.split_bin("age", 1, at, X=X, y=y)
    cuts = sorted((*fb.thresholds, at))
    goods, bads = _hand_counts(X["age"].to_numpy(), y, cuts)
    np.testing.assert_array_equal(edited.bins_["age"].goods[: len(cuts) + 1], goods)
    np.testing.assert_array_equal(edited.bins_["age"].bads[: len(cuts) + 1], bads)
    # the finer pre-bins now hold the cut: further edits there need no data
    assert at in edited.prebins_["age"].edges
    again = edited.merge_bins("age", 1, 2).split_bin("age", 1, at)
    assert again.bins_["age"] == edited.bins_["age"]


def test_merge_bins_sums_counts(fitted):
    fb = fitted.bins_["income"]
    merged = fitted.merge_bins("income", 0, 1).bins_["income"]
    assert merged.n_regular == fb.n_regular - 1
    assert merged.goods[0] == fb.goods[0] + fb.goods[1]
    assert merged.bads[1:] == fb.bads[2:]
    assert merged.thresholds == fb.thresholds[1:]


def test_categorical_edits(fitted, data):
    X, y = data
    fb = fitted.bins_["housing"]
    counts = pd.crosstab(X["housing"], y)
    groups = [["own", "free"], ["rent", "boat"]]
    set_ = fitted.set_cuts("housing", groups).bins_["housing"]
    assert set_.bads[0] == counts.loc[["own", "free"], 1].sum()
    split = fitted.set_cuts("housing", groups).split_bin("housing", 1, ["boat"])
    assert split.bins_["housing"].groups == (("own", "free"), ("rent",), ("boat",))
    assert split.bins_["housing"].goods[2] == counts.loc["boat", 0]
    merged = fitted.merge_bins("housing", 0, fb.n_regular - 1).bins_["housing"]
    assert merged.n_regular == fb.n_regular - 1


def test_edit_bad_input(fitted, data):
    X, y = data
    fb = fitted.bins_["income"]
    n = fb.n_regular
    edges = fitted.prebins_["income"].edges
    cases = [
        (lambda: fitted.set_cuts("nope", [1]), "'nope' is not a fitted feature"),
        (lambda: fitted.merge_bins("income", 0, 99), "bin 99 does not exist"),
        (lambda: fitted.merge_bins("income", 0, n), r"is the 'missing' bin"),
        (lambda: fitted.merge_bins("income", 0, 2), "not adjacent"),
        (lambda: fitted.merge_bins("income", 1, 1), "two different bins"),
        (lambda: fitted.split_bin("income", 0, 1e12), "not inside bin 0"),
        (lambda: fitted.set_cuts("income", [edges[5], edges[2]]), "unsorted"),
        (lambda: fitted.set_cuts("income", [edges[2], edges[2]]), "duplicated"),
        (lambda: fitted.set_cuts("income", [-1.0]), "outside the data range"),
        (lambda: fitted.set_cuts("housing", [["own"]]), "do not place"),
        (lambda: fitted.set_cuts("housing", [["x"], ["own"]]), "'x' is not a training"),
        (lambda: fitted.split_bin("housing", 0, ["x"]), "some, not all, categories"),
        (
            lambda: fitted.split_bin("age", 0, 20.5, X=X.iloc[:100], y=y[:100]),
            "not the training rows",
        ),
        (lambda: fitted.split_bin("age", 0, 20.5, X=X), "pass both X and y"),
    ]
    for call, match in cases:
        with pytest.raises(ValueError, match=match):
            call()


def test_edited_binner_round_trips_and_feeds_a_scorecard(fitted, data):
    X, y = data
    edges = fitted.prebins_["income"].edges
    edited = fitted.set_cuts("income", [edges[20], edges[60]]).merge_bins("age", 0, 1)
    back = load(edited.to_json())
    assert all(back.bins_[k] == edited.bins_[k] for k in edited.bins_)
    np.testing.assert_array_equal(back.transform(X), edited.transform(X))
    assert back.notes_ == edited.notes_
    assert {k: v.to_dict() for k, v in back.prebins_.items()} == {
        k: v.to_dict() for k, v in edited.prebins_.items()
    }
    # the loaded binner can still be edited without data
    assert back.split_bin("income", 0, edges[5]).bins_["income"].n_regular == 4
    # edits are recorded as user_splits: a Scorecard refitting the binner on
    # the same rows gets the edited bins into its points table
    card = Scorecard(binner=edited).fit(X, y)
    assert card.bins_["income"] == edited.bins_["income"]
    assert card.bins_["age"] == edited.bins_["age"]
    card_back = load(card.to_json())
    np.testing.assert_array_equal(card_back.predict_score(X), card.predict_score(X))


def test_information_table_of_an_edited_binner(fitted):
    edited = fitted.merge_bins("income", 0, 1)
    table, orig = edited.information_table(), fitted.information_table()
    assert np.isnan(table.loc["income", "pvalue"])
    assert "edited" in table.attrs["inference"]["pvalue"]
    others = [n for n in orig.index if n != "income"]
    pd.testing.assert_series_equal(
        table.loc[others, "pvalue"], orig.loc[others, "pvalue"]
    )


def test_edits_with_split_inference(data):
    X, y = data
    b = StumpBinner(n_rounds=10, inference="split", random_state=0).fit(X, y)
    table = b.merge_bins("income", 0, 1).information_table()
    assert np.isnan(table.loc["income", "iv_split"])
    assert np.isfinite(table.loc["age", "iv_split"])
