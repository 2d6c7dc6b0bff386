"""Proxy features: each feature's IV against the protected groups.

:func:`proxy_table` bins every feature (quantile or category bins, or the
bins of a fitted binner) and computes, with the spine's
:func:`scorecard.information_value` on :func:`scorecard.count_codes` tables,
the IV between each group's and the reference group's distributions.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from scorecard import (
    DataConditionWarning,
    Divergence,
    count_codes,
    information_value,
    tradeoff_ratio,
)
from scorecard._kit.validation import check_binary_target

from .._sensitive import is_categorical
from ._protected import (
    OTHER,
    _limit_groups,
    _make_groups,
    _quantile_codes,
    _reference_index,
)


@dataclass(frozen=True, eq=False, repr=False)
class ProxyTable:
    """Each feature's IV against the protected groups; see :func:`proxy_table`.

    Attributes
    ----------
    divergences : tuple of Divergence
        One 2-D IV result per comparison (rows = features).
    comparisons : tuple of str
        ``"<group> vs <reference>"`` for each non-reference group.
    reference_group : str
        The reference group.
    target_iv : Divergence or None
        Each feature's IV against the target, when ``y`` was given.
    bins : dict
        Feature to bin description (``"quantile(10)"``, ``"categories(3)"``).
    n : int
        Rows.
    method : str
        Binning and SE method.
    """

    divergences: tuple[Divergence, ...]
    comparisons: tuple[str, ...]
    reference_group: str
    target_iv: Divergence | None
    bins: Mapping[str, str]
    n: int
    method: str

    def to_frame(self, alpha: float = 0.05) -> pd.DataFrame:
        """One row per (feature, comparison), highest IV first."""
        frames = []
        for label, div in zip(self.comparisons, self.divergences, strict=True):
            part = div.summary(alpha).reset_index()
            part = part.rename(columns={"IV": "iv"})[
                ["feature", "iv", "se", "ci_low", "ci_high", "pvalue"]
            ]
            part.insert(1, "comparison", label)
            part.insert(2, "bins", [self.bins[f] for f in part["feature"]])
            if self.target_iv is not None:
                part["target_iv"] = np.atleast_1d(self.target_iv.estimate)
                part["target_iv_se"] = np.atleast_1d(self.target_iv.se)
                part["tradeoff"] = np.atleast_1d(
                    tradeoff_ratio(self.target_iv, div, k=1.0)
                )
            frames.append(part)
        out = pd.concat(frames, ignore_index=True)
        return out.sort_values("iv", ascending=False, kind="stable").reset_index(
            drop=True
        )

    def __repr__(self) -> str:
        with pd.option_context("display.width", 120, "display.precision", 4):
            return (
                f"ProxyTable(n={self.n}, reference={self.reference_group!r}, "
                f"method='{self.method}')\n{self.to_frame().to_string(index=False)}"
            )


def _feature_codes(
    column: pd.Series, n_bins: int
) -> tuple[NDArray[np.int64], int, str]:
    missing = column.isna().to_numpy()
    if not is_categorical(column) and column.nunique() > n_bins:
        values = column.to_numpy(dtype=np.float64)
        codes = np.zeros(values.size, np.int64)
        c, edges = _quantile_codes(values[~missing], n_bins)
        codes[~missing] = c
        k = edges.size - 1
        desc = f"quantile({k})"
    else:
        c, uniques = pd.factorize(column, sort=True)
        codes = np.asarray(c, dtype=np.int64)
        k = len(uniques)
        desc = f"categories({k})"
    if missing.any():
        codes[missing] = k
        k += 1
        desc += "+missing"
    return codes, k, desc


def _binner_codes(
    binner: Any, X: pd.DataFrame
) -> tuple[list[str], NDArray[np.int64], dict[str, str]]:
    """Codes of a fitted StumpBinner's bins; single-bin features dropped."""
    fitted = getattr(binner, "bins_", None)
    if not isinstance(fitted, Mapping) or not hasattr(binner, "transform"):
        raise TypeError(
            "binner must be a fitted StumpBinner (with bins_ and transform); got "
            f"{type(binner).__name__}."
        )
    codes = np.asarray(binner.transform(X), dtype=np.int64)
    names = [str(f) for f in fitted]
    keep, bins = [], {}
    for j, name in enumerate(names):
        fb = fitted[name]
        if fb.n_regular < 2:
            continue
        keep.append(j)
        bins[name] = f"stump({fb.n_regular})"
    dropped = [names[j] for j in range(len(names)) if j not in keep]
    if dropped:
        warnings.warn(
            f"Features {dropped} have a single bin in the binner and carry no "
            "information; they are left out of the proxy table.",
            DataConditionWarning,
            stacklevel=3,
        )
    if not keep:
        raise ValueError("binner has no feature with two or more bins.")
    return [names[j] for j in keep], codes[:, keep], bins


