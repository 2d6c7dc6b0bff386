"""Information value, PSI and Jensen-Shannon divergence with standard errors.

Sampling model (docs/design.md section 3, docs/methodology.md "Weights,
near-null intervals and small batches"): the two count vectors are independent
samples, multinomial for frequency counts, linearised ratio estimators for
sampling weights. ``se_method="delta"`` is the first-order delta method under
that model, ``"corrected"`` (default) removes its second-order null part;
``se_method="paper"`` is the source paper's formula, which ignores the
randomness of the weights and is anti-conservative (kept for reproduction
only). Intervals invert the non-central chi-square law of the test statistic
by default (``interval="ncx2"``); ``interval="wald"`` is ``estimate +- z se``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from .._kit.compat import check_arguments
from .._kit.exceptions import DataConditionWarning
from .._kit.intervals import normal_sf
from ._divergence_result import INTERVAL_LABELS, Divergence
from ._inference import (
    NULL_SCALE,
    divergence_terms,
    function_variance,
    null_scale,
    small_sample_pvalue,
)
from ._prepare import (
    COUNTS,
    DIV_SE_METHODS,
    FEATURES,
    INTERVALS,
    PSI_TESTS,
    REFERENCES,
    SMOOTHING,
    TESTS,
    WEIGHT_KIND_ARGS,
    DivSEMethod,
    FloatArray,
    IntervalMethod,
    Kind,
    PSITest,
    Reference,
    TestMethod,
    WeightKindArg,
    _Pair,
    _prepare,
    _shares,
    _weight_kind_of,
)

__all__ = ["Divergence", "information_value", "jensen_shannon", "psi"]


#: The ``interval`` and ``weight_kind`` entries shared by the docstrings of
#: :func:`information_value`, :func:`psi` and :func:`jensen_shannon` (one text,
#: substituted by :func:`_shared_doc`).
_SHARED_DOC = {
    "interval_and_weights": """interval : {"ncx2", "ncx2_equal_tailed", "wald"}, \
default="ncx2"
        Default of :meth:`Divergence.ci`: ``"ncx2"`` inverts the non-central
        chi-square law of the test statistic by the unified (Feldman-Cousins)
        belt (covers near the null, weak or two-bin features, and at 0);
        ``"ncx2_equal_tailed"`` with equal tails (the default before: 97.5%
        at a true 0 for a 95% interval); ``"wald"``: ``estimate +- z * se``.
    weight_kind : {"frequency", "sampling"} or None, default=None
        How weighted counts are read by the variances. ``"frequency"``: the
        counts are observations. ``"sampling"``: survey, inverse-probability
        or case-control weights; variances by linearisation from the per-bin
        sums of squared weights (the two ``*_sq`` arguments), the test
        Rao-Scott corrected. ``None``: as
        :data:`scorecard._kit.validation.WEIGHT_KIND_RULE` says.""",
}


def _shared_doc(func: Any) -> Any:
    """Fill the ``%(name)s`` fragments of ``func``'s docstring from ``_SHARED_DOC``."""
    if func.__doc__:
        for key, text in _SHARED_DOC.items():
            func.__doc__ = func.__doc__.replace(f"%({key})s", text)
    return func


