"""Reason codes: the reference points, eligible features, reason maps, ties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard import StumpBinner
from scorecard._models._scorecard import Scorecard
from tests.scorecard.models.test_signs import suppressor_data


@pytest.fixture(scope="module")
def card_off():
    """Unconstrained card: x2 has the wrong sign; 'flat' is constant (excluded)."""
    X, y = suppressor_data(6000, 3)
    X = X.assign(flat=1.0)
    binner = StumpBinner(n_rounds=20, n_permutations=0)
    with pytest.warns(Warning, match="constant|left out"):
        card = Scorecard(binner=binner, sign_check="off").fit(X, y)
    return card, X


def _expected_loss(card, row_codes, method):
    out = {}
    for name in card.model_features_:
        if not card.points_fall_with_risk(name):
            continue
        fb = card.bins_[name]
        counts = np.asarray(fb.goods) + np.asarray(fb.bads)
        pts = card.bin_points(name)
        seen = counts > 0
        ref = (
            pts[seen].max()
            if method == "best"
            else (counts[seen] * pts[seen]).sum() / counts[seen].sum()
        )
        code = row_codes[name]
        loss = ref - pts[code] if seen[code] else 0.0
        if loss > 1e-9:
            out[name] = loss
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(
        st.tuples(*[st.floats(-4, 4, allow_nan=False)] * 3), min_size=1, max_size=8
    ),
    method=st.sampled_from(["best", "average"]),
)
def test_reasons_never_cite_wrong_sign_or_excluded_features(card_off, values, method):
    card, _ = card_off
    X = pd.DataFrame(values, columns=["x1", "x2", "x3"]).assign(flat=1.0)
    reasons = card.reason_codes(X, n=4, method=method)
    codes = card.transform_bins(X)
    for i in range(len(X)):
        cited = [r for r in reasons.iloc[i][[f"reason_{k}" for k in range(1, 5)]] if r]
        assert "x2" not in cited and "flat" not in cited
        expected = _expected_loss(card, codes.iloc[i], method)
        ranked = sorted(
            expected, key=lambda f: (-expected[f], list(card.bins_).index(f))
        )
        assert cited == ranked[:4]
        lost = reasons.iloc[i][[f"points_lost_{k}" for k in range(1, 5)]].to_numpy(
            float
        )
        np.testing.assert_allclose(lost[: len(cited)], [expected[f] for f in cited])
        assert np.all(lost[len(cited) :] == 0)


def test_wrong_sign_feature_is_flagged(card_off):
    card, _ = card_off
    assert not card.points_fall_with_risk("x2")
    assert card.points_fall_with_risk("x1") and card.points_fall_with_risk("x3")
    assert "flat" not in card.model_features_


def test_reason_map_by_bin_code_label_and_feature(card_off):
    card, X = card_off
    labels = card.bins_["x1"].labels()
    mapping = {("x1", 0): "R01", ("x1", labels[1]): "R02", "x3": "R30"}
    with pytest.warns(Warning, match="no entry for"):
        out = card.reason_codes(X.head(300), n=2, reason_map=mapping)
    codes = card.transform_bins(X.head(300))
    for i in range(300):
        for k in (1, 2):
            f = out.iloc[i][f"reason_{k}"]
            got = out.iloc[i][f"reason_code_{k}"]
            if f == "x3":
                assert got == "R30"
            elif f == "x1" and codes["x1"].iloc[i] in (0, 1):
                assert got == ("R01" if codes["x1"].iloc[i] == 0 else "R02")
            elif f is None:
                assert got is None


@pytest.mark.parametrize(
    ("mapping", "match"),
    [
        ({"income": "R1"}, "names an unknown feature"),
        ({("x1", 99): "R1"}, "bin code 99 out of range"),
        ({("x1", "[0, 1)"): "R1"}, "names an unknown bin of feature 'x1'"),
        ({("x1", 0, 1): "R1"}, r"must be \(feature, bin\)"),
    ],
)
def test_bad_reason_map_names_the_key(card_off, mapping, match):
    card, X = card_off
    with pytest.raises(ValueError, match=match):
        card.reason_codes(X.head(3), reason_map=mapping)


def test_bad_method_is_an_error(card_off):
    card, X = card_off
    with pytest.raises(ValueError, match="method must be 'best' or 'average'"):
        card.reason_codes(X.head(3), method="worst")
