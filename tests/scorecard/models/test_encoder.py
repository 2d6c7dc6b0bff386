import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from scorecard import DataConditionWarning, StumpBinner, WoEEncoder, woe

from ..binning.test_binner import make_data


@pytest.fixture(scope="module")
def data():
    return make_data(n=3000, seed=2)


@pytest.fixture(scope="module")
def encoder(data):
    X, y = data
    return WoEEncoder(n_rounds=20, special_values={"score": [-999]}).fit(X, y)


def test_transform_is_woe_of_bins(encoder, data):
    X, _ = data
    W = encoder.transform(X)
    codes = encoder.binner_.transform(X)
    for j, (name, fb) in enumerate(encoder.binner_.bins_.items()):
        g, b = np.array(fb.goods), np.array(fb.bads)
        present = (g + b) > 0
        # oracle: the information module's WoE of the present bins
        ref = np.zeros(fb.n_bins)
        ref[present] = woe(g[present], b[present], smoothing=0.5).estimate
        np.testing.assert_allclose(W[:, j], ref[codes[:, j]], rtol=1e-12, err_msg=name)


def test_woe_agrees_with_optbinning_on_the_same_bins(encoder, data):
    optbinning = pytest.importorskip("optbinning")
    X, y = data
    fb = encoder.binner_.bins_["income"]
    ob = optbinning.OptimalBinning(
        user_splits=list(fb.thresholds), user_splits_fixed=[True] * len(fb.thresholds)
    )
    ob.fit(X["income"].to_numpy(), y)
    theirs = ob.transform(X["income"].to_numpy(), metric="woe")
    ours = encoder.transform(X)[:, 0]
    # optbinning's WoE is ln(%non-event / %event), our good/bad orientation
    np.testing.assert_allclose(ours, theirs, rtol=1e-9)


def test_missing_values_use_their_bin_woe(encoder, data):
    X, _ = data
    missing = X["months"].isna().to_numpy()
    W = encoder.transform(X)
    j = list(X.columns).index("months")
    value = W[missing, j]
    assert np.all(value == value[0]) and abs(value[0]) > 0.05
    assert (
        value[0] == encoder.woe_["months"][encoder.binner_.bins_["months"].missing_code]
    )


def test_new_missing_values_get_neutral_woe_with_warning(encoder, data):
    X, _ = data
    X = X.head(3).copy()
    X["age"] = [np.nan, 40.0, 50.0]
    with pytest.warns(DataConditionWarning, match="'age' has missing values"):
        W = encoder.transform(X)
    assert W[0, list(X.columns).index("age")] == 0.0


def test_pandas_output_and_feature_names(data):
    X, y = data
    enc = WoEEncoder(n_rounds=5).set_output(transform="pandas").fit(X, y)
    out = enc.transform(X)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == list(X.columns)
    assert list(enc.get_feature_names_out()) == list(X.columns)


def test_numpy_input(data):
    X, y = data
    arr = X[["income", "age"]].to_numpy()
    W = WoEEncoder(n_rounds=5).fit(arr, y).transform(arr)
    assert W.shape == arr.shape and W.dtype == np.float64


def test_pipeline_and_column_transformer(data):
    X, y = data
    pipe = make_pipeline(WoEEncoder(n_rounds=10), LogisticRegression())
    pipe.fit(X, y)
    assert pipe.score(X, y) > 0.6
    ct = ColumnTransformer(
        [("woe", WoEEncoder(n_rounds=5), ["income", "housing"])], remainder="drop"
    )
    out = ct.fit_transform(X, y)
    assert out.shape == (len(X), 2)
    assert list(ct.get_feature_names_out()) == ["woe__income", "woe__housing"]


def test_fitted_binner_is_used_as_is(data):
    X, y = data
    binner = StumpBinner(n_rounds=5).fit(X, y)
    enc = WoEEncoder(binner=binner).fit(X)  # no y needed
    assert enc.binner_ is binner
    unfitted = StumpBinner(n_rounds=5)
    enc2 = WoEEncoder(binner=unfitted).fit(X, y)
    assert enc2.binner_ is not unfitted and not hasattr(unfitted, "bins_")
    np.testing.assert_array_equal(enc.transform(X), enc2.transform(X))


def test_fitted_binner_with_other_columns(data):
    X, y = data
    binner = StumpBinner(n_rounds=5).fit(X[["income", "age"]], y)
    with pytest.raises(
        ValueError, match="does not match the columns of the given fitted binner"
    ):
        WoEEncoder(binner=binner).fit(X[["income", "util"]])


def test_y_required_without_fitted_binner(data):
    X, _ = data
    with pytest.raises(
        ValueError, match="requires y to be passed, but the target y is None"
    ):
        WoEEncoder().fit(X)


def test_mismatched_columns_at_transform(encoder, data):
    X, _ = data
    with pytest.raises(ValueError, match="feature names should match"):
        encoder.transform(X[list(reversed(X.columns))])


def test_encoder_string_target_needs_bad_value(data):
    X, y = data
    labels = np.where(y == 1, "bad", "good")
    with pytest.raises(
        ValueError, match=r"set bad_value.*got labels \['bad', 'good'\]"
    ):
        WoEEncoder(n_rounds=5).fit(X, labels)


@pytest.mark.parametrize("given_binner", [False, True])
def test_encoder_forwards_bad_value(data, given_binner):
    X, y = data
    labels = np.where(y == 1, "bad", "good")
    binner = StumpBinner(n_rounds=5) if given_binner else None
    ref = WoEEncoder(n_rounds=5, binner=binner).fit(X, y)
    got = WoEEncoder(n_rounds=5, binner=binner, bad_value="bad").fit(X, labels)
    assert got.binner_.bins_ == ref.binner_.bins_
    np.testing.assert_array_equal(got.transform(X), ref.transform(X))
