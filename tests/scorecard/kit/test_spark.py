"""The Spark engine on a real local Spark: counts, binning, WoE, scores, drift, CLI.

One ``local[2]`` session (loopback only, no UI) for the module. Without
pyspark or a Java runtime the Spark tests skip, saying so; with
``INFOSCORE_REQUIRE_SPARK=1`` (set by ``.ci/run``) they fail instead. The
test of the package without pyspark runs everywhere (pyspark blocked in a
subprocess).
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from monitoring import DriftMonitor, HistoryStore, ValidationMonitor
from monitoring._spark import count_native, count_spark
from scorecard import (
    BoostedScorecard,
    PDCalibrator,
    StumpBinner,
    WoEEncoder,
    information_value,
    psi,
)
from scorecard._binning import _spark as binning_spark
from scorecard._binning._dask import count_table
from scorecard._kit.cli import main
from scorecard._kit.exceptions import DataConditionWarning
from scorecard._kit.spark import is_spark_dataframe
from scorecard._models._spark import woe_transform
from scorecard._stats._counts import count_codes

from ._credit_data import FEATURES, SPECIALS, bincount_table

# pyspark 4.0 (the floor) leaves some of py4j's gateway sockets to the
# garbage collector, which then reports a ResourceWarning at a random later
# point of this module ("Exception ignored in: <socket.socket ...>"). The
# sockets are pyspark's, not ours; the fixture below stops the session and
# collects them before the module ends, so the filter covers every one.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Exception ignored in:pytest.PytestUnraisableExceptionWarning"
)

# --------------------------------------------------------------------------
# fixtures: one real local Spark for the module


def _spark_missing() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'infoscore[spark]')"
    java_home = os.environ.get("JAVA_HOME")
    if shutil.which("java") is None and not (
        java_home and (Path(java_home) / "bin" / "java").exists()
    ):
        return "no Java runtime (Debian: openjdk-17-jre-headless)"
    return None


@pytest.fixture(scope="module")
def spark():
    reason = _spark_missing()
    if reason is not None:
        if os.environ.get("INFOSCORE_REQUIRE_SPARK"):  # set by .ci/run
            pytest.fail(f"INFOSCORE_REQUIRE_SPARK is set but {reason}")
        pytest.skip(reason)
    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # loopback only
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers: this venv
    session = (
        SparkSession.builder.master("local[2]")
        .appName("infoscore-tests")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "3")
        .config("spark.pyspark.python", sys.executable)
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        # Several Arrow batches per partition: the executor-side fold is used.
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "1500")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    gc.collect()  # py4j's leftover sockets, inside this module's filter


def to_pandas(sdf) -> pd.DataFrame:
    """Collect through Arrow (pyspark's toPandas passes pandas 3 a deprecated copy=)."""
    return sdf.toArrow().to_pandas()


def _plan(sdf) -> str:
    """The physical plan of a Spark DataFrame, as text."""
    return sdf._jdf.queryExecution().executedPlan().toString()


def to_spark(spark, frame: pd.DataFrame):
    """A Spark DataFrame of the rows in order (partitions are row slices)."""
    return spark.createDataFrame(frame)


# --------------------------------------------------------------------------
# detection, and the package without pyspark


def test_detection_does_not_import_pyspark():
    assert not is_spark_dataframe(pd.DataFrame({"a": [1]}))
    assert not is_spark_dataframe(np.zeros(2))
    fake = type("DataFrame", (), {"__module__": "pyspark.sql.dataframe"})
    assert is_spark_dataframe(fake())
    assert is_spark_dataframe(type("Sub", (fake,), {})())  # classic subclasses


NO_SPARK = textwrap.dedent(
    """
    import sys
    for name in ("pyspark", "pyspark.sql", "py4j"):
        sys.modules[name] = None  # any import of pyspark now fails
    import tempfile, pathlib
    import numpy as np, pandas as pd
    from scorecard import Scorecard, StumpBinner, WoEEncoder
    from scorecard._kit.cli import main
    from monitoring import DriftMonitor
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=3000), "b": rng.integers(0, 5, 3000)})
    y = (rng.random(3000) < 1 / (1 + np.exp(-X["a"]))).astype(int)
    card = Scorecard().fit(X, y)
    DriftMonitor(card).check(X, batch_id="b")
    DataFrame = type("DataFrame", (), {"__module__": "pyspark.sql.dataframe"})
    for call in (lambda: StumpBinner().fit(DataFrame(), "y"),
                 lambda: card.predict_score(DataFrame()),
                 lambda: DriftMonitor(card).count(DataFrame())):
        try:
            call()
        except ImportError as exc:
            assert "pip install 'infoscore[spark]'" in str(exc), exc
        else:
            raise AssertionError("no ImportError")
    folder = pathlib.Path(tempfile.mkdtemp())
    card.to_json(folder / "card.json")
    X.to_parquet(folder / "batch.parquet")
    code = main(["monitor", str(folder / "card.json"), str(folder / "batch.parquet"),
                 "--batch-id", "b", "--store", str(folder / "s.db"),
                 "--engine", "spark"])
    assert code == 2, code
    assert not (folder / "s.db").exists()
    assert sys.modules.get("pyspark") is None
    print("OK")
    """
)


def test_package_works_without_pyspark():
    proc = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", NO_SPARK],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip().endswith("OK")
    assert "infoscore[spark]" in proc.stderr  # the CLI's one-line message


# --------------------------------------------------------------------------
# counting


@pytest.mark.parametrize("method", ["arrow", "groupby"])
def test_count_codes_equal_numpy(spark, method):
    from scorecard._stats._spark import count_codes as spark_count_codes

    rng = np.random.default_rng(0)
    codes = rng.integers(0, 7, size=(4000, 3))
    labels = rng.integers(0, 2, 4000)
    w = rng.uniform(0, 2, 4000)
    frame = pd.DataFrame(codes, columns=["a", "b", "c"]).assign(y=labels, w=w)
    sdf = to_spark(spark, frame)
    got = spark_count_codes(
        sdf, ["a", "b", "c"], "y", n_bins=7, n_classes=2, method=method
    )
    np.testing.assert_array_equal(  # integer counts: exact
        got, count_codes(codes, labels, n_bins=7, n_classes=2)
    )
    got_w = spark_count_codes(
        sdf,
        ["a", "b", "c"],
        "y",
        n_bins=7,
        n_classes=2,
        sample_weight="w",
        method=method,
    )
    expected = count_codes(codes, labels, n_bins=7, n_classes=2, sample_weight=w)
    np.testing.assert_allclose(got_w, expected, rtol=1e-12)


def test_count_table_iv_psi_equal_in_memory(spark, binner, train, batch):
    sdf = to_spark(spark, train)
    table = binning_spark.count_table(binner.bins_, sdf, "y")
    oracle = bincount_table(binner.bins_, train, train["y"])
    mem = count_table(binner.bins_, train[FEATURES], train["y"])
    np.testing.assert_array_equal(table.counts, mem.counts)
    for i, name in enumerate(table.features):
        k = binner.bins_[name].n_bins
        np.testing.assert_array_equal(table.counts[i, :k], oracle[name])
    iv_s = information_value(table.column(0), table.column(1))
    iv_m = information_value(mem.column(0), mem.column(1))
    np.testing.assert_allclose(iv_s.estimate, iv_m.estimate, rtol=1e-12)
    np.testing.assert_allclose(iv_s.se, iv_m.se, rtol=1e-12)
    weighted = binning_spark.count_table(binner.bins_, sdf, "y", sample_weight="w")
    oracle_w = bincount_table(binner.bins_, train, train["y"], train["w"])
    for i, name in enumerate(weighted.features):
        k = binner.bins_[name].n_bins
        np.testing.assert_allclose(weighted.counts[i, :k], oracle_w[name], rtol=1e-12)
    cur = binning_spark.count_table(binner.bins_, to_spark(spark, batch)).column("rows")
    cur_m = count_table(binner.bins_, batch[FEATURES]).column("rows")
    np.testing.assert_array_equal(cur, cur_m)
    ref = mem.counts.sum(axis=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)  # zero cells
        p_s, p_m = psi(ref, cur), psi(ref, cur_m)
    np.testing.assert_allclose(p_s.estimate, p_m.estimate, rtol=1e-12)
    np.testing.assert_allclose(p_s.se, p_m.se, rtol=1e-12)


# --------------------------------------------------------------------------
# StumpBinner.fit


def test_binner_fit_equals_in_memory(spark, binner, train):
    sdf = to_spark(spark, train[[*FEATURES, "y"]])
    got = StumpBinner(n_rounds=20, special_values=SPECIALS).fit(sdf, "y")
    assert list(got.feature_names_in_) == FEATURES
    assert got.bins_ == binner.bins_  # bit-identical: every feature counted exactly
    # Weighted, with a constraint: still identical.
    params = dict(n_rounds=20, special_values=SPECIALS, monotonic_trend="ascending")
    params["weight_kind"] = "sampling"
    mem = StumpBinner(**params).fit(train[FEATURES], train["y"], train["w"])
    # sampling weights: their scale is irrelevant, on Spark as in memory
    sdf_w = to_spark(spark, train[[*FEATURES, "y"]].assign(w=37.5 * train["w"]))
    got_w = StumpBinner(**params).fit(sdf_w, "y", sample_weight="w")
    assert got_w.weight_scale_ == pytest.approx(37.5 * mem.weight_scale_, rel=1e-12)
    for name in FEATURES:  # weighted sums: same cuts, counts to float rounding
        a, b = mem.bins_[name], got_w.bins_[name]
        assert a.thresholds == b.thresholds and a.groups == b.groups, name
        np.testing.assert_allclose(a.counts(), b.counts(), rtol=1e-9)
    codes = to_pandas(got.transform(to_spark(spark, train[["id", *FEATURES]])))
    np.testing.assert_array_equal(codes["id"].to_numpy(), train["id"].to_numpy())
    np.testing.assert_array_equal(
        codes[FEATURES].to_numpy(), binner.transform(train[FEATURES])
    )


def test_binner_sketch_keeps_counts_exact(spark, train, monkeypatch):
    # Force the sketch on every numeric feature with more than 48 values.
    monkeypatch.setattr(binning_spark, "EXACT_DISTINCT", 48)
    cols = ["income", "bureau", "region"]
    params = dict(n_rounds=20, max_bin=48, special_values=SPECIALS)
    mem = StumpBinner(**params).fit(train[cols], train["y"])
    got = StumpBinner(**params).fit(to_spark(spark, train[[*cols, "y"]]), "y")
    oracle = bincount_table(got.bins_, train, train["y"])
    for name in cols:
        np.testing.assert_array_equal(got.bins_[name].counts(), oracle[name])
    assert got.bins_["region"] == mem.bins_["region"]  # categories: exact
    iv_mem = mem.information_table()["iv"]
    iv_got = got.information_table()["iv"]
    np.testing.assert_allclose(
        iv_got[["income", "bureau"]], iv_mem[["income", "bureau"]], rtol=0.01
    )


def test_bad_spark_inputs_raise_the_in_memory_errors(spark, train, card):
    sdf = to_spark(spark, train[[*FEATURES, "y"]])
    with pytest.raises(TypeError, match="y must be the name of a column of X"):
        StumpBinner().fit(sdf, train["y"])
    three = to_spark(
        spark, train[FEATURES].assign(y=train["y"] + (train.index % 3 == 0) * 2)
    )
    with pytest.raises(
        ValueError, match=r"Only binary classification is supported: y must hold two"
    ):
        StumpBinner().fit(three, "y")
    text = train[[*FEATURES, "y"]].assign(age=train["age"].astype(str))
    text.loc[3, "age"] = "n/a"
    for X in (text[FEATURES], to_spark(spark, text)):  # pandas, then Spark
        with pytest.raises(TypeError, match="Feature 'age' is numeric but has the non"):
            StumpBinner(categorical_features=["region"]).fit(
                X, text["y"] if isinstance(X, pd.DataFrame) else "y"
            )
    with pytest.raises(
        TypeError, match="Feature 'age' is numeric but its Spark column"
    ):
        card.predict_score(to_spark(spark, text))
    with pytest.raises(ValueError, match=r"missing model feature\(s\) \['util'\]"):
        card.predict_score(sdf.drop("util"))
    with pytest.raises(ValueError, match=r"missing model column\(s\) \['util'\]"):
        DriftMonitor(card).count(sdf.drop("util"))
    empty = sdf.limit(0)
    with pytest.raises(ValueError, match=r"Found 0 sample\(s\)"):
        StumpBinner().fit(empty, "y")
    for frame in (train[FEATURES].iloc[:0], empty):  # pandas, then Spark
        with pytest.raises(ValueError, match=r"The batch is empty \(0 rows\)"):
            DriftMonitor(card).check(frame, batch_id="e")


# --------------------------------------------------------------------------
# WoE transform and scores


def test_woe_encoder_on_spark_equals_in_memory(spark, train, batch, binner):
    enc = WoEEncoder(binner=binner).fit(train[FEATURES])
    sb = to_spark(spark, batch[["id", *FEATURES]])
    lazy = enc.transform(sb)
    assert is_spark_dataframe(lazy) and lazy.columns == ["id", *FEATURES]
    got = to_pandas(lazy)
    np.testing.assert_array_equal(got["id"].to_numpy(), batch["id"].to_numpy())
    np.testing.assert_array_equal(
        got[FEATURES].to_numpy(), enc.transform(batch[FEATURES])
    )
    # the JVM path (no Python worker) on unseen categories and an int column,
    # against pandas and the default Arrow path; a decimal column takes the
    # Arrow path instead
    odd = batch.assign(inquiries=batch["inquiries"].astype(np.int64))
    odd.loc[odd.index[::40], "region"] = "mars"
    so = to_spark(spark, odd[["id", *FEATURES]])
    assert "MapInArrow" in _plan(enc.transform(so))
    native = woe_transform(enc, so, method="native")
    assert "MapInArrow" not in _plan(native)
    with pytest.warns(DataConditionWarning, match="unseen in training"):
        expected = enc.transform(odd[FEATURES])
    np.testing.assert_array_equal(to_pandas(native)[FEATURES].to_numpy(), expected)
    np.testing.assert_array_equal(
        to_pandas(enc.transform(so))[FEATURES].to_numpy(), expected
    )
    decimal = so.withColumn("age", so["age"].cast("decimal(10,2)"))
    assert "MapInArrow" in _plan(woe_transform(enc, decimal, method="native"))
    with pytest.raises(ValueError, match="method must be 'arrow' or 'native'"):
        woe_transform(enc, so, method="jvm")
    inf = batch[FEATURES].copy()
    inf.loc[inf.index[3], "util"] = np.inf
    with pytest.raises(ValueError, match="Feature 'util' contains infinite"):
        enc.transform(inf)
    sinf = to_spark(spark, inf)
    for lazy in (enc.transform(sinf), woe_transform(enc, sinf, method="native")):
        with pytest.raises(Exception, match="Feature 'util' contains infinite"):
            to_pandas(lazy)
    enc2 = WoEEncoder(n_rounds=20, special_values=SPECIALS).fit(
        to_spark(spark, train[[*FEATURES, "y"]]), "y"
    )
    for name in FEATURES:
        np.testing.assert_array_equal(enc2.woe_[name], enc.woe_[name])


def test_arrow_batches_convert_as_pyarrow_and_keep_other_columns(
    spark, train, batch, binner, card
):
    # mapInArrow: the model columns are converted by pyarrow's to_pandas (as
    # pd.read_parquet): an int column with nulls is float64 with NaN, a text
    # column with nulls has missing values, a decimal column Decimal objects;
    # the other columns come back as the input's Arrow arrays.
    from pyspark.sql import functions as F

    frame = batch.assign(
        inquiries=batch["inquiries"].round().astype("Int64"),
        region=batch["region"].astype(object),
    )
    frame.loc[frame.index[::7], "inquiries"] = pd.NA
    frame.loc[frame.index[::11], "region"] = None
    sdf = (
        to_spark(spark, frame[["id", *FEATURES, "y"]].astype({"inquiries": object}))
        .withColumn("inquiries", F.col("inquiries").cast("int"))
        .withColumn("util", F.col("util").cast("decimal(12,6)"))
        .withColumn(
            "day", F.date_add(F.lit("2026-01-01").cast("date"), F.col("id").cast("int"))
        )
        .withColumn("tags", F.array(F.col("id").cast("string"), F.lit("x")))
        .withColumn("note", F.when(F.col("id") % 3 == 0, F.lit("n")))
    )
    pdf = to_pandas(sdf)  # the pyarrow conversion, the in-memory reference
    assert pdf["inquiries"].dtype == np.float64 and pdf["inquiries"].isna().any()
    enc = WoEEncoder(binner=binner).fit(train[FEATURES])
    lazy = enc.transform(sdf)
    assert lazy.columns == sdf.columns and "MapInArrow" in _plan(lazy)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        expected = enc.transform(pdf[FEATURES])
        codes = card.transform_bins(pdf[FEATURES])
        score = card.predict_score(pdf[FEATURES])
    got = to_pandas(lazy)
    np.testing.assert_array_equal(got[FEATURES].to_numpy(), expected)
    kept = ["id", "y", "day", "tags", "note"]
    assert lazy.select(*kept).collect() == sdf.select(*kept).collect()
    assert dict(lazy.dtypes)["day"] == "date"
    got_codes = to_pandas(card.transform_bins(sdf))
    np.testing.assert_array_equal(got_codes[FEATURES].to_numpy(), codes.to_numpy())
    scored = card.predict_score(sdf)
    assert scored.select(*kept).collect() == sdf.select(*kept).collect()
    np.testing.assert_array_equal(to_pandas(scored)["score"].to_numpy(), score)
    monitor = DriftMonitor(card)
    np.testing.assert_array_equal(
        monitor.count(sdf, "y").counts, monitor.count(pdf, pdf["y"]).counts
    )
    with pytest.raises(ValueError, match="missing model feature"):
        enc.transform(sdf.drop("age"))


@pytest.mark.parametrize("model", ["woe", "boosted"])
def test_scores_on_spark_equal_in_memory(spark, train, batch, card, model):
    if model == "boosted":
        card = BoostedScorecard(n_rounds=20, random_state=0).fit(
            train[FEATURES], train["y"]
        )
    sb = to_spark(spark, batch[["id", *FEATURES]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        score = card.predict_score(batch[FEATURES])
        codes = card.transform_bins(batch[FEATURES])
        margin = card.decision_function(batch[FEATURES])
        reasons = card.reason_codes(batch[FEATURES], n=2)
    got = to_pandas(card.predict_score(sb))
    assert list(got.columns) == ["id", *FEATURES, "score"]
    np.testing.assert_array_equal(got["id"].to_numpy(), batch["id"].to_numpy())
    np.testing.assert_array_equal(got["score"].to_numpy(), score)
    got_codes = to_pandas(card.transform_bins(sb))
    np.testing.assert_array_equal(got_codes[FEATURES].to_numpy(), codes.to_numpy())
    got_margin = to_pandas(card.decision_function(sb))["margin"].to_numpy()
    np.testing.assert_allclose(got_margin, margin, rtol=1e-12)
    got_reasons = to_pandas(card.reason_codes(sb, n=2))
    for column in reasons.columns:  # strings: pandas 3 "str" vs object; None = NaN
        a, b = got_reasons[column].tolist(), reasons[column].tolist()
        assert [None if pd.isna(v) else v for v in a] == [
            None if pd.isna(v) else v for v in b
        ], column
    if model == "woe":  # the other reason method and master-scale grades
        average = card.reason_codes(batch[FEATURES], n=1, method="average")
        got = to_pandas(card.reason_codes(sb, n=1, method="average"))
        np.testing.assert_allclose(got["points_lost_1"], average["points_lost_1"])
        calibrator = PDCalibrator(estimator=card, n_grades=3).fit(
            train[FEATURES], train["y"]
        )
        grades = to_pandas(calibrator.predict_grade(sb))
        assert list(grades.columns) == ["id", *FEATURES, "grade"]
        assert grades["grade"].tolist() == list(
            calibrator.predict_grade(batch[FEATURES])
        )


# --------------------------------------------------------------------------
# drift and the CLI


def test_drift_check_on_spark_equals_in_memory(spark, card, batch):
    monitor = DriftMonitor(card)
    sb = to_spark(spark, batch)
    counts = monitor.count(sb, "y")
    np.testing.assert_array_equal(
        counts.counts, monitor.count(batch, batch["y"]).counts
    )
    stamp = "2026-01-01T00:00:00.000000Z"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        got = monitor.check(sb, batch_id="b", y="y", created_at=stamp)
        ref = monitor.check(batch, batch_id="b", y=batch["y"], created_at=stamp)
    pd.testing.assert_frame_equal(got.to_frame(), ref.to_frame())
    assert got.status == ref.status
    assert "util" in got.drifted  # the batch's util was shifted
    from pyspark.sql import functions as F

    # The JVM path (bin codes and score as Spark expressions) against the
    # in-memory code on Arrow batches, with unseen categories, an integer
    # column and a float label; then an infinite value gets the pandas error.
    odd = batch.assign(inquiries=batch["inquiries"].astype(np.int64), y=batch.y * 1.0)
    odd.loc[odd.index[::50], "region"] = "mars"
    so = to_spark(spark, odd)
    native = count_spark(monitor, so, "y", method="native")
    np.testing.assert_array_equal(native.counts, monitor.count(odd, odd["y"]).counts)
    arrow = count_spark(monitor, so, "y", method="arrow")
    np.testing.assert_array_equal(native.counts, arrow.counts)
    with pytest.raises(ValueError, match="method must be 'arrow' or 'native'"):
        count_spark(monitor, so, "y", method="jvm")
    text_age = so.withColumn("age", F.col("age").cast("string"))
    assert count_native(monitor, text_age, "y") is None  # the Arrow path runs
    inf = batch.assign(bureau=batch["bureau"].replace(-999.0, np.inf))
    for X in (inf, to_spark(spark, inf)):  # pandas, then Spark
        with pytest.raises(ValueError, match="Feature 'bureau' has infinite values"):
            monitor.count(X, inf["y"] if isinstance(X, pd.DataFrame) else "y")


# --------------------------------------------------------------------------
# validation back-tests


@pytest.fixture(scope="module")
def calibrated(card, train, batch):
    """A 4-grade calibrator and a batch with last year's grades and old points."""
    cal = PDCalibrator(estimator=card, prefit=True, n_grades=4)
    cal.fit(train[FEATURES], train["y"])
    rng = np.random.default_rng(5)
    frame = batch.assign(
        previous=cal.predict_grade(batch[FEATURES].iloc[::-1]),
        old=card.predict_score(batch[FEATURES]) + rng.normal(0, 25, len(batch)),
    )
    return cal, frame


def _validation(monitor, X, frame, bad_value=None, **names):
    """ValidationMonitor.check of a pandas frame, or of Spark with column names."""
    if isinstance(X, pd.DataFrame):
        names = {k: frame[v] for k, v in names.items()}
    return monitor.check(
        X, batch_id="2026", created_at="2026-12-01", bad_value=bad_value, **names
    )


def test_validation_on_spark_equals_in_memory(spark, calibrated):
    cal, frame = calibrated
    monitor = ValidationMonitor(cal, initial_auc=0.7, rho=0.05, model_id="pd")
    # outcomes as text, the goods first: whole Arrow batches without a default
    frame = frame.assign(y=np.where(frame["y"] == 1, "bad", "good"))
    frame = frame.sort_values("y", ascending=False, kind="stable")
    frame = frame.reset_index(drop=True)
    sdf = to_spark(spark, frame)
    names = {"y": "y", "previous_grade": "previous", "y_score_initial": "old"}
    got = _validation(monitor, sdf, frame, **names, bad_value="bad")
    ref = _validation(monitor, frame[FEATURES], frame, **names, bad_value="bad")
    pd.testing.assert_frame_equal(got.to_frame(), ref.to_frame(), rtol=1e-12)
    pd.testing.assert_frame_equal(got.grade_table(), ref.grade_table(), rtol=1e-12)
    assert got.auc is not None and ref.auc is not None
    assert got.auc.method == ref.auc.method == "delong"
    np.testing.assert_allclose(
        [got.auc.estimate, got.auc.se], [ref.auc.estimate, ref.auc.se], rtol=1e-12
    )
    assert got.migration is not None and ref.migration is not None
    np.testing.assert_array_equal(got.migration.counts, ref.migration.counts)
    assert got.comparison is not None and ref.comparison is not None
    assert got.comparison.se == ref.comparison.se  # same rows in the same order
    assert got.notes == ref.notes


def test_validation_bad_spark_inputs_raise_the_in_memory_errors(spark, calibrated):
    cal, frame = calibrated
    monitor = ValidationMonitor(cal)
    sdf = to_spark(spark, frame)
    with pytest.raises(ValueError, match=r"missing model feature\(s\) \['util'\]"):
        _validation(monitor, sdf.drop("util"), frame, y="y")
    with pytest.raises(TypeError, match="y must be the name of a column of X"):
        monitor.check(sdf, y=frame["y"], batch_id="b")
    three = frame.assign(y=frame["y"] + (frame.index % 3 == 0) * 2)
    for X in (three[FEATURES], to_spark(spark, three)):  # pandas, then Spark
        with pytest.raises(ValueError, match="Only binary classification"):
            _validation(monitor, X, three, y="y")
    for X in (frame[FEATURES].iloc[:0], sdf.limit(0)):
        with pytest.raises(ValueError, match="y is empty"):
            _validation(monitor, X, frame.iloc[:0], y="y")
    off = frame.assign(previous="Z")
    for X in (off[FEATURES], to_spark(spark, off)):
        with pytest.raises(ValueError, match=r"grade_from holds grade\(s\) \['Z'\]"):
            _validation(monitor, X, off, y="y", previous_grade="previous")


@pytest.fixture(scope="module")
def cli_files(tmp_path_factory, card, batch):
    folder = tmp_path_factory.mktemp("spark_cli")
    card.to_json(folder / "card.json")
    parts = folder / "batch"
    parts.mkdir()
    rows = batch.drop(columns="income")
    for k, start in enumerate(range(0, len(rows), 2000)):
        rows.iloc[start : start + 2000].to_parquet(
            parts / f"part-{k}.parquet", index=False
        )
    bad = folder / "bad"
    bad.mkdir()
    text = rows.assign(util=rows["util"].astype(str))
    text.loc[text.index[7], "util"] = "n/a"  # text in a numeric column
    text.to_parquet(bad / "part-0.parquet", index=False)
    return folder


def _monitor_args(folder: Path, store: Path, batch: str, *extra: str) -> list[str]:
    return [
        "monitor",
        str(folder / "card.json"),
        str(folder / batch),
        "--batch-id",
        "2026-01",
        "--store",
        str(store),
        "--target",
        "y",
        *extra,
    ]


def test_cli_engine_spark_on_parquet_directory(spark, cli_files, tmp_path, capsys):
    s_spark, s_pandas = tmp_path / "spark.db", tmp_path / "pandas.db"
    assert main(_monitor_args(cli_files, s_spark, "batch", "--engine", "spark")) == 0
    assert main(_monitor_args(cli_files, s_pandas, "batch")) == 0
    assert capsys.readouterr().out.count("5000 rows") == 2
    with HistoryStore(s_spark) as a, HistoryStore(s_pandas) as b:
        model = a.models()[0]
        ra, rb = a.report(model, "2026-01"), b.report(model, "2026-01")
    pd.testing.assert_frame_equal(ra.to_frame(), rb.to_frame())
    # A failed job (text in a numeric column) exits 2 and leaves the store as it was.
    before = s_spark.read_bytes()
    assert main(_monitor_args(cli_files, s_pandas, "bad", "--replace")) == 2
    pandas_err = capsys.readouterr().err.strip().splitlines()[-1]
    args = _monitor_args(cli_files, s_spark, "bad", "--engine", "spark", "--replace")
    assert main(args) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == pandas_err
    assert "'util'" in pandas_err
    assert s_spark.read_bytes() == before
    assert (
        main(_monitor_args(cli_files, tmp_path / "m.db", "batch", "--master", "x")) == 2
    )
    assert "--master needs --engine spark" in capsys.readouterr().err
    assert spark.sparkContext._jsc is not None  # the test's session still runs


def _validate_args(folder: Path, store: Path, batch: str, *extra: str) -> list[str]:
    return [
        "validate",
        str(folder / "cal.json"),
        str(folder / batch),
        "--target",
        "y",
        "--batch-id",
        "2026",
        "--store",
        str(store),
        "--model-id",
        "pd",
        "--initial-auc",
        "0.7",
        "--rho",
        "0.05",
        "--previous-grade",
        "previous",
        *extra,
    ]


# A CLI run starts its own Spark session: slow set; the default run keeps
# test_validation_on_spark_equals_in_memory on the module's session.
@pytest.mark.slow
def test_cli_validate_engine_spark_on_parquet_directory(
    spark, calibrated, tmp_path, capsys
):
    cal, frame = calibrated
    cal.to_json(tmp_path / "cal.json")
    for name, rows in (("batch", frame), ("bad", frame.assign(y=frame["y"] + 2))):
        (tmp_path / name).mkdir()
        for k, start in enumerate(range(0, len(rows), 2000)):
            part = rows.iloc[start : start + 2000].drop(columns="income")
            part.to_parquet(tmp_path / name / f"part-{k}.parquet", index=False)
    s_spark, s_pandas = tmp_path / "spark.db", tmp_path / "pandas.db"
    args = _validate_args(tmp_path, s_spark, "batch", "--engine", "spark")
    assert main(args) == 0
    assert main(_validate_args(tmp_path, s_pandas, "batch")) == 0
    assert capsys.readouterr().out.count("5000 obligors") == 2
    with HistoryStore(s_spark) as a, HistoryStore(s_pandas) as b:
        ra, rb = a.read_validation("pd", "2026"), b.read_validation("pd", "2026")
        ga, gb = a.validation_grades("pd", "2026"), b.validation_grades("pd", "2026")
    pd.testing.assert_frame_equal(ra.to_frame(), rb.to_frame(), rtol=1e-12)
    pd.testing.assert_frame_equal(ga, gb, rtol=1e-12)
    sa, sb = ra.summary(), rb.summary()
    assert ra.migration is not None and sa.pop("light") == sb.pop("light")
    assert sa == pytest.approx(sb, rel=1e-12)
    # A failed job (outcomes 2 and 3) exits 2 with the pandas engine's message
    # and leaves the store byte for byte as it was.
    before = s_spark.read_bytes()
    assert main(_validate_args(tmp_path, s_pandas, "bad", "--replace")) == 2
    pandas_err = capsys.readouterr().err.strip().splitlines()[-1]
    args = _validate_args(tmp_path, s_spark, "bad", "--engine", "spark", "--replace")
    assert main(args) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == pandas_err
    assert "--target column 'y'" in pandas_err
    assert s_spark.read_bytes() == before
    args = _validate_args(tmp_path, tmp_path / "m.db", "batch", "--master", "x")
    assert main(args) == 2
    assert "--master needs --engine spark" in capsys.readouterr().err
