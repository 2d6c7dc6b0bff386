"""Benchmark: IV with SE and PSI with SE for 10,000 features x 20 bins in one call.

Run: ``python benchmarks/bench_information.py``. Target (issue 2): < 0.1 s each.
Also prints the Monte Carlo check of docs/methodology.md (J=5, n_G=17,000,
n_B=3,000): sampling SD of IV against the mean delta and paper SEs, Wald coverage
and the size of the chi-square and paper-Z tests under the null.
"""

from __future__ import annotations

import time
import warnings

import numpy as np

from scorecard import DataConditionWarning, information_value, psi


def _median_time(fn, repeats=7):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def speed() -> None:
    rng = np.random.default_rng(0)
    goods = rng.gamma(2.0, 500.0, size=(10_000, 20)).round() + 1
    bads = rng.gamma(2.0, 40.0, size=(10_000, 20)).round() + 1
    current = rng.gamma(2.0, 500.0, size=(10_000, 20)).round() + 1
    t_iv = _median_time(lambda: information_value(goods, bads).ci())
    t_psi = _median_time(lambda: psi(goods, current).ci())
    t_wald = _median_time(lambda: information_value(goods, bads).ci(method="wald"))
    print("10,000 features x 20 bins, one vectorised call (median of 7)")
    print(f"  IV  + SE + CI + test: {t_iv * 1000:7.1f} ms   target < 100 ms")
    print(f"  PSI + SE + CI + test: {t_psi * 1000:7.1f} ms   target < 100 ms")
    print(f"  IV with the Wald CI:  {t_wald * 1000:7.1f} ms   (ncx2 CI is the default)")


def monte_carlo(reps: int = 20_000) -> None:
    p = np.array([0.30, 0.25, 0.20, 0.15, 0.10])
    q = np.array([0.12, 0.18, 0.22, 0.23, 0.25])
    n_g, n_b = 17_000, 3_000
    rng = np.random.default_rng(20261130)
    goods = rng.multinomial(n_g, p, size=reps).astype(float)
    bads = rng.multinomial(n_b, q, size=reps).astype(float)
    truth = float(np.sum((p - q) * np.log(p / q)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        delta = information_value(goods, bads, se_method="delta")
        corrected = information_value(goods, bads)
        paper = information_value(goods, bads, se_method="paper", test="paper_z")
    sd = delta.estimate.std(ddof=1)
    ci = delta.ci(method="wald")
    cover = np.mean((ci[:, 0] <= truth) & (truth <= ci[:, 1]))
    ci_n = corrected.ci()
    cover_n = np.mean((ci_n[:, 0] <= truth) & (truth <= ci_n[:, 1]))
    print(f"\nMonte Carlo, {reps} replications, true IV {truth:.4f}")
    print(
        f"  sampling SD {sd:.4f}; mean delta SE {delta.se.mean():.4f} "
        f"(ratio {delta.se.mean() / sd:.3f}); mean paper SE {paper.se.mean():.4f} "
        f"(ratio {paper.se.mean() / sd:.3f})"
    )
    print(f"  95% Wald coverage (delta): {cover:.4f}; ncx2 (default): {cover_n:.4f}")
    print(
        f"  mean corrected SE (default) {corrected.se.mean():.4f} "
        f"(ratio {corrected.se.mean() / sd:.3f})"
    )
    null_b = rng.multinomial(n_b, p, size=reps).astype(float)
    null_g = rng.multinomial(n_g, p, size=reps).astype(float)
    chi2 = information_value(null_g, null_b)
    z = information_value(null_g, null_b, se_method="paper", test="paper_z")
    print(
        f"  null rejection at 5%: chi2 {np.mean(chi2.pvalue < 0.05):.4f}, "
        f"paper Z {np.mean(z.pvalue < 0.05):.4f}"
    )


if __name__ == "__main__":
    speed()
    monte_carlo()
