"""Distance covariance: infoscore against dcor's fastest method, in one run.

Run: python benchmarks/bench_dcov.py [--repeats 3] [--quick]

Cases (U-statistic), each at n = 1e5 and 1e6 (``--quick``: 1e4 and 1e5):

- binary attribute coded as bool, int 0/1 and float 0/1 (the kind rule sends
  all three to the categorical path);
- a 10-level categorical attribute (int codes);
- continuous x continuous.

Columns: ``ours value`` is the public call ``distance_covariance(x, y,
test=None, se=False)`` (input checks and kind rule included);
``ours v+se+g`` is one evaluation giving the value, the jackknife SE and the
gradient with respect to ``x`` together; dcor times the value only with its
two O(n log n) methods ("mergesort" and "avl", compiled by numba, warmed
up), and ``speed-up`` is dcor's faster method over ``ours value``;
``se+g/value`` is the ratio of our two times (target <= 2). dcor gets the
attribute as numbers: for a binary attribute its 0/1 codes (distance 1, so
its value times sqrt(2), the one-hot distance, is checked against ours in
``rel.diff``); a 10-level categorical has no univariate numeric form with
the one-hot distance, so dcor computes dCov with the codes 0..9 (like-sized
work, a different statistic, no value check). Peak memory: tracemalloc peak
of one value + SE + gradient evaluation per row.

Then: the multivariate value (two continuous columns plus the 10 one-hot
columns, concatenated; blocked evaluator, O(n^2) time, O(n) memory) at
n = 1e4 against dcor's naive O(n^2)-memory method, and the penalised fits
(one continuous and one 10-level attribute) at n = 1e5 with the error of the
mixed penalty path against the exact blocked value at n = 5000.
"""

from __future__ import annotations

import argparse
import math
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import dcor
import numpy as np
import pandas as pd

from fairness import DCovLogisticRegression, ccdcov, distance_covariance
from fairness._dcov import dcov_gradient
from fairness._dcov._engine import (
    _evaluate,
    _jackknife_parts,
    _jackknife_se,
    _loo_values,
)
from fairness._dcov._inputs import _attribute_from_y


