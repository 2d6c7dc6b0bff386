"""Joint distance covariance (JdCov) of a prediction and several attributes."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scorecard._kit.compat import renamed

from ._backends import _Attribute, _Blocked, _euclid_block, _Grouped
from ._common import (
    _BLOCK_ELEMENTS,
    _SQRT2,
    DEPRECATED,
    Estimator,
    FloatArray,
    Method,
    resolve_unbiased,
    resolve_y_score,
)
from ._engine import _evaluate
from ._inference import _permutation_pvalue
from ._inputs import _as_prediction, _cells, _check_common, _encode, _Encoded
from ._results import DistanceStatistic
from ._sorted import _Sorted


def _centred_kernel_factors(
    enc: _Encoded, estimator: Estimator
) -> list[tuple[Callable[..., FloatArray], FloatArray, float, bool]]:
    """Per attribute: distance block function, row sums, total, categorical flag."""
    out = []
    for kind, code, lev, val in zip(
        enc.kinds, enc.codes, enc.levels, enc.values, strict=True
    ):
        if kind == "categorical":
            assert code is not None
            onehot = np.eye(lev)[code]
            counts = np.bincount(code, minlength=lev)
            row = _SQRT2 * (enc.n - counts[code])
            out.append(
                (_euclid_block(onehot), row.astype(np.float64), float(row.sum()), True)
            )
        else:
            assert val is not None
            srt_o = np.argsort(val)
            srt = _Sorted(val[srt_o])
            row = np.empty(enc.n)
            row[srt_o] = srt.ones_abs()
            out.append((_euclid_block(val[:, None]), row, float(row.sum()), False))
    del estimator
    return out


def _jd_kernel(
    enc: _Encoded, c: float, estimator: Estimator
) -> Callable[[NDArray[np.intp], NDArray[np.intp]], FloatArray]:
    r"""Block function of :math:`-\prod_i (\hat U_i + c)` (a 'distance' for dCov).

    :math:`\hat U_i = -\text{centred distance}`; double centring for V, U
    centring for U (Chakraborty and Zhang's :math:`\hat U`).
    """
    n = enc.n
    factors = _centred_kernel_factors(enc, estimator)

    def block(rows: NDArray[np.intp], cols: NDArray[np.intp]) -> FloatArray:
        prod = np.ones((rows.size, cols.size))
        for fn, row, tot, _ in factors:
            d = fn(rows, cols)
            if estimator == "V":
                cen = d - row[rows, None] / n - row[None, cols] / n + tot / n**2
            else:
                cen = (
                    d
                    - row[rows, None] / (n - 2)
                    - row[None, cols] / (n - 2)
                    + tot / ((n - 1) * (n - 2))
                )
            prod *= c - cen
        return -prod

    return block


def _jd_attribute(
    enc: _Encoded, c: float, estimator: Estimator, method: Method
) -> _Attribute:
    block = _jd_kernel(enc, c, estimator)
    if method != "blocked" and all(k == "categorical" for k in enc.kinds):
        cells, _ = _cells(enc)
        reps = np.array([np.flatnonzero(cells == g)[0] for g in range(cells.max() + 1)])
        dist = block(reps, reps)
        # members of one cell are at distance 0 on every attribute, like a self
        # pair, so the kernel's diagonal (used by V only) is the cell's value
        diag = np.diag(dist)[cells] if estimator == "V" else None
        return _Grouped(cells, dist, diag)
    if method == "fast":
        raise ValueError(
            "method='fast' for jdcov needs categorical attributes only; got kinds "
            f"{list(enc.kinds)}. Use 'auto' or 'blocked'."
        )
    return _Blocked(block, np.arange(enc.n), "JdCov kernel")


def _jd_attribute_part(enc: _Encoded, c: float, estimator: Estimator) -> float:
    """JdCov among the attributes alone (what a model cannot change)."""
    k = len(enc.kinds)
    if k < 2:
        return 0.0
    block = _jd_kernel(enc, c, estimator)
    n = enc.n
    if all(kind == "categorical" for kind in enc.kinds):
        cells, _ = _cells(enc)
        counts = np.bincount(cells).astype(np.float64)
        reps = np.array([np.flatnonzero(cells == g)[0] for g in range(counts.size)])
        m = -block(reps, reps)  # product kernel between members of two cells
        total = float(counts @ m @ counts)
        if estimator == "U":
            total -= float(counts @ np.diag(m))
    else:
        step = max(1, _BLOCK_ELEMENTS // n)
        total = 0.0
        idx = np.arange(n)
        for i0 in range(0, n, step):
            rows = idx[i0 : i0 + step]
            m = -block(rows, idx)
            if estimator == "U":
                m[np.arange(rows.size), rows] = 0.0
            total += float(m.sum())
    if estimator == "V":
        return total / n**2 - c**k
    return total / (n * (n - 3)) - c**k * (n - 1) / (n - 3)


@renamed(estimator="unbiased", y_pred="y_score")
def jdcov(
    y_score: ArrayLike | None = None,
    sensitive_features: object = None,
    *,
    c: float = 1.0,
    unbiased: bool = True,
    categorical: Sequence[str] | Literal["auto"] = "auto",
    method: Method = "auto",
    test: Literal["permutation"] | None = None,
    n_permutations: int = 199,
    random_state: int | np.random.Generator | None = None,
    estimator: str = DEPRECATED,
    y_pred: ArrayLike | None = None,
) -> DistanceStatistic:
    r"""Joint distance covariance of the prediction and the protected attributes.

    Chakraborty and Zhang's JdCov with constant ``c`` for the variables
    :math:`(\hat y, S_1, \dots, S_K)`:

    .. math:: JdCov^2 = \frac{1}{n^2}\sum_{k,l} \prod_{i=0}^{K}
              (\hat U_i(k,l) + c) - c^{K+1}

    (V form, :math:`\hat U_i` the negated double-centred distance matrix; the
    U form uses U-centred matrices over :math:`k \neq l`, divided by
    :math:`n(n-3)`, minus :math:`c^{K+1}(n-1)/(n-3)`). It splits into the
    **model part**, the terms containing :math:`\hat y`, which equals a
    distance covariance of :math:`\hat y` with the kernel
    :math:`-\prod_{i \ge 1}(\hat U_i + c)`, and the **attribute part**,
    ``c`` times the JdCov of the attributes alone, which no model can change.

    Parameters
    ----------
    y_score : array-like of shape (n,)
    sensitive_features : DataFrame, Series or array-like
        As in :func:`ccdcov`; categorical attributes enter through their
        one-hot distance, continuous ones min-max scaled.
    c : float, default=1.0
        Weight of lower-order terms (> 0).
    unbiased : bool, default=True
        ``True``: the unbiased U-statistic; ``False``: the biased V-statistic.
    categorical : sequence of str or "auto", default="auto"
        As in :func:`ccdcov` (the rule of :mod:`fairness._sensitive`).
    method : {"auto", "fast", "blocked"}, default="auto"
        Categorical-only attributes use the grouped path; otherwise blocked.
    test : {"permutation"} or None, default=None
        Permutation test of the model part (permuting the prediction).
    n_permutations : int, default=199
    random_state : int, Generator or None, default=None
    estimator : {"U", "V"}, optional
        Deprecated since 0.2, removed in 0.3: use ``unbiased``
        (``"U"`` is ``unbiased=True``).
    y_pred : array-like, optional
        Deprecated since 0.2, removed in 0.3: use ``y_score``.

    Returns
    -------
    DistanceStatistic
        ``name="JdCov^2"``, ``estimate`` the full JdCov, ``components``
        ``(("model_part", ...), ("attribute_part", ...))``; ``se`` is NaN
        (the kernel depends on all rows, so the leave-one-out shortcut does
        not apply).

    Raises
    ------
    ValueError
        As :func:`ccdcov`, and ``c <= 0``.

    References
    ----------
    .. [1] Chakraborty, S. and Zhang, X. (2019). Distance metrics for
       measuring joint dependence with application to causal inference.
       J. Amer. Statist. Assoc. 114.

    Examples
    --------
    >>> from fairness import ccdcov
    >>> res = jdcov([0.1, 0.2, 0.8, 0.9, 0.3, 0.7], ["a", "a", "b", "b", "a", "b"],
    ...             unbiased=False)
    >>> round(res.estimate, 4) == round(
    ...     ccdcov([0.1, 0.2, 0.8, 0.9, 0.3, 0.7], ["a", "a", "b", "b", "a", "b"],
    ...            unbiased=False, test=None).estimate, 4)
    True
    """
    est = resolve_unbiased(unbiased, estimator)
    xa = _as_prediction(resolve_y_score(y_score, y_pred, "jdcov"), "y_score")
    n = xa.size
    _check_common(est, method, n, None)
    if method == "naive":
        raise ValueError(
            "jdcov supports method 'auto', 'fast' or 'blocked'; got 'naive'."
        )
    if not (isinstance(c, int | float) and c > 0 and math.isfinite(c)):
        raise ValueError(f"c must be a finite number > 0; got {c!r}.")
    enc = _encode(sensitive_features, n, categorical=categorical)
    attr = _jd_attribute(enc, float(c), est, method)
    model = _evaluate(xa, attr, est, need_grad=False).value
    # the full product splits as model part + c * JdCov(attributes alone)
    attribute_part = c * _jd_attribute_part(enc, float(c), est)
    if test == "permutation":
        pvalue = _permutation_pvalue(xa, attr, est, model, n_permutations, random_state)
        statistic = model
    elif test is None:
        pvalue = statistic = math.nan
    else:
        raise ValueError(f"test must be 'permutation' or None for jdcov; got {test!r}.")
    method_s = f"{est}; c={c:g}; {attr.kind}; se=none"
    if test is not None:
        method_s += f"; test=permutation ({n_permutations})"
    return DistanceStatistic(
        name="JdCov^2",
        estimate=float(model + attribute_part),
        se=math.nan,
        statistic=float(statistic),
        pvalue=float(pvalue),
        method=method_s,
        n=n,
        estimator=est,
        components=(
            ("model_part", float(model)),
            ("attribute_part", float(attribute_part)),
        ),
    )
