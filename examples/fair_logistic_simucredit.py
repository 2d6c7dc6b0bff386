"""Fair logistic regression with a distance-covariance penalty
===========================================================

dCov-regularised logistic regression on SimuCredit (Race and Gender protected).

Run: python examples/fair_logistic_simucredit.py

Bad = Status 0 (the event, y = 1). Race and Gender are protected attributes:
never model inputs, only passed to fit as ``sensitive_features``. Inputs are
the WoE features of the seven credit variables (scorecard.WoEEncoder),
standardised. Split 60/20/20 (train / validation / test, stratified, seed 0).
lambda is calibrated on the validation split with fairness.lambda_path; the
target is dCor down >= 80% for an AUC loss <= 0.02 (both on validation):
the smallest lambda meeting the dCor goal within the AUC budget is chosen,
or, if none does, the elbow of the path. Test-split results of the
unregularised and the calibrated model are printed: AUC, dCor^2 (U, with the
Race x Gender intersection), dCor (the root of the V-statistic dCor^2) and
the adverse impact ratio at a 50% approval rate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from fairness import (
    DCovLogisticRegression,
    assess,
    distance_correlation,
    intersect_groups,
    lambda_path,
)
from scorecard import WoEEncoder
from scorecard.datasets import load_simucredit

FEATURES = [
    "Mortgage",
    "Balance",
    "Amount Past Due",
    "Delinquency",
    "Inquiry",
    "Open Trade",
    "Utilization",
]
PROTECTED = ["Race", "Gender"]
LAMBDAS = [0.0, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0]


def air_at_half(
    y: np.ndarray, p_bad: np.ndarray, S: pd.DataFrame, column: str
) -> float:
    """AIR of group 0 against group 1 when the safest 50% are approved."""
    result = assess(
        y,
        -p_bad,
        sensitive_features=S[[column]],
        approval_rate=0.5,
        reference_group=f"{column}=1",
    )
    return float(result.groups.loc[f"{column}=0", "air"])


def evaluate(model, X, y, S) -> dict[str, float]:
    p_bad = model.predict_proba(X)[:, 1]
    groups = intersect_groups(S)
    v = distance_correlation(p_bad, groups, unbiased=False, test=None).estimate
    return {
        "AUC": roc_auc_score(y, p_bad),
        "dCor^2 (U)": distance_correlation(p_bad, groups, test=None).estimate,
        "dCor (V, root)": float(np.sqrt(max(v, 0.0))),
        "AIR Race (0/1)": air_at_half(y, p_bad, S, "Race"),
        "AIR Gender (0/1)": air_at_half(y, p_bad, S, "Gender"),
    }


def main() -> None:
    data = load_simucredit()
    y = (data["Status"] == 0).astype(int).to_numpy()
    idx = np.arange(len(data))
    train, rest = train_test_split(idx, test_size=0.4, stratify=y, random_state=0)
    val, test = train_test_split(rest, test_size=0.5, stratify=y[rest], random_state=0)
    X = data[FEATURES]
    S = data[PROTECTED]
    woe = WoEEncoder().fit(X.iloc[train], y[train])
    scaler = StandardScaler().fit(woe.transform(X.iloc[train]))

    def features(rows):
        return scaler.transform(woe.transform(X.iloc[rows]))

    Xtr, Xva, Xte = features(train), features(val), features(test)
    path = lambda_path(
        DCovLogisticRegression(penalty="ccdcov"),
        Xtr,
        y[train],
        Xva,
        y[val],
        sensitive_features=S.iloc[train],
        sensitive_features_valid=S.iloc[val],
        lambdas=LAMBDAS,
    )
    table = path.table
    auc0, dcor0 = table["auc"].iloc[0], table["dcor"].iloc[0]
    table = table.assign(
        dcor_reduction=1 - table["dcor"] / dcor0, auc_loss=auc0 - table["auc"]
    )
    print("Validation lambda path (penalty = CCdCov^2 with Race and Gender):")
    print(table.to_string(index=False, float_format="{:.4f}".format))
    ok = table[(table["dcor_reduction"] >= 0.8) & (table["auc_loss"] <= 0.02)]
    if len(ok):
        chosen = float(ok["lambda"].iloc[0])
        rule = "smallest lambda with dCor^2 -80% and AUC loss <= 0.02 (validation)"
    else:
        chosen = path.chosen_lambda
        rule = "no lambda met the goal on validation; elbow of the path"
    print(f"\nchosen lambda = {chosen:g} ({rule})")
    models = dict(zip(table["lambda"], path.models, strict=True))
    rows = {
        "unregularised": evaluate(models[0.0], Xte, y[test], S.iloc[test]),
        f"lambda = {chosen:g}": evaluate(models[chosen], Xte, y[test], S.iloc[test]),
    }
    result = pd.DataFrame(rows).T
    base, fair = result.iloc[0], result.iloc[1]
    print("\nTest split (4,000 applicants):")
    print(result.to_string(float_format="{:.4f}".format))
    print(
        f"\nAUC loss {base['AUC'] - fair['AUC']:.4f}; dCor^2 (U) reduction "
        f"{1 - fair['dCor^2 (U)'] / base['dCor^2 (U)']:.1%}; dCor (V root) "
        f"reduction {1 - fair['dCor (V, root)'] / base['dCor (V, root)']:.1%}."
    )


if __name__ == "__main__":
    main()
