"""Scorecard accuracy and fit time against optbinning's Scorecard, same splits.

Run: ``python benchmarks/bench_scorecard.py`` (``--quick``: 2 seeds, a smaller
synthetic set). Two data sets: SimuCredit (bad = Status 0, Race and Gender
excluded) and the benchmark synthetic data (``benchmarks/_synthetic.py``).
80/20 stratified splits, seeds 0-4. Selection is on for both (issue 21):
infoscore ``Scorecard(selection={})`` (FeatureSelector defaults:
selection-adjusted IV p-value <= 0.05, WoE |correlation| <= 0.9) with
the default ``sign_check="enforce"``; optbinning
``BinningProcess(selection_criteria={"iv": {"min": 0.02}})`` with a
LogisticRegression. Also printed: infoscore's own unconstrained fit
(``sign_check="off"``, same selection), to show what the sign constraint costs.
Also the one-hot encoding, constrained and not: a suppressor (a feature
whose effect reverses given another, e.g. Balance given Utilization on
SimuCredit) cannot enter any sign-consistent additive model, so the cost of
the constraint is a property of the data, which the one-hot rows show (the
constrained one-hot model has a free step per bin and still pays it).
Prints per-seed test AUCs and fit times, then medians and ratios.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from scorecard import DataConditionWarning, Scorecard
from scorecard.datasets import load_simucredit

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _datasets(quick: bool) -> dict[str, tuple[pd.DataFrame, np.ndarray]]:
    from _synthetic import make_credit_data

    data = load_simucredit()
    y = (data["Status"] == 0).astype(int).to_numpy()
    X = data.drop(columns=["Status", "Race", "Gender"])
    synthetic = make_credit_data(10_000 if quick else 40_000, 12, seed=0)
    return {"SimuCredit": (X, y), "synthetic": (synthetic.X, synthetic.y)}


def _fit_ours(
    X: pd.DataFrame, y: np.ndarray, sign_check: str, encoding: str = "woe"
) -> tuple[float, Scorecard]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        start = time.perf_counter()
        card = Scorecard(selection={}, sign_check=sign_check, encoding=encoding)
        card.fit(X, y)
        return time.perf_counter() - start, card


def run(quick: bool) -> None:
    import optbinning

    seeds = range(2 if quick else 5)
    for label, (X, y) in _datasets(quick).items():
        cats = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]
        rows = []
        for seed in seeds:
            X_tr, X_te, y_tr, y_te = train_test_split(
                X, y, test_size=0.2, stratify=y, random_state=seed
            )
            t_ours, ours = _fit_ours(X_tr, y_tr, "enforce")
            _, free = _fit_ours(X_tr, y_tr, "off")
            _, onehot = _fit_ours(X_tr, y_tr, "enforce", "onehot")
            _, onehot_free = _fit_ours(X_tr, y_tr, "off", "onehot")
            peer = optbinning.Scorecard(
                binning_process=optbinning.BinningProcess(
                    variable_names=list(X.columns),
                    categorical_variables=cats or None,
                    selection_criteria={"iv": {"min": 0.02}},
                ),
                estimator=LogisticRegression(max_iter=1000),
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                start = time.perf_counter()
                peer.fit(X_tr, y_tr)
                t_peer = time.perf_counter() - start
                auc_peer = roc_auc_score(y_te, peer.predict_proba(X_te)[:, 1])
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DataConditionWarning)
                auc_ours = roc_auc_score(y_te, ours.decision_function(X_te))
                auc_free = roc_auc_score(y_te, free.decision_function(X_te))
                auc_onehot = roc_auc_score(y_te, onehot.decision_function(X_te))
                auc_onehot_free = roc_auc_score(
                    y_te, onehot_free.decision_function(X_te)
                )
            rows.append(
                {
                    "seed": seed,
                    "auc_infoscore": auc_ours,
                    "auc_unconstrained": auc_free,
                    "auc_onehot": auc_onehot,
                    "auc_onehot_unconstrained": auc_onehot_free,
                    "auc_optbinning": auc_peer,
                    "features_infoscore": len(ours.model_features_),
                    "features_optbinning": int(
                        peer.binning_process_.get_support().sum()
                    ),
                    "fit_s_infoscore": t_ours,
                    "fit_s_optbinning": t_peer,
                }
            )
        table = pd.DataFrame(rows)
        table["auc_diff"] = table["auc_infoscore"] - table["auc_optbinning"]
        print(f"\n== {label}: {len(y)} rows, {X.shape[1]} features ==")
        with pd.option_context("display.float_format", "{:.4f}".format):
            print(table.to_string(index=False))
        med = table.median()
        print(
            f"median test AUC: infoscore {med['auc_infoscore']:.4f}, optbinning "
            f"{med['auc_optbinning']:.4f} (difference {med['auc_diff']:+.4f}; "
            "target: not lower by more than 0.003)"
        )
        cost = np.median(table["auc_unconstrained"] - table["auc_infoscore"])
        print(
            f"median test AUC cost of the sign constraint (off - enforce): {cost:+.4f}"
            " (target: at most 0.003)"
        )
        cost_onehot = np.median(table["auc_onehot_unconstrained"] - table["auc_onehot"])
        print(
            "the same for the one-hot encoding (a free step per bin): "
            f"{cost_onehot:+.4f}"
        )
        ratio = np.median(table["fit_s_optbinning"] / table["fit_s_infoscore"])
        print(f"median fit-time ratio optbinning / infoscore: {ratio:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 seeds, 10k rows")
    run(parser.parse_args().quick)


if __name__ == "__main__":
    main()
