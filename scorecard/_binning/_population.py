"""The shrunk population of the parametric bootstrap (docs/methodology.md 18).

The selection optimism of the binning search, ``E[T] - lambda``, depends on
the true signal, and a sample's cells overstate it (every pre-bin's rate
carries its sampling noise), so the optimism is measured in a population
whose truth looks like reality: the cell rates shrunk to the estimated true
spread (:func:`shrunk_rates`), from which :func:`population_optimism` draws
tables, re-runs the search and counts each draw's bins on the draw and on
the population's expected counts. :func:`sample_optimism` is the world of
the rule before: the sample's own cells resampled.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtri

from .._stats._divergence import information_value
from ._search import SearchInputs, bin_counts, search_many

__all__ = ["population_optimism", "sample_optimism", "shrunk_rates"]

FloatArray = NDArray[np.float64]


def _iv(goods: FloatArray, bads: FloatArray, smoothing: float) -> FloatArray:
    """IV of every row of a batch of count tables, through the spine."""
    goods, bads = np.atleast_2d(goods), np.atleast_2d(bads)
    out = np.zeros(goods.shape[0])
    # one non-empty bin (or one class) carries no information: IV 0
    ok = (
        (((goods + bads) > 0).sum(axis=1) >= 2)
        & (goods.sum(axis=1) > 0)
        & (bads.sum(axis=1) > 0)
    )
    if not ok.any():
        return out
    g, b = goods[ok], bads[ok]
    keep = (g + b).sum(axis=0) > 0  # bins empty in every table
    with warnings.catch_warnings():
        # smoothed zero cells are expected in resampled tables
        warnings.simplefilter("ignore")
        res = information_value(g[:, keep], b[:, keep], smoothing=smoothing)
    out[ok] = np.atleast_1d(np.asarray(res.estimate, dtype=np.float64))
    return out


#: Ordered numeric pre-bins are pooled into runs of consecutive pre-bins
#: (about equal rows) with about this many bads each (a logit SD near 0.2,
#: where the delta-method variance holds), at least :data:`MIN_GROUPS` and
#: at most :data:`MAX_GROUPS` runs (never more than the pre-bins).
BADS_PER_GROUP = 25
MIN_GROUPS = 10
MAX_GROUPS = 40


def _groups(rows: FloatArray, bads: float) -> NDArray[np.int64]:
    """Runs of consecutive ordered pre-bins, about equal rows (:func:`shrunk_rates`)."""
    n_groups = int(np.clip(round(bads / BADS_PER_GROUP), MIN_GROUPS, MAX_GROUPS))
    if rows.size <= n_groups:
        return np.arange(rows.size, dtype=np.int64)
    cum = np.cumsum(rows)
    pos = (cum - rows / 2) / max(float(cum[-1]), 1e-300)
    group = np.minimum((pos * n_groups).astype(np.int64), n_groups - 1)
    return np.asarray(np.unique(group, return_inverse=True)[1], dtype=np.int64)


def _shrunk_deviations(
    rows: FloatArray, bads: FloatArray, centre: float
) -> tuple[FloatArray, float]:
    """Constrained-Bayes logit deviations of units from ``centre``."""
    keep = rows > 0
    dev = np.zeros(rows.size)
    if keep.sum() < 2:
        return dev, 0.0
    r, b = rows[keep], bads[keep]
    g = np.maximum(r - b, 0.0)
    raw = np.log((b + 0.5) / (g + 0.5)) - centre
    var = 1.0 / (b + 0.5) + 1.0 / (g + 0.5)
    w = r / r.sum()
    tau2 = max(0.0, float(np.sum(w * raw**2 - w * var)))
    dev[keep] = raw * np.sqrt(tau2 / (tau2 + var))
    return dev, tau2


def _trend_deviations(
    rows: FloatArray, bads: FloatArray, at: FloatArray, centre: float
) -> tuple[float, float, FloatArray]:
    """Shrunk logit deviations of ordered units: a linear trend plus the rest.

    Returns ``(slope, x0, rest)``: the weighted (precision ``1/v_u``)
    least-squares slope ``beta`` of the unit logits on their positions
    ``at`` (centred at ``x0``), shrunk to match its square,
    ``sign(beta) sqrt(max(0, beta^2 - Var(beta)))`` (the one-parameter
    constrained-Bayes estimate), and the residuals about the fitted line
    shrunk as in :func:`_shrunk_deviations`. A monotone truth keeps its
    shape (shrinking each unit alone turns it into scaled noise, which a
    monotone search cannot use as it uses the truth).
    """
    keep = rows > 0
    rest = np.zeros(rows.size)
    if keep.sum() < 2:
        return 0.0, 0.0, rest
    r, b, x = rows[keep], bads[keep], at[keep]
    g = np.maximum(r - b, 0.0)
    raw = np.log((b + 0.5) / (g + 0.5)) - centre
    var = 1.0 / (b + 0.5) + 1.0 / (g + 0.5)
    prec = 1.0 / var
    x0 = float(np.sum(prec * x) / prec.sum())
    sxx = float(np.sum(prec * (x - x0) ** 2))
    if sxx <= 0:
        return 0.0, x0, rest
    beta = float(np.sum(prec * (x - x0) * raw)) / sxx
    slope = float(np.sign(beta) * np.sqrt(max(0.0, beta**2 - 1.0 / sxx)))
    resid = raw - float(np.sum(prec * raw) / prec.sum()) - beta * (x - x0)
    w = r / r.sum()
    tau2 = max(0.0, float(np.sum(w * resid**2 - w * var)))
    rest[keep] = resid * np.sqrt(tau2 / (tau2 + var))
    return slope, x0, rest


def shrunk_rates(rows: FloatArray, bads: FloatArray, n_ordered: int = 0) -> FloatArray:
    """Cell bad rates shrunk so their spread matches the true cells' (Louis 1984).

    The population of the parametric bootstrap of :func:`~scorecard._binning.
    _inference.selection_inference`: a sample's cell rates are the truth plus
    sampling noise, so their spread overstates the true one (many times for a
    weak feature in small cells). On the logit scale, units with logits
    ``l_u = log((b_u + 1/2) / (g_u + 1/2))`` and sampling variances
    ``v_u = 1/(b_u + 1/2) + 1/(g_u + 1/2)`` deviate from a centre ``L``;
    their true spread is estimated by moments,
    ``tau^2 = max(0, sum_u w_u (l_u - L)^2 - sum_u w_u v_u)`` with the row
    shares ``w_u``, and every deviation is multiplied by
    ``sqrt(tau^2 / (tau^2 + v_u))`` (the constrained-Bayes factor: the square
    root of the posterior-mean one, so the shrunk spread matches ``tau^2``
    rather than understating it). Two levels: the first ``n_ordered`` cells
    (ordered numeric pre-bins) taken together, and every other cell
    (categories, specials, the missing cell) alone, about the pooled logit;
    then, within the ordered block, runs of consecutive pre-bins
    (:data:`GROUPS` of about equal rows where there are more) about the
    block's logit, the shrunk group logits interpolated linearly between the
    groups' row-weighted positions (a smooth curve, as the truth of a
    continuous feature is). Shrinking each tiny pre-bin alone would flatten
    everything, and shrinking the groups about the pooled logit would also
    shrink the block's well-measured contrast with a large missing cell. The
    result is shifted on the logit scale so that its expected bads equal the
    observed ones. Equal rates give ``tau^2 = 0``: a constant population.
    """
    r = np.asarray(rows, dtype=np.float64)
    b = np.asarray(bads, dtype=np.float64)
    total, n_bad = float(r.sum()), float(b.sum())
    if total <= 0 or n_bad <= 0 or n_bad >= total:
        return np.full(r.size, n_bad / total if total > 0 else 0.0)
    pooled = np.log(n_bad / (total - n_bad))
    m = int(n_ordered)
    first_r = np.concatenate([[r[:m].sum()], r[m:]]) if m else r
    first_b = np.concatenate([[b[:m].sum()], b[m:]]) if m else b
    top, _ = _shrunk_deviations(first_r, first_b, pooled)
    cell = np.zeros(r.size)
    if m:
        cell[m:] = top[1:]
        cell[:m] = top[0]
        rb, bb = float(r[:m].sum()), float(b[:m].sum())
        if rb > 0 and bb > 0:
            centre = np.log((bb + 0.5) / (rb - bb + 0.5))
            group = _groups(r[:m], bb)
            gr = np.asarray(np.bincount(group, weights=r[:m]), dtype=np.float64)
            gb = np.asarray(np.bincount(group, weights=b[:m]), dtype=np.float64)
            # positions: normal scores of the pre-bins' mid ranks, where a
            # logit linear in a normal feature is a line (the rank scale
            # would flatten the steep tails of a strong feature)
            cum = np.cumsum(r[:m])
            pos = ndtri(np.clip((cum - r[:m] / 2) / cum[-1], 1e-9, 1 - 1e-9))
            at = np.bincount(group, weights=r[:m] * pos) / np.maximum(gr, 1e-300)
            slope, x0, rest = _trend_deviations(gr, gb, at, centre)
            ok = gr > 0
            # the trend at every pre-bin's own position (to the ends), the
            # shrunk rest interpolated between the groups
            within = slope * (pos - x0)
            within += np.interp(pos, at[ok], rest[ok]) if m > ok.size else rest[group]
            # the block keeps its own shrunk rate: the spread within it is
            # centred on the rate scale, not the logit scale
            target = rb / (1.0 + np.exp(-(pooled + top[0])))
            cell[:m] += within + _level(r[:m], pooled + top[0] + within, target)
    else:
        cell = top
    shift = _level(r, pooled + cell, n_bad)
    return 1.0 / (1.0 + np.exp(-(pooled + shift + cell)))


def _level(rows: FloatArray, logit: FloatArray, bads: float) -> float:
    """The shift ``d`` with ``sum rows expit(logit + d) = bads`` (Newton)."""
    shift = 0.0
    for _ in range(50):
        pi = 1.0 / (1.0 + np.exp(-(logit + shift)))
        slope = float(np.sum(rows * pi * (1 - pi)))
        if slope <= 0:
            break
        step = (float(np.sum(rows * pi)) - bads) / slope
        shift -= step
        if abs(step) < 1e-12:
            break
    return shift


def _from_population(
    inputs: SearchInputs,
    rates: FloatArray,
    n: int,
    rng: np.random.Generator,
    data: Any,
) -> tuple[FloatArray, FloatArray]:
    """Bad and row counts per cell drawn from a population with cell ``rates``.

    Without weights: the cells and classes multinomial with shares
    ``rows_c / N`` times ``(rates_c, 1 - rates_c)`` (cell sizes vary as they
    do between samples); with weights: the rows drawn with replacement and
    each label drawn Bernoulli at its cell's rate.
    """
    c = inputs.rows.size
    if inputs.codes is None:
        shares = (inputs.rows * (1 - rates), inputs.rows * rates)
        return _cell_draws(shares, float(inputs.rows.sum()), n, rng)
    y, w = data
    return _row_draws(
        inputs.codes, w, c, n, lambda _, drawn: rng.random(y.size) < rates[drawn], rng
    )


def _cell_draws(
    shares: tuple[FloatArray, FloatArray],
    total: float,
    n: int,
    rng: np.random.Generator,
) -> tuple[FloatArray, FloatArray]:
    """Bad and row counts per cell of ``n`` multinomial draws of ``total`` rows.

    ``shares``: the (good, bad) weight of every cell, in any scale; the
    unweighted draw of both paths (the sample's cells, a population's).
    """
    cells = np.concatenate(shares)
    draws = rng.multinomial(int(round(total)), cells / cells.sum(), size=n)
    c = shares[0].size
    bads = draws[:, c:].astype(np.float64)
    return bads, draws[:, :c] + bads


def _row_draws(
    codes: NDArray[np.integer[Any]],
    w: FloatArray,
    c: int,
    n: int,
    label: Any,
    rng: np.random.Generator,
) -> tuple[FloatArray, FloatArray]:
    """Bad and row counts per cell of ``n`` row-level bootstrap draws.

    Each draw takes the rows with replacement; ``label(idx, codes)`` gives
    the drawn rows' bad flags (their own, or drawn at a population's rates);
    ``c`` cells.
    """
    bads = np.empty((n, c))
    rows = np.empty((n, c))
    for t in range(n):
        idx = rng.integers(0, codes.size, size=codes.size)
        drawn = codes[idx]
        rows[t] = np.bincount(drawn, weights=w[idx], minlength=c)
        bads[t] = np.bincount(drawn, weights=w[idx] * label(idx, drawn), minlength=c)
    return bads, rows


def population_optimism(
    inputs: SearchInputs,
    params: dict[str, Any],
    smoothing: float,
    n: int,
    rng: np.random.Generator,
    data: Any,
) -> tuple[FloatArray, FloatArray]:
    """``(IV(bins_b on draw b), IV(bins_b on the population))``, :func:`shrunk_rates`.

    The parametric bootstrap of the fresh-data IV: the population's cell
    rates are the sample's shrunk to the estimated true spread, each draw is
    searched as the sample was, and its bins are counted on the draw and on
    the population's expected counts (no noise): the structure of the
    target, ``IV(fitted bins on the sample) - IV(same bins on fresh data)``.
    With weights the shrinkage reads each cell's counts scaled to Kish's
    effective size ``(sum w)^2 / sum w^2`` of its rows (weighted sums would
    understate the sampling variances: weights summing to a population size
    would leave the rates unshrunk).
    """
    ordered = inputs.n_regular if inputs.kind == "numeric" else 0
    rows, bads = inputs.rows, inputs.bads
    if inputs.codes is not None:
        _, w = data
        w_sum = np.bincount(inputs.codes, weights=w, minlength=rows.size)
        w_sq = np.bincount(inputs.codes, weights=w**2, minlength=rows.size)
        factor = np.divide(w_sum, w_sq, out=np.zeros(rows.size), where=w_sq > 0)
        rows, bads = rows * factor, bads * factor
    rates = shrunk_rates(rows, bads, ordered)
    b_bads, b_rows = _from_population(inputs, rates, n, rng, data)
    pop_bads = inputs.rows * rates
    return _searched_ivs(
        inputs, params, smoothing, (b_bads, b_rows), (inputs.rows - pop_bads, pop_bads)
    )


def _searched_ivs(
    inputs: SearchInputs,
    params: dict[str, Any],
    smoothing: float,
    draws: tuple[FloatArray, FloatArray],
    reference: tuple[FloatArray, FloatArray],
) -> tuple[FloatArray, FloatArray]:
    """IVs of the bins searched on each draw: on the draw and on ``reference``.

    ``draws``: the bad and row counts per cell of every draw; ``reference``:
    the good and bad counts per cell the same bins are counted on.
    """
    b_bads, b_rows = draws
    assign = search_many(inputs, b_bads, params, rows=b_rows)
    own = _iv(
        bin_counts(assign, b_rows - b_bads), bin_counts(assign, b_bads), smoothing
    )
    on_reference = _iv(
        bin_counts(assign, reference[0]), bin_counts(assign, reference[1]), smoothing
    )
    return own, on_reference


def _resampled(
    inputs: SearchInputs, n: int, rng: np.random.Generator, data: Any
) -> tuple[FloatArray, FloatArray]:
    """Bootstrap bad and row counts per cell (rows drawn with replacement)."""
    c = inputs.rows.size
    if inputs.codes is None:
        total = float(inputs.goods.sum() + inputs.bads.sum())
        return _cell_draws((inputs.goods, inputs.bads), total, n, rng)
    y, w = data
    return _row_draws(inputs.codes, w, c, n, lambda idx, _: y[idx], rng)


def sample_optimism(
    inputs: SearchInputs,
    params: dict[str, Any],
    smoothing: float,
    n: int,
    rng: np.random.Generator,
    data: Any,
) -> tuple[FloatArray, FloatArray]:
    """``(IV(bins_b on resample b), IV(bins_b on the sample))``: the sample's world.

    The nonparametric bootstrap of the rule before (``world="sample"``): the
    sample's cells resampled, each resample searched, its bins counted on
    the resample and on the sample.
    """
    draws = _resampled(inputs, n, rng, data)
    return _searched_ivs(inputs, params, smoothing, draws, (inputs.goods, inputs.bads))
