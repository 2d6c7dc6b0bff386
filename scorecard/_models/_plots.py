"""ROC, KS and binning plots of a scorecard (the statistics from the spine).

They live with the models, not in the report kit, because their legends and
titles are statistics: the AUC is :func:`scorecard.delong_auc`'s estimate, the
binning plot draws a binning table's counts, event rates and WoE intervals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from .._kit.report import PALETTE, new_figure
from .._stats._auc import delong_auc

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["binning_plot", "ks_plot", "roc_plot"]

Higher = Literal["good", "bad"]


def _check_higher(higher: str) -> Higher:
    if higher not in ("good", "bad"):
        raise ValueError(
            f"higher must be 'good' (a higher score means lower risk, as points) "
            f"or 'bad' (a risk such as a probability of default); got {higher!r}."
        )
    return higher  # type: ignore[return-value]


def _risk(y_true: ArrayLike, score: ArrayLike, higher: Higher) -> tuple:
    y = np.asarray(y_true).ravel()
    s = np.asarray(score, dtype=np.float64).ravel()
    if y.shape != s.shape:
        raise ValueError(
            f"y_true and score must have the same length; got {y.size} and {s.size}."
        )
    values = set(np.unique(y).tolist())
    if not values <= {0, 1} or len(values) != 2:
        raise ValueError(
            f"y_true must hold both classes 0 (good) and 1 (bad); got {sorted(values)}."
        )
    if not np.all(np.isfinite(s)):
        raise ValueError("score must be finite; got NaN or infinite values.")
    return y.astype(int), (-s if higher == "good" else s)


def roc_plot(
    curves: Mapping[str, tuple[ArrayLike, ArrayLike]],
    *,
    higher: Higher = "good",
    title: str | None = None,
) -> Figure:
    """ROC curves (bads caught against goods rejected), AUC in the legend.

    Parameters
    ----------
    curves : mapping of str to (y_true, score)
        One curve per entry (e.g. ``{"train": (y, s), "test": (y2, s2)}``);
        ``y_true`` is 1 for bad, 0 for good.
    higher : {"good", "bad"}, default="good"
        Which outcome a higher score means: ``"good"`` for scores where
        higher means lower risk (points), ``"bad"`` for a risk such as a
        probability of default. The AUC in the legend is
        :func:`scorecard.delong_auc` with the same orientation.
    title : str, default=None
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``y_true`` is not binary 0/1 with both classes, lengths differ, or
        ``higher`` is not "good" or "bad".

    Examples
    --------
    >>> fig = roc_plot({"model": ([0, 0, 1, 1], [700, 650, 640, 600])})
    >>> fig.axes[0].get_legend().get_texts()[0].get_text()
    'model (AUC 1.000)'
    """
    from sklearn.metrics import roc_curve

    higher = _check_higher(higher)
    fig = new_figure(4.2, 4.0)
    ax = fig.add_subplot()
    for i, (name, (y_true, score)) in enumerate(curves.items()):
        y, risk = _risk(y_true, score, higher)
        fpr, tpr, _ = roc_curve(y, risk)
        auc = delong_auc(y, risk, higher="bad").estimate
        ax.plot(
            fpr, tpr, color=PALETTE[i % len(PALETTE)], label=f"{name} (AUC {auc:.3f})"
        )
    ax.plot([0, 1], [0, 1], color="#999999", linestyle=":", linewidth=1)
    ax.set_xlabel("share of goods rejected (FPR)")
    ax.set_ylabel("share of bads rejected (TPR)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    if title:
        ax.set_title(title, loc="left", fontsize=10)
    return fig


def ks_plot(
    y_true: ArrayLike,
    score: ArrayLike,
    *,
    higher: Higher = "good",
    title: str | None = None,
) -> Figure:
    """Cumulative score distributions of goods and bads with the KS gap.

    Parameters
    ----------
    y_true : array-like of {0, 1}
        1 for bad, 0 for good.
    score : array-like of float
        The score.
    higher : {"good", "bad"}, default="good"
        Orientation of the score (see :func:`roc_plot`); the x axis is the
        score as given.
    title : str, default=None
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        As :func:`roc_plot`.

    Examples
    --------
    >>> fig = ks_plot([0, 0, 1, 1], [700, 650, 640, 600])
    >>> fig.axes[0].get_title(loc="left")
    'KS 1.000 at score 640'
    """
    y, _ = _risk(y_true, score, _check_higher(higher))
    s = np.asarray(score, dtype=np.float64).ravel()
    grid = np.unique(s)
    cdf_good = np.searchsorted(np.sort(s[y == 0]), grid, side="right") / (y == 0).sum()
    cdf_bad = np.searchsorted(np.sort(s[y == 1]), grid, side="right") / (y == 1).sum()
    gap = np.abs(cdf_good - cdf_bad)
    k = int(np.argmax(gap))
    fig = new_figure(5.2, 3.6)
    ax = fig.add_subplot()
    ax.step(grid, cdf_good, where="post", color=PALETTE[2], label="goods")
    ax.step(grid, cdf_bad, where="post", color=PALETTE[1], label="bads")
    ax.vlines(
        grid[k],
        min(cdf_good[k], cdf_bad[k]),
        max(cdf_good[k], cdf_bad[k]),
        color="#000000",
        linestyle="--",
        linewidth=1,
    )
    ax.set_xlabel("score")
    ax.set_ylabel("cumulative share")
    ax.legend(fontsize=8, frameon=False)
    ax.grid(color="#e5e5e5")
    ax.set_axisbelow(True)
    head = f"KS {gap[k]:.3f} at score {grid[k]:.4g}"
    ax.set_title(f"{title}: {head}" if title else head, loc="left", fontsize=10)
    return fig


def binning_plot(
    labels: Sequence[Any],
    count: ArrayLike,
    event_rate: ArrayLike,
    woe: ArrayLike,
    woe_low: ArrayLike,
    woe_high: ArrayLike,
    *,
    woe_label: str = "WoE (interval)",
    title: str | None = None,
) -> Figure:
    """One feature's bins: count bars, event rate and WoE with its interval.

    Three panels share the bins as rows (top to bottom in bin order): the
    rows in each bin as bars, the event (bad) rate as dots with the overall
    rate dashed, and the WoE with its interval around the dashed zero.

    Parameters
    ----------
    labels : sequence
        Bin labels.
    count : array-like
        Rows (weighted) of each bin.
    event_rate : array-like
        Bad rate of each bin (NaN for an empty bin).
    woe, woe_low, woe_high : array-like
        WoE of each bin and its interval ends (e.g. ``woe -+ z se``).
    woe_label : str, default="WoE (interval)"
        Axis label of the WoE panel; say which interval it is.
    title : str, default=None
        Figure title (the feature).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If the arrays do not have one value per label.

    Examples
    --------
    >>> fig = binning_plot(["< 1", ">= 1"], [60, 40], [0.1, 0.3], [0.5, -0.6],
    ...                    [0.2, -1.0], [0.8, -0.2])
    >>> [ax.get_xlabel() for ax in fig.axes]
    ['rows', 'event rate', 'WoE (interval)']
    """
    n = len(labels)
    values = {}
    for name, arr in (
        ("count", count),
        ("event_rate", event_rate),
        ("woe", woe),
        ("woe_low", woe_low),
        ("woe_high", woe_high),
    ):
        values[name] = np.asarray(arr, dtype=np.float64).ravel()
        if values[name].size != n:
            raise ValueError(f"{name} must have {n} values; got {values[name].size}.")
    fig = new_figure(7.6, max(1.6, 0.4 * n + 1.1))
    axes = fig.subplots(1, 3, sharey=True, width_ratios=(1.0, 1.0, 1.4))
    y = np.arange(n)[::-1]
    axes[0].barh(y, values["count"], color=PALETTE[5], height=0.6)
    axes[0].set_xlabel("rows")
    total = np.nansum(values["count"])
    rate = values["event_rate"]
    axes[1].scatter(rate, y, color=PALETTE[1], s=24, zorder=3)
    if total > 0:
        overall = np.nansum(rate * values["count"]) / total
        axes[1].axvline(overall, color="#666666", linestyle="--", linewidth=1)
    axes[1].set_xlabel("event rate")
    lo, hi = values["woe_low"], values["woe_high"]
    finite = np.isfinite(lo) & np.isfinite(hi)
    axes[2].hlines(y[finite], lo[finite], hi[finite], colors=PALETTE[0])
    axes[2].scatter(values["woe"], y, color=PALETTE[0], s=24, zorder=3)
    axes[2].axvline(0.0, color="#666666", linestyle="--", linewidth=1)
    axes[2].set_xlabel(woe_label)
    axes[0].set_yticks(y, [str(label) for label in labels])
    axes[0].set_ylim(-0.7, n - 0.3)
    for ax in axes:
        ax.grid(axis="x", color="#e5e5e5")
        ax.set_axisbelow(True)
    if title:
        fig.suptitle(title, x=0.01, ha="left", fontsize=10)
    return fig
