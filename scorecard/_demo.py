"""Demo steps of the scorecard package (see ``infoscore demo``)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ._cli import DemoContext
from ._counts import CountTable
from ._exceptions import DataConditionWarning
from ._information import information_value
from .datasets import load_simucredit

__all__ = ["information_step", "discrete_information_table"]


def discrete_information_table(
    data: pd.DataFrame, columns: list[str], y: np.ndarray
) -> pd.DataFrame:
    """IV +- SE, CI and p-value of columns whose values are their own bins."""
    codes = np.column_stack([pd.factorize(data[c], sort=True)[0] for c in columns])
    table = CountTable.from_codes(
        codes, y, n_bins=int(codes.max()) + 1, features=columns
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataConditionWarning)
        result = information_value(table.column(0), table.column(1), features=columns)
    out = result.summary().sort_values("IV", ascending=False)
    out["smoothed_bins"] = result.smoothed.sum(axis=1)[
        [columns.index(c) for c in out.index]
    ]
    out.attrs["warnings"] = [str(w.message) for w in caught]
    return out


def information_step(context: DemoContext) -> None:
    """Print and save the IV table of SimuCredit's discrete columns."""
    data = load_simucredit()
    y = (data["Status"] == 0).to_numpy().astype(int)  # event = bad
    columns = ["Delinquency", "Inquiry", "Open Trade", "Race", "Gender"]
    table = discrete_information_table(data, columns, y)
    context.say("SimuCredit (20,000 applicants, bad = Status 0): information value")
    context.say("of discrete columns (each value its own bin) and protected attributes")
    context.say("against the target; delta-method SE, 95% Wald CI, chi-square test.\n")
    with pd.option_context("display.float_format", "{:.4f}".format):
        context.say(table.to_string())
    path = context.out_dir / "information_discrete.csv"
    table.to_csv(path)
    context.say(f"\nwritten: {path}")
    context.results["simucredit"] = data
