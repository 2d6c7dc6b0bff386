"""Information tables with standard errors
=======================================

Information tables of the bundled SimuCredit and German credit data.

Bins every feature with StumpBinner (depth-1 XGBoost stumps on each feature's
pre-bin count table, exact merge under a 5% minimum bin size) and prints the
IV of each feature with its delta-method SE, 95% CI and chi-square p-value,
plus the binning table of the strongest feature. Protected attributes
(SimuCredit's Gender and Race, German credit's personal_status_and_sex) are
binned too, to show how much target information they carry; they are never
model inputs.

Run: python examples/information_tables.py
"""

from __future__ import annotations

import warnings

import pandas as pd

from scorecard import DataConditionWarning, StumpBinner
from scorecard.datasets import load_german_credit, load_simucredit


def show(title: str, X: pd.DataFrame, y, **params) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataConditionWarning)
        binner = StumpBinner(random_state=0, **params).fit(X, y)
        info = binner.information_table()
        best = info.index[0]
        table = binner.binning_table(best)
    print(f"\n=== {title}: {len(X):,} rows, bad rate {y.mean():.3f} ===\n")
    with pd.option_context(
        "display.width", 140, "display.float_format", "{:.4f}".format
    ):
        print(info.to_string())
        print(f"\nbinning table of {best!r}:\n")
        cols = ["bin", "count", "event_rate", "woe", "se", "iv"]
        print(table[cols].to_string(index=False))
    for w in caught:
        print(f"note: {w.message}")


def main() -> None:
    simu = load_simucredit()
    y = (simu["Status"] == 0).astype(int).to_numpy()  # event = bad (Status 0)
    show("SimuCredit", simu.drop(columns="Status"), y)

    german = load_german_credit()
    y = (german["creditability"] == "bad").astype(int).to_numpy()
    show("German credit", german.drop(columns="creditability"), y)


if __name__ == "__main__":
    main()
