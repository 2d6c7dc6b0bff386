"""Calibration of inference after binning (issue 13, item 1).

Seeded resampling from populations generated here, one feature of each kind:
``weak`` (true IV about 0.015), ``strong`` (about 0.5), ``two_bin`` (a binary
feature, IV about 0.02), ``missing_heavy`` (70% missing, weak effect) and
``noise``. For every cell it reports

- ``size``: rejection rate at 5% of the test of no information, with labels
  independent of every feature (the ``null`` populations): the
  selection-adjusted permutation test (``pvalue``), the old chi-square test on
  the same-sample bins (``pvalue_conditional``) and the split test;
- ``coverage``: how often the 95% interval covers the IV of the fitted bins
  on fresh data (computed on a large population sample): the split interval
  (``iv_split``) and the bias-reduced bootstrap interval (``iv_adjusted``),
  beside the old conditional Wald interval;
- ``se_over_sd``: the reported SE (for bootstrap intervals the half-width over
  1.96) over the Monte Carlo SD of ``estimate - target``.

Run alone: ``python benchmarks/_inference_binning.py`` (``--quick`` for a
smoke run). ``bench_inference.py`` calls :func:`run`.
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np
import pandas as pd

from scorecard import StumpBinner
from scorecard._binning._inference import selection_inference

KINDS = ("weak", "strong", "two_bin", "missing_heavy", "noise")
_SLOPE = {
    "weak": 0.25,
    "strong": 1.6,
    "two_bin": 0.6,
    "missing_heavy": 0.5,
    "noise": 0.0,
}
_BASE = -2.4  # about 9% bad


def _features(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    if kind == "two_bin":
        return (rng.random(n) < 0.3).astype(np.float64)
    x = rng.normal(size=n)
    if kind == "missing_heavy":
        x[rng.random(n) < 0.7] = np.nan
    return x


def _labels(
    kind: str, x: np.ndarray, rng: np.random.Generator, null: bool
) -> np.ndarray:
    eta = np.full(x.size, _BASE)
    if not null:
        z = np.nan_to_num(x, nan=-1.0)  # missing values carry risk too
        eta = _BASE + _SLOPE[kind] * z
    return (rng.random(x.size) < 1 / (1 + np.exp(-eta))).astype(np.int64)


def _draw(n: int, rng: np.random.Generator, null: bool) -> tuple[pd.DataFrame, dict]:
    X = pd.DataFrame({k: _features(k, n, rng) for k in KINDS})
    ys = {k: _labels(k, X[k].to_numpy(), rng, null) for k in KINDS}
    return X, ys


def _fresh_iv(fb, x: np.ndarray, y: np.ndarray) -> float:
    """IV of fixed bins on a large population sample (the target)."""
    codes = fb.assign(x)
    bads = np.bincount(codes, weights=y, minlength=fb.n_bins)
    rows = np.bincount(codes, minlength=fb.n_bins).astype(np.float64)
    goods = rows - bads
    keep = rows > 0
    p, q = goods[keep] / goods.sum(), bads[keep] / bads.sum()
    ok = (p > 0) & (q > 0)
    return float(np.sum((p[ok] - q[ok]) * np.log(p[ok] / q[ok])))


def _fit(kind: str, x: np.ndarray, y: np.ndarray, **kw) -> StumpBinner:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return StumpBinner(**kw).fit(pd.DataFrame({kind: x}), y)


def _table(binner: StumpBinner) -> pd.Series:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return binner.information_table().iloc[0]


def _size_rows(ns, reps, n_perm, seed) -> list[dict]:
    rows = []
    for n in ns:
        rng = np.random.default_rng([seed, n, 0])
        hits = {
            (k, m): [] for k in KINDS for m in ("selection", "conditional", "split")
        }
        for r in range(reps):
            X, ys = _draw(n, rng, null=True)
            for k in KINDS:
                x, y = X[k].to_numpy(), ys[k]
                b = _fit(k, x, y, n_permutations=0, random_state=r)
                t = _table(b)
                searches, params, data, _ = b._search_state_
                sel = selection_inference(
                    searches[0],
                    params,
                    b.smoothing,
                    n_resamples=n_perm,
                    random_state=[seed, n, r],
                    bootstrap=False,
                )
                hits[(k, "selection")].append(sel.pvalue <= 0.05)
                hits[(k, "conditional")].append(t["pvalue_conditional"] <= 0.05)
                ts = _table(
                    _fit(k, x, y, inference="split", n_permutations=0, random_state=r)
                )
                hits[(k, "split")].append(ts["pvalue"] <= 0.05)
        for (k, m), v in hits.items():
            rows.append(
                {
                    "statistic": f"no-information test ({m})",
                    "setting": f"null, {k}",
                    "n": n,
                    "se_over_sd": np.nan,
                    "coverage": np.nan,
                    "size": float(np.mean(v)),
                    "reps": len(v),
                }
            )
    return rows


def _coverage_rows(ns, reps, n_perm, seed, pop_n) -> list[dict]:
    rows = []
    prng = np.random.default_rng([seed, 99])
    popX, popy = _draw(pop_n, prng, null=False)
    for n in ns:
        rng = np.random.default_rng([seed, n, 1])
        rec = {
            (k, m): {"est": [], "se": [], "cov": [], "target": []}
            for k in KINDS
            if k != "noise"
            for m in ("split", "adjusted", "conditional")
        }
        for r in range(reps):
            X, ys = _draw(n, rng, null=False)
            for k in KINDS:
                if k == "noise":
                    continue
                x, y = X[k].to_numpy(), ys[k]
                px, py = popX[k].to_numpy(), popy[k]
                b = _fit(k, x, y, n_permutations=n_perm, random_state=r)
                t = _table(b)
                target = _fresh_iv(b.bins_[k], px, py)
                for m, est, lo, hi, se in (
                    (
                        "adjusted",
                        t["iv_adjusted"],
                        t["ci_low"],
                        t["ci_high"],
                        (t["ci_high"] - t["ci_low"]) / 3.92,
                    ),
                    (
                        "conditional",
                        t["iv"],
                        t["ci_low_conditional"],
                        t["ci_high_conditional"],
                        t["se"],
                    ),
                ):
                    d = rec[(k, m)]
                    d["est"].append(est)
                    d["se"].append(se)
                    d["target"].append(target)
                    d["cov"].append(lo <= target <= hi)
                bs = _fit(
                    k,
                    x,
                    y,
                    inference="split",
                    refit=False,
                    n_permutations=0,
                    random_state=r,
                )
                ts = _table(bs)
                target = _fresh_iv(bs.bins_[k], px, py)
                d = rec[(k, "split")]
                d["est"].append(ts["iv_split"])
                d["se"].append(ts["se_split"])
                d["target"].append(target)
                d["cov"].append(ts["ci_low"] <= target <= ts["ci_high"])
        for (k, m), d in rec.items():
            err = np.asarray(d["est"]) - np.asarray(d["target"])
            sd = float(np.std(err, ddof=1))
            rows.append(
                {
                    "statistic": f"IV of fitted bins on fresh data ({m})",
                    "setting": k,
                    "n": n,
                    "se_over_sd": float(np.mean(d["se"]) / sd) if sd > 0 else np.nan,
                    "coverage": float(np.mean(d["cov"])),
                    "size": np.nan,
                    "reps": len(d["cov"]),
                }
            )
    return rows


def run(quick: bool = False, part: str = "all") -> pd.DataFrame:
    """Size and coverage table of inference after binning.

    Parameters
    ----------
    quick : bool, default=False
        Few replicates and small samples (a smoke run).
    part : {"all", "size", "coverage"}, default="all"
        Which half of the table (the halves can run in two processes).

    Returns
    -------
    DataFrame
        Columns ``statistic, setting, n, se_over_sd, coverage, size, reps``.
    """
    if quick:
        ns, size_reps, cov_reps, n_perm, pop_n = (1000,), 4, 2, 19, 50_000
    else:
        ns, size_reps, cov_reps, n_perm, pop_n = (
            (1000, 5000, 20000),
            80,
            30,
            99,
            400_000,
        )
    # The size of a permutation test is exact for any number B of
    # permutations with 0.05 (B + 1) whole; B = 39 keeps the replicates
    # affordable (the default 199 only makes the p-value finer).
    rows = []
    if part in ("all", "size"):
        rows += _size_rows(ns, size_reps, 39 if not quick else 19, seed=13)
    if part in ("all", "coverage"):
        rows += _coverage_rows(ns, cov_reps, n_perm, seed=13, pop_n=pop_n)
    return pd.DataFrame(rows)


def main() -> None:
    quick = "--quick" in sys.argv
    part = next((a.split("=")[1] for a in sys.argv if a.startswith("--part=")), "all")
    start = time.perf_counter()
    table = run(quick=quick, part=part)
    with pd.option_context("display.width", 200, "display.max_rows", 500):
        print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
