"""PD validation: back-test speed and the sizes and power of the tests.

One command::

    python benchmarks/bench_validation.py            # full sizes
    python benchmarks/bench_validation.py --quick    # fewer repeats / replicates

1. Speed: back-testing 1,000,000 obligors in 20 grades (``monitoring.backtest``
   from the rows: counting, then every per-grade and portfolio test), pinned
   to one CPU, median of 5 repeats, against the target of 2 s and against
   the spreadsheet way in Python (a boolean mask per grade, then scipy's
   ``binomtest`` and ``beta.cdf`` per grade), the only peer: no Python
   scorecard or monitoring library has these tests.
2. Seeded Monte Carlo at 5%: with correctly calibrated PDs, the size of each
   grade test (grades with at least 20 defaults expected) and of each
   portfolio test, which should lie in [3.5%, 6.5%]; with the PD
   underestimated by 30% (true default rate = PD / 0.7), the power.
3. The ECB AUC test: size under "current AUC = initial AUC" with the initial
   AUC fixed (binormal scores).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import time

import numpy as np
from scipy import stats

from monitoring import backtest, backtest_from_counts, ecb_auc_test

GRADE_PD = np.geomspace(0.001, 0.3, 20)


def _pin() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def _data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, GRADE_PD.size, n)
    y = (rng.random(n) < GRADE_PD[codes]).astype(np.int64)
    return y, codes + 1  # grades 1..20 as integers


def _spreadsheet(y: np.ndarray, grade: np.ndarray) -> list[tuple[float, float]]:
    out = []
    for k, p in enumerate(GRADE_PD, start=1):
        mask = grade == k
        n, d = int(mask.sum()), int(y[mask].sum())
        out.append(
            (
                stats.binomtest(d, n, p, alternative="greater").pvalue,
                stats.beta.cdf(p, d + 0.5, n - d + 0.5),
            )
        )
    return out


def speed(repeats: int) -> None:
    y, grade = _data(1_000_000, 0)
    pds = dict(zip(range(1, 21), GRADE_PD, strict=True))
    ours, peer = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        table, _ = backtest(y, grade, pds)
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        check = _spreadsheet(y, grade)
        peer.append(time.perf_counter() - t)
    np.testing.assert_allclose(table.binomial_pvalue, [c[0] for c in check], rtol=1e-8)
    np.testing.assert_allclose(table.jeffreys_pvalue, [c[1] for c in check], rtol=1e-8)
    a, b = statistics.median(ours), statistics.median(peer)
    print(
        f"1. Back-test of 1,000,000 obligors x 20 grades (one CPU, median of {repeats})"
    )
    print(
        f"   infoscore backtest (all tests)      {a:8.3f} s   target < 2 s: "
        f"{'met' if a < 2 else 'MISSED'} ({a / 2:.2f} of the budget)"
    )
    print(f"   per-grade masks + scipy (2 tests)    {b:8.3f} s   ratio {b / a:.1f}x")


def _grade_rates(n, p, true, reps, rng):
    d = rng.binomial(np.repeat(n, reps), np.repeat(true, reps))
    table, _ = backtest_from_counts(
        np.repeat(n, reps), d, np.repeat(p, reps), grades=range(d.size)
    )
    rates = {}
    for name in ("jeffreys_pvalue", "binomial_pvalue", "normal_pvalue"):
        rejected = getattr(table, name).reshape(len(n), reps, order="F") < 0.05
        rates[name.removesuffix("_pvalue")] = rejected.mean(axis=1)
    return rates


def monte_carlo(reps_grade: int, reps_portfolio: int) -> None:
    rng = np.random.default_rng(20240601)
    p = np.array([0.002, 0.005, 0.01, 0.03, 0.1, 0.25])
    n = np.array([10_000, 4_000, 2_000, 1_000, 300, 100])  # 20 to 40 expected
    print(
        f"\n2. Seeded Monte Carlo at 5% (grade tests: {reps_grade:,} replicates per "
        f"grade; portfolio: {reps_portfolio:,})"
    )
    print("   grade PD        " + "".join(f"{x:>9.3f}" for x in p))
    print("   expected defaults" + "".join(f"{x:>9.0f}" for x in n * p))
    for label, true in (("size", p), ("power (PD = 0.7 x true DR)", p / 0.7)):
        rates = _grade_rates(n, p, true, reps_grade, rng)
        print(f"   {label}:")
        for name, r in rates.items():
            band = (
                ("  in [3.5%, 6.5%]" if np.all((r >= 0.035) & (r <= 0.065)) else "")
                if label == "size"
                else ""
            )
            print(f"     {name:<9}" + "".join(f"{x:>9.2%}" for x in r) + band)
    for label, true in (("size", p), ("power", p / 0.7)):
        rejected = np.zeros(3)
        for _ in range(reps_portfolio):
            _, port = backtest_from_counts(n, rng.binomial(n, true), p)
            rejected += [t.pvalue < 0.05 for t in port.tests]
        shown = ", ".join(
            f"{t} {r:.2%}"
            for t, r in zip(
                ("Hosmer-Lemeshow", "Spiegelhalter", "binomial total"),
                rejected / reps_portfolio,
                strict=True,
            )
        )
        print(f"   portfolio {label}: {shown}")


def ecb_size(reps: int) -> None:
    rng = np.random.default_rng(16)
    delta = 1.0
    true_auc = stats.norm.cdf(delta / math.sqrt(2))
    n_bad, n_good = 200, 1800
    y = np.r_[np.ones(n_bad, int), np.zeros(n_good, int)]
    rejected = 0
    for _ in range(reps):
        score = np.r_[rng.normal(-delta, 1, n_bad), rng.normal(0, 1, n_good)]
        rejected += ecb_auc_test(y, score, initial_auc=true_auc).pvalue < 0.05
    rate = rejected / reps
    se = math.sqrt(0.05 * 0.95 / reps)
    print(
        f"\n3. ECB AUC test, initial AUC fixed at the true {true_auc:.4f} "
        f"({n_bad} bads, {n_good} goods, {reps:,} replicates)"
    )
    print(f"   size at 5%: {rate:.2%} (MC SE {se:.2%})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer replicates")
    args = parser.parse_args()
    _pin()
    speed(2 if args.quick else 5)
    monte_carlo(20_000 if args.quick else 100_000, 500 if args.quick else 5_000)
    ecb_size(500 if args.quick else 5_000)


if __name__ == "__main__":
    main()
