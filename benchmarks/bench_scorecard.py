"""Scorecard accuracy and fit time against optbinning's Scorecard, same split.

Run: ``python benchmarks/bench_scorecard.py``. SimuCredit, bad = Status 0,
Race and Gender excluded, 80/20 stratified splits with seeds 0-4; prints test
AUC of both and the fit-time ratio (medians over the seeds).
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from scorecard import Scorecard
from scorecard.datasets import load_simucredit


def main() -> None:
    import optbinning

    data = load_simucredit()
    y = (data["Status"] == 0).astype(int).to_numpy()
    X = data.drop(columns=["Status", "Race", "Gender"])
    rows = []
    for seed in range(5):
        X_tr, X_te, y_tr, y_te = train_test_split(
            X, y, test_size=0.2, stratify=y, random_state=seed
        )
        start = time.perf_counter()
        ours = Scorecard().fit(X_tr, y_tr)
        t_ours = time.perf_counter() - start
        peer = optbinning.Scorecard(
            binning_process=optbinning.BinningProcess(variable_names=list(X.columns)),
            estimator=LogisticRegression(max_iter=1000),
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = time.perf_counter()
            peer.fit(X_tr, y_tr)
            t_peer = time.perf_counter() - start
            auc_peer = roc_auc_score(y_te, peer.predict_proba(X_te)[:, 1])
        rows.append(
            {
                "seed": seed,
                "auc_infoscore": roc_auc_score(y_te, ours.decision_function(X_te)),
                "auc_optbinning": auc_peer,
                "fit_s_infoscore": t_ours,
                "fit_s_optbinning": t_peer,
            }
        )
    table = pd.DataFrame(rows)
    table["auc_diff"] = table["auc_infoscore"] - table["auc_optbinning"]
    with pd.option_context("display.float_format", "{:.4f}".format):
        print(table.to_string(index=False))
    med = table.median()
    print(
        f"\nmedian test AUC: infoscore {med['auc_infoscore']:.4f}, optbinning "
        f"{med['auc_optbinning']:.4f} (difference {med['auc_diff']:+.4f}; "
        "target: not lower by more than 0.005)"
    )
    ratio = np.median(table["fit_s_optbinning"] / table["fit_s_infoscore"])
    print(f"median fit-time ratio optbinning / infoscore: {ratio:.1f}x")


if __name__ == "__main__":
    main()
