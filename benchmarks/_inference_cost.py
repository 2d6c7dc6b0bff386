"""Cost of the honest information table against a plain fit (issue 13, item 6).

``python benchmarks/_inference_cost.py`` (``--quick``: SimuCredit and a
22 x 50,000 table only). For SimuCredit (8 features, 20,000 rows; ``Status``
the target, ``Gender``/``Race`` left out) and a synthetic 22 features x
200,000 rows table (generated here: weak, strong, ordinal, binary,
missing-heavy, categorical and noise columns), it times a plain
``StumpBinner().fit`` and the first ``information_table()`` (199
permutations per feature at most, plus the bootstrap of the interval), each
repeated and reported as medians, with the ratio. The budget of the issue:
the table within 10x the fit.
"""

from __future__ import annotations

import sys
import time
import warnings

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


def measure(name: str, X: pd.DataFrame, y: np.ndarray, repeat: int) -> dict:
    def fit() -> StumpBinner:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return StumpBinner(random_state=0).fit(X, y)

    def table() -> None:
        b = fit()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            b.information_table()

    t_fit = _median_time(fit, repeat)
    t_all = _median_time(table, repeat)
    b = fit()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        b.information_table()
    stops = [r.stopping for r in b._search_state_[3][0.05].values()]
    return {
        "data": name,
        "rows": len(y),
        "features": X.shape[1],
        "fit_s": t_fit,
        "table_s": t_all - t_fit,
        "ratio": (t_all - t_fit) / t_fit,
        "stops": ", ".join(f"{s} {stops.count(s)}" for s in sorted(set(stops))),
    }


def run(quick: bool = False) -> pd.DataFrame:
    sc = load_simucredit()
    X = sc.drop(columns=["Status", "Gender", "Race"])
    rows = [measure("SimuCredit", X, sc["Status"].to_numpy(), 1 if quick else 3)]
    n = 50_000 if quick else 200_000
    Xs, ys = synthetic(n)
    rows.append(measure("synthetic", Xs, ys, 1 if quick else 2))
    return pd.DataFrame(rows)


if __name__ == "__main__":
    out = run("--quick" in sys.argv)
    print(out.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
