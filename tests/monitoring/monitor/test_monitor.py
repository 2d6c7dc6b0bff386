"""DriftMonitor reports: statistics, validation, statistical behaviour."""

from __future__ import annotations

import copy
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from monitoring import DriftMonitor, DriftReport
from scorecard import BoostedScorecard, CountTable, DataConditionWarning, Scorecard

from ._shared import FEATURES, bincount

# ---------------------------------------------------------------- statistics


def _psi(e, a):
    keep = (e + a) > 0
    e, a = e[keep] / e.sum(), a[keep] / a.sum()
    return float(np.sum((a - e) * np.log(a / e)))


def test_report_matches_independent_psi_iv_auc_points_and_bad_rates(card, batch, data):
    monitor = DriftMonitor(card)
    bad = (batch["Status"] == 0).to_numpy().astype(int)
    rep = monitor.check(batch, batch_id="2024-01", y=bad)
    assert isinstance(rep, DriftReport)
    assert rep.model_id == monitor.model_id and rep.n_rows == len(batch)
    score = card.predict_score(batch[FEATURES])
    sb = card.score_bins_
    # PSI per feature and for the score, from the textbook formula.
    for name in FEATURES:
        fb = card.bins_[name]
        cur = bincount(fb.assign(batch[name]), fb.n_bins)
        ref = np.asarray(fb.goods) + np.asarray(fb.bads)
        if ((ref > 0) & (cur > 0)).sum() >= 2 and not np.any((ref > 0) != (cur > 0)):
            assert rep[name].estimate == pytest.approx(_psi(ref, cur), rel=1e-10)
    cur_score = bincount(sb.assign(score), sb.n_bins)
    ref_score = np.asarray(sb.goods) + np.asarray(sb.bads)
    assert rep["score"].kind == "score"
    assert rep["score"].estimate == pytest.approx(_psi(ref_score, cur_score), rel=1e-10)
    # AUC on the same score deciles: sklearn on decile codes (ties count half).
    codes = sb.assign(score)
    assert rep.auc.current.estimate == pytest.approx(roc_auc_score(bad, -codes))
    train = data.iloc[:10000]
    train_bad = (train["Status"] == 0).to_numpy().astype(int)
    train_codes = sb.assign(card.predict_score(train[FEATURES]))
    assert rep.auc.reference.estimate == pytest.approx(
        roc_auc_score(train_bad, -train_codes)
    )
    # the binned AUC is below the raw-score AUC, but close
    raw = roc_auc_score(bad, -score)
    assert raw - 0.02 < rep.auc.current.estimate <= raw
    # IV of the batch from the textbook formula (no zero cells here)
    iv = rep.iv.to_frame()
    for name in rep.iv.features:
        fb = card.bins_[name]
        c = fb.assign(batch[name])
        g = bincount(c[bad == 0], fb.n_bins)
        b = bincount(c[bad == 1], fb.n_bins)
        keep = (g + b) > 0
        p, q = g[keep] / g.sum(), b[keep] / b.sum()
        assert iv.loc[name, "iv_current"] == pytest.approx(
            np.sum((p - q) * np.log(p / q)), rel=1e-10
        )
    # points shift = mean points now - mean points in training
    chars = rep.characteristics.summary()
    for name in FEATURES:
        pts = card.bin_points(name)
        fb = card.bins_[name]
        now = pts[fb.assign(batch[name])].mean()
        then = np.average(pts, weights=np.asarray(fb.goods) + np.asarray(fb.bads))
        assert chars.loc[name, "shift"] == pytest.approx(now - then, abs=1e-9)
    # bad rate per training score decile
    br = rep.bad_rate.to_frame()
    expected = pd.Series(bad).groupby(codes).mean()
    got = br["bad_rate_current"].to_numpy()
    np.testing.assert_allclose(got[expected.index], expected.to_numpy())
    assert list(br.index) == sb.labels()[: sb.n_regular]


def test_fixed_reference_narrows_intervals(card, batch):
    sample = DriftMonitor(card).check(batch, batch_id="b")
    # the batch is a large share of the reference: "fixed" is then an
    # assumption the monitor warns about (docs/methodology.md section 14)
    with pytest.warns(DataConditionWarning, match="reference='fixed' but"):
        fixed = DriftMonitor(card, reference="fixed").check(batch, batch_id="b")
    assert fixed.reference == "fixed"
    assert all(
        f.se <= s.se + 1e-15
        for f, s in zip(fixed.features, sample.features, strict=True)
    )
    assert (fixed.characteristics.se <= sample.characteristics.se + 1e-15).all()


