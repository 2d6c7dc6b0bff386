"""Cost of the honest information table against a plain fit (issue 13, item 6).

``python benchmarks/_inference_cost.py`` (``--quick``: SimuCredit and a
22 x 50,000 table only; ``--budget``: the budget case only). For
SimuCredit (8 features, 20,000 rows; ``Status`` the target,
``Gender``/``Race`` left out), a 22 x 200,000 table generated here
(weak, strong, ordinal, binary, missing-heavy, categorical and noise
columns) and the issue's budget case, 22 features x 200,000 rows of
``benchmarks/_synthetic.make_credit_data`` (realistic shapes: skewed,
U-shaped, counts, informative missing, special values, Zipf categoricals),
it times

- ``plain``: ``StumpBinner(n_permutations=0).fit`` (no search state for
  the permutation test is needed);
- ``honest``: the default ``StumpBinner().fit`` followed by the first
  ``information_table()`` (199 permutations per feature at most, with the
  two stated early stops, plus 49 bootstrap resamples of the interval);

medians of ``repeat`` runs each, and prints ``ratio = honest / plain`` (the
issue's budget: within 10x) beside ``table_s / plain``, the table alone.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from scorecard import StumpBinner
from scorecard.datasets import load_simucredit


def synthetic(n: int, seed: int = 7) -> tuple[pd.DataFrame, np.ndarray]:
    """22 features of seven kinds and a 0/1 target (about 9% bad)."""
    rng = np.random.default_rng(seed)
    cols: dict[str, np.ndarray] = {}
    eta = np.full(n, -2.4)
    for j in range(22):
        kind = j % 7
        if kind == 0:  # strong continuous
            x = rng.normal(size=n)
            eta += 0.6 * x
        elif kind == 1:  # weak continuous
            x = rng.lognormal(size=n)
            eta += 0.05 * np.log(x)
        elif kind == 2:  # ordinal with ties
            x = rng.integers(0, 12, size=n).astype(float)
            eta += 0.04 * x
        elif kind == 3:  # binary
            x = (rng.random(n) < 0.3).astype(float)
            eta += 0.3 * x
        elif kind == 4:  # missing-heavy
            x = rng.normal(size=n)
            eta += 0.2 * x
            x[rng.random(n) < 0.7] = np.nan
        elif kind == 5:  # categorical
            x = rng.choice(np.array(list("abcdefgh"), dtype=object), size=n)
            eta += 0.1 * (x == "a")
        else:  # noise
            x = rng.normal(size=n)
        cols[f"f{j:02d}_{kind}"] = x
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(np.int64)
    return pd.DataFrame(cols), y


def _median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def _quiet(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn()


def measure(name: str, X: pd.DataFrame, y: np.ndarray, repeat: int, **params) -> dict:
    def plain() -> StumpBinner:
        est = StumpBinner(n_permutations=0, random_state=0, **params)
        return _quiet(lambda: est.fit(X, y))

    def fit() -> StumpBinner:
        return _quiet(lambda: StumpBinner(random_state=0, **params).fit(X, y))

    def honest() -> StumpBinner:
        b = fit()
        _quiet(b.information_table)
        return b

    t_plain = _median_time(plain, repeat)
    t_fit = _median_time(fit, repeat)
    last: list[StumpBinner] = []
    t_all = _median_time(lambda: last.append(honest()), repeat)
    b = last[-1]
    stops = [r.stopping for r in b._search_state_[3][0.05].values()]
    return {
        "data": name,
        "rows": len(y),
        "features": X.shape[1],
        "repeat": repeat,
        "plain_s": t_plain,
        "fit_s": t_fit,
        "honest_s": t_all,
        "ratio": t_all / t_plain,
        "table/plain": (t_all - t_fit) / t_plain,
        "stops": ", ".join(f"{s} {stops.count(s)}" for s in sorted(set(stops))),
    }


def budget_case(n: int = 200_000) -> tuple[pd.DataFrame, np.ndarray, dict]:
    """The issue's case: 22 realistic features x ``n`` rows (``_synthetic``)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from _synthetic import make_credit_data  # type: ignore[import-not-found]

    data = make_credit_data(n, 22, seed=13)
    return data.X, data.y, data.special_values


def run(quick: bool = False, only_budget: bool = False) -> pd.DataFrame:
    """Cost rows: SimuCredit, the 22-kind table and the budget case."""
    rows = []
    if not only_budget:
        sc = load_simucredit()
        X = sc.drop(columns=["Status", "Gender", "Race"])
        rows.append(
            measure("SimuCredit", X, sc["Status"].to_numpy(), 1 if quick else 3)
        )
        Xs, ys = synthetic(50_000 if quick else 200_000)
        rows.append(measure("seven kinds", Xs, ys, 1 if quick else 3))
    if not quick:
        Xb, yb, specials = budget_case()
        rows.append(measure("make_credit_data", Xb, yb, 3, special_values=specials))
    return pd.DataFrame(rows)


def show(table: pd.DataFrame) -> None:
    """Print the cost rows."""
    with pd.option_context("display.width", 200):
        print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))


if __name__ == "__main__":
    show(run("--quick" in sys.argv, only_budget="--budget" in sys.argv))
