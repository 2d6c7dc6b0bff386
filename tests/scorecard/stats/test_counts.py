"""Tests of the mergeable count kernel."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard import CountTable, count_codes, information_value


def test_count_codes_hand_computed_with_float_weights():
    counts = count_codes(
        [[0, 1], [1, 1], [1, 0]],
        [0, 1, 1],
        n_bins=2,
        n_classes=2,
        sample_weight=[0.5, 1.25, 2.0],
    )
    np.testing.assert_array_equal(counts[0], [[0.5, 0.0], [0.0, 3.25]])
    np.testing.assert_array_equal(counts[1], [[0.0, 2.0], [0.5, 1.25]])


@given(
    st.integers(1, 5),
    st.lists(st.tuples(st.integers(0, 4), st.integers(0, 1)), min_size=2, max_size=80),
    st.integers(1, 79),
)
@settings(max_examples=100, deadline=None)
def test_merge_of_chunks_equals_table_of_all_rows(n_features, rows, cut):
    cut = min(cut, len(rows) - 1)
    codes = np.array([[r[0]] * n_features for r in rows])
    y = np.array([r[1] for r in rows])
    whole = CountTable.from_codes(codes, y, n_bins=5)
    parts = [
        CountTable.from_codes(codes[:cut], y[:cut], n_bins=5),
        CountTable.from_codes(codes[cut:], y[cut:], n_bins=5),
    ]
    merged = sum(parts)
    np.testing.assert_array_equal(merged.counts, whole.counts)
    assert merged.counts.sum() == len(rows) * n_features


def test_table_feeds_statistics_and_frames():
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 4, size=(1000, 2))
    y = (rng.random(1000) < 0.2 + 0.1 * codes[:, 0]).astype(int)
    table = CountTable.from_codes(codes, y, n_bins=4, features=["a", "b"])
    iv = information_value(table.column(0), table.column(1), features=table.features)
    assert iv.estimate[0] > iv.estimate[1]
    frame = table.to_frame()
    assert frame.shape == (8, 2)
    assert frame.loc[("a", 0)].sum() == (codes[:, 0] == 0).sum()
    assert "n_features=2" in repr(table)


def test_group_labels_and_classes():
    table = CountTable.from_codes(
        [0, 1, 1], ["f", "m", "f"], n_bins=2, classes=["f", "m"]
    )
    np.testing.assert_array_equal(table.column("f"), [[1.0, 1.0]])
    with pytest.raises(ValueError, match="label 'x' is not one of classes"):
        table.column("x")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: CountTable.from_codes([0, 1], [0, 2], n_bins=2), r"outside classes"),
        (lambda: CountTable.from_codes([0, 2], [0, 1], n_bins=2), r"codes must lie in"),
        (
            lambda: CountTable.from_codes([0, 1], [0], n_bins=2),
            r"labels must have shape",
        ),
        (
            lambda: CountTable.from_codes(
                [0, 1], [0, 1], n_bins=2, sample_weight=[1, -1]
            ),
            "sample_weight must be finite and non-negative",
        ),
        (lambda: CountTable(np.ones((1, 2, 2)) * -1), "must be non-negative"),
        (lambda: CountTable(np.ones((2, 2))), r"must have shape \(n_features"),
        (lambda: CountTable(np.ones((1, 2, 3))), "classes has 2 labels for 3"),
        (lambda: CountTable(np.ones((2, 2, 2))), "features has 1 names for 2"),
    ],
)
def test_bad_input_raises(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_only_matching_tables_merge():
    a = CountTable.from_codes([0, 1], [0, 1], n_bins=2)
    b = CountTable.from_codes([0, 1], [0, 1], n_bins=3)
    with pytest.raises(ValueError, match="Only tables with the same features"):
        a + b
    assert a.__add__(1) is NotImplemented
    assert a.counts.flags.writeable is False
