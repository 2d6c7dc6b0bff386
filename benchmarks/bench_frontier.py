"""MIP accuracy-fairness frontier vs fairlearn's ExponentiatedGradient on SimuCredit.

Same data, same split, same run: SimuCredit (bad = Status 0, Race protected,
Gender left out as a second protected attribute), 70/30 split stratified by
target. Axes: test AUC vs adverse impact ratio (approval rate of Race 0 over
Race 1, the larger group) at a 50% approval rate; both are computed by the
same code for both methods (the top 50% of scores are approved).

- ours: ``fairness.ParetoFrontier`` (15 eps values, refits and held-out
  evaluation included in the timing);
- fairlearn: ``ExponentiatedGradient(LogisticRegression, DemographicParity)``
  on standardised raw features at several difference bounds, plus the
  unconstrained logistic regression; its score is the randomised
  classifier's ``_pmf_predict`` probability of "bad".

Dominance (issue 8): at every AIR fairlearn reaches, a point of ours with at
least that AIR and a higher AUC.

Run: python benchmarks/bench_frontier.py [--out frontier_vs_fairlearn.png]
"""

from __future__ import annotations

import argparse
import time
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from fairlearn.reductions import DemographicParity, ExponentiatedGradient  # noqa: E402
from sklearn.base import BaseEstimator  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

import scorecard  # noqa: E402
from fairness import ParetoFrontier, assess  # noqa: E402
from scorecard._bins import FeatureBins  # noqa: E402
from scorecard.datasets import load_simucredit  # noqa: E402


class QuantileBinner(BaseEstimator):
    """Fallback pre-binner (20 quantile bins) while StumpBinner is absent."""

    def fit(self, X, y):
        y = np.asarray(y)
        self.bins_ = {}
        for c in X.columns:
            x = X[c].to_numpy(float)
            thr = np.unique(np.nanquantile(x, np.linspace(0, 1, 21)[1:-1]))
            thr = thr[thr > np.nanmin(x)]
            zeros = (0.0,) * (len(thr) + 2)
            fb = FeatureBins(
                name=str(c),
                kind="numeric",
                thresholds=tuple(thr),
                goods=zeros,
                bads=zeros,
            )
            codes = fb.assign(x)
            g = np.bincount(codes[y == 0], minlength=fb.n_bins).astype(float)
            b = np.bincount(codes[y == 1], minlength=fb.n_bins).astype(float)
            self.bins_[str(c)] = fb.with_counts(g, b)
        return self


def _air(y, score, group, approval_rate, reference):
    """AIR and its 95% CI by fairness.assess (the code ParetoFrontier uses)."""
    res = assess(
        y,
        score,
        sensitive_features=pd.Series(group, name="Race"),
        approval_rate=approval_rate,
        reference_group=f"Race={reference}",
    )
    air = res.metric("AIR")
    low, high = air.ci()
    return air.estimate, low, high