def test_report_round_trips_through_json_and_renders(card, batch):
    rep = DriftMonitor(card).check(batch, batch_id="b", y=batch["Status"], bad_value=0)
    back = DriftReport.from_json(rep.to_json())
    pd.testing.assert_frame_equal(back.to_frame(), rep.to_frame())
    html = rep.to_html()
    assert "Population stability" in html and "Performance" in html


def test_monitor_from_artifact_equals_monitor_from_model(boosted, batch, tmp_path):
    path = tmp_path / "card.json"
    boosted.to_json(path)
    from_path = DriftMonitor(path)
    from_model = DriftMonitor(boosted)
    assert from_path.model_id == from_model.model_id
    assert from_path.model_id.startswith("BoostedScorecard-")
    a = from_path.check(batch, batch_id="b", created_at="2024-01-01T00:00:00Z")
    b = from_model.check(batch, batch_id="b", created_at="2024-01-01T00:00:00Z")
    assert a.to_json() == b.to_json()
    assert DriftMonitor(boosted, model_id="v1").model_id == "v1"
    other = batch.head(2000)  # any other fit: its size does not matter
    refit = BoostedScorecard(n_rounds=31, random_state=0).fit(
        other[FEATURES], other["Status"]
    )
    assert DriftMonitor(refit).model_id != from_model.model_id


# -------------------------------------------------------- validation, safety


def test_corrupted_artifact_and_non_models_are_rejected(boosted, tmp_path):
    path = tmp_path / "card.json"
    boosted.to_json(path)
    text = path.read_text()
    path.write_text(text.replace('"pdo": 20', '"pdo": 21'))
    with pytest.raises(ValueError, match="(?i)checksum"):
        DriftMonitor(path)
    path.write_text(text[: len(text) // 2])
    with pytest.raises(ValueError, match="(?i)json|artifact"):
        DriftMonitor(path)
    with pytest.raises(TypeError, match="model must be a fitted Scorecard"):
        DriftMonitor(object())
    with pytest.raises(TypeError, match="not fitted"):
        DriftMonitor(Scorecard())


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"psi_bands": (0.3, 0.1)}, "psi_bands"),
        ({"alpha": 1.5}, r"alpha \(one minus the coverage\) must be"),
        ({"reference": "both"}, "reference must be 'sample' or 'fixed'"),
        ({"smoothing": -1}, "smoothing must be"),
        ({"chunk_rows": 0}, "chunk_rows must be a positive integer"),
        ({"model_id": " "}, "model_id must be a non-empty string"),
    ],
)
def test_parameters_are_validated(card, kwargs, match):
    with pytest.raises(ValueError, match=match):
        DriftMonitor(card, **kwargs)


def test_bad_batches_raise_clear_errors(card, batch):
    monitor = DriftMonitor(card)
    with pytest.raises(
        ValueError, match=r"missing model column\(s\) \['Utilization'\]"
    ):
        monitor.check(batch.drop(columns=["Utilization"]), batch_id="b")
    wrong = batch.astype({"Balance": object})
    wrong.loc[5, "Balance"] = "n/a"
    with pytest.raises(
        TypeError,
        match="Feature 'Balance' is numeric; got the non-numeric value 'n/a' \\(row 5;",
    ):
        monitor.check(wrong, batch_id="b")
    with pytest.raises(ValueError, match=r"The batch is empty \(0 rows\)"):
        monitor.check(batch.iloc[:0], batch_id="b")
    with pytest.raises(ValueError, match="Feature 'Inquiry' is missing .* in all 6000"):
        monitor.check(batch.assign(Inquiry=np.nan), batch_id="b")
    with pytest.raises(ValueError, match="batch_id must be a non-empty string"):
        monitor.check(batch, batch_id="")
    with pytest.raises(ValueError, match="2-D array with 7 columns"):
        monitor.check(np.zeros((3, 2)), batch_id="b")
    with pytest.raises(TypeError, match="chunks must yield pandas DataFrames"):
        monitor.count_chunks([batch.to_numpy()])
    with pytest.raises(ValueError, match="target column 'Target' is not in the batch"):
        monitor.count_chunks([batch], target="Target")
    other = DriftMonitor(card).count(batch)
    with pytest.raises(TypeError, match="counts must be a CountTable"):
        monitor.report(other.counts, batch_id="b")
    bad_table = CountTable(other.counts[:, :3], classes=other.classes,
                           features=other.features)  # fmt: skip
    with pytest.raises(ValueError, match="counts do not match this model's bins"):
        monitor.report(bad_table, batch_id="b")


