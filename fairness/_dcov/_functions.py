"""Public distance-covariance functions: dCov, dCor, gradient, CCdCov, groups."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from scorecard._kit.compat import renamed

from .._sensitive import KindOption, as_sensitive_frame
from ._common import (
    DEPRECATED,
    Method,
    Test,
    resolve_unbiased,
    resolve_y_score,
)
from ._engine import _evaluate, _naive
from ._inference import _check_se, _distance_statistic, _naive_result, _run
from ._inputs import (
    _as_prediction,
    _attribute_from_y,
    _check_common,
    _concat_attribute,
    _encode,
)
from ._results import DCovGradient, DistanceStatistic


@renamed(estimator="unbiased")
def distance_covariance(
    x: ArrayLike,
    y: ArrayLike,
    *,
    unbiased: bool = True,
    kind: KindOption = "auto",
    method: Method = "auto",
    test: Test | None = "chi2",
    se: bool = True,
    n_permutations: int = 199,
    random_state: int | np.random.Generator | None = None,
    estimator: str = DEPRECATED,
) -> DistanceStatistic:
    r"""Squared distance covariance of a prediction and an attribute.

    Parameters
    ----------
    x : array-like of shape (n,)
        Predictions or scores (univariate; a 2-D ``x`` is accepted by
        ``method="naive"`` and ``"blocked"``).
    y : array-like of shape (n,) or (n, q)
        The attribute. A 1-D ``y`` follows the package's kind rule
        (:mod:`fairness._sensitive`): categorical (one-hot, distance
        :math:`\sqrt 2` between different groups) when it is strings, bool,
        pandas categorical or numeric with at most 10 distinct values, so
        the same groups coded as bool, int 0/1 or float 0/1 give identical
        results; otherwise numeric (:math:`|y_i - y_j|`, as in ``dcor``).
        A 2-D ``y`` is a numeric vector (Euclidean distance between rows).
    unbiased : bool, default=True
        ``True``: the unbiased U-statistic; ``False``: the biased V-statistic.
    kind : {"auto", "categorical", "continuous"}, default="auto"
        Overrides the kind rule for a 1-D ``y``: ``"continuous"`` gives the
        numeric distance of ``dcor`` to a few-valued numeric ``y``.
    method : {"auto", "naive", "fast", "blocked"}, default="auto"
        ``"fast"``: the O(n log n) exact paths (categorical, univariate, or
        few distinct rows of ``y``); ``"blocked"``: O(n^2) time, bounded
        memory; ``"naive"``: full n x n matrices (reference, small n, no SE
        or test); ``"auto"``: fast when available, else blocked.
    test : {"chi2", "permutation"} or None, default="chi2"
        ``"chi2"``: :math:`n \, dCor_U^2 + 1 \sim \chi^2_1` (Shen and
        Vogelstein), valid and slightly conservative; ``"permutation"``:
        permute ``y`` ``n_permutations`` times.
    se : bool, default=True
        Compute the jackknife standard error. ``se=False, test=None`` is the
        value-only path (NaN ``se``), which skips the per-row sums the
        jackknife needs (for a continuous ``y`` about half the time).
    n_permutations : int, default=199
        Permutations of the permutation test.
    random_state : int, Generator or None, default=None
        Seed of the permutation test.
    estimator : {"U", "V"}, optional
        Deprecated since 0.2, removed in 0.3: use ``unbiased``
        (``"U"`` is ``unbiased=True``).

    Returns
    -------
    DistanceStatistic
        ``name="dCov^2"``.

    Raises
    ------
    ValueError
        Length mismatch, NaN values, fewer than 5 (U) or 2 (V) observations,
        unknown option, or ``method="fast"`` where no fast path exists.
    TypeError
        Non-numeric ``x``.

    Notes
    -----
    See the module docstring for :math:`T_1, T_2, T_3`. The standard error is
    the jackknife: leaving observation ``k`` out changes the sums by
    :math:`T_1 - 2 r_k`, :math:`T_2 - a_k b_k - (A b)_k - (B a)_k + r_k`
    and :math:`(a_{\cdot\cdot} - 2 a_k)(b_{\cdot\cdot} - 2 b_k)` with
    :math:`r_k = \sum_j a_{kj} b_{kj}`, so all ``n`` leave-one-out values
    cost one more pass. The jackknife is consistent when the statistic is
    non-degenerate (dependence); under independence the SE is of the order
    of the estimate and only the test is meaningful.

    References
    ----------
    .. [1] Szekely, G. J., Rizzo, M. L. and Bakirov, N. K. (2007). Measuring
       and testing dependence by correlation of distances. Ann. Statist. 35.
    .. [2] Szekely, G. J. and Rizzo, M. L. (2014). Partial distance
       correlation with methods for dissimilarities. Ann. Statist. 42.
    .. [3] Huo, X. and Szekely, G. J. (2016). Fast computing for distance
       covariance. Technometrics 58.
    .. [4] Shen, C., Panda, S. and Vogelstein, J. T. (2022). The chi-square
       test of distance correlation. J. Comput. Graph. Statist. 31.

    Examples
    --------
    >>> x = [1.0, 2.0, 3.0, 4.0]
    >>> y = [1.0, 0.0, 0.0, 1.0]
    >>> distance_covariance(x, y, unbiased=False, test=None, kind="continuous").estimate
    0.125
    >>> groups = [True, False, False, True]
    >>> res = distance_covariance(x, groups, unbiased=False, test=None)
    >>> round(res.estimate / 2**0.5, 6)  # two groups: one-hot distance sqrt(2)
    0.125
    >>> res = distance_covariance(x, [1.0, 2.0, 4.0, 8.0], unbiased=False, test=None,
    ...                           kind="continuous")
    >>> round(res.estimate, 5)
    1.84375
    """
    est = resolve_unbiased(unbiased, estimator)
    return _distance_statistic(
        x,
        y,
        correlation=False,
        estimator=est,
        method=method,
        test=test,
        n_permutations=n_permutations,
        random_state=random_state,
        kind=kind,
        se=se,
    )


@renamed(estimator="unbiased")
def distance_correlation(
    x: ArrayLike,
    y: ArrayLike,
    *,
    unbiased: bool = True,
    kind: KindOption = "auto",
    method: Method = "auto",
    test: Test | None = "chi2",
    se: bool = True,
    n_permutations: int = 199,
    random_state: int | np.random.Generator | None = None,
    estimator: str = DEPRECATED,
) -> DistanceStatistic:
    r"""Squared distance correlation, dCov^2(x, y) / sqrt(dCov^2(x, x) dCov^2(y, y)).

    Parameters are those of :func:`distance_covariance`. With
    ``unbiased=True`` this is the bias-corrected squared distance
    correlation (``dcor.u_distance_correlation_sqr``), which can be
    negative; with ``unbiased=False`` it is ``dcor.distance_correlation_sqr`` in [0, 1].

    Parameters
    ----------
    x, y : array-like
        As in :func:`distance_covariance`.
    unbiased : bool, default=True
        ``True``: the unbiased U-statistic; ``False``: the biased V-statistic.
    kind : {"auto", "categorical", "continuous"}, default="auto"
    method : {"auto", "naive", "fast", "blocked"}, default="auto"
    test : {"chi2", "permutation"} or None, default="chi2"
    se : bool, default=True
    n_permutations : int, default=199
    random_state : int, Generator or None, default=None
    estimator : {"U", "V"}, optional
        Deprecated since 0.2, removed in 0.3: use ``unbiased``
        (``"U"`` is ``unbiased=True``).

    Returns
    -------
    DistanceStatistic
        ``name="dCor^2"``; the SE is the jackknife of the ratio.

    Raises
    ------
    ValueError
        As :func:`distance_covariance`.

    Examples
    --------
    >>> res = distance_correlation([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0],
    ...                            unbiased=False, test=None, kind="continuous")
    >>> round(res.estimate, 6)
    1.0
    """
    est = resolve_unbiased(unbiased, estimator)
    return _distance_statistic(
        x,
        y,
        correlation=True,
        estimator=est,
        method=method,
        test=test,
        n_permutations=n_permutations,
        random_state=random_state,
        kind=kind,
        se=se,
    )


@renamed(estimator="unbiased")
def distance_covariance_grad(
    x: ArrayLike,
    y: ArrayLike,
    *,
    unbiased: bool = True,
    kind: KindOption = "auto",
    method: Method = "auto",
    estimator: str = DEPRECATED,
) -> DCovGradient:
    r"""Squared distance covariance and its gradient with respect to ``x``.

    Parameters
    ----------
    x : array-like of shape (n,)
        Predictions.
    y : array-like of shape (n,) or (n, q)
        Attribute, as in :func:`distance_covariance`.
    unbiased : bool, default=True
        ``True``: the unbiased U-statistic; ``False``: the biased V-statistic.
    kind : {"auto", "categorical", "continuous"}, default="auto"
        As in :func:`distance_covariance`.
    method : {"auto", "naive", "fast", "blocked"}, default="auto"
    estimator : {"U", "V"}, optional
        Deprecated since 0.2, removed in 0.3: use ``unbiased``
        (``"U"`` is ``unbiased=True``).

    Returns
    -------
    DCovGradient

    Raises
    ------
    ValueError
        As :func:`distance_covariance`.

    Notes
    -----
    With :math:`s_{kj} = \mathrm{sign}(x_k - x_j)`:
    :math:`\partial T_1/\partial x_k = 2\sum_j s_{kj} b_{kj}`,
    :math:`\partial T_2/\partial x_k = \sum_j s_{kj}(b_{k\cdot} + b_{j\cdot})`,
    :math:`\partial T_3/\partial x_k = 2 b_{\cdot\cdot} \sum_j s_{kj}`,
    combined with the coefficients of U or V. Every term is a signed,
    weighted rank sum, O(n log n) on the fast paths.

    Examples
    --------
    >>> res = distance_covariance_grad([0.0, 1.0, 3.0], ["a", "a", "b"], unbiased=False)
    >>> res.gradient.round(4)
    array([-0.0698, -0.2095,  0.2794])
    """
    est = resolve_unbiased(unbiased, estimator)
    xa = _as_prediction(x, "x")
    n = xa.size
    _check_common(est, method, n)
    attr, ymat = _attribute_from_y(y, n, method, kind)
    if method == "naive":
        value, grad = _naive(xa[:, None], ymat, est)
        assert grad is not None
        return DCovGradient(value, grad, est, "naive", n)
    ev = _evaluate(xa, attr, est, need_grad=True)
    assert ev.gradient is not None
    return DCovGradient(ev.value, ev.gradient, est, ev.pieces.label, n)


@renamed(estimator="unbiased", y_pred="y_score")
def ccdcov(
    y_score: ArrayLike | None = None,
    sensitive_features: object = None,
    *,
    unbiased: bool = True,
    categorical: Sequence[str] | Literal["auto"] = "auto",
    kind: KindOption | Mapping[str, KindOption] = "auto",
    method: Method = "auto",
    test: Test | None = "chi2",
    se: bool = True,
    n_permutations: int = 199,
    random_state: int | np.random.Generator | None = None,
    estimator: str = DEPRECATED,
    y_pred: ArrayLike | None = None,
) -> DistanceStatistic:
    r"""Concatenated distance covariance of a prediction with all protected attributes.

    ``CCdCov(yhat; S_1..S_K) = dCov^2(yhat, [S_1, ..., S_K])`` with
    categorical attributes one-hot encoded and continuous ones min-max
    scaled to [0, 1]; zero iff the prediction is independent of the
    attributes jointly (intersectional statistical parity).

    Parameters
    ----------
    y_score : array-like of shape (n,)
        Predictions or scores.
    sensitive_features : DataFrame, Series or array-like of shape (n,) or (n, K)
        Protected attributes; binary, categorical and continuous columns may
        be mixed. No missing values; every column needs two values.
    unbiased : bool, default=True
        ``True``: the unbiased U-statistic; ``False``: the biased V-statistic.
    categorical : sequence of str or "auto", default="auto"
        Columns to treat as categorical (all others continuous, so numeric);
        ``"auto"``: the package rule of :mod:`fairness._sensitive`
        (non-numeric, boolean, pandas categorical, or numeric with at most
        10 distinct values), the same as in :func:`fairness.assess`.
    kind : {"auto", "categorical", "continuous"} or mapping, default="auto"
        The other override of the rule: one kind for all columns or
        ``{column: kind}`` (not together with a ``categorical`` list).
    method : {"auto", "naive", "fast", "blocked"}, default="auto"
        Categorical-only attributes use the grouped O(n log n + n G) path
        over intersectional cells; one continuous attribute the merge-sort
        path; a mix the blocked evaluator (exact, O(n^2) time, O(n) memory).
    test : {"chi2", "permutation"} or None, default="chi2"
    se : bool, default=True
        Jackknife standard error; ``False`` (with ``test=None``) is value only.
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
        ``name="CCdCov^2"``.

    Raises
    ------
    ValueError
        Missing values, a single-valued attribute, length mismatch.
    TypeError
        A non-numeric column treated as continuous.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"race": ["a", "a", "b", "b", "a", "b"],
    ...                   "gender": [0, 1, 0, 1, 1, 0]})
    >>> res = ccdcov([0.1, 0.2, 0.8, 0.9, 0.3, 0.7], s, unbiased=False, test=None)
    >>> round(res.estimate, 4)
    0.1496
    """
    est = resolve_unbiased(unbiased, estimator)
    xa = _as_prediction(resolve_y_score(y_score, y_pred, "ccdcov"), "y_score")
    n = xa.size
    _check_common(est, method, n, test)
    _check_se(se)
    enc = _encode(sensitive_features, n, categorical=categorical, kind=kind)
    if method == "naive":
        return _naive_result(
            xa, enc.matrix(), name="CCdCov^2", estimator=est, correlation=False
        )
    attr = _concat_attribute(enc, method)
    return _run(
        xa,
        attr,
        name="CCdCov^2",
        estimator=est,
        correlation=False,
        test=test,
        n_permutations=n_permutations,
        random_state=random_state,
        se=se,
    )


def intersect_groups(sensitive_features: object) -> pd.Categorical:
    """Intersectional groups of several categorical attributes as one categorical.

    Parameters
    ----------
    sensitive_features : DataFrame, Series or array-like
        Categorical protected attributes.

    Returns
    -------
    pandas.Categorical
        Labels ``"col1=v1|col2=v2"``; pass it to :func:`distance_covariance`
        to use the O(n log n) categorical path on the intersection.

    Raises
    ------
    ValueError
        Missing values or a single-valued attribute.

    Examples
    --------
    >>> import pandas as pd
    >>> g = intersect_groups(pd.DataFrame({"race": [0, 1, 1], "sex": ["f", "m", "f"]}))
    >>> list(g)
    ['race=0|sex=f', 'race=1|sex=m', 'race=1|sex=f']
    """
    frame = as_sensitive_frame(sensitive_features)
    labels = frame.astype(str).apply(
        lambda row: "|".join(
            f"{c}={v}" for c, v in zip(frame.columns, row, strict=True)
        ),
        axis=1,
    )
    return pd.Categorical(labels)
