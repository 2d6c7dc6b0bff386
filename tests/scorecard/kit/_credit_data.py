"""Synthetic credit rows shared by the Dask and Spark engine tests.

Few distinct numeric values, a special value, missing values, a category
with a missing level, an all-distinct column (for the sketch) and a weight.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FEATURES = ["age", "util", "bureau", "inquiries", "region"]
SPECIALS = {"bureau": [-999.0]}
REGIONS = np.array(
    ["north", "south", "east", "west", "centre", "islands"], dtype=object
)


def make_data(n: int, seed: int, shift: float = 0.0) -> pd.DataFrame:
    """Credit-like rows with an account ``id``, weights ``w`` and target ``y``."""
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 80, n).astype(float)
    age[rng.random(n) < 0.03] = np.nan
    util = np.clip(np.round(rng.beta(2, 3, n) + shift, 2), 0, 1)
    bureau = np.round(rng.normal(650, 60, n))
    nohit = rng.random(n) < 0.04
    bureau[nohit] = -999.0
    inquiries = rng.poisson(1.5, n).astype(float)
    region = REGIONS[rng.choice(6, n, p=[0.3, 0.25, 0.2, 0.15, 0.07, 0.03])]
    effect = np.array([0.0, 0.3, -0.2, 0.5, -0.4, 0.8])[
        pd.Index(REGIONS).get_indexer(region)
    ]
    eta = (
        -2.5
        + 1.8 * (util - 0.4)
        - 0.01 * (np.nan_to_num(age, nan=45) - 45)
        - 0.012 * np.where(nohit, -50, bureau - 650)
        + 0.25 * inquiries
        + effect
    )
    income = rng.lognormal(10, 0.6, n)  # all distinct (sketch tests)
    eta = eta - 0.5 * (np.log(income) - 10) / 0.6
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(np.int64)
    frame = pd.DataFrame(
        {
            "id": np.arange(n, dtype=np.int64) + 10 * seed * n,
            "age": age,
            "util": util,
            "bureau": bureau,
            "inquiries": inquiries,
            "region": region,
        }
    )
    frame.loc[rng.random(n) < 0.01, "region"] = None
    frame["income"] = income
    frame["w"] = rng.uniform(0.2, 3.0, n)
    frame["y"] = y
    return frame


def bincount_table(bins, frame, y, w=None):
    """Independent oracle: assign + bincount per feature (good, bad)."""
    out = {}
    for name, fb in bins.items():
        codes = fb.assign(frame[name])
        weights = np.ones(len(frame)) if w is None else np.asarray(w)
        yy = np.asarray(y)
        out[name] = np.column_stack(
            [
                np.bincount(codes, weights * (yy == 0), minlength=fb.n_bins),
                np.bincount(codes, weights * (yy == 1), minlength=fb.n_bins),
            ]
        )
    return out
