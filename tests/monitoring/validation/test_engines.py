"""The mergeable counts behind the Dask and Spark validation paths (no cluster).

The parts of a batch, tallied one by one and summed in any grouping, give the
report of the whole batch computed in memory; the AUC from the counts per
distinct score is the row-level DeLong AUC with ties.
"""

from __future__ import annotations

import functools
import operator

import numpy as np
import pandas as pd
import pytest

from monitoring import ValidationMonitor
from monitoring._validation._engines import Tally, auc_of_tally, tally_part
from scorecard import delong_auc


def _parts(X, y, previous, initial, cuts, cal):
    edges = [0, *sorted(cuts), len(X)]
    return [
        tally_part(
            X.iloc[a:b],
            y.iloc[a:b],
            None if previous is None else previous.iloc[a:b],
            None if initial is None else initial.iloc[a:b],
            calibrator=cal,
        )
        for a, b in zip(edges[:-1], edges[1:], strict=True)
    ]


@pytest.mark.parametrize("seed", [0, 1])
def test_summed_parts_give_the_in_memory_report(calibrated, batches, seed):
    cal, X, y = calibrated
    rows = batches["2024"]
    batch = X.iloc[rows].reset_index(drop=True)
    labels = pd.Series(np.where(y[rows] == 1, "default", "ok"))
    previous = pd.Series(cal.predict_grade(X.iloc[np.roll(rows, 11)]))
    rng = np.random.default_rng(seed)
    initial = pd.Series(cal.estimator_.predict_score(batch) + rng.normal(0, 30, 5000))
    # empty parts and parts of one class only included
    cuts = [0, 0, *rng.integers(1, len(batch), 6).tolist()]
    parts = _parts(batch, labels, previous, initial, cuts, cal)
    if seed:  # a balanced tree (row order kept), as the engines fold
        while len(parts) > 1:
            pairs = [parts[i : i + 2] for i in range(0, len(parts), 2)]
            parts = [functools.reduce(operator.add, p) for p in pairs]
    tree = functools.reduce(operator.add, parts)
    monitor = ValidationMonitor(cal, initial_auc=0.8, rho=0.1, model_id="m")
    got = monitor._from_tally(tree, batch_id="b", bad_value="default", created_at="t")
    ref = monitor.check(
        batch,
        y=labels,
        bad_value="default",
        previous_grade=previous,
        y_score_initial=initial,
        batch_id="b",
        created_at="t",
    )
    pd.testing.assert_frame_equal(got.to_frame(), ref.to_frame(), rtol=1e-12)
    pd.testing.assert_frame_equal(got.grade_table(), ref.grade_table(), rtol=1e-12)
    assert got.comparison is not None and ref.comparison is not None
    assert got.comparison.se == ref.comparison.se  # the same rows, in order
    a, b = got.summary(), ref.summary()
    assert a.pop("light") == b.pop("light")
    assert a == pytest.approx(b, rel=1e-12)


def test_auc_of_counts_is_delong_with_ties():
    # hand-made: four distinct scores, ties across both classes
    score = np.array([1.0, 1.0, 2.0, 2.0, 2.0, 3.0, 4.0, 4.0])
    bad = np.array([1, 0, 1, 1, 0, 0, 0, 1])
    cells = pd.DataFrame({"score": score, "code": 0, "label": bad, "n": 1})
    tally = Tally(cells, None, len(score), None)
    got = auc_of_tally(tally, bad)
    ref = delong_auc(bad, score, higher="good")
    # P(bad scored below good) + ties/2, by hand: 3.5 + 2.5 + 2.5 + 0.5 = 9 of 16 pairs
    assert got.estimate == pytest.approx(9 / 16, rel=1e-15)
    assert got.estimate == pytest.approx(ref.estimate, rel=1e-12)
    assert got.se == pytest.approx(ref.se, rel=1e-12)
    assert (got.method, got.n_events, got.n_nonevents) == ("delong", 4.0, 4.0)


def test_a_part_off_the_master_scale_names_the_grade(calibrated, batches):
    cal, X, y = calibrated
    rows = batches["2023"][:50]
    previous = pd.Series(["1"] * 49 + ["9"])
    with pytest.raises(ValueError, match=r"grade_from holds grade\(s\) \['9'\]"):
        tally_part(X.iloc[rows], pd.Series(y[rows]), previous, None, calibrator=cal)
