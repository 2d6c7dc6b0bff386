"""The score-band (gains) table: counts, bad rates with intervals, KS and lift.

:func:`gains_table` cuts a score into bands (quantile bands by default, or
explicit edges) and tabulates, from the riskiest band to the safest, the
counts, goods and bads (counted by the spine's :func:`count_codes`), the bad
rate with its Jeffreys interval, the cumulative shares of the population, the
goods and the bads, the KS by band and the lift (docs/methodology.md section
"Gains tables"). :class:`GainsTableMixin` gives every scorecard
``gains_table(X, y, bands=...)`` on its own points.
"""

from __future__ import annotations

import math
from numbers import Integral
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from .._kit.compat import Interval, StrOptions, check_arguments
from .._kit.intervals import check_alpha
from .._kit.validation import check_binary_target, check_weight_kind, check_weights
from .._stats._counts import count_codes

__all__ = ["GainsTableMixin", "gains_edges", "gains_table", "jeffreys_interval"]

Higher = Literal["good", "bad"]

#: The columns of a gains table, in order.
GAINS_COLUMNS = (
    "band",
    "score_low",
    "score_high",
    "count",
    "goods",
    "bads",
    "bad_rate",
    "bad_rate_ci_low",
    "bad_rate_ci_high",
    "cum_share",
    "cum_goods_share",
    "cum_bads_share",
    "cum_bad_rate",
    "ks",
    "lift",
    "cum_lift",
)


def jeffreys_interval(
    events: ArrayLike, n: ArrayLike, alpha: float = 0.05
) -> NDArray[np.float64]:
    """Jeffreys interval of binomial proportions ``events / n``.

    The equal-tailed interval of the Beta(events + 1/2, n - events + 1/2)
    posterior, with the lower end 0 when there are no events and the upper
    end 1 when every trial is an event (Brown, Cai and DasGupta 2001).
    Counts may be fractional (weighted or effective sample sizes); ``n = 0``
    gives NaN.

    Parameters
    ----------
    events, n : array-like
        Events and trials, ``0 <= events <= n``.
    alpha : float, default=0.05
        One minus the coverage.

    Returns
    -------
    ndarray
        Shape ``events.shape + (2,)``: ``[..., 0]`` the lower end.

    Examples
    --------
    >>> jeffreys_interval([0, 5], [10, 10]).round(4).tolist()
    [[0.0, 0.2172], [0.2235, 0.7765]]
    """
    from scipy import stats

    alpha = check_alpha(alpha)
    d = np.asarray(events, dtype=np.float64)
    m = np.asarray(n, dtype=np.float64)
    valid = m > 0
    a = np.where(valid, d + 0.5, 1.0)
    b = np.where(valid, m - d + 0.5, 1.0)
    low = np.where(d > 0, stats.beta.ppf(alpha / 2, a, b), 0.0)
    high = np.where(d < m, stats.beta.ppf(1 - alpha / 2, a, b), 1.0)
    out = np.stack([low, high], axis=-1)
    out[~valid] = np.nan
    return out


def _round_between(low: float, high: float) -> float:
    """The roundest number ``e`` with ``low < e <= high`` (a readable edge)."""
    for digits in range(-6, 16):
        step = 10.0**-digits
        edge = math.floor(low / step + 1.0) * step
        if low < edge <= high:
            return float(round(edge, max(digits, 0)))
    return high


def gains_edges(
    y_score: ArrayLike, bands: int, sample_weight: ArrayLike | None = None
) -> NDArray[np.float64]:
    """Quantile band edges of a score: round numbers between distinct scores.

    The ``k / bands`` quantiles ``q_k`` (weighted, inverted CDF: the smallest
    score whose cumulative share reaches ``k / bands``) are found; each edge
    is then the roundest number above ``q_k`` and at most the next observed
    score, so ``q_k`` stays in the band below and the edge falls between two
    observed scores (a band holds ``[edge_k, edge_k+1)``). Scores take few
    distinct values, so tied quantiles give fewer bands than asked.

    Parameters
    ----------
    y_score : array-like
        Finite scores.
    bands : int
        Number of bands asked for (at least 1).
    sample_weight : array-like, default=None
        Row weights of the quantiles.

    Returns
    -------
    ndarray
        Increasing interior edges (``bands - 1`` at most).

    Examples
    --------
    >>> gains_edges([600.3, 610.8, 620.2, 631.7], bands=2).tolist()
    [620.0]
    """
    s = np.asarray(y_score, dtype=np.float64).ravel()
    w = np.ones_like(s) if sample_weight is None else np.asarray(sample_weight, float)
    order = np.argsort(s, kind="mergesort")
    s_sorted, cum = s[order], np.cumsum(w[order])
    values = np.unique(s_sorted)
    if values.size < 2 or bands < 2:
        return np.empty(0)
    shares = np.arange(1, bands) / bands
    at = np.searchsorted(cum, shares * cum[-1], side="left")
    quantiles = s_sorted[np.minimum(at, s.size - 1)]
    above = np.unique(np.searchsorted(values, quantiles, side="right"))
    above = above[(above > 0) & (above < values.size)]
    return np.unique([_round_between(values[i - 1], values[i]) for i in above]).astype(
        np.float64
    )


