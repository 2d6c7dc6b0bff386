"""Fairness assessment and the accuracy-fairness frontier
======================================================

Audit a WoE scorecard on SimuCredit for disparate impact by ``Race`` and
``Gender`` (protected attributes, never model inputs): group approval rates
and the adverse impact ratio with intervals at a 50% approval rate, group
AUCs, the proxy table (which inputs carry information about Race), then the
accuracy-fairness frontier over feature and binning choices. The data is
split 70/30 (stratified, seed 0); the audit uses the held-out part.

Run: ``python examples/fairness_assessment.py`` (``INFOSCORE_DOCS_QUICK=1``
uses a 6,000-row sample for the frontier).
"""

from __future__ import annotations

import os
import warnings

import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split

from fairness import ParetoFrontier, assess, proxy_table
from scorecard import DataConditionWarning, Scorecard
from scorecard.datasets import load_simucredit

QUICK = os.environ.get("INFOSCORE_DOCS_QUICK") == "1"
warnings.simplefilter("ignore", DataConditionWarning)

data = load_simucredit()
y = (data["Status"] == 0).astype(int)  # 1 = bad
protected = data[["Race", "Gender"]]
X = data.drop(columns=["Status", "Race", "Gender"])
X_train, X_test, y_train, y_test, s_train, s_test = train_test_split(
    X, y, protected, test_size=0.3, stratify=y, random_state=0
)
card = Scorecard().fit(X_train, y_train)

# %%
# Group metrics on the held-out part: approval rate, adverse impact ratio
# (AIR) with its interval and the four-fifths flag, group AUCs.
result = assess(
    y_test,
    card.predict_score(X_test),
    sensitive_features=s_test,
    approval_rate=0.5,
)
print(result.summary())
print(result.to_frame().round(4).to_string())

# %%
# Proxies: how much information each model input carries about Race.
print(proxy_table(X_test, s_test[["Race"]]).to_frame().round(4).to_string())

# %%
# The frontier: feature and binning choices traded between held-out AUC and
# demographic information about Race.
if QUICK:
    X_train, y_train, s_train = (
        X_train.iloc[:6000],
        y_train.iloc[:6000],
        s_train.iloc[:6000],
    )
frontier = ParetoFrontier(eps=8, random_state=0).fit(
    X_train, y_train, sensitive_features=s_train["Race"]
)
print(frontier.frontier_.round(4).to_string())
ax = frontier.plot()
plt.gcf().tight_layout()
