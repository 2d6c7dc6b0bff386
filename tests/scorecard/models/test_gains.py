"""The gains (score-band) table: hand-computed, against the spine and peers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from scorecard import BoostedScorecard, Scorecard, gains_table, ks_statistic
from scorecard._models._gains import gains_edges, jeffreys_interval

# ten applicants, scores 1..10 (higher = safer); bads at 1, 2, 3, 5, 8
Y = np.array([1, 1, 1, 0, 1, 0, 0, 1, 0, 0])
S = np.arange(1.0, 11.0)


def test_hand_computed_table_on_explicit_edges():
    table = gains_table(Y, S, bands=[4, 8])
    # bands: < 4 -> {1,2,3}: 3 bads; [4, 8) -> {4..7}: 1 bad; >= 8 -> {8,9,10}: 1 bad
    assert table["band"].tolist() == ["< 4", "[4, 8)", ">= 8"]
    assert table["count"].tolist() == [3, 4, 3]
    assert table["bads"].tolist() == [3, 1, 1]
    assert table["goods"].tolist() == [0, 3, 2]
    np.testing.assert_allclose(table["bad_rate"], [1.0, 0.25, 1 / 3])
    np.testing.assert_allclose(table["cum_share"], [0.3, 0.7, 1.0])
    np.testing.assert_allclose(table["cum_bads_share"], [0.6, 0.8, 1.0])
    np.testing.assert_allclose(table["cum_goods_share"], [0.0, 0.6, 1.0])
    np.testing.assert_allclose(table["ks"], [0.6, 0.2, 0.0])
    np.testing.assert_allclose(table["lift"], [2.0, 0.5, 2 / 3])  # overall 0.5
    np.testing.assert_allclose(table["cum_bad_rate"], [1.0, 4 / 7, 0.5])
    np.testing.assert_allclose(table["cum_lift"], [2.0, 8 / 7, 1.0])
    assert table["score_low"].tolist() == [-np.inf, 4, 8]
    assert table["score_high"].tolist() == [4, 8, np.inf]
    assert table.attrs["ks"] == pytest.approx(0.6)
    assert table.attrs["interval"] == "Jeffreys"


def test_bad_rate_interval_is_statsmodels_jeffreys():
    table = gains_table(Y, S, bands=[4, 8], alpha=0.1)
    low, high = proportion_confint(
        table["bads"], table["count"], alpha=0.1, method="jeffreys"
    )
    np.testing.assert_allclose(table["bad_rate_ci_low"], low, rtol=1e-10)
    np.testing.assert_allclose(table["bad_rate_ci_high"][1:], high[1:], rtol=1e-10)
    # Known disagreement: in a band where every row is bad the upper end is 1
    # (Brown, Cai and DasGupta's boundary rule); statsmodels keeps the raw
    # Beta quantile there.
    assert table["bad_rate_ci_high"].iloc[0] == 1.0 and high[0] < 1.0


def test_jeffreys_interval_known_values_and_empty_band():
    ci = jeffreys_interval([0, 10, 0], [10, 10, 0])
    assert ci[0, 0] == 0.0 and ci[1, 1] == 1.0
    # d = 0 of n: the upper end is the Beta(1/2, n + 1/2) quantile
    from scipy import stats

    assert ci[0, 1] == pytest.approx(stats.beta.ppf(0.975, 0.5, 10.5))
    assert np.isnan(ci[2]).all()


def test_orientation_higher_bad_puts_the_highest_scores_first():
    good = gains_table(Y, S, bands=[3.5, 7.5])
    bad = gains_table(Y, -S, bands=[-7.5, -3.5], higher="bad")
    # the risky end of -S is its highest values: the same bands in the same order
    for column in ("count", "bads", "ks", "lift", "cum_bads_share"):
        np.testing.assert_allclose(bad[column], good[column])
    assert bad["band"].tolist() == [">= -3.5", "[-7.5, -3.5)", "< -7.5"]


def test_banded_ks_equals_the_spine_ks_when_every_score_is_a_band():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    s = np.round(rng.normal(size=400) - 0.8 * y, 1)
    values = np.unique(s)
    table = gains_table(y, s, bands=(values[:-1] + values[1:]) / 2)
    assert table.attrs["ks"] == pytest.approx(ks_statistic(y, s), rel=1e-12)
    assert table["count"].sum() == 400


def test_quantile_bands_are_balanced_and_edges_round():
    rng = np.random.default_rng(1)
    s = rng.normal(600, 40, size=5000)
    y = (rng.random(5000) < 1 / (1 + np.exp((s - 560) / 20))).astype(int)
    table = gains_table(y, s, bands=5)
    assert len(table) == 5
    np.testing.assert_allclose(table["count"], 1000, atol=2)
    edges = np.asarray(table.attrs["edges"])
    assert all(round(e, 3) == e for e in edges)  # short numbers between scores
    assert not np.isin(edges, s).any()
    # the risk falls band by band for a score that ranks well
    assert np.all(np.diff(table["bad_rate"]) < 0)


def test_tied_scores_give_fewer_bands_and_never_split_a_value():
    y = np.array([0, 1] * 50)
    s = np.repeat([500.0, 600.0], 50)
    edges = gains_edges(s, 10)
    assert edges.tolist() == [600.0]
    table = gains_table(y, s, bands=10)
    assert table["count"].tolist() == [50, 50]


def test_weights_frequency_equal_replicated_rows():
    w = np.array([2, 1, 1, 1, 3, 1, 1, 1, 2, 1], dtype=float)
    weighted = gains_table(Y, S, bands=[4, 8], sample_weight=w, weight_kind="frequency")
    rows = gains_table(
        np.repeat(Y, w.astype(int)), np.repeat(S, w.astype(int)), bands=[4, 8]
    )
    pd.testing.assert_frame_equal(weighted, rows)


def test_sampling_weights_use_the_effective_size():
    w = np.array([4.0, 1, 1, 1, 1, 1, 1, 1, 1, 1])
    table = gains_table(Y, S, bands=[4, 8], sample_weight=w, weight_kind="sampling")
    # band 2 (rows 4..7): weights 1 -> n_eff 4, bad rate 1/4
    low, high = proportion_confint(1, 4, method="jeffreys")
    assert table["bad_rate_ci_low"].iloc[1] == pytest.approx(low)
    # band 1: weights 4, 1, 1 -> n_eff 36 / 18 = 2, all bad -> upper end 1
    assert table["count"].iloc[0] == 6.0 and table["bad_rate_ci_high"].iloc[0] == 1.0


def test_scorecard_methods_use_the_points(german):
    X, y = german
    X = X.iloc[:, :6]
    for card in (Scorecard().fit(X, y), BoostedScorecard(n_rounds=10).fit(X, y)):
        table = card.gains_table(X, y, bands=4)
        expected = gains_table(y, card.predict_score(X), bands=4)
        pd.testing.assert_frame_equal(table, expected)
        assert table["cum_bads_share"].iloc[0] > table["cum_share"].iloc[0]


def test_string_labels_follow_the_training_labels(german):
    X, y = german
    X = X.iloc[:, :4]
    labels = np.where(y == 1, "bad", "good")
    card = Scorecard(bad_value="bad").fit(X, labels)
    expected = gains_table(y, card.predict_score(X))
    np.testing.assert_array_equal(card.gains_table(X, labels)["bads"], expected["bads"])
    with pytest.raises(ValueError, match="bad_value 'bad' does not occur in y"):
        card.gains_table(X, y)  # 0/1 labels are not the training labels


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"bands": 0}, "bands must be"),
        ({"bands": [3, 2]}, "strictly increasing; got \\[3.0, 2.0\\]"),
        ({"bands": [1, np.nan]}, "finite band edges"),
        ({"higher": "up"}, "higher must be"),
        ({"alpha": 2}, "alpha \\(one minus the coverage\\)"),
    ],
)
def test_bad_arguments_name_the_parameter(kwargs, message):
    with pytest.raises(ValueError, match=message):
        gains_table(Y, S, **kwargs)


def test_bad_data():
    with pytest.raises(ValueError, match="same length; got 10 and 3"):
        gains_table(Y, S[:3])
    with pytest.raises(ValueError, match="y_score must be finite"):
        gains_table(Y, np.where(S > 5, np.nan, S))
    with pytest.raises(ValueError, match="both classes"):
        gains_table(np.zeros(10), S)
