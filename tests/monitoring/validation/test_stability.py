"""Migration matrix, matrix-weighted bandwidths and the Herfindahl index."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from monitoring import (
    concentration,
    concentration_from_counts,
    migration_from_counts,
    migration_matrix,
)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 7).flatmap(
        lambda k: st.lists(
            st.lists(st.integers(0, 50), min_size=k, max_size=k), min_size=k, max_size=k
        )
    )
)
def test_migration_rows_sum_to_one_and_rates_add_up(table):
    counts = np.array(table, dtype=float)
    if counts.sum() == 0:
        return
    m = migration_from_counts(counts)
    filled = counts.sum(axis=1) > 0
    np.testing.assert_allclose(m.matrix[filled].sum(axis=1), 1.0, rtol=1e-12)
    assert np.isnan(m.matrix[~filled]).all()
    assert m.upgrade_rate + m.downgrade_rate + m.stable_rate == pytest.approx(1.0)
    for mwb in (m.mwb_upper, m.mwb_lower):
        assert math.isnan(mwb) or 0 <= mwb <= 1


def test_bandwidths_by_hand():
    # K = 3; N_1 = 10 (2 move one grade down), N_2 = 10 (1 up, 1 down),
    # N_3 = 10 (stay). Upper: sum |i-j| N_i p_ij = 2*1 + 1*1 = 3; the
    # normaliser sum max(|i-K|, |i-1|) N_i sum_{j>i} p_ij = 2*2 + 1*1 = 5.
    m = migration_from_counts([[8, 2, 0], [1, 8, 1], [0, 0, 10]])
    assert m.mwb_upper == pytest.approx(3 / 5)
    # Lower: only grade 2 -> 1: |2-1| * 1 / (max(1, 1) * 1) = 1
    assert m.mwb_lower == pytest.approx(1.0)
    assert m.downgrade_rate == pytest.approx(3 / 30)
    assert m.upgrade_rate == pytest.approx(1 / 30)
    # the extreme move from grade 1 to grade K has bandwidth 1
    assert migration_from_counts([[0, 0, 5], [0, 5, 0], [0, 0, 5]]).mwb_upper == 1.0


def test_migration_from_grades_and_errors():
    m = migration_matrix(["1", "1", "2", "3"], ["1", "2", "2", "3"], grades="123")
    assert m.counts.tolist() == [[1, 1, 0], [0, 1, 0], [0, 0, 1]]
    with pytest.raises(ValueError, match="same obligors"):
        migration_matrix(["1", "2"], ["1"], grades="12")
    with pytest.raises(ValueError, match=r"grade_to holds grade\(s\) \['9'\]"):
        migration_matrix(["1", "2"], ["1", "9"], grades="12")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 1000), min_size=2, max_size=12))
def test_herfindahl_equals_its_definition(counts):
    c = np.array(counts, dtype=float)
    if c.sum() == 0:
        return
    res = concentration_from_counts(c)
    shares = c / c.sum()
    k = c.size
    assert res.herfindahl == pytest.approx(np.sum(shares**2), rel=1e-12)
    cv = math.sqrt(k * np.sum((shares - 1 / k) ** 2))
    assert res.cv == pytest.approx(cv, rel=1e-12, abs=1e-15)
    assert res.estimate == pytest.approx(
        1 + math.log((cv**2 + 1) / k) / math.log(k), rel=1e-12, abs=1e-12
    )
    # the normalised index equals 1 + ln(sum of squared shares) / ln K
    assert res.estimate == pytest.approx(
        1 + math.log(np.sum(shares**2)) / math.log(k), rel=1e-9, abs=1e-12
    )


def test_concentration_test_against_initial():
    res = concentration_from_counts([70, 20, 10], initial_counts=[40, 35, 25])
    cv, cv0 = res.cv, res.initial_cv
    stat = math.sqrt(2) * (cv - cv0) / math.sqrt(cv**2 * (0.5 + cv**2))
    assert res.statistic == pytest.approx(stat, rel=1e-12)
    assert res.pvalue == pytest.approx(stats.norm.sf(stat), rel=1e-12)
    assert concentration(["a", "a", "b"], grades="ab").counts.tolist() == [2, 1]
    with pytest.raises(ValueError, match="initial_counts must be 3 counts"):
        concentration_from_counts([1, 2, 3], initial_counts=[1, 2])