def proxy_table(
    X: pd.DataFrame,
    sensitive_features: Any,
    *,
    y: ArrayLike | None = None,
    n_bins: int = 10,
    reference_group: str | None = None,
    continuous_bins: int = 4,
    smoothing: float = 0.5,
    binner: Any = None,
    bad_value: Any = None,
    min_group_size: int = 30,
    pool_small_groups: bool = False,
    max_groups: int = 20,
) -> ProxyTable:
    r"""Which features carry information about the protected groups.

    Each feature is binned, and the IV between a group's and the reference
    group's distributions over those bins is computed with its delta-method
    SE (the same formula as the target IV with goods and bads replaced by the
    two groups). A high IV marks a proxy of the protected attribute.

    Parameters
    ----------
    X : pandas.DataFrame
        Features (not containing the protected attributes, normally).
    sensitive_features : Series, DataFrame, array or mapping
        Protected attributes, as in :func:`assess`.
    y : array-like, default=None
        Target (0/1 or boolean with 1 = bad, or labels with ``bad_value``).
        When given, each feature's IV against the target and the
        conservative trade-off ratio
        ``(IV_y - SE_y) / (IV_a + SE_a)`` are added.
    n_bins : int, default=10
        Quantile bins of a numeric feature with more than ``n_bins`` (and
        more than 10) distinct values; other features use one bin per value.
        Missing values get their own bin.
    reference_group : str, default=None
        Reference group label; by default the largest group.
    continuous_bins : int, default=4
        Quantile bins of a continuous protected attribute.
    smoothing : float, default=0.5
        Zero-cell smoothing (with a warning naming the bin), as in
        :func:`scorecard.information_value`.
    binner : fitted StumpBinner, default=None
        Use this binner's bins (e.g. the scorecard's own, fitted on the
        target) instead of quantile bins; ``X`` must have the binner's
        columns. Features it left with a single bin carry no information by
        construction and are left out with a warning.
    bad_value : object, default=None
        The label of ``y`` meaning bad; needed unless ``y`` is 0/1 or boolean.
    min_group_size, pool_small_groups, max_groups
        The small-group rules of :func:`assess` (defaults 30, False, 20):
        the default reference is the largest group; groups under
        ``min_group_size`` rows are pooled into ``"other"`` when asked, and
        beyond ``max_groups`` groups the smallest are pooled.

    Returns
    -------
    ProxyTable

    Raises
    ------
    TypeError
        If ``X`` is not a DataFrame.
    ValueError
        As :func:`assess` for the protected attributes; also for an empty
        ``X``, length mismatches or an unknown ``reference_group``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> race = rng.integers(0, 2, 3000)
    >>> X = pd.DataFrame({"proxy": rng.normal(size=3000) + race,
    ...                   "noise": rng.normal(size=3000)})
    >>> table = proxy_table(X, pd.Series(race, name="race")).to_frame()
    >>> list(table["feature"])
    ['proxy', 'noise']
    """
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"X must be a pandas DataFrame; got {type(X).__name__}.")
    if X.shape[1] == 0 or X.shape[0] == 0:
        raise ValueError(f"X must have rows and columns; got shape {X.shape}.")
    if not isinstance(n_bins, int | np.integer) or n_bins < 2:
        raise ValueError(f"n_bins must be an integer >= 2; got {n_bins!r}.")
    n = X.shape[0]
    groups = _limit_groups(
        _make_groups(sensitive_features, n, continuous_bins),
        min_group_size=min_group_size,
        pool_small=pool_small_groups,
        max_groups=max_groups,
    )
    if groups.pooled:
        warnings.warn(
            f"{len(groups.pooled)} groups are pooled into {OTHER!r} (under "
            f"min_group_size={min_group_size} rows, or beyond max_groups="
            f"{max_groups}).",
            DataConditionWarning,
            stacklevel=2,
        )
    names = list(groups.names)
    k = len(names)
    n_g = np.bincount(groups.labels, minlength=k)
    ref = _reference_index(names, n_g, reference_group)
    if binner is None:
        features = [str(c) for c in X.columns]
        coded = [_feature_codes(X.iloc[:, j], n_bins) for j in range(X.shape[1])]
        for f, c in zip(features, coded, strict=True):
            if c[1] < 2:
                raise ValueError(
                    f"Feature {f!r} has a single bin; drop constant features."
                )
        codes = np.column_stack([c[0] for c in coded])
        bins = {f: c[2] for f, c in zip(features, coded, strict=True)}
        method = f"quantile({n_bins}) or category bins"
    else:
        features, codes, bins = _binner_codes(binner, X)
        method = getattr(binner, "description", f"{type(binner).__name__} bins")
    width = int(codes.max()) + 1
    counts = count_codes(codes, groups.labels, n_bins=width, n_classes=k)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataConditionWarning)
        divergences = [
            information_value(
                counts[:, :, i],
                counts[:, :, ref],
                features=features,
                smoothing=smoothing,
            )
            for i in range(k)
            if i != ref
        ]
        target_iv = None
        if y is not None:
            yy = check_binary_target(
                y, n, bad_value=bad_value, name="y", require_both=False
            ).y01
            tcounts = count_codes(codes, yy, n_bins=width, n_classes=2)
            target_iv = information_value(
                tcounts[:, :, 0],
                tcounts[:, :, 1],
                features=features,
                smoothing=smoothing,
            )
    for w in caught:
        warnings.warn(str(w.message), DataConditionWarning, stacklevel=2)
    comparisons = [f"{names[i]} vs {names[ref]}" for i in range(k) if i != ref]
    return ProxyTable(
        divergences=tuple(divergences),
        comparisons=tuple(comparisons),
        reference_group=names[ref],
        target_iv=target_iv,
        bins=dict(bins),
        n=n,
        method=f"IV of group vs reference over {method}; delta-method SE; chi2 test",
    )