def _divergence(
    kind: Kind,
    pair: _Pair,
    *,
    labels: tuple[str, str],
    se_method: DivSEMethod,
    test: TestMethod | str,
    reference_fixed: bool,
    smoothing: float,
    interval: IntervalMethod = "ncx2",
    raw: tuple[FloatArray, FloatArray] | None = None,
    random_state: int | np.random.Generator | None = None,
) -> Divergence:
    if se_method not in ("corrected", "delta", "paper"):
        raise ValueError(
            f"se_method must be 'corrected', 'delta' or 'paper'; got {se_method!r}."
        )
    if test not in ("chi2", "paper_z", "auto", "monte_carlo"):
        raise ValueError(f"test must be 'chi2' or 'paper_z'; got {test!r}.")
    if kind == "JS" and se_method == "paper":
        raise ValueError(
            "se_method='paper' is defined for IV and PSI only; use 'delta' for JS."
        )
    a, b, present = pair.first, pair.second, pair.present
    squares = (pair.first_sq, pair.second_sq)
    sampling = squares[0] is not None
    p, q = _shares(a, present), _shares(b, present)
    contribution, grad_p, grad_q = divergence_terms(kind, p, q, present)
    estimate = contribution.sum(axis=1)
    df = present.sum(axis=1) - 1
    scale = null_scale(kind, a, b, present, squares, reference_fixed=reference_fixed)
    at_floor = np.zeros(a.shape[0], dtype=bool)
    design = np.ones(a.shape[0])
    if se_method in ("corrected", "delta"):
        var = function_variance(b, q, grad_q, squares[1])
        if not reference_fixed:
            var = var + function_variance(a, p, grad_p, squares[0])
        if sampling:
            design = _design_effect(
                kind, (a, b, p, q, grad_p, grad_q), var, scale, reference_fixed
            )
        if se_method == "corrected":
            var, at_floor = _corrected_variance(var, df, scale)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            var_log = np.where(
                present, 1 / np.where(present, a, 1) + 1 / np.where(present, b, 1), 0.0
            )
        var = ((p - q) ** 2 * var_log).sum(axis=1)
    se = np.sqrt(var)
    bias_corrected = estimate - scale * df
    test_name = str(test)
    if test in ("chi2", "auto", "monte_carlo"):
        statistic = estimate / scale
        pvalue = stats.chi2.sf(statistic, df)
        test_name = "chi2"
        if test != "chi2" and raw is not None:
            pvalue, test_name = small_sample_pvalue(
                kind, raw, pvalue, test, reference_fixed, smoothing, random_state
            )
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            statistic = np.where(se > 0, estimate / se, np.inf)
        pvalue = normal_sf(statistic)  # one-sided: the alternative is D > 0
    method = f"se={se_method}; test={test_name}"
    if test_name != "paper_z":
        method += f"; interval={INTERVAL_LABELS[interval]}"
    if sampling:
        method += "; weights=sampling"
    if kind == "PSI":
        method += f"; reference={'fixed' if reference_fixed else 'sample'}"

    def out(x: NDArray) -> Any:
        return x.item() if pair.scalar else x

    n_obs = pair.n_observed if pair.n_observed is not None else a.sum(1) + b.sum(1)
    added = pair.added if pair.added is not None else np.zeros(a.shape[0])
    return Divergence(
        name=kind,
        estimate=out(estimate),
        se=out(se),
        bias_corrected=out(bias_corrected),
        statistic=out(statistic),
        pvalue=out(pvalue),
        df=out(df),
        n=out(n_obs),
        method=method,
        labels=labels,
        features=pair.features,
        first=a,
        second=b,
        contributions=contribution,
        smoothed=pair.smoothed,
        smoothing=smoothing,
        reference_fixed=reference_fixed,
        null_scale=out(scale),
        interval=interval if test_name != "paper_z" else "wald",
        weight_kind="sampling" if sampling else "frequency",
        smoothing_added=out(added),
        se_at_floor=out(at_floor),
        design_effect=out(design),
    )