def test_all_missing_in_one_chunk_is_fine_but_not_in_the_whole_batch(card, batch):
    monitor = DriftMonitor(card)
    first = batch.iloc[:3000].assign(Inquiry=np.nan)
    table = monitor.count_chunks([first, batch.iloc[3000:]])
    assert table.counts[:, :, 0].sum(axis=1)[0] == len(batch)


def test_new_categories_are_drift_with_a_warning_not_bad_input(categorical_card):
    model, X = categorical_card
    monitor = DriftMonitor(model)
    fb = model.bins_["region"]
    shifted = X.copy()
    shifted.loc[:299, "region"] = "Z"
    with pytest.warns(DataConditionWarning) as record:
        rep = monitor.check(shifted, batch_id="b")
    messages = [str(w.message) for w in record]
    assert any("300 row(s) with categories unseen" in m for m in messages)
    assert any("Zero cell in 'region'" in m for m in messages)
    assert any("300 row(s)" in n for n in rep.notes)
    row = rep["region"]
    assert row.current_counts[fb.unseen_code] == 300
    assert row.reference_counts[fb.unseen_code] == 0
    assert row.status == "drift" and row.contributions[fb.unseen_code] > 0.1


def test_one_class_batch_omits_iv_and_auc_with_a_warning(card, batch):
    monitor = DriftMonitor(card)
    with pytest.warns(DataConditionWarning, match="IV and AUC need both classes"):
        rep = monitor.check(batch, batch_id="b", y=np.zeros(len(batch), dtype=int))
    assert rep.iv is None and rep.auc is None and rep.bad_rate is not None


# ------------------------------------------------------ statistical behaviour


def _with_reference(model, frame, y):
    """A copy of ``model`` whose reference counts come from ``frame`` (fixed bins)."""
    out = copy.copy(model)
    bins = {}
    for name, fb in model.bins_.items():
        codes = fb.assign(frame[name])
        bins[name] = fb.with_counts(
            bincount(codes[y == 0], fb.n_bins), bincount(codes[y == 1], fb.n_bins)
        )
    out.bins_ = bins
    sb = model.score_bins_
    codes = sb.assign(model.predict_score(frame[FEATURES]))
    out.score_bins_ = sb.with_counts(
        bincount(codes[y == 0], sb.n_bins), bincount(codes[y == 1], sb.n_bins)
    )
    return out


def _null_flag_share(card, data, reps, seed):
    """Share of rows flagged under random splits; bands 0 (drift = significant)."""
    rng = np.random.default_rng(seed)
    pool = data.iloc[10000:].reset_index(drop=True)
    y = (pool["Status"] == 0).to_numpy().astype(int)
    flags = []
    for r in range(reps):
        order = rng.permutation(len(pool))
        ref, cur = order[:5000], order[5000:]
        model = _with_reference(card, pool.iloc[ref], y[ref])
        monitor = DriftMonitor(model, psi_bands=(0.0, 0.0), model_id="null")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataConditionWarning)
            rep = monitor.check(pool.iloc[cur], batch_id=str(r))
        flags.extend(f.status == "drift" for f in rep.features if f.df > 0)
    return float(np.mean(flags)), len(flags)


def test_null_share_flagged_is_at_most_alpha_plus_mc_error(card, data):
    share, n = _null_flag_share(card, data, reps=40, seed=1)
    # Bands (0, 0) make "drift" = "the test rejects": the harshest setting.
    assert share <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / n), (share, n)


@pytest.mark.slow
def test_null_share_flagged_is_at_most_alpha_plus_mc_error_many_reps(card, data):
    share, n = _null_flag_share(card, data, reps=500, seed=2)
    assert share <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / n), (share, n)
    assert share >= 0.05 - 4 * np.sqrt(0.05 * 0.95 / n), (share, n)  # not dead


def test_injected_shift_is_flagged_and_other_features_are_not(card, batch):
    shifted = batch.assign(Utilization=(batch["Utilization"] + 0.15).clip(0, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        rep = DriftMonitor(card).check(shifted, batch_id="shift")
        calm = DriftMonitor(card).check(batch, batch_id="calm")
    assert rep["Utilization"].status == "drift"
    assert rep["Utilization"].ci()[0] >= 0.25
    others = [f for f in FEATURES if f != "Utilization"]
    assert all(rep[f].status == "stable" for f in others)
    assert [f.status for f in calm.features] == ["stable"] * (len(FEATURES) + 1)
    # the shift raises utilisation, which costs points: the points shift is < 0
    assert rep.characteristics.summary().loc["Utilization", "shift"] < 0
