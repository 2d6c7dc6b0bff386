"""Every figure of monitoring equals the spine's on the same counts (rtol 1e-12).

One test per call site: PSI per feature (``drift_from_counts``, the monitor's
report, a stored window), IV drift (``iv_drift``, the monitor's), AUC drift
(the monitor's binned AUCs) and every interval (``scorecard._kit.intervals``).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from monitoring import (
    DriftMonitor,
    HistoryStore,
    auc_drift,
    bad_rate_by_band,
    characteristic_analysis,
    drift_from_counts,
    iv_drift,
)
from scorecard import (
    DataConditionWarning,
    Scorecard,
    auc_from_counts,
    information_value,
    psi,
)
from scorecard._kit.intervals import two_sided_pvalue, wald_interval

RTOL = 1e-12
REF = np.array([[300, 400, 300, 0], [250, 250, 250, 250], [100, 300, 400, 200]], float)
CUR = np.array([[280, 420, 290, 10], [200, 260, 240, 300], [120, 280, 420, 180]], float)
GOODS_BADS_REF = np.array([[[400, 20], [300, 40], [100, 60]]], float)
GOODS_BADS_CUR = np.array([[[390, 30], [310, 40], [100, 50]]], float)


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=RTOL)


@pytest.fixture(scope="module")
def checked(simucredit):
    X, y = simucredit
    features = ["Utilization", "Delinquency", "Inquiry", "Balance"]
    card = Scorecard().fit(X[features][:6000], y[:6000])
    monitor = DriftMonitor(card)
    counts = monitor.count(X[features][6000:9000], y[6000:9000])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        report = monitor.report(counts, batch_id="b")
    return monitor, counts, report


def test_drift_from_counts_psi_is_scorecard_psi():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        rep = drift_from_counts(REF, CUR, alpha=0.1, reference="fixed")
        spine = psi(REF, CUR, reference="fixed", smoothing=0.5)
    close([f.estimate for f in rep.features], spine.estimate)
    close([f.se for f in rep.features], spine.se)
    close([f.pvalue for f in rep.features], spine.pvalue)
    close(
        np.concatenate([f.contributions for f in rep.features]),
        spine.contributions.ravel(),
    )
    close([f.ci() for f in rep.features], spine.ci(0.1))


def test_monitor_psi_is_scorecard_psi_on_its_counts(checked):
    monitor, counts, report = checked
    ref = monitor.reference_counts.counts.sum(axis=2)
    cur = counts.counts.sum(axis=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        spine = psi(ref, cur, smoothing=monitor.smoothing)
    close([f.estimate for f in report.features], spine.estimate)
    close([f.se for f in report.features], spine.se)


def test_iv_drift_is_scorecard_information_value():
    res = iv_drift(GOODS_BADS_REF, GOODS_BADS_CUR)
    for side, counts in (
        (res.reference, GOODS_BADS_REF),
        (res.current, GOODS_BADS_CUR),
    ):
        spine = information_value(counts[:, :, 0], counts[:, :, 1], smoothing=0.5)
        close(side.estimate, spine.estimate)
        close(side.se, spine.se)
    close(res.ci(0.2), wald_interval(res.estimate, res.se, 0.2))
    close(res.pvalue, two_sided_pvalue(res.estimate / res.se))


def test_monitor_iv_is_scorecard_information_value_on_its_counts(checked):
    monitor, counts, report = checked
    keep = [monitor.features.index(f) for f in report.iv.features]
    for side, table in (
        (report.iv.reference, monitor.reference_counts),
        (report.iv.current, counts),
    ):
        arr = table.counts[keep]
        spine = information_value(
            arr[:, :, 0], arr[:, :, 1], smoothing=monitor.smoothing
        )
        close(side.estimate, spine.estimate)


def test_monitor_auc_is_auc_from_counts_on_the_score_deciles(checked):
    monitor, counts, report = checked
    regular = slice(0, monitor.model.score_bins_.n_regular)
    for side, table in (
        (report.auc.reference, monitor.reference_counts),
        (report.auc.current, counts),
    ):
        score = table.counts[-1, regular]
        spine = auc_from_counts(score[:, 0], score[:, 1], higher="good")
        close(side.estimate, spine.estimate)
        close(side.se, spine.se)
    drift = auc_drift(report.auc.reference, report.auc.current)
    close(report.auc.ci(0.05), wald_interval(drift.estimate, drift.se, 0.05))


def test_stored_window_psi_is_scorecard_psi_on_summed_counts(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        with HistoryStore(tmp_path / "m.db") as store:
            for k, cur in enumerate((CUR, CUR[:, ::-1] + 5)):
                rep = drift_from_counts(REF, cur, features=["a", "b", "c"])
                store.write(rep, model_id="m", batch_id=str(k), as_of=f"2024-0{k + 1}")
            window = store.window_counts("m").drift()
        spine = psi(REF, CUR + CUR[:, ::-1] + 5, smoothing=0.5)
    close([f.estimate for f in window.features], spine.estimate)
    close([f.se for f in window.features], spine.se)


def test_bad_rate_and_points_shift_intervals_are_kit_wald_intervals():
    br = bad_rate_by_band([[90, 10], [80, 20]], [[85, 15], [70, 30]])
    close(br.ci(0.1), wald_interval(br.estimate, br.se, 0.1))
    close(br.pvalue, two_sided_pvalue(br.statistic))
    ch = characteristic_analysis([[50, 50]], [[30, 70]], [[10.0, 30.0]])
    close(ch.ci(0.1), wald_interval(ch.estimate, ch.se, 0.1))
    close(ch.pvalue, two_sided_pvalue(ch.statistic))