def _check_edges(bands: Any) -> NDArray[np.float64]:
    edges = np.asarray(bands, dtype=np.float64).ravel()
    if edges.size == 0 or not np.all(np.isfinite(edges)):
        raise ValueError(
            "bands must be a number of quantile bands (int >= 1) or finite band "
            f"edges; got {list(np.asarray(bands).ravel()[:6])}."
        )
    if np.any(np.diff(edges) <= 0):
        raise ValueError(
            "bands given as edges must be strictly increasing; got "
            f"{edges[:10].tolist()}."
        )
    return edges


def _band_labels(edges: NDArray[np.float64], higher: Higher) -> list[str]:
    text = [f"{e:.10g}" for e in edges]
    if not text:
        return ["all"]
    labels = [f"< {text[0]}"]
    labels += [f"[{a}, {b})" for a, b in zip(text[:-1], text[1:], strict=True)]
    labels.append(f">= {text[-1]}")
    return labels if higher == "good" else labels[::-1]


@check_arguments(
    {
        "bands": [Interval(Integral, 1, None, closed="left"), "array-like"],
        "sample_weight": ["array-like", None],
        "higher": [StrOptions({"good", "bad"})],
        "weight_kind": [StrOptions({"frequency", "sampling"}), None],
    }
)
def gains_table(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    bands: int | ArrayLike = 10,
    sample_weight: ArrayLike | None = None,
    alpha: float = 0.05,
    higher: Higher = "good",
    bad_value: Any = None,
    weight_kind: Literal["frequency", "sampling"] | None = None,
) -> pd.DataFrame:
    """Score-band (gains) table: counts, bad rate with CI, cumulative shares, KS, lift.

    Rows run from the riskiest band to the safest: with ``higher="good"``
    (points: a higher score means lower risk, the default) the lowest scores
    come first. The cumulative columns add up the bands from the riskiest
    one, i.e. what a cut-off rejecting everyone up to that band would catch.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary target: 0/1 (1 = bad) or boolean, or two labels with
        ``bad_value``.
    y_score : array-like of shape (n_samples,)
        Finite scores.
    bands : int or array-like of float, default=10
        An int: that many quantile bands of ``y_score`` (weighted), with edges
        at round numbers between observed scores (see :func:`gains_edges`;
        ties give fewer bands). An array: the interior band edges, strictly
        increasing; band ``k`` holds ``edge_k <= score < edge_k+1``, the first
        and last bands are open-ended, and empty bands are kept.
    sample_weight : array-like of shape (n_samples,), default=None
        Float row weights.
    alpha : float, default=0.05
        One minus the coverage of the bad-rate intervals.
    higher : {"good", "bad"}, default="good"
        Which outcome a higher score means (``"bad"`` for a probability of
        default).
    bad_value : object, default=None
        The label of ``y_true`` meaning bad, unless it is 0/1 or boolean.
    weight_kind : {"frequency", "sampling"} or None, default=None
        How the weights enter the bad-rate intervals: frequency weights count
        replicated rows; sampling weights use each band's Kish effective
        size ``(sum w)^2 / sum w^2``. ``None`` reads weights as sampling
        weights (warning when they do not sum to the row count).

    Returns
    -------
    pandas.DataFrame
        One row per band with columns ``band`` (label), ``score_low``,
        ``score_high`` (edges, infinite at the open ends), ``count``,
        ``goods``, ``bads``, ``bad_rate`` with its Jeffreys interval
        ``bad_rate_ci_low`` / ``bad_rate_ci_high``, ``cum_share`` (of the
        population), ``cum_goods_share``, ``cum_bads_share``,
        ``cum_bad_rate``, ``ks`` (``cum_bads_share - cum_goods_share``), ``lift``
        (band bad rate over the overall bad rate) and ``cum_lift``. ``attrs``
        holds ``ks`` (the largest ``|ks|``: the KS of the banded score, at most
        the KS of the raw score), ``edges``, ``alpha``, ``interval`` and
        ``higher``.

    Raises
    ------
    ValueError
        If the target is not binary with both classes, the lengths differ,
        scores are not finite, or ``bands`` is not a positive int or
        strictly increasing finite edges.

    Notes
    -----
    The interval is the Jeffreys interval of a binomial proportion (the
    ECB's back-test convention, and good coverage at the small counts of a
    band's tail), computed from ``bads`` and ``count`` (frequency weights or
    no weights) or from the effective size (sampling weights).

    Examples
    --------
    >>> table = gains_table([1, 1, 0, 1, 0, 0], [500, 510, 520, 530, 540, 550],
    ...                     bands=[525])
    >>> table[["band", "count", "bads", "cum_bads_share", "ks"]]
         band  count  bads  cum_bads_share        ks
    0   < 525    3.0   2.0        0.666667  0.333333
    1  >= 525    3.0   1.0        1.000000  0.000000
    """
    alpha = check_alpha(alpha)
    y01 = check_binary_target(y_true, bad_value=bad_value, name="y_true").y01
    s = np.asarray(y_score, dtype=np.float64).ravel()
    if s.shape != y01.shape:
        raise ValueError(
            f"y_true and y_score must have the same length; got {y01.size} and "
            f"{s.size}."
        )
    if not np.all(np.isfinite(s)):
        raise ValueError("y_score must be finite; got NaN or infinite values.")
    w = check_weights(sample_weight, y01)
    kind = check_weight_kind(
        weight_kind, None if sample_weight is None else w, parameter="weight_kind"
    )
    if isinstance(bands, Integral) and not isinstance(bands, bool):
        edges = gains_edges(s, int(bands), w)
    else:
        edges = _check_edges(bands)
    k = edges.size + 1
    codes = np.searchsorted(edges, s, side="right")
    if higher == "bad":  # the riskiest band (highest score) first
        codes = k - 1 - codes
    counts = count_codes(codes, y01, n_bins=k, n_classes=2, sample_weight=w)[0]
    goods, bads = counts[:, 0], counts[:, 1]
    count = goods + bads
    n_ci = count
    if kind == "sampling":
        squares = np.bincount(codes, weights=w * w, minlength=k)
        n_ci = np.divide(count**2, squares, out=np.zeros(k), where=squares > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = bads / count
        ci = jeffreys_interval(np.where(count > 0, rate, 0.0) * n_ci, n_ci, alpha)
        overall = bads.sum() / count.sum()
        cum_count, cum_bads = np.cumsum(count), np.cumsum(bads)
        cum_goods_share = np.cumsum(goods) / goods.sum()
        cum_bads_share = cum_bads / bads.sum()
        cum_rate = cum_bads / cum_count
    low = np.concatenate([[-np.inf], edges])
    high = np.concatenate([edges, [np.inf]])
    if higher == "bad":
        low, high = low[::-1], high[::-1]
    table = pd.DataFrame(
        {
            "band": _band_labels(edges, higher),
            "score_low": low,
            "score_high": high,
            "count": count,
            "goods": goods,
            "bads": bads,
            "bad_rate": rate,
            "bad_rate_ci_low": ci[:, 0],
            "bad_rate_ci_high": ci[:, 1],
            "cum_share": cum_count / count.sum(),
            "cum_goods_share": cum_goods_share,
            "cum_bads_share": cum_bads_share,
            "cum_bad_rate": cum_rate,
            "ks": cum_bads_share - cum_goods_share,
            "lift": rate / overall,
            "cum_lift": cum_rate / overall,
        },
        columns=list(GAINS_COLUMNS),
    )
    table.attrs.update(
        ks=float(np.max(np.abs(table["ks"]))),
        edges=tuple(float(e) for e in edges),
        alpha=alpha,
        interval="Jeffreys",
        higher=higher,
        weight_kind=kind,
    )
    return table


class GainsTableMixin:
    """``gains_table(X, y, bands=...)`` of a fitted scorecard on its points."""

    def gains_table(
        self,
        X: Any,
        y: Any,
        *,
        bands: int | ArrayLike = 10,
        sample_weight: Any = None,
        alpha: float = 0.05,
    ) -> pd.DataFrame:
        """Score-band (gains) table of the scorecard's points on labelled data.

        The points are :meth:`predict_score` (a higher score means lower
        risk), so the lowest band comes first; see
        :func:`scorecard.gains_table` for the columns and the interval.

        Parameters
        ----------
        X : DataFrame or array-like
            Features (the model's columns).
        y : array-like of shape (n_samples,)
            Target in the labels of the training target (``classes_[1]`` is
            bad).
        bands : int or array-like of float, default=10
            Number of quantile bands of these scores, or explicit interior
            edges (e.g. the training table's ``attrs["edges"]``, to compare a
            test sample on the training bands).
        sample_weight : array-like, default=None
            Float row weights.
        alpha : float, default=0.05
            One minus the coverage of the bad-rate intervals.

        Returns
        -------
        pandas.DataFrame
            As :func:`scorecard.gains_table`.
        """
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "bin_margins_")
        bad = self.classes_[1]  # type: ignore[attr-defined]
        bad = bad.item() if isinstance(bad, np.generic) else bad
        target = check_binary_target(y, bad_value=bad, name="y").y01
        return gains_table(
            target,
            self.predict_score(X),  # type: ignore[attr-defined]
            bands=bands,
            sample_weight=sample_weight,
            alpha=alpha,
            higher="good",
        )
