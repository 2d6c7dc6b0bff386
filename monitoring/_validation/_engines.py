"""Validation back-tests of Dask and Spark batches: count on the cluster, test here.

Every figure of :meth:`ValidationMonitor.check` is a function of mergeable
counts of the batch:

- obligors and defaults per grade (the back-tests, portfolio tests,
  concentration and grade PSI): the counts per (grade, outcome);
- the AUC with ties and its DeLong variance: the good and bad counts per
  *distinct score* (tied rows have equal placements, so
  :func:`scorecard.auc_from_counts` on the distinct scores is
  :func:`scorecard.delong_auc` of the rows; docs/methodology.md section 21);
- the migration matrix: the counts per (previous grade, current grade).

:func:`tally_part` computes them for one pandas part (a Dask partition or a
Spark Arrow batch) with the in-memory code (the calibrator's scores and
master scale); parts add up (:class:`Tally`), on the workers and then on the
driver (``scorecard._kit.dask.map_reduce`` / ``scorecard._kit.spark.map_reduce``,
the same partition function for both engines). The outcome labels are kept
as they are until every part is summed, then encoded once by the one
binary-target rule, so a part with only goods (or a label given as text) is
counted as in memory. The current-vs-initial AUC comparison is a paired
bootstrap of rows: with ``y_score_initial`` the three per-row columns it needs
(outcome, current and initial score) are gathered in row order on the driver,
so only that option makes the driver's memory grow with the batch.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from scorecard import AUCResult, auc_from_counts, count_codes
from scorecard._kit.dask import is_dask_collection
from scorecard._kit.exceptions import DataConditionWarning
from scorecard._kit.spark import is_spark_dataframe
from scorecard._kit.validation import check_binary_target

from ._backtest import grade_codes

__all__ = [
    "Encoder",
    "Tally",
    "auc_of_tally",
    "encode_labels",
    "grade_counts",
    "is_distributed",
    "paired_rows",
    "tally_batch",
    "tally_part",
]

#: Maps the distinct outcome labels to 0/1 (1 = default).
Encoder = Callable[[Any], NDArray[np.int64]]
#: The key columns of a tally's cells.
KEYS = ["score", "code", "label"]


@dataclass(frozen=True, eq=False)
class Tally:
    """Mergeable counts of a batch (or part of one) for the validation tests.

    Attributes
    ----------
    cells : DataFrame
        Columns ``score, code, label, n``: rows per distinct (score, grade
        code, raw outcome label).
    migration : ndarray of shape (K, K) or None
        Obligors by (previous grade, current grade).
    rows : int
        Rows counted.
    paired : DataFrame or None
        ``label, score, initial`` per row in row order (only with an
        initial score, for the paired bootstrap).
    """

    cells: pd.DataFrame
    migration: NDArray[np.float64] | None
    rows: int
    paired: pd.DataFrame | None

    def __add__(self, other: Tally) -> Tally:
        cells = pd.concat([self.cells, other.cells], ignore_index=True)
        cells = cells.groupby(KEYS, sort=False, dropna=False, as_index=False)["n"].sum()
        return Tally(
            cells=cells,
            migration=_add(self.migration, other.migration),
            rows=self.rows + other.rows,
            paired=None
            if self.paired is None or other.paired is None
            else pd.concat([self.paired, other.paired], ignore_index=True),
        )


def _add(a: Any, b: Any) -> Any:
    return None if a is None or b is None else a + b


def tally_part(
    X: pd.DataFrame,
    y: pd.Series,
    previous: pd.Series | None,
    initial: pd.Series | None,
    *,
    calibrator: Any,
    previous_as_text: bool = False,
) -> Tally:
    """The :class:`Tally` of one in-memory part (the in-memory computation).

    Scores with ``calibrator.estimator_.predict_score``, grades with the
    master scale as :meth:`ValidationMonitor.check` does; ``previous_as_text``
    reads the previous grades as the CLI does (text, ``"3.0"`` as ``"3"``).
    """
    scale = calibrator.master_scale_
    k = len(scale.grades)
    labels = np.asarray(y)
    if len(X) == 0:  # the outcome checks on the driver say what is wrong
        score = np.zeros(0)
        codes = np.zeros(0, dtype=np.int64)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataConditionWarning)
            score = np.asarray(calibrator.estimator_.predict_score(X), dtype=np.float64)
        codes = np.asarray(scale.assign(calibrator.score_to_pd(score)), np.int64)
    cells = (
        pd.DataFrame({"score": score, "code": codes, "label": labels})
        .groupby(KEYS, sort=False, dropna=False, as_index=False)
        .size()
        .rename(columns={"size": "n"})
    )
    migration = None
    if previous is not None:
        grades = list(scale.grades)
        before = previous
        if previous_as_text:  # the CLI's reading of a grade column
            before = previous.astype(str).str.removesuffix(".0")
        migration = np.zeros((k, k))
        if len(X):
            a = grade_codes(before.to_numpy(), grades, name="grade_from")
            migration = count_codes(a, codes, n_bins=k, n_classes=k)[0]
    paired = None
    if initial is not None:
        paired = pd.DataFrame(
            {"label": labels, "score": score, "initial": initial.to_numpy(np.float64)}
        )
    return Tally(cells, migration, len(X), paired)


def is_distributed(batch: Any) -> bool:
    """Whether a batch is a Dask collection or a Spark DataFrame."""
    return is_dask_collection(batch) or is_spark_dataframe(batch)


def _model_columns(calibrator: Any) -> tuple[list[str], list[str]]:
    est = calibrator.estimator_
    names = [str(n) for n in getattr(est, "model_features_", est.feature_names_in_)]
    bins = getattr(est, "bins_", {})
    kinds = [bins[n].kind if n in bins else "categorical" for n in names]
    return names, kinds


def tally_batch(
    calibrator: Any,
    batch: Any,
    *,
    y: Any,
    previous_grade: Any = None,
    y_score_initial: Any = None,
    previous_as_text: bool = False,
) -> Tally:
    """The summed :class:`Tally` of a Dask or Spark batch.

    On Spark, ``y``, ``previous_grade`` and ``y_score_initial`` are column
    names of ``batch``; on Dask they are Dask Series partitioned like it.
    Model columns (and, on Spark, their types) are checked before any job
    runs, with the in-memory messages.
    """
    names, kinds = _model_columns(calibrator)
    options = {"calibrator": calibrator, "previous_as_text": previous_as_text}
    if is_spark_dataframe(batch):
        import scorecard._kit.spark as spark

        what = "ValidationMonitor.check"
        spark.check_features(batch, names, kinds, what)
        columns = spark.spark_columns(batch, what)
        groups = [
            spark.check_column_name(value, name, columns, what)
            for name, value in (
                ("y", y),
                ("previous_grade", previous_grade),
                ("y_score_initial", y_score_initial),
            )
        ]
        return spark.map_reduce(tally_part, batch, names, *groups, **options)  # type: ignore[no-any-return]
    import scorecard._kit.dask as dask

    frame = dask.as_frame(batch, "ValidationMonitor.check")
    present = {str(c): c for c in dask.meta_frame(frame).columns}
    missing = [n for n in names if n not in present]
    if missing:
        raise ValueError(
            f"X is missing model feature(s) {missing}; the model needs {names}."
        )
    series = [
        dask.as_series(value, name, "ValidationMonitor.check")
        for name, value in (
            ("y", y),
            ("previous_grade", previous_grade),
            ("y_score_initial", y_score_initial),
        )
    ]
    return dask.map_reduce(  # type: ignore[no-any-return]
        tally_part, frame[[present[n] for n in names]], *series, **options
    )


def encode_labels(
    labels: pd.Series, encode: Encoder | None, bad_value: Any
) -> NDArray[np.int64]:
    """0/1 outcome of every label: the distinct labels through the binary rule.

    ``encode`` maps an array of distinct labels to 0/1 (the CLI's
    ``--target`` rule); default: :func:`check_binary_target` as in memory
    (``require_both=False``).
    """
    uniques = pd.unique(labels)
    if encode is None:
        enc = check_binary_target(
            uniques, bad_value=bad_value, name="y", require_both=False
        ).y01
    else:
        enc = np.asarray(encode(uniques), dtype=np.int64)
    return np.asarray(enc[pd.Index(uniques).get_indexer(labels)], dtype=np.int64)


def grade_counts(tally: Tally, y01: NDArray[np.int64], k: int) -> NDArray[np.float64]:
    """Obligors per (grade, outcome), shape (K, 2)."""
    out = np.zeros((k, 2))
    np.add.at(out, (tally.cells["code"].to_numpy(np.int64), y01), tally.cells["n"])
    return out


def auc_of_tally(tally: Tally, y01: NDArray[np.int64]) -> AUCResult:
    """DeLong AUC of the points (higher = good) from the counts per distinct score.

    Equal to ``delong_auc(y01, score, higher="good")`` of the rows (same
    ``method``; to float rounding, the sums being ordered differently).
    """
    frame = pd.DataFrame(
        {"score": tally.cells["score"].to_numpy(), "bad": y01, "n": tally.cells["n"]}
    )
    table = frame.pivot_table(
        index="score", columns="bad", values="n", aggfunc="sum", fill_value=0
    ).sort_index()
    table = table.reindex(columns=[0, 1], fill_value=0)
    res = auc_from_counts(
        table[0].to_numpy(np.float64), table[1].to_numpy(np.float64), higher="good"
    )
    n1, n0 = int(round(res.n_events)), int(round(res.n_nonevents))
    return AUCResult(
        res.estimate, res.se, float(n1), float(n0), "delong", "wald", n1, n0
    )


def paired_rows(
    tally: Tally, encode: Encoder | None, bad_value: Any
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """Outcome, current and initial score of every row, in row order."""
    assert tally.paired is not None
    return (
        encode_labels(tally.paired["label"], encode, bad_value),
        tally.paired["score"].to_numpy(np.float64),
        tally.paired["initial"].to_numpy(np.float64),
    )