def _corrected_variance(
    var: FloatArray, df: NDArray[np.int64], scale: FloatArray
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """The corrected variance and where it sits at its null floor.

    The delta variance of a plug-in divergence carries the null's second-order
    part twice; remove one and keep at least the null variance ``2 df s^2``.
    The square root of an unbiased variance is biased low (Jensen): under the
    ncx2 law ``Var(v) ~ 16 s^2 v``, so ``E sqrt(v) ~ sqrt(v) (1 - 2 s^2 / v)``;
    the factor undoes it, tapering to 1 at the floor (docs/methodology.md,
    section 14, "Standard error").
    """
    null_var = 2.0 * df * scale**2
    at_floor = var - null_var <= null_var
    var = np.maximum(var - null_var, null_var)
    with np.errstate(divide="ignore", invalid="ignore"):
        jensen = np.where(var > 0, 1 + 2 * scale**2 * (var - null_var) / var**2, 1.0)
    return var * jensen**2, at_floor


def _design_effect(
    kind: Kind,
    parts: tuple[FloatArray, ...],
    var_lin: FloatArray,
    scale: FloatArray,
    reference_fixed: bool,
) -> FloatArray:
    """Inflation ``c >= 1`` of the ncx2 law for sampling weights (see ``Divergence``).

    ``var_lin`` over the multinomial delta variance at the effective size
    whose null scale is the Rao-Scott ``scale``; equal weights give 1.
    """
    a, b, p, q, grad_p, grad_q = parts
    var_freq = function_variance(b, q, grad_q, None)
    inv_n = 1 / b.sum(axis=1)
    if not reference_fixed:
        var_freq = var_freq + function_variance(a, p, grad_p, None)
        inv_n = inv_n + 1 / a.sum(axis=1)
    base = var_freq * scale / (inv_n * NULL_SCALE[kind])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(base > 0, var_lin / base, 1.0)
    ratio = np.nan_to_num(ratio, nan=1.0, posinf=1.0)
    return np.where(ratio > 1 + 1e-9, ratio, 1.0)


@_shared_doc
@check_arguments(
    {
        "goods": COUNTS,
        "bads": COUNTS,
        "se_method": DIV_SE_METHODS,
        "test": TESTS,
        "smoothing": SMOOTHING,
        "features": FEATURES,
        "interval": INTERVALS,
        "weight_kind": WEIGHT_KIND_ARGS,
        "goods_sq": FEATURES,
        "bads_sq": FEATURES,
    }
)
def information_value(
    goods: ArrayLike,
    bads: ArrayLike,
    *,
    se_method: DivSEMethod = "corrected",
    test: TestMethod = "chi2",
    smoothing: float = 0.5,
    features: Sequence[str] | None = None,
    interval: IntervalMethod = "ncx2",
    weight_kind: WeightKindArg = None,
    goods_sq: ArrayLike | None = None,
    bads_sq: ArrayLike | None = None,
) -> Divergence:
    r"""Information value of a binning, with standard error and test.

    Parameters
    ----------
    goods, bads : array-like of shape (n_bins,) or (n_features, n_bins)
        Good (``y = 0``) and bad (``y = 1``) counts per bin; floats allowed
        (weighted counts). Bins with both counts zero are ignored.
    se_method : {"corrected", "delta", "paper"}, default="corrected"
        ``"corrected"``: the delta variance less its second-order null part,
        :math:`\max(V_\delta - 2 (J-1) s^2, 2 (J-1) s^2)` with ``s`` the
        null scale (the first-order delta variance of a plug-in divergence
        is too large near the null: SE/SD up to 1.3 for weak features, and
        0 at the null, where the true SD is :math:`s\sqrt{2(J-1)}`).
        ``"delta"``: the first-order (product-multinomial or linearised)
        delta method. ``"paper"``:
        :math:`\sum_j (p_j - q_j)^2 (1/g_j + 1/b_j)`, which treats the bin
        weights as fixed and is anti-conservative (reproduction only).
    test : {"chi2", "paper_z"}, default="chi2"
        ``"chi2"``: :math:`T = n_G n_B / (n_G + n_B) \cdot IV \sim
        \chi^2_{J-1}` under no information. ``"paper_z"``: :math:`Z =
        IV / SE` with the one-sided normal p-value; invalid under the null (the
        delta method degenerates there: it rejects about 61% of the time at a
        nominal 5%) and kept for reproduction only.
    smoothing : float, default=0.5
        Added to both cells of a bin with a zero cell, with a warning naming
        the bin. ``0`` makes a zero cell an error.
    features : sequence of str, default=None
        Row names for 2-D input.
    %(interval_and_weights)s
    goods_sq, bads_sq : array-like, default=None
        Per-bin sums of squared sample weights (``CountTable.squares``), for
        ``weight_kind="sampling"``.

    Returns
    -------
    Divergence
        With ``name="IV"`` and ``labels=("goods", "bads")``.

    Raises
    ------
    ValueError
        Negative, NaN or infinite counts, shapes that differ, a class with zero
        total, fewer than two non-empty bins, or a zero cell with
        ``smoothing=0``.

    Notes
    -----
    With :math:`p_j = g_j/n_G`, :math:`q_j = b_j/n_B` and
    :math:`W_j = \ln(p_j/q_j)`,

    .. math:: IV = \sum_j (p_j - q_j) W_j = KL(p\|q) + KL(q\|p).

    Delta variance, with :math:`a_j = W_j + 1 - q_j/p_j` and
    :math:`c_j = -W_j + 1 - p_j/q_j`:

    .. math:: \frac{\sum p a^2 - (\sum p a)^2}{n_G}
              + \frac{\sum q c^2 - (\sum q c)^2}{n_B}.

    References
    ----------
    .. [1] Kullback, S. (1959). *Information Theory and Statistics*. Wiley.

    Examples
    --------
    >>> res = information_value([300, 200, 100], [20, 30, 50])
    >>> round(res.estimate, 4), round(res.se, 4), res.df
    (0.6446, 0.1753, 2)
    >>> round(information_value([300, 200, 100], [20, 30, 50], se_method="delta").se, 4)
    0.1753
    >>> res.ci().round(4)  # unified belt; method="ncx2_equal_tailed": 0.3350
    array([0.3347, 1.0252])
    >>> res.ci(method="wald").round(4)
    array([0.3011, 0.9881])
    """
    squares = (goods_sq, bads_sq)
    if _weight_kind_of(weight_kind, squares) == "frequency":
        squares = (None, None)
    pair = _prepare(
        goods,
        bads,
        names=("goods", "bads"),
        smoothing=smoothing,
        features=features,
        squares=squares,
    )
    return _divergence(
        "IV",
        pair,
        labels=("goods", "bads"),
        se_method=se_method,
        test=test,
        reference_fixed=False,
        smoothing=smoothing,
        interval=interval,
    )


@_shared_doc
@check_arguments(
    {
        "expected": COUNTS,
        "actual": COUNTS,
        "reference": REFERENCES,
        "se_method": DIV_SE_METHODS,
        "test": PSI_TESTS,
        "smoothing": SMOOTHING,
        "features": FEATURES,
        "interval": INTERVALS,
        "weight_kind": WEIGHT_KIND_ARGS,
        "expected_sq": FEATURES,
        "actual_sq": FEATURES,
        "random_state": ["random_state"],
    }
)
def psi(
    expected: ArrayLike,
    actual: ArrayLike,
    *,
    reference: Reference = "sample",
    se_method: DivSEMethod = "corrected",
    test: PSITest = "auto",
    smoothing: float = 0.5,
    features: Sequence[str] | None = None,
    interval: IntervalMethod = "ncx2",
    weight_kind: WeightKindArg = None,
    expected_sq: ArrayLike | None = None,
    actual_sq: ArrayLike | None = None,
    random_state: int | np.random.Generator | None = None,
) -> Divergence:
    r"""Population stability index between reference and current bin counts.

    Parameters
    ----------
    expected : array-like of shape (n_bins,) or (n_features, n_bins)
        Reference (development) counts, total ``n``.
    actual : array-like of the same shape
        Current counts, total ``m``.
    reference : {"sample", "fixed"}, default="sample"
        ``"sample"``: both are samples (variance has both terms, test
        ``PSI / (1/n + 1/m)``). ``"fixed"``: the reference shares are the
        population (first variance term dropped, test ``PSI / (1/m)``).
        A fixed reference that is really a sample inflates the test size when
        the batch is not small against it: a warning is given when the
        current total exceeds 5% of the reference total.
    se_method : {"corrected", "delta", "paper"}, default="corrected"
        As in :func:`information_value`.
    test : {"auto", "chi2", "monte_carlo", "paper_z"}, default="auto"
        ``"chi2"`` as in :func:`information_value`; ``"monte_carlo"``: the
        p-value of 1999 draws of the null (current counts from the reference
        shares when ``reference="fixed"``, a random split of the pooled table
        with both totals kept otherwise; whole-number counts only);
        ``"auto"``: Monte Carlo for the features whose smallest expected
        count is below 5 and whose counts are whole numbers, chi-square
        otherwise (``method`` says which was used).
    smoothing : float, default=0.5
        Zero-cell smoothing, as in :func:`information_value`.
    features : sequence of str, default=None
        Row names for 2-D input.
    %(interval_and_weights)s
    expected_sq, actual_sq : array-like, default=None
        Per-bin sums of squared sample weights, for ``weight_kind="sampling"``.
    random_state : int, Generator or None, default=None
        Seed of the Monte Carlo test (``None`` uses a fixed seed 0, so a
        result is reproducible).

    Returns
    -------
    Divergence
        With ``name="PSI"``; ``bias_corrected`` subtracts
        :math:`(1/n + 1/m)(B - 1)` (or :math:`(B-1)/m` for a fixed reference).

    Raises
    ------
    ValueError
        As :func:`information_value`; also for an unknown ``reference``.

    Notes
    -----
    .. math:: PSI = \sum_j (a_j - e_j) \ln(a_j / e_j)

    with shares :math:`e` and :math:`a`. It is the Jeffreys divergence, so
    ``psi(goods, bads)`` equals ``information_value(goods, bads)``.

    Examples
    --------
    >>> res = psi([250, 250, 250, 250], [200, 250, 250, 300])
    >>> round(res.estimate, 4), res.df
    (0.0203, 3)
    """
    if reference not in ("sample", "fixed"):
        raise ValueError(f"reference must be 'sample' or 'fixed'; got {reference!r}.")
    squares = (expected_sq, actual_sq)
    if _weight_kind_of(weight_kind, squares) == "frequency":
        squares = (None, None)
    pair = _prepare(
        expected,
        actual,
        names=("expected", "actual"),
        smoothing=smoothing,
        features=features,
        squares=squares,
    )
    raw = (
        np.atleast_2d(np.asarray(expected, float)),
        np.atleast_2d(np.asarray(actual, float)),
    )
    if reference == "fixed":
        _warn_fixed_reference(raw, pair.features)
    if squares[0] is not None and test == "monte_carlo":
        raise ValueError(
            "test='monte_carlo' resamples rows and is not valid for sampling "
            "weights; use test='chi2' (Rao-Scott corrected)."
        )
    return _divergence(
        "PSI",
        pair,
        labels=("expected", "actual"),
        se_method=se_method,
        test=test,
        reference_fixed=reference == "fixed",
        smoothing=smoothing,
        interval=interval,
        raw=None if squares[0] is not None else raw,
        random_state=random_state,
    )


#: A fixed reference is an approximation only while the batch is small against it.
FIXED_REFERENCE_SHARE = 0.05


def _warn_fixed_reference(
    raw: tuple[FloatArray, FloatArray], features: tuple[str, ...]
) -> None:
    ratio = raw[1].sum(axis=1) / raw[0].sum(axis=1)
    big = np.flatnonzero(ratio > FIXED_REFERENCE_SHARE)
    if big.size:
        warnings.warn(
            f"reference='fixed' but the current batch is {ratio[big[0]]:.1%} of the "
            f"reference for feature {features[big[0]]!r} (more than "
            f"{FIXED_REFERENCE_SHARE:.0%}): if the reference is itself a sample the "
            "test rejects too often; use reference='sample'.",
            DataConditionWarning,
            stacklevel=4,
        )


@_shared_doc
@check_arguments(
    {
        "p_counts": COUNTS,
        "q_counts": COUNTS,
        "smoothing": SMOOTHING,
        "features": FEATURES,
        "interval": INTERVALS,
        "weight_kind": WEIGHT_KIND_ARGS,
        "p_sq": FEATURES,
        "q_sq": FEATURES,
    }
)
def jensen_shannon(
    p_counts: ArrayLike,
    q_counts: ArrayLike,
    *,
    smoothing: float = 0.5,
    features: Sequence[str] | None = None,
    interval: IntervalMethod = "ncx2",
    weight_kind: WeightKindArg = None,
    p_sq: ArrayLike | None = None,
    q_sq: ArrayLike | None = None,
) -> Divergence:
    r"""Jensen-Shannon divergence between two binned distributions (nats).

    Parameters
    ----------
    p_counts, q_counts : array-like of shape (n_bins,) or (n_features, n_bins)
        Counts of the two distributions.
    smoothing : float, default=0.5
        Zero-cell smoothing, as in :func:`information_value`.
    features : sequence of str, default=None
        Row names for 2-D input.
    %(interval_and_weights)s
    p_sq, q_sq : array-like, default=None
        Per-bin sums of squared sample weights, for ``weight_kind="sampling"``.

    Returns
    -------
    Divergence
        With ``name="JS"``; corrected delta-method SE (as
        :func:`information_value`) and the chi-square test
        :math:`8 \frac{n_P n_Q}{n_P + n_Q} JS \sim \chi^2_{J-1}`.

    Raises
    ------
    ValueError
        As :func:`information_value`.

    Notes
    -----
    :math:`JS = \tfrac12 KL(P\|M) + \tfrac12 KL(Q\|M)`, :math:`M = (P+Q)/2`,
    bounded by :math:`\ln 2`. Its gradients are
    :math:`\partial/\partial p_j = \tfrac12\ln(p_j/m_j)` and likewise for q.

    Examples
    --------
    >>> round(jensen_shannon([1, 0], [0, 1], smoothing=1e-12).estimate, 6)
    0.693147
    """
    squares = (p_sq, q_sq)
    if _weight_kind_of(weight_kind, squares) == "frequency":
        squares = (None, None)
    with warnings.catch_warnings():
        if smoothing > 0:
            # A zero cell is not a problem for JS (m > 0), smooth only if asked.
            warnings.simplefilter("ignore", DataConditionWarning)
        pair = _prepare(
            p_counts,
            q_counts,
            names=("p_counts", "q_counts"),
            smoothing=smoothing,
            features=features,
            squares=squares,
        )
    return _divergence(
        "JS",
        pair,
        labels=("p", "q"),
        se_method="corrected",
        test="chi2",
        reference_fixed=False,
        smoothing=smoothing,
        interval=interval,
    )
