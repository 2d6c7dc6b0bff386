"""Demo steps of the scorecard package (see ``infoscore demo``)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ._kit.cli import DemoContext
from ._kit.exceptions import DataConditionWarning
from ._stats._counts import CountTable
from ._stats._divergence import information_value
from .datasets import load_simucredit

__all__ = ["information_step", "scorecard_step", "discrete_information_table"]


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


def scorecard_step(context: DemoContext) -> None:
    """Fit the WoE scorecard on SimuCredit; write its artifact and HTML report."""
    from sklearn.model_selection import train_test_split

    from ._models._boosted import BoostedScorecard
    from ._models._report import scorecard_report
    from ._models._scorecard import Scorecard
    from ._stats._auc import delong_auc

    data = context.results.get("simucredit")
    if data is None:
        data = load_simucredit()
    y = (data["Status"] == 0).to_numpy().astype(int)
    protected = data[["Race", "Gender"]]
    X = data.drop(columns=["Status", "Race", "Gender"])
    X_tr, X_te, y_tr, y_te, s_tr, s_te = train_test_split(
        X, y, protected, test_size=0.2, stratify=y, random_state=0
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataConditionWarning)
        card = Scorecard().fit(X_tr, y_tr)
        boosted = BoostedScorecard(n_rounds=100).fit(X_tr, y_tr)
    for w in caught:
        context.say(f"note: {w.message}")
    path = context.out_dir / "scorecard.json"
    card.to_json(path)
    report = context.out_dir / "scorecard_report.html"
    report.write_text(
        scorecard_report(
            card,
            data={"train": (X_tr, y_tr), "test": (X_te, y_te)},
            subtitle="SimuCredit, 80/20 stratified split (seed 0), bad = Status 0",
        ),
        encoding="utf-8",
    )
    context.say("\nScorecard (stump bins -> WoE -> logistic regression -> points)")
    with pd.option_context("display.float_format", "{:.4f}".format):
        context.say(card.information_table().to_string())
    for name, model in (("WoE scorecard", card), ("boosted depth-1", boosted)):
        auc = delong_auc(y_te, model.decision_function(X_te))
        low, high = auc.ci()
        context.say(
            f"{name:>16}: test AUC {auc.estimate:.4f} (DeLong SE {auc.se:.4f}, "
            f"95% CI [{low:.4f}, {high:.4f}])"
        )
    reasons = card.reason_codes(X_te.head(3), n=2)
    context.say("\nAdverse-action reasons of three test applicants:")
    context.say(reasons.to_string())
    context.say(f"\nwritten: {path}\nwritten: {report}")
    context.results.update(
        scorecard=card,
        scorecard_path=path,
        split={
            "X_train": X_tr,
            "X_test": X_te,
            "y_train": y_tr,
            "y_test": y_te,
            "s_train": s_tr,
            "s_test": s_te,
        },
    )
