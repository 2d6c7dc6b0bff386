"""Counting a batch per bin: in memory, by chunks, labels."""

from __future__ import annotations

import numpy as np
import pytest

from monitoring import DriftMonitor

from ._shared import FEATURES, bincount

# ------------------------------------------------------------------ counting


def test_counts_equal_bincounts_of_bins_and_of_predicted_score(card, batch):
    monitor = DriftMonitor(card)
    table = monitor.count(batch)
    assert table.features == (*FEATURES, "score")
    assert table.classes == ("rows",)
    for i, name in enumerate(FEATURES):
        fb = card.bins_[name]
        expected = bincount(fb.assign(batch[name]), fb.n_bins)
        np.testing.assert_array_equal(table.counts[i, : fb.n_bins, 0], expected)
        assert not table.counts[i, fb.n_bins :].any()
    sb = card.score_bins_
    expected = bincount(sb.assign(card.predict_score(batch[FEATURES])), sb.n_bins)
    np.testing.assert_array_equal(table.counts[-1, : sb.n_bins, 0], expected)
    ref = monitor.reference_counts
    np.testing.assert_array_equal(
        ref.counts[0, : card.bins_["Mortgage"].n_bins], card.bins_["Mortgage"].counts()
    )


def test_counting_model_rebuilds_the_counts_of_count(card, batch):
    # The accessor of the Spark JVM path: bins, points and layout from which
    # the table of count() is rebuilt here by hand (codes, score, labels).
    monitor = DriftMonitor(card)
    model = monitor.counting_model()
    assert list(model.bins) == list(FEATURES)
    y = batch["Status"]
    table = monitor.count(batch, y)
    rebuilt = model.empty(True)
    assert rebuilt.counts.shape == table.counts.shape and not rebuilt.counts.any()
    y01 = model.labels(y, len(y))
    score = np.full(len(batch), model.base_points)
    for i, name in enumerate(FEATURES):
        codes = model.bins[name].assign(batch[name])
        score = score + model.points[name][codes]
        np.add.at(rebuilt.counts, (i, codes, y01), 1)
    np.add.at(rebuilt.counts, (len(FEATURES), model.score_bins.assign(score), y01), 1)
    np.testing.assert_array_equal(rebuilt.counts, table.counts)
    with pytest.raises(ValueError, match="missing label"):
        model.labels(y.where(y.index != y.index[0]), len(y))


def test_chunked_counts_sum_to_the_whole_and_give_the_same_report(card, batch):
    y = batch["Status"]
    whole = DriftMonitor(card).count(batch, y, bad_value=0)
    small = DriftMonitor(card, chunk_rows=777).count(batch, y, bad_value=0)
    np.testing.assert_array_equal(whole.counts, small.counts)
    parts = [batch.iloc[i : i + 1000] for i in range(0, len(batch), 1000)]
    chunked = DriftMonitor(card).count_chunks(parts, target="Status", bad_value=0)
    np.testing.assert_array_equal(whole.counts, chunked.counts)
    assert whole.classes == (0, 1)
    monitor = DriftMonitor(card)
    a = monitor.report(whole, batch_id="b", created_at="2024-01-31T00:00:00Z")
    b = monitor.check_chunks(
        iter(parts),
        batch_id="b",
        target="Status",
        bad_value=0,
        created_at="2024-01-31T00:00:00Z",
    )
    assert a.to_json() == b.to_json()


def test_labels_follow_the_model_classes(card, batch):
    monitor = DriftMonitor(card)
    bad = (batch["Status"] == 0).astype(int)
    by_class = monitor.count(batch, bad)
    by_value = monitor.count(batch, batch["Status"], bad_value=0)
    np.testing.assert_array_equal(by_class.counts, by_value.counts)
    np.testing.assert_array_equal(by_class.counts[-1, :, 1].sum(), bad.sum())
    with pytest.raises(ValueError, match=r"outside the model's classes \[0, 1\]"):
        monitor.count(batch, batch["Status"] + 5)
    with pytest.raises(ValueError, match="1 missing label"):
        monitor.count(batch, bad.astype(float).where(bad.index != 3))


def test_labels_go_through_the_one_binary_target_check(card, batch):
    monitor = DriftMonitor(card)
    text = np.where(batch["Status"] == 0, "bad", "good")
    by_text = monitor.count(batch, text, bad_value="bad")
    by_value = monitor.count(batch, batch["Status"], bad_value=0)
    np.testing.assert_array_equal(by_text.counts, by_value.counts)
    goods_only = monitor.count(batch[:50], ["good"] * 50, bad_value="bad")
    assert goods_only.counts[:, :, 1].sum() == 0
    three = np.where(batch["Status"] == 0, "bad", np.where(batch.index % 2, "a", "b"))
    with pytest.raises(ValueError, match="Only binary classification is supported"):
        monitor.count(batch, three, bad_value="bad")
    with pytest.raises(ValueError, match="bad_value 'BAD' does not occur in y"):
        monitor.count(batch, text, bad_value="BAD")
