"""Distance covariance: infoscore against dcor's fastest method, in one run.

Run: python benchmarks/bench_dcov.py [--repeats 3] [--quick] [--no-numba]
[--sections univariate,penalty,...] [--clock wall|cpu]

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
mixed penalty path against the exact blocked value at n = 5000; the
penalty with three and four continuous attributes (average over 64
quasi-uniform projections, approximate) against the exact value and
gradient; a seeded Monte Carlo of dCor^2 near independence (coverage of the
jackknife Wald interval, how often ``ci()`` reports an interval and its
coverage then); DCovLogisticRegression and DCovGLM (poisson) fits.

Penalty call (section ``penalty``): the time of one ``_Penalty.__call__``
(value and gradient, what the fair boosted scorecard pays per boosting
round) at n = 1e5 for a SimuCredit-like race (5 levels) x gender (2 levels)
attribute (ccdcov over the intersection cells, dcov, jdcov), one continuous
attribute (age) and race + age (the mixed path), each beside one XGBoost
depth-1 round with a custom objective on the same n (``xgboost.train`` with
``obj=``, one round, ``nthread=1``); medians of 20 calls.

``--no-numba`` sets ``INFOSCORE_NO_NUMBA=1`` (the default install has no
numba; the ``fast`` extra adds it).
"""

from __future__ import annotations

import argparse
import math
import os
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import dcor
import numpy as np
import pandas as pd

from fairness import (
    DCovGLM,
    DCovLogisticRegression,
    ccdcov,
    distance_correlation,
    distance_covariance,
    distance_covariance_grad,
)
from fairness._dcov import dcov_gradient
from fairness._dcov._engine import (
    _evaluate,
    _jackknife_cross,
    _jackknife_se,
    _loo_values,
)
from fairness._dcov._inputs import _attribute_from_y, _encode
from fairness._dcov._kernels import _compiled
from fairness._dcov._penalty import _Penalty

# wall clock by default; --clock cpu: process time (every timed call here is
# single-threaded: numpy without BLAS, numba, xgboost nthread=1), the fairer
# measure on a shared, loaded machine
_CLOCK: list[Callable[[], float]] = [time.perf_counter]


def _median_time(fn: Callable[[], Any], repeats: int) -> float:
    clock = _CLOCK[0]
    times = []
    for _ in range(repeats):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return float(np.median(times))


def _all_in_one(x: np.ndarray, y: Any) -> tuple[float, float, np.ndarray]:
    """Value, jackknife SE and gradient from one evaluation."""
    attr, _ = _attribute_from_y(y, x.size, "auto")
    ev = _evaluate(x, attr, "U", need_grad=True, need_jack=True)
    loo = _loo_values(_jackknife_cross(ev), x.size, "U")
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


def _projected_penalty(n_exact: int, n_fit: int) -> None:
    """Three and four continuous attributes: the projected penalty vs exact."""
    print(
        f"\nseveral continuous attributes (penalty by projections, approximate; "
        f"exact = blocked / naive value) at n = {n_exact}:"
    )
    print(
        f"{'q':>3}{'rel.err value':>15}{'rel.err grad':>14}{'proj s':>8}{'exact s':>9}"
    )
    for q in (3, 4):
        rng = np.random.default_rng(20 + q)
        s = rng.uniform(size=(n_exact, q))
        frame = pd.DataFrame(s, columns=[f"c{i}" for i in range(q)])
        x = rng.normal(size=n_exact) + s @ np.linspace(0.5, 1.5, q)
        t0 = time.perf_counter()
        res = dcov_gradient(x, frame)
        t_proj = time.perf_counter() - t0
        t0 = time.perf_counter()
        exact = distance_covariance_grad(x, (s - s.min(0)) / np.ptp(s, 0))
        t_exact = time.perf_counter() - t0
        err_g = np.abs(res.gradient - exact.gradient).max()
        print(
            f"{q:>3}{abs(res.value - exact.value) / exact.value:>15.1e}"
            f"{err_g / np.abs(exact.gradient).max():>14.1e}{t_proj:>8.2f}"
            f"{t_exact:>9.2f}"
        )
    rng = np.random.default_rng(30)
    s = rng.uniform(size=(n_fit, 3))
    x = rng.normal(size=n_fit) + s.sum(axis=1)
    frame = pd.DataFrame(s, columns=["a", "b", "c"])
    t0 = time.perf_counter()
    dcov_gradient(x, frame)
    print(
        f"  q = 3 projected value + gradient at n = {n_fit}: "
        f"{time.perf_counter() - t0:.2f} s (blocked: O(n^2), not run)"
    )


