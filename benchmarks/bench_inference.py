"""Calibration benchmark of the spine's inference (issue 13): SE/SD, coverage, size.

Run: ``python benchmarks/bench_inference.py`` (every table; over an hour on
a loaded 2-core machine), ``--quick`` (a smoke run of every table, a few
minutes), or one table: ``--part spine`` (about 10 minutes), ``--part weights``
(every weight kind x IV/JS/PSI/AIR/AUC, 1,000 replications per kind, about
5 minutes; ``--reps`` and one ``--n`` apply), ``--part size``,
``--part split`` (the sample-splitting interval, 300 replications per
cell), ``--part coverage`` (``--n 20000 --reps 120`` for one cell row, about 15
minutes) or ``--part cost`` (the 22 x 200,000 budget case).

Every figure comes from seeded resampling of a synthetic population made
here: fixed-bin features (weak, strong, two-bin, missing-heavy, noise), a
reference/current pair for PSI (no drift, small drift, small batches), three
kinds of sample weights (survey weights summing to n, to the population size,
case-control goods x 4) and the chance constraint. For each statistic and
setting it prints the truth, the ratio of the mean reported SE to the
sampling SD, the coverage of the 95% ncx2 intervals (the unified belt, the
default, and the equal-tailed one) and of the Wald interval, and
the rejection rate of the 5% test (the size where the truth is 0). The
weight-kind table (survey weights summing to n or N, case-control and
frequency weights, each against IV, JS, PSI, the AIR of ``fairness.assess``
and the weighted AUC) comes from ``benchmarks/_inference_weights.py``. The
inference-after-binning tables come from ``benchmarks/_inference_binning.py``
(size of the selection-adjusted test given the feature; coverage of the
default interval for the fresh-data IV of same-sample bins, with the binomial
Monte Carlo SE of every coverage) and ``benchmarks/_inference_cost.py`` (the
cost budget, medians of 3 runs).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from scorecard import (
    DataConditionWarning,
    chance_constraint,
    count_codes,
    information_value,
    jensen_shannon,
    psi,
)
from scorecard._stats._inference import bootstrap_interval

SEED = 20261201
Z = 1.959963984540054


def _jeffreys(p: np.ndarray, q: np.ndarray) -> float:
    return float(np.sum((p - q) * np.log(p / q)))


def _js(p: np.ndarray, q: np.ndarray) -> float:
    m = (p + q) / 2
    return float(0.5 * np.sum(p * np.log(p / m)) + 0.5 * np.sum(q * np.log(q / m)))


def _cover(ci: np.ndarray, truth: float) -> float:
    return float(np.mean((ci[:, 0] <= truth) & (truth <= ci[:, 1])))


def _row(stat, setting, n, truth, res, *, test_is_size=False, alpha=0.05):
    est = np.asarray(res.estimate)
    sd = est.std(ddof=1)
    unified = res.ci(alpha, method="ncx2")
    equal = res.ci(alpha, method="ncx2_equal_tailed")
    wald = res.ci(alpha, method="wald")
    return {
        "statistic": stat,
        "setting": setting,
        "n": n,
        "truth": truth,
        "se/sd": float(np.mean(res.se) / sd) if sd > 0 else np.nan,
        "cover_unified": _cover(unified, truth),
        "cover_eq_tailed": _cover(equal, truth),
        "cover_wald": _cover(wald, truth),
        "reject_5%": float(np.mean(np.asarray(res.pvalue) < alpha)),
        "is_size": test_is_size,
    }


# --------------------------------------------------------------------------
# fixed bins, frequency counts

FEATURES = {
    # name: (good shares p, bad shares q)
    "two-bin weak": ([0.5, 0.5], [0.45, 0.55]),
    "weak 5-bin": ([0.2, 0.2, 0.2, 0.2, 0.2], [0.17, 0.19, 0.2, 0.21, 0.23]),
    "strong 5-bin": ([0.3, 0.25, 0.2, 0.15, 0.1], [0.1, 0.15, 0.2, 0.25, 0.3]),
    "missing-heavy": ([0.42, 0.2, 0.2, 0.18], [0.5, 0.2, 0.17, 0.13]),
    "noise 4-bin": ([0.25] * 4, [0.25] * 4),
}
BAD_RATE = 0.15


def _draw_cells(rng, n, p, q, reps):
    probs = np.concatenate([(1 - BAD_RATE) * p, BAD_RATE * q])
    cells = rng.multinomial(n, probs, size=reps).astype(float)
    return cells[:, : p.size], cells[:, p.size :]


def fixed_bins(reps: int, sizes: tuple[int, ...]) -> list[dict]:
    rng = np.random.default_rng(SEED)
    rows = []
    for n in sizes:
        for name, (p, q) in FEATURES.items():
            p, q = np.asarray(p), np.asarray(q)
            g, b = _draw_cells(rng, n, p, q, reps)
            null = name.startswith("noise")
            rows.append(
                _row(
                    "IV",
                    name,
                    n,
                    _jeffreys(p, q),
                    information_value(g, b),
                    test_is_size=null,
                )
            )
            rows.append(
                _row("JS", name, n, _js(p, q), jensen_shannon(g, b), test_is_size=null)
            )
    return rows


def psi_rows(reps: int) -> list[dict]:
    rng = np.random.default_rng(SEED + 1)
    e = np.array([0.1, 0.15, 0.2, 0.25, 0.15, 0.15])
    small = np.array([0.11, 0.15, 0.19, 0.24, 0.16, 0.15])  # tiny drift
    rows = []
    for label, a in (("no drift", e), ("small drift", small)):
        for n, m in ((5000, 1000), (20000, 5000)):
            ref = rng.multinomial(n, e, size=reps).astype(float)
            cur = rng.multinomial(m, a, size=reps).astype(float)
            res = psi(ref, cur, test="chi2")
            rows.append(
                _row(
                    "PSI",
                    f"{label}, m/n={m / n:.2f}",
                    n + m,
                    _jeffreys(a, e),
                    res,
                    test_is_size=label == "no drift",
                )
            )
    # Small batches (expected counts < 5): Monte Carlo p-values (test="auto").
    rare = np.array([0.02, 0.08, 0.3, 0.4, 0.17, 0.03])
    ref = rng.multinomial(20000, rare, size=reps).astype(float)
    cur = rng.multinomial(100, rare, size=reps).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        auto = psi(ref, cur, reference="sample", smoothing=0.5)
        chi = psi(ref, cur, reference="sample", smoothing=0.5, test="chi2")
    for label, res in (("batch 100, auto (MC)", auto), ("batch 100, chi2", chi)):
        row = _row("PSI", label, 20100, 0.0, res, test_is_size=True)
        rows.append(row)
    # Fixed reference that is really a sample: the reason for the warning.
    for ratio in (0.05, 0.2, 0.5):
        n = 10000
        ref = rng.multinomial(n, e, size=reps).astype(float)
        cur = rng.multinomial(int(n * ratio), e, size=reps).astype(float)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataConditionWarning)
            res = psi(ref, cur, reference="fixed", test="chi2")
        rows.append(
            _row(
                "PSI",
                f"fixed ref, m/n={ratio}",
                int(n * (1 + ratio)),
                0.0,
                res,
                test_is_size=True,
            )
        )
    return rows


# --------------------------------------------------------------------------
# sample weights

N_POP = 200_000


def _population(rng, shift=0.0):
    """Population rows: a 5-bin feature, the target and a design variable."""
    bins = rng.choice(5, size=N_POP, p=[0.3, 0.25, 0.2, 0.15, 0.1])
    bins = np.where(rng.random(N_POP) < shift, rng.integers(0, 5, N_POP), bins)
    logit = -2.4 + 0.35 * bins
    y = (rng.random(N_POP) < 1 / (1 + np.exp(-logit))).astype(np.int64)
    # Inclusion propensity depends on the bin, the class and noise.
    u = 0.25 * bins + 0.6 * y + rng.normal(0, 0.5, N_POP)
    prob = np.exp(0.9 * u)
    return bins, y, prob / prob.sum()


def _weighted_sample(rng, pop, n, kind):
    bins, y, prob = pop
    if kind == "case-control goods x4":
        bad_rows, good_rows = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
        n_b = int(round(n * 0.3))
        idx = np.concatenate(
            [rng.choice(bad_rows, n_b), rng.choice(good_rows, n - n_b)]
        )
        w = np.where(y[idx] == 1, 1.0, 4.0)
        return idx, w
    idx = rng.choice(N_POP, size=n, p=prob)
    w = 1 / prob[idx]
    scale = n if kind == "survey, sum n" else N_POP
    return idx, w * scale / w.sum()


def _tables(bins, y, idx, w):
    cnt = count_codes(bins[idx], y[idx], n_bins=5, n_classes=2, sample_weight=w)[0]
    sq = count_codes(bins[idx], y[idx], n_bins=5, n_classes=2, sample_weight=w**2)[0]
    return cnt, sq


def weighted_rows(reps: int, n: int) -> list[dict]:
    rng = np.random.default_rng(SEED + 2)
    pop = _population(rng)
    bins, y, _ = pop
    p = np.bincount(bins[y == 0], minlength=5) / np.sum(y == 0)
    q = np.bincount(bins[y == 1], minlength=5) / np.sum(y == 1)
    truth_iv = _jeffreys(p, q)
    current = _population(np.random.default_rng(SEED + 3), shift=0.25)
    e = np.bincount(bins, minlength=5) / N_POP
    a = np.bincount(current[0], minlength=5) / N_POP
    truth_psi = _jeffreys(a, e)
    rows = []
    for kind in ("survey, sum n", "survey, sum N", "case-control goods x4"):
        g = np.empty((reps, 5))
        b, gs, bs = g.copy(), g.copy(), g.copy()
        ref, cur, ref_sq, cur_sq = g.copy(), g.copy(), g.copy(), g.copy()
        for r in range(reps):
            idx, w = _weighted_sample(rng, pop, n, kind)
            cnt, sq = _tables(bins, y, idx, w)
            g[r], b[r], gs[r], bs[r] = cnt[:, 0], cnt[:, 1], sq[:, 0], sq[:, 1]
            if kind != "case-control goods x4":
                ref[r], ref_sq[r] = cnt.sum(1), sq.sum(1)
                idx2, w2 = _weighted_sample(rng, current, n, kind)
                c2, s2 = _tables(current[0], current[1], idx2, w2)
                cur[r], cur_sq[r] = c2.sum(1), s2.sum(1)
        lin = information_value(g, b, goods_sq=gs, bads_sq=bs, weight_kind="sampling")
        freq = information_value(g, b, weight_kind="frequency")
        rows.append(_row("IV", f"weights {kind}, linearised", n, truth_iv, lin))
        rows.append(_row("IV", f"weights {kind}, as frequencies", n, truth_iv, freq))
        if kind != "case-control goods x4":
            res = psi(
                ref,
                cur,
                expected_sq=ref_sq,
                actual_sq=cur_sq,
                weight_kind="sampling",
                test="chi2",
            )
            rows.append(
                _row("PSI", f"weights {kind}, linearised", 2 * n, truth_psi, res)
            )
    return rows


# --------------------------------------------------------------------------
# bootstrap interval and the chance constraint


def bootstrap_rows(reps: int) -> list[dict]:
    rng = np.random.default_rng(SEED + 4)
    rows = []
    for name in ("weak 5-bin", "two-bin weak", "strong 5-bin"):
        p, q = (np.asarray(v) for v in FEATURES[name])
        truth = _jeffreys(p, q)
        g, b = _draw_cells(rng, 1000, p, q, reps)
        res = information_value(g, b)
        # The removed ci(method="bootstrap"), kept here to show why it went.
        ci = bootstrap_interval(
            "IV",
            res.first,
            res.second,
            res.estimate,
            smoothing=0.5,
            reference_fixed=False,
            alpha=0.05,
            n_boot=999,
            rng=np.random.default_rng(1),
        )
        rows.append(
            {
                "statistic": "IV bootstrap (basic, removed)",
                "setting": name,
                "n": 1000,
                "truth": truth,
                "se/sd": np.nan,
                "cover_unified": np.nan,
                "cover_eq_tailed": np.nan,
                "cover_wald": np.nan,
                "cover_bootstrap": _cover(ci, truth),
                "reject_5%": np.nan,
                "is_size": False,
            }
        )
    return rows


def constraint_rows(reps: int) -> list[dict]:
    """Share of samples declared fair (IV < eps) at true IV = eps and eps/2."""
    rng = np.random.default_rng(SEED + 5)
    eps = 0.02
    base = np.array([0.3, 0.25, 0.2, 0.15, 0.1])
    direction = np.array([-1.0, -0.5, 0.0, 0.5, 1.0])
    rows = []
    for target, label in ((eps, "size (IV = eps)"), (eps / 2, "power (IV = eps/2)")):
        # Find the tilt giving the target IV between two groups.
        lo, hi = 0.0, 1.0
        for _ in range(60):
            mid = (lo + hi) / 2
            q = base * np.exp(mid * direction)
            q /= q.sum()
            lo, hi = (mid, hi) if _jeffreys(base, q) < target else (lo, mid)
        for n in (1000, 5000):
            g = rng.multinomial(n // 2, base, size=reps).astype(float)
            h = rng.multinomial(n // 2, q, size=reps).astype(float)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DataConditionWarning)
                iv = information_value(g, h)
            for method in ("ncx2", "bias_corrected", "plugin"):
                sat = chance_constraint(iv, eps=eps, method=method).satisfied
                rows.append(
                    {
                        "statistic": f"chance constraint {method}",
                        "setting": label,
                        "n": n,
                        "truth": _jeffreys(base, q),
                        "se/sd": np.nan,
                        "cover_unified": np.nan,
                        "cover_eq_tailed": np.nan,
                        "cover_wald": np.nan,
                        "reject_5%": float(np.mean(sat)),
                        "is_size": label.startswith("size"),
                    }
                )
    return rows


def _sibling(name: str):
    sys.path.insert(0, str(Path(__file__).parent))
    import importlib

    return importlib.import_module(name)


def spine_rows(quick: bool) -> pd.DataFrame:
    """Fixed bins, PSI, weights, the removed bootstrap, the chance constraint."""
    reps = 300 if quick else 2000
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        rows = fixed_bins(reps, (1000, 5000) if quick else (1000, 5000, 20000))
    rows += psi_rows(reps)
    rows += weighted_rows(100 if quick else 1000, 5000)
    rows += bootstrap_rows(60 if quick else 300)
    rows += constraint_rows(reps)
    print(
        f"Seeded resampling ({'quick' if quick else 'full'}: {reps} replications per "
        f"cell, weights {100 if quick else 1000}); 95% intervals, 5% tests"
    )
    return pd.DataFrame(rows)


def _show(title: str, table: pd.DataFrame, digits: int = 4) -> None:
    print(f"\n== {title}")
    with pd.option_context("display.width", 200, "display.max_rows", 500):
        print(table.to_string(index=False, float_format=lambda v: f"{v:.{digits}f}"))


PARTS = ("all", "spine", "weights", "size", "coverage", "split", "cost")


def main(
    quick: bool,
    part: str = "all",
    ns: tuple[int, ...] | None = None,
    reps: int | None = None,
) -> dict[str, pd.DataFrame]:
    """Print the tables of ``part`` (``"all"``: every one, in order)."""
    start = time.perf_counter()
    out: dict[str, pd.DataFrame] = {}
    if part in ("all", "spine"):
        out["spine"] = spine_rows(quick)
        _show("spine: fixed bins, PSI, weights, bootstrap, chance", out["spine"])
    if part in ("all", "weights"):
        weights = _sibling("_inference_weights")
        one = part == "weights"
        out["weights"] = weights.run(
            quick,
            reps=reps if one else None,
            n=ns[0] if one and ns else 2000,
        )
        _show("weighted IV/JS/PSI/AIR/AUC by weight kind", out["weights"])
    binning = _sibling("_inference_binning")
    if part in ("all", "size"):
        out["size"] = binning.run(quick, "size", ns=ns)
        _show("selection-adjusted test after same-sample binning", out["size"])
    if part in ("all", "coverage"):
        out["coverage"] = binning.run(quick, "coverage", ns=ns, reps=reps)
        _show(
            "default interval for the fresh-data IV of the fitted bins",
            out["coverage"],
            3,
        )
    if part in ("all", "split"):
        out["split"] = binning.run(quick, "split", ns=ns, reps=reps)
        _show("sample-splitting interval (inference='split')", out["split"], 3)
    if part in ("all", "cost"):
        cost = _sibling("_inference_cost")
        out["cost"] = cost.run(quick)
        _show("cost: default fit + information_table() / plain fit", out["cost"], 2)
    print(f"\n{time.perf_counter() - start:.0f} s")
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer replications")
    parser.add_argument(
        "--part", choices=PARTS, default="all", help="which table (default all)"
    )
    parser.add_argument(
        "--n",
        type=int,
        action="append",
        help="sample size of the size/coverage rows (repeatable)",
    )
    parser.add_argument("--reps", type=int, help="replications per coverage cell")
    args = parser.parse_args()
    main(args.quick, args.part, tuple(args.n) if args.n else None, args.reps)
