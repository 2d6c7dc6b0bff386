import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard import woe
from scorecard._binning._bins import FeatureBins


def numeric_bins(**kw):
    base = dict(
        name="age",
        kind="numeric",
        thresholds=(25.0, 40.0),
        special_values=(-999.0,),
        goods=(50.0, 120.0, 200.0, 5.0, 10.0),
        bads=(20.0, 15.0, 10.0, 5.0, 2.0),
    )
    base.update(kw)
    return FeatureBins(**base)


def categorical_bins(**kw):
    base = dict(
        name="housing",
        kind="categorical",
        groups=(("rent",), ("own", "free", "other1")),
        other=("other1",),
        special_values=("N/A",),
        goods=(30.0, 70.0, 4.0, 6.0, 0.0),
        bads=(20.0, 10.0, 1.0, 3.0, 0.0),
    )
    base.update(kw)
    return FeatureBins(**base)


def test_layout_codes():
    fb = numeric_bins()
    assert (fb.n_regular, fb.missing_code, fb.unseen_code, fb.n_bins) == (3, 4, None, 5)
    cb = categorical_bins()
    assert (cb.n_regular, cb.missing_code, cb.unseen_code, cb.n_bins) == (2, 3, 4, 5)


def test_numeric_assign_is_left_closed_like_xgboost():
    fb = numeric_bins()
    values = np.array([-1e300, 24.999, 25.0, 39.9, 40.0, 1e300, -999.0, np.nan])
    np.testing.assert_array_equal(fb.assign(values), [0, 0, 1, 1, 2, 2, 3, 4])
    # pandas input with pd.NA and integer dtype
    s = pd.Series([25, None, 41], dtype="Int64")
    np.testing.assert_array_equal(fb.assign(s), [1, 4, 2])


def test_numeric_assign_rejects_text():
    with pytest.raises(TypeError, match="'age' is numeric"):
        numeric_bins().assign(pd.Series(["a", "b"]))


@pytest.mark.parametrize(
    "values",
    [
        pd.Series(["rent", "own", None, "N/A", "boat", "other1"], dtype="str"),
        pd.Series(["rent", "own", None, "N/A", "boat", "other1"], dtype=object),
        pd.Series(["rent", "own", None, "N/A", "boat", "other1"], dtype="category"),
        np.array(["rent", "own", None, "N/A", "boat", "other1"], dtype=object),
    ],
)
def test_categorical_assign(values):
    cb = categorical_bins()
    np.testing.assert_array_equal(cb.assign(values), [0, 1, 3, 2, 4, 1])


def test_labels():
    assert numeric_bins().labels() == [
        "[-inf, 25)",
        "[25, 40)",
        "[40, inf)",
        "special -999",
        "missing",
    ]
    assert categorical_bins().labels() == [
        "{rent}",
        "{own, free, Other{other1}}",
        "special N/A",
        "missing",
        "unseen",
    ]


def test_woe_matches_information_module_and_neutral_empty_bins():
    fb = numeric_bins(
        goods=(50.0, 120.0, 0.0, 5.0, 0.0), bads=(20.0, 15.0, 10.0, 5.0, 0.0)
    )
    w = fb.woe(smoothing=0.5)
    # Bins 0-3 are present; bin 2 has a zero cell (smoothed); bin 4 is empty.
    g, b = np.array(fb.goods), np.array(fb.bads)
    with pytest.warns(UserWarning, match="Zero cell"):
        ref = woe(g[:4], b[:4], smoothing=0.5).estimate
    np.testing.assert_allclose(w[:4], ref, rtol=1e-12)
    assert w[4] == 0.0
    # hand-computed bin 0: ln((50/175.5) / (20/50.5))
    assert w[0] == pytest.approx(math.log((50 / 175.5) / (20 / 50.5)), rel=1e-12)


