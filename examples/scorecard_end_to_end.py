"""A scorecard end to end
======================

Bin, fit, scale to points, explain and save a WoE scorecard on the bundled
SimuCredit data (bad = ``Status`` 0). ``Race`` and ``Gender`` are protected
attributes and never model inputs. The data is split 70/30 (stratified,
seed 0): the model is fitted on the first part and evaluated on the second.

Run: ``python examples/scorecard_end_to_end.py``.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import train_test_split

from scorecard import DataConditionWarning, Scorecard, load
from scorecard.datasets import load_simucredit

data = load_simucredit()
y = (data["Status"] == 0).astype(int)  # 1 = bad, the event
X = data.drop(columns=["Status", "Race", "Gender"])
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)

# %%
# Fit: per-feature XGBoost stumps, the exact merge, WoE, logistic regression
# and the points scaling (20 points to double the odds, 600 points at 50:1).
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DataConditionWarning)
    card = Scorecard().fit(X_train, y_train)

print(card.information_table().round(4).to_string())

# %%
# The points table: one row per feature and bin. Points are additive: an
# applicant's score is the base points plus one row per feature.
print(card.points_table().head(12).to_string())

# %%
# Discrimination on the held-out part: DeLong AUC with its standard error.
summary = card.summary()
print(summary)
score = card.predict_score(X_test)
print(f"held-out score: mean {score.mean():.1f} points, sd {score.std():.1f}")

# %%
# Adverse-action reasons: the features that cost an applicant the most points
# against the feature's best bin.
print(card.reason_codes(X_test.head(5), n=3).to_string())

# %%
# Score distribution of goods and bads on the held-out part.
fig, ax = plt.subplots(figsize=(6, 3.5))
bins = np.linspace(score.min(), score.max(), 40)
ax.hist(score[y_test.to_numpy() == 0], bins=bins, alpha=0.6, label="good", density=True)
ax.hist(score[y_test.to_numpy() == 1], bins=bins, alpha=0.6, label="bad", density=True)
ax.set_xlabel("score (points)")
ax.set_ylabel("density")
ax.legend()
fig.tight_layout()

# %%
# Save as a JSON artifact (schema-versioned, checksummed, no pickle), reload,
# and check that the reloaded card scores identically.
with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "card.json"
    card.to_json(path)
    reloaded = load(path)
    same = np.array_equal(reloaded.predict_score(X_test), score)
    print(f"artifact {path.stat().st_size:,} bytes; identical scores: {same}")