def _near_null(sizes: tuple[int, ...], repeats: int) -> None:
    """Seeded Monte Carlo: dCor^2 of a score with a binary attribute."""
    print(
        f"\ndCor^2 (score vs binary attribute, p = 0.3) near independence, "
        f"{repeats} seeded samples per cell; truth from one sample of 1e6:"
    )
    print(
        f"{'n':>6}{'shift':>7}{'truth':>10}{'wald cov':>10}{'reported':>10}"
        f"{'cov|rep':>9}{'test rej':>9}"
    )
    big = np.random.default_rng(999)
    s_big = big.random(10**6) < 0.3
    z_big = big.normal(size=10**6)
    rng = np.random.default_rng(123)
    for n in sizes:
        for shift in (0.0, 0.1, 0.2, 0.4, 0.8):
            truth = 0.0
            if shift > 0:
                truth = distance_correlation(
                    z_big + shift * s_big, s_big, test=None, se=False
                ).estimate
            wald = reported = covered = rejected = 0
            for _ in range(repeats):
                s = rng.random(n) < 0.3
                res = distance_correlation(rng.normal(size=n) + shift * s, s)
                low, high = res.ci(near_null="wald")
                wald += low <= truth <= high
                rejected += res.pvalue < 0.05
                low, high = res.ci()
                if np.isfinite(low):
                    reported += 1
                    covered += low <= truth <= high
            cov_rep = covered / reported if reported else math.nan
            print(
                f"{n:>6}{shift:>7}{truth:>10.2e}{wald / repeats:>10.3f}"
                f"{reported / repeats:>10.3f}{cov_rep:>9.3f}{rejected / repeats:>9.3f}"
            )
    print(
        "wald cov: the jackknife Wald interval (ci(near_null='wald')); reported: "
        "share of samples where ci() gives an interval (test rejects); cov|rep: "
        "its coverage when reported."
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
    print(f"penalised fits at n = {n} (one continuous + one 10-level):")
    counts = rng.poisson(np.exp(0.3 * X[:, 0]))
    for label, make, target in (
        ("logistic", DCovLogisticRegression, y),
        ("GLM poisson", lambda **kw: DCovGLM(family="poisson", **kw), counts),
    ):
        for penalty in ("ccdcov", "dcov"):
            t0 = time.perf_counter()
            model = make(lambda_=5.0, penalty=penalty).fit(
                X, target, sensitive_features=S
            )
            took = time.perf_counter() - t0
            print(
                f"  {label:<12} penalty={penalty:<7} {took:6.1f} s  (n_iter="
                f"{model.n_iter_}, penalty value {model.penalty_value_:.3g}; "
                "target < 30 s)"
            )


def _xgb_round(n: int, rng: np.random.Generator, repeats: int) -> float:
    """One depth-1 XGBoost round with a custom logistic objective (median)."""
    import xgboost as xgb

    X = rng.normal(size=(n, 8))
    y = (X[:, 0] + rng.logistic(size=n) > 0).astype(np.float64)
    data = xgb.DMatrix(X, label=y)

    def objective(margin: np.ndarray, _: Any) -> tuple[np.ndarray, np.ndarray]:
        p = 1.0 / (1.0 + np.exp(-margin))
        return p - y, p * (1.0 - p)

    params = {"max_depth": 1, "eta": 0.2, "nthread": 1, "base_score": 0.5}
    xgb.train(params, data, 1, obj=objective)  # warm up
    return _median_time(lambda: xgb.train(params, data, 1, obj=objective), repeats)


def _penalty_calls(n: int, repeats: int = 20) -> None:
    """Per-call time of the boosted objective's penalty beside an XGBoost round."""
    rng = np.random.default_rng(5)
    race = rng.choice(5, n, p=[0.5, 0.2, 0.15, 0.1, 0.05])
    gender = rng.integers(0, 2, n)
    age = rng.uniform(20, 70, n)
    margin = 0.3 * rng.normal(size=n) + 0.1 * race + 0.01 * (age - 45)
    pred = 1.0 / (1.0 + np.exp(-margin))  # probability scale, as the objective
    xgb_round = _xgb_round(n, rng, repeats)
    cases = [
        ("race x gender", "ccdcov", {"race": race, "gender": gender}),
        ("race x gender", "dcov", {"race": race, "gender": gender}),
        ("race x gender", "jdcov", {"race": race, "gender": gender}),
        ("age", "ccdcov", {"age": age}),
        ("race + age", "ccdcov", {"race": race, "age": age}),
    ]
    print(
        f"\npenalty call (value + gradient, U, probability scale) at n = {n}; "
        f"one XGBoost depth-1 round with a custom objective: {xgb_round * 1e3:.1f} ms"
    )
    header = f"{'attribute':<15}{'penalty':<8}{'path':<28}{'ms/call':>9}{'/ xgb':>7}"
    print(header)
    print("-" * len(header))
    for label, kind, cols in cases:
        pen = _Penalty(kind, _encode(pd.DataFrame(cols), n), "U")  # type: ignore[arg-type]
        pen(pred)  # warm up (compiled kernels)
        took = _median_time(lambda pen=pen: pen(pred), repeats)
        print(
            f"{label:<15}{kind:<8}{pen.method[:27]:<28}{took * 1e3:>9.1f}"
            f"{took / xgb_round:>7.2f}"
        )
    print(f"medians of {repeats} calls; target for categorical attributes: <= 1x xgb")


_SECTIONS = ("univariate", "penalty", "multivariate", "projected", "near_null", "fits")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-numba", action="store_true")
    parser.add_argument("--sections", default=",".join(_SECTIONS))
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    args = parser.parse_args()
    if args.clock == "cpu":
        _CLOCK[0] = time.process_time
    if args.no_numba:
        os.environ["INFOSCORE_NO_NUMBA"] = "1"
    sections = set(args.sections.split(","))
    print(
        "merge kernels: "
        + ("numba (compiled)" if _compiled() is not None else "numpy (no numba)")
        + f"; clock: {args.clock} (medians of the univariate and penalty tables)"
    )
    sizes = [10**4, 10**5] if args.quick else [10**5, 10**6]
    if "univariate" in sections:
        _univariate(sizes, args.repeats)
    if "penalty" in sections:
        _penalty_calls(10**4 if args.quick else 10**5)
    if "multivariate" in sections:
        _multivariate(2000 if args.quick else 10_000, args.repeats)
    if "projected" in sections:
        _projected_penalty(
            1000 if args.quick else 3000, 10_000 if args.quick else 100_000
        )
    if "near_null" in sections:
        _near_null((500,) if args.quick else (500, 2000), 100 if args.quick else 400)
    if "fits" in sections:
        _penalised(10_000 if args.quick else 100_000)


if __name__ == "__main__":
    main()