def test_woe_zero_cell_without_smoothing_raises():
    fb = numeric_bins(
        goods=(50.0, 120.0, 0.0, 5.0, 0.0), bads=(20.0, 15.0, 10.0, 5.0, 0.0)
    )
    with pytest.raises(ValueError, match="set smoothing > 0"):
        fb.woe(smoothing=0)
    with pytest.raises(ValueError, match="smoothing must be"):
        fb.woe(smoothing=-1)


def test_json_round_trip_exact():
    for fb in (numeric_bins(), categorical_bins()):
        back = FeatureBins.from_dict(json.loads(json.dumps(fb.to_dict())))
        assert back == fb
        assert hash(back) == hash(fb)
        assert back.labels() == fb.labels()


finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(finite, min_size=0, max_size=6, unique=True),
    st.lists(st.floats(0, 1e12, allow_nan=False), min_size=8, max_size=8),
)
def test_json_round_trip_is_bit_exact(thresholds, counts):
    thresholds = sorted(set(thresholds))
    n_bins = len(thresholds) + 2
    fb = FeatureBins(
        name="x",
        kind="numeric",
        thresholds=tuple(thresholds),
        goods=tuple(counts[:n_bins]),
        bads=tuple(counts[::-1][:n_bins]),
    )
    back = FeatureBins.from_dict(json.loads(json.dumps(fb.to_dict())))
    assert [t.hex() for t in back.thresholds] == [float(t).hex() for t in thresholds]
    assert [v.hex() for v in back.goods] == [float(v).hex() for v in fb.goods]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=5, unique=True),
    st.lists(st.floats(-2e6, 2e6) | st.just(float("nan")), min_size=1, max_size=40),
)
def test_assign_counts_thresholds_at_or_below(thresholds, values):
    thresholds = sorted(thresholds)
    fb = FeatureBins(
        name="x",
        kind="numeric",
        thresholds=tuple(thresholds),
        goods=(1.0,) * (len(thresholds) + 2),
        bads=(1.0,) * (len(thresholds) + 2),
    )
    codes = fb.assign(np.array(values))
    for v, c in zip(values, codes, strict=True):
        expected = fb.missing_code if math.isnan(v) else sum(t <= v for t in thresholds)
        assert c == expected


def test_with_counts_and_repr():
    fb = numeric_bins()
    other = fb.with_counts([1.0] * 5, [2.0] * 5)
    assert other.thresholds == fb.thresholds and other.goods == (1.0,) * 5
    assert other != fb
    assert "n_bins=5" in repr(fb) and "'age'" in repr(fb)


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"kind": "ordinal"}, "kind must be"),
        ({"thresholds": (40.0, 25.0)}, "strictly increasing"),
        ({"thresholds": (1.0, math.inf)}, "finite and strictly"),
        ({"goods": (1.0,) * 4}, "must have 5 entries"),
        ({"bads": (1.0, -1.0, 1.0, 1.0, 1.0)}, "finite and >= 0"),
        ({"groups": (("a",),)}, "numeric feature 'age' cannot have groups"),
    ],
)
def test_numeric_validation(kw, match):
    with pytest.raises(ValueError, match=match):
        numeric_bins(**kw)


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"groups": (("a", "b"), ("b",))}, "more than one group"),
        ({"groups": ()}, "needs non-empty groups"),
        ({"other": ("zzz",)}, "must belong to a group"),
        ({"thresholds": (1.0,)}, "cannot have thresholds"),
    ],
)
def test_categorical_validation(kw, match):
    with pytest.raises(ValueError, match=match):
        categorical_bins(**kw)


def test_non_scalar_category_is_rejected():
    with pytest.raises(TypeError, match="must be str, int, float or bool"):
        categorical_bins(groups=((("a", 1),), ("own", "free", "other1")))


def test_from_dict_validation():
    d = numeric_bins().to_dict()
    with pytest.raises(ValueError, match="schema_version must be 1"):
        FeatureBins.from_dict({**d, "schema_version": 99})
    del d["goods"]
    with pytest.raises(ValueError, match=r"lacks fields \['goods'\]"):
        FeatureBins.from_dict(d)
