"""Inference after binning: selection-adjusted test, bias-reduced IV, split counts.

The bins of :class:`~scorecard._binning._binner.StumpBinner` are chosen to
maximise the IV of the very counts that the textbook test and interval then
use, so those figures are conditional on a choice the data made. Three
remedies (docs/methodology.md, "Inference after binning"):

- :func:`selection_inference`: a permutation test of "no information" that
  re-runs the whole per-feature search (pre-bins, stumps, size-floor cuts,
  merge) on permuted labels, and an optimism-corrected IV with a bootstrap
  interval for the IV of the fitted bins on fresh data; both work on the
  cell count tables of :mod:`scorecard._binning._search`, so no row is touched
  without weights (permuted bad counts per cell are multivariate
  hypergeometric given the cell sizes; bootstrap counts multinomial).
- :func:`split_halves` and :func:`recount`: bins chosen on one half of the
  rows, counted on the other (sample splitting), the building blocks of
  ``StumpBinner(inference="split")`` and
  :func:`scorecard._binning._split.split_information`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from ._fresh import WORLDS, Parts, fixed_bin_bias, fresh_interval
from ._population import _iv, population_optimism, sample_optimism
from ._search import SearchInputs, bin_counts, search_many

__all__ = [
    "SelectionInference",
    "load_selection",
    "permutation_null",
    "recount",
    "selection_inference",
    "selection_payload",
    "split_halves",
    "state_from_payload",
    "state_payload",
    "stores_figures",
    "take_rows",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class SelectionInference:
    """Selection-adjusted figures of one feature.

    Attributes
    ----------
    statistic : float
        IV of the bins the search chose on the observed labels.
    pvalue : float
        Permutation p-value of "no information", the whole search re-run for
        every permutation: ``(1 + #{IV_b >= IV}) / (B + 1)``, or one of the
        two stated early stops (``stopping``).
    null_mean : float
        Mean IV of the searched bins under the permutations drawn.
    iv_adjusted : float
        Selection-adjusted IV estimate of the fitted bins on fresh data,
        ``IV - s k_eff`` (``s`` the null scale, ``k_eff`` the
        selection-adjusted degrees of freedom; can be negative).
    ci_low, ci_high : float
        Interval for that fresh-data IV (:func:`fresh_interval`).
    n_resamples : int
        Permutations drawn.
    stopping : {"full", "besag-clifford", "tail-bound"}
        Which rule ended the permutations (see :func:`_sequential_test`).
    """

    statistic: float
    pvalue: float
    null_mean: float
    iv_adjusted: float
    ci_low: float
    ci_high: float
    n_resamples: int
    stopping: str = "full"


def _permuted(
    inputs: SearchInputs, n: int, rng: np.random.Generator, data: Any
) -> tuple[FloatArray, FloatArray | None]:
    """Bad counts (and rows, when weighted) per cell under ``n`` permutations."""
    if inputs.codes is None:
        colors = np.rint(inputs.rows).astype(np.int64)
        n_bad = int(round(float(inputs.bads.sum())))
        draws = rng.multivariate_hypergeometric(colors, n_bad, size=n)
        return draws.astype(np.float64), None
    y, w = data
    c = inputs.rows.size
    bads = np.empty((n, c))
    rows = np.empty((n, c))
    for t in range(n):
        perm = rng.permutation(y.size)
        rows[t] = np.bincount(inputs.codes, weights=w[perm], minlength=c)
        bads[t] = np.bincount(inputs.codes, weights=(w * y)[perm], minlength=c)
    return bads, rows


#: Besag-Clifford: stop once this many permuted statistics reached the observed.
STOP_EXCEEDANCES = 10
#: Permutations in each batch of the sequential test (and before the tail bound).
BATCH = 40
#: Bootstrap resamples of the interval at most: it needs the optimism's mean
#: and variance only, not tail quantiles.
MAX_BOOTSTRAP = 49
#: Largest allowed chance that stopping on the tail bound changes the p-value.
STOP_ERROR = 1e-3


def _tail_bound(iv_null: FloatArray, iv_obs: float, remaining: int) -> float:
    """Bound on the chance that one of ``remaining`` more permutations reaches the IV.

    Cantelli's inequality ``P(T >= t) <= v / (v + (t - m)^2)`` with the mean
    ``m`` and an upper 99.9% confidence bound ``v`` of the variance of the
    permutation null estimated from the draws so far, times ``remaining``
    (union bound). Infinite when ``iv_obs`` is not above ``m``.
    """
    from scipy import stats

    m = float(iv_null.mean())
    if iv_obs <= m or iv_null.size < 2:
        return float("inf")
    df = iv_null.size - 1
    v = float(iv_null.var(ddof=1)) * df / float(stats.chi2.ppf(0.001, df))
    v = max(v, 1e-300)
    return remaining * v / (v + (iv_obs - m) ** 2)


def _sequential_test(
    inputs: SearchInputs,
    params: dict[str, Any],
    smoothing: float,
    iv_obs: float,
    n_resamples: int,
    rng: np.random.Generator,
    data: Any,
) -> tuple[float, FloatArray, str]:
    """Permutation p-value, drawn in batches with two stated stopping rules.

    Returns ``(pvalue, null IVs drawn, rule)``. ``rule`` is ``"full"``
    (``(1 + #{T_b >= T_0}) / (B + 1)`` over all ``B``),
    ``"besag-clifford"`` (stopped at the ``h``-th permuted statistic at least
    the observed one after ``L`` draws, ``p = h / L``: an exact p-value of its
    own, Besag and Clifford 1991) or ``"tail-bound"`` (no permuted statistic
    reached the observed one and :func:`_tail_bound` puts the chance that any
    of the remaining draws would below :data:`STOP_ERROR`: the p-value of the
    full run, ``1 / (B + 1)``, reported without drawing them).
    """
    tol = 1e-9 * max(abs(iv_obs), 1e-12)
    drawn: list[FloatArray] = []
    exceed = 0
    total = 0
    while total < n_resamples:
        size = min(BATCH, n_resamples - total)
        p_bads, p_rows = _permuted(inputs, size, rng, data)
        p_goods = (inputs.rows if p_rows is None else p_rows) - p_bads
        assign = search_many(inputs, p_bads, params, rows=p_rows)
        ivs = _iv(bin_counts(assign, p_goods), bin_counts(assign, p_bads), smoothing)
        hits = np.flatnonzero(ivs >= iv_obs - tol)
        if exceed + hits.size >= STOP_EXCEEDANCES:
            last = int(hits[STOP_EXCEEDANCES - exceed - 1])
            drawn.append(ivs[: last + 1])
            used = total + last + 1
            return STOP_EXCEEDANCES / used, np.concatenate(drawn), "besag-clifford"
        exceed += hits.size
        total += size
        drawn.append(ivs)
        null = np.concatenate(drawn)
        remaining = n_resamples - total
        if (
            exceed == 0
            and remaining > 0
            and _tail_bound(null, iv_obs, remaining) <= STOP_ERROR
        ):
            return 1.0 / (n_resamples + 1.0), null, "tail-bound"
    null = np.concatenate(drawn) if drawn else np.zeros(0)
    return (1.0 + exceed) / (n_resamples + 1.0), null, "full"


def permutation_null(
    inputs: SearchInputs,
    params: dict[str, Any],
    smoothing: float,
    n_resamples: int,
    *,
    random_state: Any = None,
    data: Any = None,
) -> FloatArray:
    """IVs of the re-run search under ``n_resamples`` permutations (no early stop).

    The law the permutation test compares the observed IV with: bad counts
    per cell drawn multivariate hypergeometric given the cell sizes without
    weights (``inputs.codes`` is ``None``: the law of permuting the labels of
    the rows, which need not be kept), the (label, weight) pairs of the rows
    permuted otherwise (``data = (y, w)``).
    """
    rng = np.random.default_rng(random_state)
    out = []
    done = 0
    while done < n_resamples:
        size = min(4 * BATCH, n_resamples - done)
        p_bads, p_rows = _permuted(inputs, size, rng, data)
        p_goods = (inputs.rows if p_rows is None else p_rows) - p_bads
        assign = search_many(inputs, p_bads, params, rows=p_rows)
        out.append(
            _iv(bin_counts(assign, p_goods), bin_counts(assign, p_bads), smoothing)
        )
        done += size
    return np.concatenate(out) if out else np.zeros(0)


def _class_scales(inputs: SearchInputs, data: Any) -> tuple[float, float]:
    """``(1/n_G, 1/n_B)``: Kish's ``sum(w^2) / sum(w)^2`` per class with weights."""
    if inputs.codes is None:
        return float(1.0 / inputs.goods.sum()), float(1.0 / inputs.bads.sum())
    y, w = data
    out = []
    for cls in (0.0, 1.0):
        wc = w[y == cls]
        out.append(float((wc**2).sum() / wc.sum() ** 2))
    return out[0], out[1]


def selection_inference(
    inputs: SearchInputs,
    params: dict[str, Any],
    smoothing: float,
    *,
    n_resamples: int = 199,
    alpha: float = 0.05,
    random_state: Any = None,
    data: Any = None,
    bootstrap: bool = True,
    world: Literal["sample", "shrunk"] = "sample",
) -> SelectionInference:
    """Permutation test and bias-reduced IV of one feature's searched bins.

    Parameters
    ----------
    inputs : SearchInputs
        The feature's cells (:func:`scorecard._binning._search.search_inputs`).
    params : dict
        The binner's fit settings.
    smoothing : float
        Smoothing of the IV.
    n_resamples : int, default=199
        Permutations (at most: see :func:`_sequential_test`), and bootstrap
        resamples.
    alpha : float, default=0.05
        One minus the coverage of the interval.
    random_state : int, sequence of int, Generator or None, default=None
        Seed of the permutations and resamples (``numpy.random.default_rng``).
    data : (y, w) or None
        Labels and weights of the rows, needed when ``inputs.codes`` is set
        (weighted fits).
    bootstrap : bool, default=True
        ``False`` skips the bootstrap (``iv_adjusted`` and the interval are
        NaN): the test alone.
    world : {"sample", "shrunk"}, default="sample"
        Bootstrap of the search's optimism: from the sample's cells with
        the four-candidate ``k_eff``, or from the shrunk population
        (:func:`~scorecard._binning._population.shrunk_rates`, a parametric
        bootstrap at an estimated truth: ``k`` closer to the true optimism,
        coverage measured no better; docs/methodology.md, section 18).

    Returns
    -------
    SelectionInference
    """
    if world not in WORLDS:
        raise ValueError(f"world must be one of {WORLDS}; got {world!r}.")
    parts = _selection_parts(
        inputs, params, smoothing, n_resamples, random_state, data, bootstrap, world
    )
    return _from_parts(parts, alpha, bootstrap)


def _from_parts(parts: Parts, alpha: float, bootstrap: bool) -> SelectionInference:
    """The figures of :func:`selection_inference` from its measured ingredients."""
    nan = float("nan")
    if not bootstrap:
        return SelectionInference(
            parts.statistic,
            parts.pvalue,
            parts.null_mean,
            nan,
            nan,
            nan,
            parts.n_null,
            parts.stopping,
        )
    k_eff = parts.k_eff
    low, high = fresh_interval(
        parts.statistic / parts.scale, k_eff, parts.widening, parts.scale, alpha
    )
    return SelectionInference(
        statistic=parts.statistic,
        pvalue=parts.pvalue,
        null_mean=parts.null_mean,
        iv_adjusted=parts.statistic - parts.scale * k_eff,
        ci_low=low,
        ci_high=high,
        n_resamples=parts.n_null,
        stopping=parts.stopping,
    )


def _selection_parts(
    inputs: SearchInputs,
    params: dict[str, Any],
    smoothing: float,
    n_resamples: int,
    random_state: Any,
    data: Any,
    bootstrap: bool,
    world: str = "sample",
) -> Parts:
    """The ingredients of :func:`selection_inference` (:class:`Parts`).

    ``world``: the bootstrap of the optimism, ``"sample"`` (the sample's
    cells resampled), ``"shrunk"`` (the parametric bootstrap from
    :func:`~scorecard._binning._population.shrunk_rates`) or ``"both"``
    (both drawn, the sample's first, so each equals its own run on the same
    seed; ``k_eff`` follows ``"shrunk"``).
    """
    if world not in (*WORLDS, "both"):
        raise ValueError(f"world must be one of {(*WORLDS, 'both')}; got {world!r}.")
    rng = np.random.default_rng(random_state)
    observed = search_many(inputs, inputs.bads[None, :], params)
    g_obs = bin_counts(observed, inputs.goods)[0]
    b_obs = bin_counts(observed, inputs.bads)[0]
    iv_obs = float(_iv(g_obs, b_obs, smoothing)[0])
    pvalue, iv_null, rule = _sequential_test(
        inputs, params, smoothing, iv_obs, n_resamples, rng, data
    )
    null_mean = float(iv_null.mean()) if iv_null.size else float("nan")
    scales = _class_scales(inputs, data)
    scale = scales[0] + scales[1]
    optimism = np.zeros(0)
    on_sample = np.zeros(0)
    pop_optimism = np.zeros(0)
    pop_lambda = np.zeros(0)
    n_boot = min(n_resamples, MAX_BOOTSTRAP)
    if bootstrap and world in ("sample", "both"):
        iv_own, iv_sample = sample_optimism(
            inputs, params, smoothing, n_boot, rng, data
        )
        optimism = (iv_own - iv_sample) / scale
        on_sample = iv_sample / scale
    if bootstrap and world in ("shrunk", "both"):
        own, pop = population_optimism(inputs, params, smoothing, n_boot, rng, data)
        pop_optimism = (own - pop) / scale
        pop_lambda = pop / scale
    return Parts(
        statistic=iv_obs,
        pvalue=pvalue,
        null_mean=null_mean,
        n_null=int(iv_null.size),
        stopping=rule,
        scale=scale,
        goods=np.asarray(g_obs, dtype=np.float64),
        bads=np.asarray(b_obs, dtype=np.float64),
        optimism=optimism,
        on_sample=on_sample,
        bias=fixed_bin_bias(g_obs, b_obs, smoothing, scales),
        pop_optimism=pop_optimism,
        pop_lambda=pop_lambda,
        world="sample" if world == "sample" else "shrunk",
    )


# --------------------------------------------------------------------------
# sample splitting


def split_halves(y01: NDArray[Any], seed: int) -> tuple[NDArray[np.int64], ...]:
    """Two halves of the row indices, stratified by class (seeded)."""
    rng = np.random.default_rng(seed)
    first, second = [], []
    for cls in (0, 1):
        idx = rng.permutation(np.flatnonzero(y01 == cls))
        cut = idx.size // 2
        first.append(idx[:cut])
        second.append(idx[cut:])
    return np.sort(np.concatenate(first)), np.sort(np.concatenate(second))


def take_rows(raw: Any, idx: NDArray[np.int64]) -> Any:
    """Rows ``idx`` of a raw column (pandas Series or array)."""
    if hasattr(raw, "iloc"):
        return raw.iloc[idx]
    return np.asarray(raw)[idx]


def recount(fb: Any, values: Any, y: FloatArray, w: FloatArray) -> Any:
    """The bins ``fb`` with goods and bads counted on other rows."""
    codes = fb.assign(values)
    n = fb.n_bins
    bads = np.bincount(codes, weights=w * y, minlength=n)
    rows = np.bincount(codes, weights=w, minlength=n)
    return fb.with_counts(np.maximum(rows - bads, 0.0), bads)


# --------------------------------------------------------------------------
# the selection state in an artifact (docs/methodology.md section 18)

#: Fit settings the re-run search reads (``search_many``) and the seed.
_STATE_KEYS = (
    "n_rounds",
    "learning_rate",
    "min_bin_size",
    "max_n_bins",
    "monotonic_trend",
    "smoothing",
    "pure_bins",
    "seed",
)
_FIGURES = ("statistic", "pvalue", "null_mean", "iv_adjusted", "ci_low", "ci_high")


def _plain_value(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    return v


def stores_figures(state: Any) -> bool:
    """Whether an artifact keeps this state's figures rather than its cells.

    Unweighted fits keep the cell count tables (the figures are recomputed,
    equal for the same seed, at any ``alpha``); weighted fits would need the
    rows, so their computed figures are stored instead.
    """
    searches, _, data, _ = state
    return data is not None or not any(s is not None for s in searches)


def state_payload(state: Any, settings: dict[str, Any]) -> dict[str, Any]:
    """JSON-ready selection state: cell tables (unweighted) or computed figures."""
    from .._kit.artifacts import encode_float

    searches, params, _, cache = state
    out: dict[str, Any] = {
        "params": {k: _plain_value(params[k]) for k in _STATE_KEYS if k in params},
        "settings": {
            str(k): None if v is None else {a: _plain_value(b) for a, b in v.items()}
            for k, v in settings.items()
        },
    }
    if stores_figures(state):
        out["figures"] = [
            {
                "alpha": float(alpha),
                "features": {
                    name: {
                        **{f: encode_float(getattr(res, f)) for f in _FIGURES},
                        "n_resamples": int(res.n_resamples),
                        "stopping": str(res.stopping),
                    }
                    for name, res in figures.items()
                },
            }
            for alpha, figures in cache.items()
        ]
        return out
    out["features"] = [
        None
        if s is None
        else {
            "name": s.name,
            "kind": s.kind,
            "n_regular": int(s.n_regular),
            "n_special": int(s.n_special),
            "rows": [float(v) for v in s.rows],
            "bads": [float(v) for v in s.bads],
        }
        for s in searches
    ]
    return out


def _search_from(obj: Any) -> SearchInputs | None:
    from .._kit.artifacts import decode_float, require

    if obj is None:
        return None
    rows = require(obj, "rows", list)
    bads = require(obj, "bads", list)
    kind = require(obj, "kind", str)
    if kind not in ("numeric", "categorical") or len(rows) != len(bads):
        raise ValueError(
            "Artifact selection features need kind 'numeric' or 'categorical' "
            f"and as many rows as bads; got kind {kind!r}, {len(rows)} rows and "
            f"{len(bads)} bads."
        )
    return SearchInputs(
        name=require(obj, "name", str),
        kind=kind,  # type: ignore[arg-type]
        n_regular=require(obj, "n_regular", int),
        n_special=require(obj, "n_special", int),
        rows=np.array([decode_float(v, field="rows") for v in rows]),
        bads=np.array([decode_float(v, field="bads") for v in bads]),
    )


def state_from_payload(obj: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """Inverse of :func:`state_payload`: ``(state, settings)``."""
    from .._kit.artifacts import decode_float, require

    params = dict(require(obj, "params", dict))
    settings = {
        str(k): None if v is None else dict(v)
        for k, v in require(obj, "settings", dict).items()
    }
    cache: dict[float, dict[str, SelectionInference]] = {}
    for entry in obj.get("figures", []):
        alpha = decode_float(require(entry, "alpha", (int, float)), field="alpha")
        cache[alpha] = {
            str(name): SelectionInference(
                **{k: decode_float(f[k], field=k, finite=False) for k in _FIGURES},
                n_resamples=int(f["n_resamples"]),
                stopping=str(f["stopping"]),
            )
            for name, f in require(entry, "features", dict).items()
        }
    searches = [_search_from(s) for s in obj.get("features", [])]
    return (searches, params, None, cache), settings


def selection_payload(binner: Any) -> dict[str, Any]:
    """``{"selection": ...}`` of a fitted binner's artifact (empty without state).

    A weighted per-feature fit's figures are computed at the default
    ``alpha = 0.05`` first (the rows they need are not stored); a joint
    fit's only if they were computed before (each permutation is a joint fit).
    """
    state = getattr(binner, "_search_state_", None)
    if state is None:
        return {}
    if isinstance(state[2], tuple) and binner.n_permutations > 0:
        binner._selection(0.05)  # weighted per-feature fit: not the joint one
    return {"selection": state_payload(state, getattr(binner, "_settings_", {}))}


def load_selection(binner: Any, selection: Any) -> None:
    """Restore :func:`selection_payload` output, or say why there is none."""
    binner._search_state_ = None
    binner._selection_why_ = (
        "the binner was loaded from an artifact saved without its selection "
        "state (older versions, or strategy='joint')."
    )
    if selection is None:
        return
    if not isinstance(selection, dict):
        raise ValueError("Artifact selection must be an object.")
    binner._search_state_, binner._settings_ = state_from_payload(selection)
    binner._selection_why_ = None