BOUNDS = (0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12, 0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="frontier_vs_fairlearn.png")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    data = load_simucredit()
    y = (data["Status"] == 0).to_numpy().astype(int)
    race = data["Race"].to_numpy()
    X = data.drop(columns=["Status", "Race", "Gender"])
    Xtr, Xte, ytr, yte, atr, ate = train_test_split(
        X, y, race, test_size=0.3, stratify=y, random_state=args.seed
    )
    reference = int(np.argmax(np.bincount(ate)))  # Race 1, the larger group

    t0 = time.perf_counter()
    binner = None if hasattr(scorecard, "StumpBinner") else QuantileBinner()
    print(f"pre-bins: {'StumpBinner' if binner is None else 'quantile (20) fallback'}")
    front = ParetoFrontier(eps=15, binner=binner, random_state=args.seed).fit(
        Xtr,
        ytr,
        sensitive_features=atr,
        X_valid=Xte,
        y_valid=yte,
        sensitive_valid=ate,
    )
    t_ours = time.perf_counter() - t0
    ours = front.frontier_[
        ["eps", "status", "n_features", "auc", "air", "air_low", "air_high"]
    ]

    rows = []
    t0 = time.perf_counter()
    base = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    base.fit(Xtr, ytr)
    p_bad = base.predict_proba(Xte)[:, 1]
    rows.append(
        (
            "unconstrained LR",
            roc_auc_score(yte, p_bad),
            *_air(yte, -p_bad, ate, 0.5, reference),
        )
    )
    scaler = StandardScaler().fit(Xtr)
    Ztr, Zte = scaler.transform(Xtr), scaler.transform(Xte)
    for bound in BOUNDS:
        eg = ExponentiatedGradient(
            LogisticRegression(max_iter=1000),
            constraints=DemographicParity(difference_bound=bound),
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            eg.fit(Ztr, ytr, sensitive_features=atr)
        p_bad = eg._pmf_predict(Zte)[:, 1]
        rows.append(
            (
                f"EG DP bound={bound}",
                roc_auc_score(yte, p_bad),
                *_air(yte, -p_bad, ate, 0.5, reference),
            )
        )
    t_fl = time.perf_counter() - t0
    theirs = pd.DataFrame(rows, columns=["model", "auc", "air", "air_low", "air_high"])

    with pd.option_context(
        "display.width", 160, "display.float_format", "{:.4f}".format
    ):
        print("ours: ParetoFrontier (MIP, 15 eps), test set")
        ours = ours.assign(parity_ratio=np.minimum(ours["air"], 1 / ours["air"]))
        print(ours.to_string(index=False))
        print("\nfairlearn ExponentiatedGradient + DemographicParity, test set")
        print(theirs.to_string(index=False))

    # Dominance on the parity ratio min(AIR, 1/AIR) (fairlearn's
    # demographic_parity_ratio: 1 = parity; an AIR above 1 favours Race 0 and
    # is not "fairer" than parity); the directional check is printed too.
    ok_ours = ours.dropna(subset=["auc"])
    ours_pr = np.minimum(ok_ours["air"], 1 / ok_ours["air"])
    verdicts = []
    for _, r in theirs.iterrows():
        pr = min(r["air"], 1 / r["air"])
        better = ok_ours[(ours_pr >= pr) & (ok_ours["auc"] > r["auc"])]
        strict = ok_ours[(ok_ours["air"] >= r["air"]) & (ok_ours["auc"] > r["auc"])]
        best = better["auc"].max() if len(better) else float("nan")
        verdicts.append(
            (r["model"], r["air"], pr, r["auc"], best, len(better) > 0, len(strict) > 0)
        )
    verdict = pd.DataFrame(
        verdicts,
        columns=[
            "fairlearn model",
            "air",
            "parity_ratio",
            "auc",
            "our best auc at >= parity_ratio",
            "dominated",
            "dominated (directional AIR)",
        ],
    )
    with pd.option_context(
        "display.width", 160, "display.float_format", "{:.4f}".format
    ):
        print("\ndominance check")
        print(verdict.to_string(index=False))
    dominated = bool(verdict["dominated"].all())
    strict = bool(verdict["dominated (directional AIR)"].all())
    print(f"\nours dominates every fairlearn point (parity ratio): {dominated}")
    print(f"... on the directional AIR (Race 0 / Race 1): {strict}")
    print(f"time: ours {t_ours:.2f} s (15 eps + refits + eval); fairlearn {t_fl:.2f} s")

    fig, ax = plt.subplots(figsize=(7, 5))
    front.plot(ax, label="ours: MIP frontier (95% CI on AIR)")
    ax.plot(theirs["air"], theirs["auc"], "s", color="C3", label="fairlearn EG + DP")
    for _, r in theirs.iterrows():
        ax.annotate(
            r["model"].replace("EG DP bound=", ""), (r["air"], r["auc"]), fontsize=6
        )
    ax.set_xlabel("adverse impact ratio at 50% approval (Race 0 / Race 1)")
    ax.set_ylabel("test AUC")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(args.out, dpi=120)
    print(f"plot written: {args.out}")


if __name__ == "__main__":
    main()
