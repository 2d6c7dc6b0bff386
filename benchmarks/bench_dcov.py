"""Distance covariance: infoscore value + gradient vs dcor's fastest value-only method.

Run: python benchmarks/bench_dcov.py [--repeats 5]

Cases (U-statistic): binary attribute at n = 1e5 and 1e6, 10-level
categorical at n = 1e6. infoscore times value AND gradient with respect to
the predictions; dcor times the value only, with its two O(n log n) methods
("mergesort" and "avl", compiled by numba; warmed up first), and the faster
one is the reference. dcor gets the attribute as a numeric column: for a
binary attribute 0/1 codes (distance 1, so values differ from ours by the
one-hot factor sqrt(2)); a 10-level categorical has no univariate numeric
form with the one-hot distance, so dcor's O(n log n) methods compute dCov
with the codes 0..9 (a different statistic, same input size) - the timing
comparison is of like-sized work, the value check is done for binary only.
Peak memory: tracemalloc peak of NumPy allocations during one infoscore call.
"""

from __future__ import annotations

import argparse
import math
import time
import tracemalloc

import dcor
import numpy as np

from fairness._dcov._backends import _Categorical
from fairness._dcov._engine import _evaluate


def _median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    cases = [("binary", 10**5, 2), ("binary", 10**6, 2), ("categorical-10", 10**6, 10)]
    # warm up numba
    for method in ("mergesort", "avl"):
        dcor.u_distance_covariance_sqr(
            rng.normal(size=100), rng.normal(size=100), method=method
        )
    rows = []
    for name, n, levels in cases:
        codes = rng.integers(0, levels, n)
        x = rng.normal(size=n) + 0.2 * codes
        attr = _Categorical(codes, levels, math.sqrt(2.0))
        ours = _median_time(
            lambda x=x, attr=attr: _evaluate(x, attr, "U", need_grad=True),
            args.repeats,
        )
        tracemalloc.start()
        ev = _evaluate(x, attr, "U", need_grad=True)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        y = codes.astype(np.float64)
        ref = {}
        for method in ("mergesort", "avl"):
            ref[method] = _median_time(
                lambda m=method, x=x, y=y: dcor.u_distance_covariance_sqr(
                    x, y, method=m
                ),
                max(1, args.repeats // 2),
            )
        best = min(ref, key=ref.get)
        check = ""
        if levels == 2:
            want = dcor.u_distance_covariance_sqr(x, y, method=best) * math.sqrt(2.0)
            check = f"{abs(ev.value - want) / abs(want):.1e}"
        rows.append(
            (
                name,
                n,
                ours,
                ref["mergesort"],
                ref["avl"],
                best,
                ref[best] / ours,
                peak / n,
                check,
            )
        )
    header = (
        f"{'case':<16}{'n':>9}{'ours v+g s':>12}{'dcor merge s':>14}{'dcor avl s':>12}"
        f"{'speed-up':>10}{'peak B/row':>12}{'rel.diff':>10}"
    )
    print(header)
    print("-" * len(header))
    for name, n, ours, merge, avl, _best, ratio, per_row, check in rows:
        print(
            f"{name:<16}{n:>9}{ours:>12.3f}{merge:>14.3f}{avl:>12.3f}"
            f"{ratio:>9.1f}x{per_row:>12.0f}{check:>10}"
        )
    print(
        f"\nmedians of {args.repeats} runs (dcor: {max(1, args.repeats // 2)}); "
        "speed-up = dcor's faster method (value only) / ours (value + gradient); "
        "peak B/row = tracemalloc peak / n (constant in n means O(n) memory)."
    )


if __name__ == "__main__":
    main()
