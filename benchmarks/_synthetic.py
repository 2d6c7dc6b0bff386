"""Synthetic credit data shaped like real application data, for benchmarks.

``make_credit_data(n_rows, n_features)`` returns a DataFrame with numeric
features of several shapes and two categorical features, a binary target
(1 = bad) with about a 7% bad rate, and a description of every column:

- ``monotone``: skewed (log-normal, e.g. income, balances) or bounded (beta,
  e.g. utilisation) values whose log-odds effect is monotone;
- ``u_shaped``: a quadratic effect (e.g. age, tenure);
- ``count``: Poisson counts (inquiries, open trades) with a monotone effect;
- ``noise``: no effect at all;
- ``informative_missing``: months since the last delinquency, missing for the
  applicants who never were delinquent (missingness is itself predictive);
- ``special``: a bureau score with the special value -999 ("no hit") for 3%
  of the rows, at higher risk;
- ``categorical``: string features with Zipf-like level frequencies (8 and
  40 levels by default) and random level effects.

Numeric features other than the informative-missing one have 0-3% values
missing completely at random. Everything is seeded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["CreditData", "make_credit_data"]

# Cycle of numeric shapes; the first two slots are the special-role features.
_CYCLE = (
    "monotone",  # skewed log-normal
    "u_shaped",
    "count",
    "monotone",  # bounded beta
    "noise",
    "monotone",  # skewed log-normal, decreasing
    "count",
    "u_shaped",
    "monotone",
    "noise",
)


@dataclass
class CreditData:
    """Features, target and the role of every column."""

    X: pd.DataFrame
    y: np.ndarray
    kinds: dict[str, str]
    special_values: dict[str, list[float]] = field(default_factory=dict)

    def names(self, kind: str) -> list[str]:
        """Columns of one kind."""
        return [c for c, k in self.kinds.items() if k == kind]


def _zipf_probs(n_levels: int, s: float, rng: np.random.Generator) -> np.ndarray:
    p = 1.0 / np.arange(1, n_levels + 1) ** s
    return rng.permutation(p / p.sum())


def make_credit_data(
    n_rows: int = 200_000,
    n_features: int = 22,
    *,
    n_categorical: int = 2,
    bad_rate: float = 0.07,
    seed: int = 0,
) -> CreditData:
    """Generate a synthetic credit data set.

    Parameters
    ----------
    n_rows : int
        Rows.
    n_features : int
        Columns in total (at least ``n_categorical + 2``).
    n_categorical : int
        Categorical columns (the first has 8 levels, the second 40, further
        ones 8 + 32 k levels).
    bad_rate : float
        Target share of ``y = 1``; the intercept is solved for it.
    seed : int
        Seed of everything.

    Returns
    -------
    CreditData
    """
    if n_features < n_categorical + 2:
        raise ValueError(
            f"n_features must be at least n_categorical + 2 = {n_categorical + 2}; "
            f"got {n_features}."
        )
    rng = np.random.default_rng(seed)
    n_numeric = n_features - n_categorical
    cols: dict[str, np.ndarray] = {}
    kinds: dict[str, str] = {}
    eta = np.zeros(n_rows)
    # Each feature gets a modest effect so that no single one dominates.
    for j in range(n_numeric):
        if j == 0:
            kind = "informative_missing"
        elif j == 1:
            kind = "special"
        else:
            kind = _CYCLE[(j - 2) % len(_CYCLE)]
        strength = rng.uniform(0.25, 0.6)
        if kind == "informative_missing":
            ever = rng.random(n_rows) < 0.25
            months = np.round(rng.gamma(2.0, 12.0, n_rows))
            x = np.where(ever, months, np.nan)
            effect = np.where(ever, 0.9 - 0.5 * np.log1p(np.nan_to_num(months)) / 3, 0)
            name = f"x{j:02d}_months_since_delinq"
        elif kind == "special":
            score = np.round(rng.normal(650, 60, n_rows))
            effect = -strength * (score - 650) / 60
            nohit = rng.random(n_rows) < 0.03
            effect = np.where(nohit, 0.7, effect)
            x = np.where(nohit, -999.0, score)
            name = f"x{j:02d}_bureau_score"
        elif kind == "monotone":
            variant = (j // 3) % 3
            if variant == 0:
                x = np.round(rng.lognormal(10.5, 0.7, n_rows), -1)  # income
                effect = -strength * (np.log(x + 1) - 10.5) / 0.7
                name = f"x{j:02d}_income"
            elif variant == 1:
                x = np.round(rng.beta(2.0, 3.0, n_rows), 4)  # utilisation
                effect = strength * (x - 0.4) / 0.2
                name = f"x{j:02d}_utilisation"
            else:
                x = np.round(rng.lognormal(8.0, 1.2, n_rows), 0)  # balance
                effect = strength * (np.log1p(x) - 8.0) / 1.2
                name = f"x{j:02d}_balance"
        elif kind == "u_shaped":
            x = np.clip(np.round(rng.normal(45, 12, n_rows)), 18, 90)
            z = (x - 45) / 12
            effect = strength * (z**2 - 1) / 1.4
            name = f"x{j:02d}_age"
        elif kind == "count":
            lam = rng.uniform(0.5, 3.0)
            x = rng.poisson(lam, n_rows).astype(np.float64)
            effect = strength * (x - lam) / np.sqrt(lam)
            name = f"x{j:02d}_inquiries"
        else:
            x = np.round(rng.normal(0, 1, n_rows), 3)
            effect = np.zeros(n_rows)
            name = f"x{j:02d}_noise"
        if kind not in ("informative_missing",):
            mcar = rng.random(n_rows) < rng.uniform(0.0, 0.03)
            x = np.where(mcar, np.nan, x)
        eta += effect
        cols[name] = x
        kinds[name] = kind
    for k in range(n_categorical):
        n_levels = 8 if k == 0 else 8 + 32 * k
        probs = _zipf_probs(n_levels, 1.1, rng)
        levels = np.array([f"L{i:02d}" for i in range(n_levels)], dtype=object)
        idx = rng.choice(n_levels, size=n_rows, p=probs)
        effects = rng.normal(0, 0.35, n_levels)
        eta += effects[idx]
        name = f"c{k}_{n_levels}levels"
        cols[name] = levels[idx]
        kinds[name] = "categorical"
    # Intercept for the requested bad rate (bisection on the mean probability).
    lo, hi = -15.0, 5.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if np.mean(1 / (1 + np.exp(-(mid + eta)))) > bad_rate:
            hi = mid
        else:
            lo = mid
    p = 1 / (1 + np.exp(-(lo + eta)))
    y = (rng.random(n_rows) < p).astype(np.int64)
    frame = pd.DataFrame(cols)
    for name, kind in kinds.items():
        if kind == "categorical":
            frame[name] = frame[name].astype("str")
    special = {c: [-999.0] for c, k in kinds.items() if k == "special"}
    return CreditData(X=frame, y=y, kinds=kinds, special_values=special)
