"""ValidationMonitor on SimuCredit, the store round trip and failed runs."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from monitoring import (
    HistoryStore,
    ValidationMonitor,
    ValidationReport,
    backtest,
    drift_from_counts,
)
from monitoring._store._validation import VALIDATION_SCHEMA


def _report(calibrated, batches, year="2024", **kwargs):
    cal, X, y = calibrated
    rows = batches[year]
    monitor = ValidationMonitor(cal, initial_auc=0.8, rho=0.05, model_id="pd-v1")
    previous = cal.predict_grade(X.iloc[np.roll(rows, 7)])
    return monitor.check(
        X.iloc[rows], y=y[rows], batch_id=year, previous_grade=previous, **kwargs
    )


def test_monitor_agrees_with_the_row_level_functions(calibrated, batches):
    cal, X, y = calibrated
    rows = batches["2024"]
    rep = _report(calibrated, batches)
    grade = cal.predict_grade(X.iloc[rows])
    table, port = backtest(y[rows], grade, cal.grade_pds(), rho=0.05)
    pd.testing.assert_frame_equal(rep.grade_table(), table.to_frame())
    assert rep.portfolio.hosmer_lemeshow.statistic == port.hosmer_lemeshow.statistic
    assert rep.auc_test is not None and rep.auc_test.initial == 0.8
    assert rep.migration is not None and rep.migration.n == len(rows)
    # 2024 has 700 extra defaults: the PDs are underestimated
    assert rep.light == "red"
    assert rep.portfolio.binomial.pvalue < 1e-6
    assert set(rep.to_frame()["test"]) >= {
        "jeffreys",
        "binomial",
        "normal",
        "vasicek",
        "hosmer_lemeshow",
        "spiegelhalter",
        "ecb_auc",
        "herfindahl",
        "grade_psi",
    }


def _figures(rep: ValidationReport) -> dict:
    return {
        "grades": rep.grade_table(),
        "tests": rep.to_frame(),
        "portfolio": rep.portfolio.to_frame(),
        "brier": rep.portfolio.brier.to_frame(),
        "auc": rep.auc_test.to_frame(),
        "migration": rep.migration.to_frame(),
        "concentration": rep.concentration.to_frame(),
        "psi": rep.grade_psi.to_frame(),
        "summary": pd.DataFrame([rep.summary()]),
    }


def test_store_round_trip_reproduces_every_figure(calibrated, batches, tmp_path):
    rep = _report(calibrated, batches)
    with HistoryStore(tmp_path / "v.db") as store:
        run_id = store.write_validation(rep, as_of="2024-12-31")
        back = store.read_validation("pd-v1", "2024")
        stored = store.validation_grades("pd-v1", "2024")
        history = store.validation_history("pd-v1")
        runs = store.validation_runs()
    assert run_id >= 1 and runs["light"].tolist() == ["red"]
    for name, frame in _figures(rep).items():
        pd.testing.assert_frame_equal(_figures(back)[name], frame, obj=name)
    columns = stored.columns.tolist()
    pd.testing.assert_frame_equal(stored, rep.grade_table()[columns], check_dtype=False)
    assert len(history) == len(rep.to_frame())
    assert json.loads(back.to_json()) == json.loads(rep.to_json())


def test_rerun_replaces_the_batch_and_keeps_drift_runs(calibrated, batches, tmp_path):
    path = tmp_path / "v.db"
    with HistoryStore(path) as store:
        store.write(
            drift_from_counts([[5, 5]], [[4, 6]], features=["x"]),
            model_id="pd-v1",
            batch_id="2024",
        )
        store.write_validation(_report(calibrated, batches, "2023"))
        store.write_validation(_report(calibrated, batches, "2024"))
        store.write_validation(_report(calibrated, batches, "2024"))
        runs = store.validation_runs("pd-v1")
        assert runs["batch_id"].tolist() == ["2023", "2024"]
        assert runs["revision"].tolist() == [0, 1]
        assert len(store.runs()) == 1  # the drift run is untouched


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_failed_write_changes_no_byte_of_the_store(calibrated, batches, tmp_path):
    path = tmp_path / "v.db"
    with HistoryStore(path) as store:
        store.write_validation(_report(calibrated, batches, "2023"))
    before = _digest(path)
    rep = _report(calibrated, batches, "2024")
    broken = ValidationReport(**{**rep.__dict__, "alpha": float("nan")})
    with HistoryStore(path) as store, pytest.raises(ValueError, match="JSON"):
        store.write_validation(broken)
    assert _digest(path) == before
    # a store without the validation tables gains none on a failed write
    fresh = tmp_path / "fresh.db"
    HistoryStore(fresh).close()
    first = _digest(fresh)
    with HistoryStore(fresh) as store, pytest.raises(ValueError, match="JSON"):
        store.write_validation(broken)
    assert _digest(fresh) == first
    assert "validation_runs" in VALIDATION_SCHEMA[0]


def test_bad_batches_raise_before_anything(calibrated, batches):
    cal, X, y = calibrated
    monitor = ValidationMonitor(cal)
    rows = batches["2023"]
    with pytest.raises(ValueError, match="A back-test needs realised outcomes"):
        monitor.check(X.iloc[rows], y=None, batch_id="b")
    with pytest.raises(ValueError, match="binary"):
        monitor.check(X.iloc[rows], y=np.arange(len(rows)) % 3, batch_id="b")
    few = rows[cal.predict_grade(X.iloc[rows]) == "1"][:50]
    with pytest.raises(ValueError, match=r"grade\(s\) \[.*'7'\] have no observations"):
        monitor.check(X.iloc[few], y=y[few], batch_id="b")
    with pytest.raises(TypeError, match="fitted scorecard.PDCalibrator"):
        ValidationMonitor(object())
    with pytest.raises(ValueError, match=r"initial_auc must be in \[0, 1\]"):
        ValidationMonitor(cal, initial_auc=1.2)
    assert monitor.model_id.startswith("PDCalibrator-")


def test_a_write_failing_inside_the_transaction_rolls_back(
    calibrated, batches, tmp_path, monkeypatch
):
    from monitoring._store import _validation as module

    path = tmp_path / "v.db"
    HistoryStore(path).close()  # an existing store without validation tables
    before = _digest(path)

    def fail(conn, run, report):
        conn.execute(
            "INSERT INTO validation_runs (model_id, batch_id, as_of, "
            "created_at, revision, n, defaults, light, alpha, report_json) "
            "VALUES ('m', 'b', 'x', 'x', 0, 1, 0, 'green', 0.05, '{}')"
        )
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(module, "_insert", fail)
    with HistoryStore(path) as store, pytest.raises(RuntimeError, match="disk on fire"):
        store.write_validation(_report(calibrated, batches, "2023"))
    assert _digest(path) == before
    with HistoryStore(path) as store:
        assert store.validation_runs().empty
