"""Dask paths (issue 7): results on a real 2-process LocalCluster equal pandas.

Every comparison is against the in-memory path on the same rows, or against an
independent count (``FeatureBins.assign`` + ``np.bincount``); nothing is
compared with a stored number taken from our own output.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from monitoring import DriftMonitor, HistoryStore, ValidationMonitor  # noqa: E402
from scorecard import (  # noqa: E402
    BoostedScorecard,
    DataConditionWarning,
    PDCalibrator,
    Scorecard,
    StumpBinner,
    WoEEncoder,
    information_value,
    psi,
)
from scorecard._binning import _dask as binning_dask  # noqa: E402
from scorecard._binning._dask import count_table  # noqa: E402
from scorecard._binning._dask_summary import _CatSummary, _NumSummary  # noqa: E402
from scorecard._kit.cli import main  # noqa: E402
from scorecard._kit.dask import is_dask_collection  # noqa: E402
from scorecard._stats._counts import count_codes  # noqa: E402
from scorecard._stats._dask import count_codes as dask_count_codes  # noqa: E402

from ._credit_data import FEATURES, SPECIALS, bincount_table, make_data  # noqa: E402

TRAIN_ROWS, BATCH_ROWS = 12_000, 6_000  # fixtures of conftest.py


# --------------------------------------------------------------------------
# fixtures: one real cluster for the module


@pytest.fixture(scope="module")
def client():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # start-up chatter is not under test
        cluster = distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
        )
        c = distributed.Client(cluster)
    yield c
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c.close()
        cluster.close()


def to_dask(frame: pd.DataFrame, n: int = 5):
    return dd.from_pandas(frame, npartitions=n, sort=False)


# --------------------------------------------------------------------------
# detection and the count kernel


def test_detection_does_not_need_dask_imported():
    assert not is_dask_collection(np.zeros(3))
    assert not is_dask_collection(pd.DataFrame({"a": [1]}))
    assert is_dask_collection(to_dask(pd.DataFrame({"a": [1.0, 2.0]}), 1))


def test_count_codes_on_dask_array_and_frame(client):
    import dask.array as da

    rng = np.random.default_rng(0)
    codes = rng.integers(0, 7, size=(5000, 3))
    labels = rng.integers(0, 2, size=5000)
    w = rng.uniform(0, 2, size=5000)
    expected = count_codes(codes, labels, n_bins=7, n_classes=2, sample_weight=w)
    got = dask_count_codes(
        da.from_array(codes, chunks=(700, 2)),
        da.from_array(labels, chunks=1000),
        n_bins=7,
        n_classes=2,
        sample_weight=da.from_array(w, chunks=900),
    )
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    frame = to_dask(pd.DataFrame(codes, columns=["a", "b", "c"]).assign(y=labels), 4)
    got = dask_count_codes(frame[["a", "b", "c"]], frame["y"], n_bins=7, n_classes=2)
    unweighted = count_codes(codes, labels, n_bins=7, n_classes=2)
    np.testing.assert_array_equal(got, unweighted)  # integer counts: exact


def test_count_table_iv_psi_equal_in_memory(client, binner, train, batch):
    ddf = to_dask(train, 6)
    table = count_table(binner.bins_, ddf[FEATURES], ddf["y"])
    oracle = bincount_table(binner.bins_, train, train["y"])
    for i, name in enumerate(table.features):
        k = binner.bins_[name].n_bins
        np.testing.assert_array_equal(table.counts[i, :k], oracle[name])
        # The binner's own training counts (a third, separate code path).
        np.testing.assert_array_equal(table.counts[i, :k], binner.bins_[name].counts())
    mem = count_table(binner.bins_, train[FEATURES], train["y"])
    np.testing.assert_array_equal(table.counts, mem.counts)
    iv_d = information_value(table.column(0), table.column(1))
    iv_m = information_value(mem.column(0), mem.column(1))
    np.testing.assert_allclose(iv_d.estimate, iv_m.estimate, rtol=1e-12)
    np.testing.assert_allclose(iv_d.se, iv_m.se, rtol=1e-12)
    # PSI of the batch against training, counts summed over partitions.
    bd = to_dask(batch, 4)
    cur = count_table(binner.bins_, bd[FEATURES]).column("rows")
    cur_m = count_table(binner.bins_, batch[FEATURES]).column("rows")
    np.testing.assert_array_equal(cur, cur_m)
    ref = mem.counts.sum(axis=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)  # zero cells
        p_d, p_m = psi(ref, cur), psi(ref, cur_m)
    np.testing.assert_allclose(p_d.estimate, p_m.estimate, rtol=1e-12)
    np.testing.assert_allclose(p_d.se, p_m.se, rtol=1e-12)
    np.testing.assert_allclose(p_d.pvalue, p_m.pvalue, rtol=1e-12)


def test_weighted_count_table(client, binner, train):
    ddf = to_dask(train, 5)
    table = count_table(binner.bins_, ddf[FEATURES], ddf["y"], sample_weight=ddf["w"])
    oracle = bincount_table(binner.bins_, train, train["y"], train["w"])
    for i, name in enumerate(table.features):
        k = binner.bins_[name].n_bins
        np.testing.assert_allclose(table.counts[i, :k], oracle[name], rtol=1e-12)


# --------------------------------------------------------------------------
# StumpBinner.fit


def test_binner_fit_equals_in_memory(client, binner, train):
    ddf = to_dask(train, 7)
    fitted = StumpBinner(n_rounds=20, special_values=SPECIALS).fit(
        ddf[FEATURES], ddf["y"]
    )
    assert list(fitted.bins_) == FEATURES
    for name in FEATURES:
        # Bit-exact: same cuts, groups, specials and counts.
        assert fitted.bins_[name] == binner.bins_[name], name
    assert list(fitted.feature_names_in_) == FEATURES
    assert fitted.n_features_in_ == len(FEATURES)
    np.testing.assert_array_equal(fitted.classes_, binner.classes_)
    # The conditional figures are equal; the selection-adjusted ones come from
    # the summed count tables (issue 13; tests/scorecard/binning/test_dask.py
    # checks they equal the in-memory ones for the same random_state).
    distributed = fitted.set_params(n_permutations=0).information_table()
    in_memory = binner.information_table()
    adjusted = ["iv_adjusted", "ci_low", "ci_high", "pvalue"]
    pd.testing.assert_frame_equal(
        distributed.drop(columns=adjusted), in_memory.drop(columns=adjusted)
    )


def test_binner_weighted_and_constraints_equal_in_memory(client, train):
    params = dict(
        n_rounds=15,
        special_values=SPECIALS,
        max_n_bins=4,
        monotonic_trend="auto",
        min_bin_size=0.08,
        n_permutations=0,  # only the conditional figures are compared
    )
    mem = StumpBinner(**params, weight_kind="sampling").fit(
        train[FEATURES], train["y"], sample_weight=train["w"]
    )
    ddf = to_dask(train, 4).assign(w2=lambda d: 37.5 * d["w"])
    # sampling weights: the scale is irrelevant, on Dask as in memory
    got = StumpBinner(**params, weight_kind="sampling").fit(
        ddf[FEATURES], ddf["y"], sample_weight=ddf["w2"]
    )
    assert got.weight_scale_ == pytest.approx(37.5 * mem.weight_scale_, rel=1e-12)
    for name in FEATURES:
        a, b = mem.bins_[name], got.bins_[name]
        assert a.thresholds == b.thresholds and a.groups == b.groups, name
        np.testing.assert_allclose(a.counts(), b.counts(), rtol=1e-9)
    info_mem, info = mem.information_table(), got.information_table()
    np.testing.assert_allclose(info["iv"], info_mem.loc[info.index, "iv"], rtol=1e-9)
    # no per-bin squared weights on Dask: the SE is the frequency form of the
    # row-unit counts (scale-free too; in memory it is the linearised one)
    for name in FEATURES:
        fb = got.bins_[name]
        want = information_value(fb.goods, fb.bads)
        assert info.loc[name, "se"] == pytest.approx(want.se, rel=1e-12), name
    # not said: read as sampling weights, with the package's warning
    with pytest.warns(DataConditionWarning, match="weight_kind was not given"):
        unsaid = StumpBinner(**params).fit(
            ddf[FEATURES], ddf["y"], sample_weight=ddf["w2"]
        )
    assert unsaid.bins_ == got.bins_
    with pytest.raises(ValueError, match="weight_kind='frequency' needs whole-number"):
        StumpBinner(**params, weight_kind="frequency").fit(
            ddf[FEATURES], ddf["y"], sample_weight=ddf["w"]
        )


def test_binner_sketch_keeps_counts_exact(client, train, monkeypatch):
    # Force the sketch on every feature with more than max_bin = 32 values.
    monkeypatch.setattr(binning_dask, "EXACT_DISTINCT", 8)
    monkeypatch.setattr(binning_dask, "SKETCH_POINTS", 8)
    cols = ["income", "bureau", "region"]
    params = dict(n_rounds=20, max_bin=32, special_values=SPECIALS)
    mem = StumpBinner(**params).fit(train[cols], train["y"])
    ddf = to_dask(train, 6)
    got = StumpBinner(**params).fit(ddf[cols], ddf["y"])
    oracle = bincount_table(got.bins_, train, train["y"])
    for name in cols:
        np.testing.assert_array_equal(got.bins_[name].counts(), oracle[name])
    assert got.bins_["region"] == mem.bins_["region"]  # categories: exact
    iv_mem = mem.information_table()["iv"]
    iv_got = got.information_table()["iv"]
    np.testing.assert_allclose(
        iv_got[["income", "bureau"]], iv_mem[["income", "bureau"]], rtol=0.05
    )


def test_sketch_rank_error_within_bound():
    rng = np.random.default_rng(3)
    parts = [rng.lognormal(0, 1, rng.integers(500, 3000)) for _ in range(40)]
    ones = [np.ones(p.size) for p in parts]
    points, cap = 64, 64
    summaries = [
        _NumSummary.build(p, np.zeros(p.size), w, False, cap, points)
        for p, w in zip(parts, ones, strict=True)
    ]
    # Tree of fan-in 8, as map_reduce: depth 2 for 40 parts.
    level = summaries
    depth = 0
    while len(level) > 1:
        level = [
            _reduce(level[i : i + 8], cap, points) for i in range(0, len(level), 8)
        ]
        depth += 1
    sketch = level[0]
    allx = np.sort(np.concatenate(parts))
    n = allx.size
    assert sketch.mass.sum() == n and not sketch.exact
    cum = np.cumsum(sketch.mass)
    for q in np.linspace(0.02, 0.98, 49):
        value = sketch.values[np.searchsorted(cum, q * n, side="right")]
        rank = np.searchsorted(allx, value, side="right")
        assert abs(rank - q * n) <= (depth + 1) * n / points + 1


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.integers(0, 30), min_size=1, max_size=200),
    cuts=st.lists(st.integers(0, 200), max_size=6),
    seed=st.integers(0, 2**16),
)
def test_partition_summaries_merge_to_the_whole(values, cuts, seed):
    """Exact numeric and categorical summaries of parts merge to the whole's."""
    rng = np.random.default_rng(seed)
    x = np.asarray(values, dtype=np.float64)
    y = (rng.random(x.size) < 0.3).astype(np.float64)
    w = rng.uniform(0, 2, x.size)
    bounds = [0, *sorted(c % (x.size + 1) for c in cuts), x.size]
    parts = [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    whole = _NumSummary.build(x, y, w, True, 1000, 1000)
    merged = _reduce(
        [_NumSummary.build(x[p], y[p], w[p], True, 1000, 1000) for p in parts],
        1000,
        1000,
    )
    np.testing.assert_array_equal(merged.values, whole.values)
    np.testing.assert_allclose(merged.goods, whole.goods, atol=1e-9)
    np.testing.assert_allclose(merged.bads, whole.bads, atol=1e-9)
    # Categories: first-appearance order and counts of the concatenation.
    cats = pd.Series([f"c{v}" for v in values], dtype=object)
    codes, uniques = pd.factorize(cats, sort=False)
    out = None
    for p in parts:
        c, u = pd.factorize(cats[p], sort=False)
        part = _CatSummary(
            pd.Index(u, dtype=object),
            np.bincount(c, weights=w[p] * (1 - y[p]), minlength=len(u)),
            np.bincount(c, weights=w[p] * y[p], minlength=len(u)),
        )
        out = part if out is None else out.merge(part)
    assert list(out.categories) == list(uniques)
    np.testing.assert_allclose(
        out.bads, np.bincount(codes, weights=w * y, minlength=len(uniques)), atol=1e-9
    )


def _reduce(items, cap, points):
    out = items[0]
    for item in items[1:]:
        out = out.merge(item, cap, points)
    return out


def test_joint_strategy_uses_xgboost_dask(client, train):
    cols = ["age", "util", "inquiries", "region"]
    params = dict(strategy="joint", n_rounds=20, max_bin=128)
    mem = StumpBinner(**params).fit(train[cols], train["y"])
    ddf = to_dask(train, 4)
    got = StumpBinner(**params).fit(ddf[cols], ddf["y"])
    oracle = bincount_table(got.bins_, train, train["y"])
    for name in cols:
        np.testing.assert_array_equal(got.bins_[name].counts(), oracle[name])
    # Features with fewer distinct values than max_bin have exact histogram
    # cuts on both paths, so the distributed model finds the same splits.
    for name in cols:
        assert got.bins_[name].thresholds == mem.bins_[name].thresholds, name
        assert got.bins_[name].groups == mem.bins_[name].groups, name


def test_binner_on_dask_array_equals_numpy(client, train):
    import dask.array as da

    cols = ["age", "util", "bureau", "inquiries"]
    X = train[cols].to_numpy()
    y = train["y"].to_numpy()
    mem = StumpBinner(n_rounds=10).fit(X, y)
    got = StumpBinner(n_rounds=10).fit(
        da.from_array(X, chunks=(2500, 4)), da.from_array(y, chunks=2500)
    )
    assert list(got.bins_) == ["x0", "x1", "x2", "x3"]
    assert not hasattr(got, "feature_names_in_")
    for name in got.bins_:
        assert got.bins_[name] == mem.bins_[name], name


def test_bad_dask_inputs_raise(client, train):
    ddf = to_dask(train, 3)
    with pytest.raises(TypeError, match="y must be a Dask Series partitioned like X"):
        StumpBinner().fit(ddf[FEATURES], train["y"].to_numpy())
    three = to_dask(train.assign(y=train["y"] + (train.index % 3 == 0) * 2), 3)
    with pytest.raises(
        ValueError,
        match=r"Only binary classification is supported: y must hold two labels",
    ):
        StumpBinner().fit(three[FEATURES], three["y"])
    bad = to_dask(train.assign(age=train["age"].where(train.index != 5, np.inf)), 3)
    with pytest.raises(ValueError, match="Feature 'age' contains infinite values"):
        StumpBinner().fit(bad[FEATURES], bad["y"])


# --------------------------------------------------------------------------
# WoE transform and scores


def test_woe_encoder_on_dask_equals_in_memory(client, train, batch, binner):
    enc = WoEEncoder(binner=binner).fit(train[FEATURES])
    bd = to_dask(batch, 4)
    lazy = enc.transform(bd[FEATURES])
    assert is_dask_collection(lazy) and lazy.npartitions == 4
    got = lazy.compute()
    assert list(got.columns) == FEATURES
    np.testing.assert_array_equal(got.to_numpy(), enc.transform(batch[FEATURES]))
    # Fitting on Dask gives the same encoder.
    td = to_dask(train, 5)
    enc2 = WoEEncoder(n_rounds=20, special_values=SPECIALS).fit(td[FEATURES], td["y"])
    for name in FEATURES:
        np.testing.assert_array_equal(enc2.woe_[name], enc.woe_[name])


@pytest.mark.parametrize("model", ["woe", "boosted"])
def test_scores_on_dask_equal_in_memory(client, train, batch, card, model):
    if model == "boosted":
        card = BoostedScorecard(n_rounds=20, random_state=0).fit(
            train[FEATURES], train["y"]
        )
    bd = to_dask(batch, 4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        expected = card.predict_score(batch[FEATURES])
        codes = card.transform_bins(batch[FEATURES])
        margin = card.decision_function(batch[FEATURES])
    got = card.predict_score(bd[FEATURES])
    assert is_dask_collection(got)
    np.testing.assert_array_equal(got.compute().to_numpy(), expected)
    pd.testing.assert_frame_equal(
        card.transform_bins(bd[FEATURES]).compute(), codes, check_dtype=False
    )
    np.testing.assert_allclose(
        card.decision_function(bd[FEATURES]).compute().to_numpy(), margin, rtol=1e-12
    )
    with pytest.raises(ValueError, match=r"missing model feature\(s\) \['util'\]"):
        card.predict_score(bd[["age", "bureau", "inquiries", "region"]])
    with pytest.warns(DataConditionWarning, match="Ignoring 1 column"):
        card.predict_score(bd[[*FEATURES, "w"]])


def test_dask_scoring_needs_no_feature_left_out_of_the_model(client, train, batch):
    X = train[FEATURES].assign(const=1.0)  # one bin: left out of the model
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        card = Scorecard(binner=StumpBinner(n_rounds=20)).fit(X, train["y"])
        expected = card.predict_score(batch[FEATURES])
    assert "const" in card.bins_ and "const" not in card.model_features_
    got = card.predict_score(to_dask(batch, 4)[FEATURES]).compute()
    np.testing.assert_array_equal(got.to_numpy(), expected)


# --------------------------------------------------------------------------
# drift


def test_drift_check_on_dask_equals_in_memory(client, card, batch):
    monitor = DriftMonitor(card)
    bd = to_dask(batch, 6)
    counts = monitor.count(bd, bd["y"])
    expected = monitor.count(batch, batch["y"])
    np.testing.assert_array_equal(counts.counts, expected.counts)
    import dask

    with dask.config.set(scheduler="sync"):  # no cluster: same tables
        np.testing.assert_array_equal(
            monitor.count(bd, bd["y"]).counts, expected.counts
        )
    stamp = "2026-01-01T00:00:00.000000Z"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        got = monitor.check(bd, batch_id="b", y=bd["y"], created_at=stamp)
        ref = monitor.check(batch, batch_id="b", y=batch["y"], created_at=stamp)
    pd.testing.assert_frame_equal(got.to_frame(), ref.to_frame())
    assert got.status == ref.status
    assert "util" in got.drifted  # the batch's util was shifted
    with pytest.raises(ValueError, match=r"missing model column\(s\) \['age'\]"):
        monitor.count(bd[["util", "bureau", "inquiries", "region"]])


def test_validation_on_dask_equals_in_memory(client, card, train, batch):
    cal = PDCalibrator(estimator=card, prefit=True, n_grades=4)
    cal.fit(train[FEATURES], train["y"])
    frame = batch.assign(
        previous=cal.predict_grade(batch[FEATURES].iloc[::-1]),
        y=np.where(batch["y"] == 1, "bad", "good"),
    ).sort_values("y", ascending=False, kind="stable")  # goods-only partitions
    monitor = ValidationMonitor(cal, initial_auc=0.7, rho=0.05, model_id="pd")
    bd = to_dask(frame, 6)
    stamp = "2026-12-01"
    got = monitor.check(
        bd[FEATURES],
        y=bd["y"],
        previous_grade=bd["previous"],
        bad_value="bad",
        batch_id="b",
        created_at=stamp,
    )
    ref = monitor.check(
        frame[FEATURES],
        y=frame["y"],
        previous_grade=frame["previous"],
        bad_value="bad",
        batch_id="b",
        created_at=stamp,
    )
    pd.testing.assert_frame_equal(got.to_frame(), ref.to_frame(), rtol=1e-12)
    pd.testing.assert_frame_equal(got.grade_table(), ref.grade_table(), rtol=1e-12)
    assert got.migration is not None and ref.migration is not None
    np.testing.assert_array_equal(got.migration.counts, ref.migration.counts)
    with pytest.raises(ValueError, match=r"missing model feature\(s\) \['age'\]"):
        monitor.check(bd[FEATURES[1:]], y=bd["y"], bad_value="bad", batch_id="b")


# --------------------------------------------------------------------------
# fault tolerance


SLOW_PARTS = 8


def slow_part(i: int, delay: float) -> pd.DataFrame:
    """Partition i of a deterministic batch, after a delay (a slow task)."""
    time.sleep(delay)
    return make_data(1500, seed=100 + i)


# ~7 s (a worker is killed and replaced); in the slow set, which CI runs.
@pytest.mark.slow
def test_worker_killed_mid_job_gives_exact_result_or_clear_error(client, card):
    monitor = DriftMonitor(card)
    expected = monitor.count(
        pd.concat([slow_part(i, 0.0) for i in range(SLOW_PARTS)], ignore_index=True)
    )
    frame = dd.from_map(slow_part, list(range(SLOW_PARTS)), delay=0.4)
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["counts"] = monitor.count(frame)
        except Exception as exc:  # noqa: BLE001 - the outcome is checked below
            outcome["error"] = exc

    pids = client.run(os.getpid)  # worker address -> process id
    victim = pids[sorted(pids)[0]]
    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.7)  # both workers are inside slow tasks now
    os.kill(victim, signal.SIGKILL)  # the nanny restarts the worker
    thread.join(timeout=120)
    assert not thread.is_alive()
    if "counts" in outcome:
        got = outcome["counts"]
        np.testing.assert_array_equal(got.counts, expected.counts)  # never wrong
    else:
        from distributed.scheduler import KilledWorker

        assert isinstance(outcome["error"], KilledWorker | OSError), outcome
    client.wait_for_workers(2, timeout=60)


# --------------------------------------------------------------------------
# the CLI


@pytest.fixture(scope="module")
def cli_files(tmp_path_factory, card, batch):
    folder = tmp_path_factory.mktemp("dask_cli")
    card.to_json(folder / "card.json")
    parts = folder / "batch"
    parts.mkdir()
    rows = batch.drop(columns="income")
    for k, start in enumerate(range(0, len(rows), 2000)):
        rows.iloc[start : start + 2000].to_parquet(
            parts / f"part-{k}.parquet", index=False
        )
    return folder


def _monitor_args(folder: Path, store: Path, *extra: str) -> list[str]:
    return [
        "monitor",
        str(folder / "card.json"),
        str(folder / "batch"),
        "--batch-id",
        "2026-01",
        "--store",
        str(store),
        "--target",
        "y",
        *extra,
    ]


def test_cli_engine_dask_on_parquet_directory(client, cli_files, tmp_path, capsys):
    address = client.scheduler.address
    s_dask, s_pandas = tmp_path / "dask.db", tmp_path / "pandas.db"
    args = ["--engine", "dask", "--scheduler", address]
    assert main(_monitor_args(cli_files, s_dask, *args)) == 0
    assert main(_monitor_args(cli_files, s_pandas)) == 0
    out = capsys.readouterr().out
    assert out.count("6000 rows") == 2
    with HistoryStore(s_dask) as a, HistoryStore(s_pandas) as b:
        model = a.models()[0]
        ra, rb = a.report(model, "2026-01"), b.report(model, "2026-01")
    cols = ["psi", "se", "ci_low", "ci_high", "pvalue", "status"]
    pd.testing.assert_frame_equal(ra.to_frame()[cols], rb.to_frame()[cols])


def test_cli_scheduler_needs_engine_dask(cli_files, tmp_path, capsys):
    store = tmp_path / "s.db"
    code = main(_monitor_args(cli_files, store, "--scheduler", "tcp://127.0.0.1:1"))
    assert code == 2
    assert "--scheduler needs --engine dask" in capsys.readouterr().err
    assert not store.exists()


@pytest.mark.slow
def test_cli_engine_dask_starts_a_local_cluster(cli_files, tmp_path, capsys):
    store = tmp_path / "local.db"
    assert main(_monitor_args(cli_files, store, "--engine", "dask")) == 0
    assert "6000 rows" in capsys.readouterr().out


# --------------------------------------------------------------------------
# without Dask


NO_DASK = textwrap.dedent(
    """
    import sys
    for name in ("dask", "dask.dataframe", "dask.array", "distributed"):
        sys.modules[name] = None  # any import of Dask now fails
    import tempfile, pathlib
    import numpy as np, pandas as pd
    import scorecard, monitoring
    from scorecard import Scorecard, StumpBinner, WoEEncoder
    from scorecard._kit.cli import main
    from monitoring import DriftMonitor
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=3000), "b": rng.integers(0, 5, 3000)})
    y = (rng.random(3000) < 1 / (1 + np.exp(-X["a"]))).astype(int)
    card = Scorecard().fit(X, y)
    WoEEncoder(n_rounds=10).fit(X, y).transform(X)
    DriftMonitor(card).check(X, batch_id="b")
    class FakeDask:
        def __dask_graph__(self):
            return {}
    try:
        StumpBinner().fit(FakeDask(), y)
    except ImportError as exc:
        assert "infoscore[dask]" in str(exc), exc
    else:
        raise AssertionError("no ImportError")
    folder = pathlib.Path(tempfile.mkdtemp())
    card.to_json(folder / "card.json")
    X.to_parquet(folder / "batch.parquet")
    code = main(["monitor", str(folder / "card.json"), str(folder / "batch.parquet"),
                 "--batch-id", "b", "--store", str(folder / "s.db"),
                 "--engine", "dask"])
    assert code == 2, code
    assert not (folder / "s.db").exists()
    assert all(sys.modules.get(n) is None for n in ("dask", "distributed"))
    print("OK")
    """
)


def test_package_works_without_dask():
    proc = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", NO_DASK],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip().endswith("OK")
    assert "infoscore[dask]" in proc.stderr  # the CLI's one-line message


def test_dask_binner_string_target_needs_bad_value(client, train):
    labelled = train.assign(y=np.where(train["y"] == 1, "bad", "good"))
    ddf = to_dask(labelled, 3)
    with pytest.raises(
        ValueError, match=r"set bad_value.*got labels \['bad', 'good'\]"
    ):
        StumpBinner(n_rounds=5).fit(ddf[FEATURES], ddf["y"])
    got = StumpBinner(n_rounds=5, bad_value="bad").fit(ddf[FEATURES], ddf["y"])
    ref_ddf = to_dask(train, 3)
    ref = StumpBinner(n_rounds=5).fit(ref_ddf[FEATURES], ref_ddf["y"])
    assert got.bins_ == ref.bins_
    assert list(got.classes_) == ["good", "bad"]
