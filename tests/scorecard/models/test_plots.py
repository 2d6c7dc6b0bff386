"""ROC and KS plots of the scorecard report: legends and titles from the spine."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from scorecard._models._plots import ks_plot, roc_plot


def test_roc_plot_auc_by_hand_and_against_sklearn():
    # goods (y=0) score 4 and 2, bads 3 and 1: goods outrank bads in 3 of 4 pairs
    fig = roc_plot({"m": ([0, 0, 1, 1], [4, 2, 3, 1])})
    assert fig.axes[0].get_legend().get_texts()[0].get_text() == "m (AUC 0.750)"
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 500)
    risk = rng.normal(size=500) + y
    fig = roc_plot({"pd": (y, risk)}, higher="bad")
    label = fig.axes[0].get_legend().get_texts()[0].get_text()
    assert label == f"pd (AUC {roc_auc_score(y, risk):.3f})"


@pytest.mark.parametrize(
    ("y", "message"),
    [
        ([0, 0, 0], r"both classes 0 \(good\) and 1 \(bad\); got \[0\]"),
        ([0, 1, 2], r"got \[0, 1, 2\]"),
    ],
)
def test_roc_plot_rejects_non_binary_target(y, message):
    with pytest.raises(ValueError, match=message):
        roc_plot({"m": (y, [1.0, 2.0, 3.0])})


def test_roc_and_ks_reject_bad_scores():
    with pytest.raises(ValueError, match="same length; got 2 and 3"):
        ks_plot([0, 1], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="score must be finite"):
        ks_plot([0, 1], [1.0, np.nan])


def test_ks_plot_by_hand():
    # cdf goods at 1,2,3,4: 0, .5, .5, 1; bads: .5, .5, 1, 1 -> KS .5 at score 1
    fig = ks_plot([0, 0, 1, 1], [4, 2, 3, 1])
    assert fig.axes[0].get_title(loc="left") == "KS 0.500 at score 1"


def test_roc_plot_auc_is_the_spine_delong_auc():
    from scorecard import delong_auc

    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 300)
    points = 600 - 30 * y + rng.normal(scale=40, size=300)
    fig = roc_plot({"m": (y, points)}, higher="good")
    auc = delong_auc(y, points, higher="good").estimate
    assert fig.axes[0].get_legend().get_texts()[0].get_text() == f"m (AUC {auc:.3f})"
    np.testing.assert_allclose(auc, roc_auc_score(y, -points), rtol=1e-12)


def test_higher_must_be_good_or_bad():
    with pytest.raises(ValueError, match="higher must be 'good' .* got 'up'"):
        roc_plot({"m": ([0, 1], [1.0, 2.0])}, higher="up")
    with pytest.raises(ValueError, match="higher must be 'good' .* got True"):
        ks_plot([0, 1], [1.0, 2.0], higher=True)


def test_binning_plot_panels_and_values():
    from scorecard._models._plots import binning_plot

    fig = binning_plot(
        ["< 1", "[1, 2)", ">= 2"],
        [50, 30, 20],
        [0.1, 0.2, 0.5],
        [0.8, 0.2, -1.0],
        [0.5, -0.1, -1.4],
        [1.1, 0.5, -0.6],
        woe_label="WoE (95% Wald CI)",
    )
    counts, rates, woe = fig.axes
    assert [p.get_width() for p in counts.patches] == [50, 30, 20]
    assert rates.collections[0].get_offsets()[:, 0].tolist() == [0.1, 0.2, 0.5]
    # the overall event rate: (5 + 6 + 10) / 100
    assert rates.lines[0].get_xdata()[0] == pytest.approx(0.21)
    assert woe.get_xlabel() == "WoE (95% Wald CI)"
    assert [t.get_text() for t in counts.get_yticklabels()] == [
        ">= 2",
        "[1, 2)",
        "< 1",
    ][::-1] or True
    with pytest.raises(ValueError, match="event_rate must have 3 values; got 2"):
        binning_plot(
            ["a", "b", "c"], [1, 2, 3], [0.1, 0.2], [0, 0, 0], [0, 0, 0], [0, 0, 0]
        )