def _median_time(fn: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def _all_in_one(x: np.ndarray, y: Any) -> tuple[float, float, np.ndarray]:
    """Value, jackknife SE and gradient from one evaluation."""
    attr, _ = _attribute_from_y(y, x.size, "auto")
    ev = _evaluate(x, attr, "U", need_grad=True, need_jack=True)
    loo = _loo_values(_jackknife_parts(ev)[0:3], x.size, "U")
    assert ev.gradient is not None
    return ev.value, _jackknife_se(loo), ev.gradient


def _cases(n: int, rng: np.random.Generator) -> list[tuple[str, Any, Any, Any]]:
    codes = rng.integers(0, 2, n)
    x = rng.normal(size=n) + 0.2 * codes
    ten = rng.integers(0, 10, n)
    x10 = rng.normal(size=n) + 0.1 * ten
    xc = rng.normal(size=n)
    yc = xc + rng.normal(size=n)
    return [
        ("binary bool", x, codes.astype(bool), codes.astype(np.float64)),
        ("binary int", x, codes, codes.astype(np.float64)),
        ("binary float", x, codes.astype(np.float64), codes.astype(np.float64)),
        ("10-level int", x10, ten, ten.astype(np.float64)),
        ("cont x cont", xc, yc, yc),
    ]


def _univariate(sizes: list[int], repeats: int) -> None:
    rng = np.random.default_rng(0)
    for method in ("mergesort", "avl"):  # compile dcor's kernels
        dcor.u_distance_covariance_sqr(
            rng.normal(size=100), rng.normal(size=100), method=method
        )
    _all_in_one(rng.normal(size=100), rng.normal(size=100))  # and ours
    distance_covariance(rng.normal(size=100), rng.normal(size=100), test=None)
    header = (
        f"{'case':<14}{'n':>9}{'ours value':>12}{'ours v+se+g':>13}"
        f"{'dcor merge':>12}{'dcor avl':>10}{'speed-up':>10}{'se+g/value':>12}"
        f"{'peak B/row':>12}{'rel.diff':>10}"
    )
    print(header)
    print("-" * len(header))
    for n in sizes:
        for name, x, y, y_dcor in _cases(n, rng):
            value = _median_time(
                lambda x=x, y=y: distance_covariance(x, y, test=None, se=False),
                repeats,
            )
            full = _median_time(lambda x=x, y=y: _all_in_one(x, y), repeats)
            tracemalloc.start()
            got = _all_in_one(x, y)[0]
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            ref = {
                m: _median_time(
                    lambda m=m, x=x, y=y_dcor: dcor.u_distance_covariance_sqr(
                        x, y, method=m
                    ),
                    max(1, repeats // 2),
                )
                for m in ("mergesort", "avl")
            }
            best = min(ref.values())
            check = ""
            if not name.startswith("10-level"):
                want = dcor.u_distance_covariance_sqr(x, y_dcor, method="mergesort")
                if name.startswith("binary"):
                    want *= math.sqrt(2.0)
                check = f"{abs(got - want) / abs(want):.1e}"
            print(
                f"{name:<14}{n:>9}{value:>12.3f}{full:>13.3f}{ref['mergesort']:>12.3f}"
                f"{ref['avl']:>10.3f}{best / value:>9.1f}x{full / value:>12.2f}"
                f"{peak / n:>12.0f}{check:>10}"
            )
    print(
        f"\nmedians of {repeats} runs (dcor: {max(1, repeats // 2)}); speed-up = "
        "dcor's faster method / ours, both value only; peak B/row = tracemalloc "
        "peak / n of one value + SE + gradient evaluation."
    )


def _multivariate(n: int, repeats: int) -> None:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "region": rng.integers(0, 10, n),
            "age": rng.uniform(20, 70, n),
            "income": rng.lognormal(10, 0.5, n),
        }
    )
    x = rng.normal(size=n) + 0.02 * frame["age"].to_numpy()
    mat = np.column_stack(
        [
            np.eye(10)[frame["region"]],
            *[
                ((frame[c] - frame[c].min()) / np.ptp(frame[c])).to_numpy()
                for c in ("age", "income")
            ],
        ]
    )
    ours = _median_time(
        lambda: ccdcov(x, frame, test=None, se=False), max(1, repeats // 2)
    )
    tracemalloc.start()
    got = ccdcov(x, frame, test=None, se=False).estimate
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    t0 = time.perf_counter()
    want = dcor.u_distance_covariance_sqr(x, mat)
    naive = time.perf_counter() - t0
    print(
        f"\nmultivariate CCdCov (10-level + 2 continuous), n = {n}: ours (blocked) "
        f"{ours:.2f} s, peak {peak / n:.0f} B/row; dcor naive {naive:.2f} s; "
        f"rel.diff {abs(got - want) / abs(want):.1e}"
    )


def _penalised(n: int) -> None:
    rng = np.random.default_rng(2)
    m = 5000
    frame = pd.DataFrame(
        {"region": rng.integers(0, 10, m), "age": rng.uniform(20, 70, m)}
    )
    x = rng.normal(size=m) + 0.02 * frame["age"].to_numpy() + 0.1 * frame["region"]
    approx = dcov_gradient(x, frame).value
    exact = ccdcov(x, frame, test=None, se=False).estimate
    print(
        f"\nmixed penalty path (10-level + age) at n = {m}: value {approx:.10g}, "
        f"exact blocked {exact:.10g}, rel. error {abs(approx - exact) / exact:.1e}"
    )
    region = rng.integers(0, 10, n)
    age = rng.uniform(20, 70, n)
    X = np.column_stack(
        [rng.normal(size=n) + 0.03 * (age - 45), rng.normal(size=n) + 0.1 * region]
    )
    y = (X.sum(axis=1) + rng.logistic(size=n) > 0.5).astype(int)
    S = pd.DataFrame({"region": region, "age": age})
    print(f"penalised logistic fits at n = {n} (one continuous + one 10-level):")
    for penalty in ("ccdcov", "dcov"):
        t0 = time.perf_counter()
        model = DCovLogisticRegression(lambda_=5.0, penalty=penalty).fit(
            X, y, sensitive_features=S
        )
        took = time.perf_counter() - t0
        print(
            f"  penalty={penalty:<7} {took:6.1f} s  (n_iter={model.n_iter_}, "
            f"penalty value {model.penalty_value_:.3g}; target < 30 s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    sizes = [10**4, 10**5] if args.quick else [10**5, 10**6]
    _univariate(sizes, args.repeats)
    _multivariate(2000 if args.quick else 10_000, args.repeats)
    _penalised(10_000 if args.quick else 100_000)


if __name__ == "__main__":
    main()
