"""``StumpBinner.fit`` and bin count tables on Dask collections.

Binning takes two passes over the data for ``strategy="per_feature"``
(summaries in :mod:`scorecard._binning._dask_summary`):

1. per partition and feature: exact (or sketched) weighted good/bad counts
   per distinct value, of missing values and of each special value;
2. only for features whose summary was compressed: exact good/bad counts per
   pre-bin, with pre-bin edges (quantiles) read from the merged sketch.

The summed pre-bin tables then go through exactly the same code as the
in-memory fit (pre-bins, stumps on the count table, exact merge), by feeding
it a small weighted "synthetic" column: one row per (distinct value or
pre-bin, class) weighted by its count. For features with at most
``max(EXACT_DISTINCT, max_bin)`` distinct values the result equals the
in-memory fit; above that, only the pre-bin cuts are approximate quantiles,
while all counts stay exact over all rows. IV, PSI and their standard errors
computed from the summed tables equal the in-memory results (to float
rounding of the weighted sums; with unit weights the counts are exact).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.utils.validation import validate_data

from .._kit.dask import (
    INSTALL_HINT,
    as_frame,
    as_series,
    is_dask_collection,
    map_reduce,
    meta_frame,
)
from .._kit.exceptions import DataConditionWarning
from .._kit.validation import check_binary_target
from .._stats._counts import CountTable
from .._stats._counts import count_codes as _count_codes_np
from ._bins import FeatureBins, _plain
from ._columns import _numeric_prebins, _prepare, _RawColumn, _regular_mask
from ._dask_summary import (
    EXACT_DISTINCT,
    SKETCH_POINTS,
    _CatSummary,
    _FeatureStats,
    _interval_counts,
    _labels_part,
    _merge_labels,
    _NumSummary,
    _Stats,
    _stats_part,
    _target_weight,
    summary_weight_scale,
)
from ._search import fit_summary_feature
from ._stumps import (
    _booster_thresholds,
    _finish_joint,
    _joint_xgb_params,
)

if TYPE_CHECKING:  # pragma: no cover
    from ._binner import StumpBinner

__all__ = [
    "EXACT_DISTINCT",
    "check_summary_totals",
    "classes_from_labels",
    "count_table",
    "fit_binner",
    "fit_from_summaries",
    "sketched_edges",
]

FloatArray = NDArray[np.float64]


def _table_part(
    part: pd.DataFrame,
    y: pd.Series | None,
    w: pd.Series | None,
    *,
    bins: list[FeatureBins],
    classes: tuple[Any, ...],
) -> CountTable:
    n_bins = max(fb.n_bins for fb in bins)
    if y is None:
        labels = np.zeros(len(part), dtype=np.int64)
    else:
        if len(y) != len(part):
            raise ValueError(
                f"y has {len(y)} rows in a partition where X has {len(part)}; "
                "partition them alike."
            )
        labels = pd.Index(classes).get_indexer(y)
        if np.any(labels < 0):
            bad = pd.unique(y[labels < 0])[:5]
            raise ValueError(
                f"y has values {list(bad)} outside classes {list(classes)}."
            )
    counts = np.zeros((len(bins), n_bins, len(classes)))
    for j, fb in enumerate(bins):
        codes = fb.assign(part[fb.name])
        counts[j] = _count_codes_np(
            codes,
            labels,
            n_bins=n_bins,
            n_classes=len(classes),
            sample_weight=None if w is None else w.to_numpy(dtype=np.float64),
        )[0]
    return CountTable(
        counts=counts, classes=classes, features=tuple(fb.name for fb in bins)
    )


def count_table(
    bins: Mapping[str, FeatureBins] | Sequence[FeatureBins],
    X: Any,
    y: Any = None,
    *,
    classes: Sequence[Any] = (0, 1),
    sample_weight: Any = None,
) -> CountTable:
    """Count the rows of ``X`` per bin of each feature (pandas or Dask input).

    Parameters
    ----------
    bins : mapping of str to FeatureBins, or sequence of FeatureBins
        Bin definitions, e.g. ``StumpBinner.bins_``; features are looked up
        by name in ``X``.
    X : DataFrame or Dask DataFrame
        Raw feature values.
    y : Series or Dask Series, default=None
        Class label of each row (values in ``classes``); ``None`` counts all
        rows in one class ``"rows"``.
    classes : sequence, default=(0, 1)
        Class labels, in column order.
    sample_weight : Series or Dask Series, default=None
        Float row weights.

    Returns
    -------
    CountTable
        One row per feature, padded to the largest number of bins. For a
        Dask input the partition tables are summed, so the result equals the
        in-memory one.

    Examples
    --------
    >>> import pandas as pd
    >>> fb = FeatureBins(name="a", kind="numeric", thresholds=(1.0,),
    ...                  goods=(0, 0, 0), bads=(0, 0, 0))
    >>> X = pd.DataFrame({"a": [0.5, 1.5, 2.0, None]})
    >>> count_table([fb], X, pd.Series([0, 1, 0, 1])).counts[0]
    array([[1., 0.],
           [1., 1.],
           [0., 1.]])
    """
    fbs = list(bins.values()) if isinstance(bins, Mapping) else list(bins)
    if not fbs or not all(isinstance(fb, FeatureBins) for fb in fbs):
        raise TypeError("bins must be a non-empty collection of FeatureBins.")
    cls = ("rows",) if y is None else tuple(classes)
    if is_dask_collection(X) or is_dask_collection(y):
        frame = as_frame(X, "count_table")
        missing = [fb.name for fb in fbs if fb.name not in meta_frame(frame).columns]
        if missing:
            raise ValueError(f"X is missing the binned feature(s) {missing}.")
        return map_reduce(
            _table_part,
            frame[[fb.name for fb in fbs]],
            as_series(y, "y", "count_table"),
            as_series(sample_weight, "sample_weight", "count_table"),
            bins=fbs,
            classes=cls,
        )
    if not isinstance(X, pd.DataFrame):
        raise TypeError(
            f"X must be a pandas or Dask DataFrame; got {type(X).__name__}."
        )
    missing = [fb.name for fb in fbs if fb.name not in X.columns]
    if missing:
        raise ValueError(f"X is missing the binned feature(s) {missing}.")
    y_s = None if y is None else pd.Series(np.asarray(y), index=X.index)
    w_s = None if sample_weight is None else pd.Series(np.asarray(sample_weight))
    return _table_part(X, y_s, w_s, bins=fbs, classes=cls)


# --------------------------------------------------------------------------
# StumpBinner.fit on Dask


def _synthetic(
    kind: str,
    stats: _FeatureStats,
    specials: tuple[Any, ...],
    regular_values: Any,
    regular_counts: FloatArray,
) -> tuple[Any, FloatArray, FloatArray]:
    """Weighted rows (value, class) whose in-memory fit equals the full data's.

    ``regular_values[i]`` stands for all rows of one distinct value (exact
    summary, categories) or one pre-bin (sketched feature);
    ``regular_counts[i]`` holds their weighted goods and bads. The fit code
    sorts, factorizes and cuts these rows exactly as the raw rows (see the
    module notes). Special values and the missing value get rows only when
    they occur.
    """
    k = len(regular_values)
    seen = [i for i in range(len(specials)) if stats.special[i, 2] > 0]
    extra: list[Any] = [specials[i] for i in seen]
    extra_w = [stats.special[i, :2] for i in seen]
    if stats.missing[2] > 0:
        extra.append(None)
        extra_w.append(stats.missing[:2])
    y = np.tile([0.0, 1.0], k + len(extra))
    w = np.concatenate(
        [np.asarray(regular_counts, dtype=np.float64).reshape(-1), *extra_w]
    )
    if kind == "numeric":
        tail = np.array(
            [np.nan if v is None else float(v) for v in extra], dtype=np.float64
        )
        values: Any = np.repeat(
            np.r_[np.asarray(regular_values, dtype=np.float64), tail], 2
        )
    else:
        values = pd.Series(
            np.repeat(np.asarray([*regular_values, *extra], dtype=object), 2),
            dtype=object,
        )
    return values, y, w


def _check_columns(binner: Any, X: Any) -> tuple[list[str], list[str]]:
    meta = meta_frame(X)
    validate_data(binner, meta, reset=True, skip_check_array=True)
    if meta.shape[1] < 1:
        raise ValueError("X has 0 feature(s); at least one is required.")
    names = binner._names()
    raw = [meta.iloc[:, j] for j in range(meta.shape[1])]
    mask = binner._categorical_mask(raw, names)
    return names, ["categorical" if m else "numeric" for m in mask]


def fit_binner(
    binner: StumpBinner, X: Any, y: Any, sample_weight: Any = None
) -> StumpBinner:
    """``StumpBinner.fit`` on a Dask DataFrame (see the module notes).

    Parameters
    ----------
    binner : StumpBinner
        The estimator to fit (its parameters are validated here).
    X : Dask DataFrame or 2-D Dask Array
        Features.
    y : Dask Series
        Binary target, partitioned like ``X``.
    sample_weight : Dask Series, default=None
        Row weights, partitioned like ``X``.

    Returns
    -------
    StumpBinner
        ``binner``, fitted.
    """
    binner._validate_params()
    for attr in ("bins_", "classes_"):
        if hasattr(binner, attr):
            delattr(binner, attr)
    if y is None:
        raise ValueError("StumpBinner requires y to be passed, but y is None.")
    X = as_frame(X, "StumpBinner.fit")
    y_s = as_series(y, "y", "StumpBinner.fit")
    w_s = as_series(sample_weight, "sample_weight", "StumpBinner.fit")
    names, kinds = _check_columns(binner, X)
    columns = list(meta_frame(X).columns)
    if [str(c) for c in columns] != names:
        X = X.rename(columns=dict(zip(columns, names, strict=True)))
    cols = [_RawColumn(n, k, np.zeros(0)) for n, k in zip(names, kinds, strict=True)]  # type: ignore[arg-type]
    specials = binner._specials(cols)
    # Pass 0: the labels (only y is read).
    uniques, n_nan = map_reduce(_labels_part, y_s, combine=_merge_labels)
    classes = classes_from_labels(uniques, n_nan, binner.bad_value)
    cap = max(EXACT_DISTINCT, binner.max_bin)
    points = max(SKETCH_POINTS, 16 * binner.max_bin)
    # Pass 1: exact per-value (or sketched) class counts of every feature.
    stats: _Stats = map_reduce(
        _stats_part,
        X,
        y_s,
        w_s,
        names=names,
        kinds=kinds,
        specials=specials,
        bad=classes[1],
        cap=cap,
        points=points,
    )
    check_summary_totals(stats, binner.min_bin_size)
    stats = summary_weight_scale(binner, stats, weighted=w_s is not None)
    if binner.weight_scale_ != 1.0:  # later passes count in the same row units
        w_s = w_s / binner.weight_scale_
    # The synthetic rows carry counts as weights (module notes).
    params = binner._fit_params(specials=specials, weighted=True)
    if binner.strategy == "per_feature":
        fitted = _fit_per_feature(X, y_s, w_s, names, kinds, stats, params, classes)
    else:
        fitted = _fit_joint(binner, X, y_s, w_s, names, kinds, stats, params, classes)
    binner._store_bins(names, fitted, classes, stacklevel=4)
    return binner


def classes_from_labels(
    uniques: list[Any], n_nan: int, bad_value: Any
) -> tuple[Any, Any]:
    """The two classes from the distinct labels of a distributed target.

    The one target check (``check_binary_target``) runs on the distinct labels,
    typed as in memory, so a distributed fit refuses what an in-memory one does.
    """
    if len(uniques) + n_nan == 0:
        raise ValueError("Found 0 sample(s) in y while a minimum of 1 is required.")
    shown = pd.Series([*uniques, *[np.nan] * min(n_nan, 1)], dtype=object)
    target = check_binary_target(shown.infer_objects(), bad_value=bad_value)
    return _plain(target.classes[0]), _plain(target.classes[1])


def check_summary_totals(stats: _Stats, min_bin_size: float) -> None:
    """Both classes weighted, and a size floor of at least one row (warned)."""
    n_rows = int(stats.totals[2])
    n_g, n_b = float(stats.totals[0]), float(stats.totals[1])
    if n_b <= 0 or n_g <= 0:
        raise ValueError(
            "y must contain both classes 0 and 1 with positive weight; one "
            "class has zero total weight."
        )
    if min_bin_size > 0 and n_rows * min_bin_size < 1:
        warnings.warn(
            f"min_bin_size={min_bin_size} of {n_rows} rows is less than "
            "one row, so the size floor has no effect; use at least "
            f"{int(np.ceil(1 / min_bin_size))} rows or a larger "
            "min_bin_size.",
            DataConditionWarning,
            stacklevel=4,
        )


def _sketched_edges(summary: _NumSummary, max_bin: int) -> FloatArray:
    """Quantile pre-bin edges of a sketched feature, as the in-memory rule."""
    edges, _ = _numeric_prebins(
        summary.values, summary.mass, np.zeros(summary.values.size), max_bin, True
    )
    return edges


def sketched_edges(stats: _Stats, max_bin: int) -> dict[int, FloatArray]:
    """Pre-bin edges of every sketched numeric feature (by column position)."""
    return {
        j: _sketched_edges(f.regular, max_bin)
        for j, f in enumerate(stats.features)
        if isinstance(f.regular, _NumSummary) and not f.regular.exact
    }


def fit_from_summaries(
    names: list[str],
    kinds: list[str],
    stats: _Stats,
    params: dict[str, Any],
    edges: dict[int, FloatArray],
    prebins: dict[int, FloatArray],
) -> list[tuple[FeatureBins, bool]]:
    """Bins of every feature from its summed counts, by the in-memory code.

    Exactly counted features use their per-value (or per-category) counts;
    sketched ones the exact counts of their pre-bins (``prebins``, the second
    pass of whichever engine counted them). The items are
    :class:`~scorecard._binning._search.SummaryFit` pairs:
    ``StumpBinner._store_bins`` keeps their search inputs for the
    selection-adjusted figures (for a sketched feature they
    are conditional on its sketched pre-bin edges, which depend on the
    feature values only).
    """
    out: list[tuple[FeatureBins, bool]] = []
    for j, (name, kind, fstats) in enumerate(
        zip(names, kinds, stats.features, strict=True)
    ):
        reg = fstats.regular
        if isinstance(reg, _CatSummary):
            values: Any = list(reg.categories)
            counts = np.column_stack([reg.goods, reg.bads])
        elif reg.exact:
            values = reg.values
            counts = np.column_stack([reg.goods, reg.bads])
        else:
            values = np.r_[reg.minimum, edges[j]]
            counts = prebins[j]
        x, y, w = _synthetic(
            kind, fstats, params["specials"].get(name, ()), values, counts
        )
        raw = _RawColumn(name, kind, x)  # type: ignore[arg-type]
        out.append(fit_summary_feature(raw, y, w, params, stats.weighted))
    return out


def _fit_per_feature(
    X: Any,
    y_s: Any,
    w_s: Any,
    names: list[str],
    kinds: list[str],
    stats: _Stats,
    params: dict[str, Any],
    classes: tuple[Any, Any],
) -> list[tuple[FeatureBins, bool]]:
    edges = sketched_edges(stats, params["max_bin"])
    # Pass 2: exact counts per pre-bin of the sketched features.
    prebins = _interval_counts(
        X, y_s, w_s, names, edges, specials=params["specials"], bad=classes[1]
    )
    return fit_from_summaries(names, kinds, stats, params, edges, prebins)


def _joint_matrix_part(
    part: pd.DataFrame,
    y: pd.Series,
    w: pd.Series | None,
    *,
    names: list[str],
    kinds: list[str],
    units: list[dict[Any, int]],
    specials: dict[str, tuple[Any, ...]],
    bad: Any,
) -> pd.DataFrame:
    """Float32 matrix of one partition as the in-memory joint fit builds it."""
    y01, wa = _target_weight(y, w, len(part), bad)
    data: dict[str, Any] = {}
    for j, (name, kind) in enumerate(zip(names, kinds, strict=True)):
        col = _RawColumn(name, kind, part[name]).convert()  # type: ignore[arg-type]
        missing, special_idx = _regular_mask(col, specials.get(name, ()))
        regular = ~missing & (special_idx < 0)
        column = np.full(len(part), np.nan, dtype=np.float32)
        if kind == "numeric":
            column[regular] = col.values[regular]
        else:
            rank = pd.Series(units[j]).reindex(col.values[regular].astype(object))
            column[regular] = rank.to_numpy(dtype=np.float64)
        data[f"f{j}"] = column
    data["__label__"] = y01
    data["__weight__"] = wa
    return pd.DataFrame(data, index=part.index)


def _joint_preps(
    names: list[str], kinds: list[str], stats: _Stats, params: dict[str, Any]
) -> list[Any]:
    """Per-feature preparations of the joint fit from the pass-1 summaries."""
    preps = []
    for name, kind, fstats in zip(names, kinds, stats.features, strict=True):
        reg = fstats.regular
        if isinstance(reg, _CatSummary):
            values: Any = list(reg.categories)
            counts = np.column_stack([reg.goods, reg.bads])
        else:
            # Pre-bins of numeric features are replaced by the model's
            # thresholds below; only specials, missing and totals are kept.
            values = reg.values
            counts = (
                np.column_stack([reg.goods, reg.bads])
                if reg.exact
                else np.column_stack([reg.mass, np.zeros(reg.mass.size)])
            )
        x, y, w = _synthetic(
            kind, fstats, params["specials"].get(name, ()), values, counts
        )
        prep, _, _ = _prepare(
            _RawColumn(name, kind, x).convert(),  # type: ignore[arg-type]
            y,
            w,
            specials=params["specials"].get(name, ()),
            max_bin=params["max_bin"],
            min_category_size=params["min_category_size"],
            weighted=True,
        )
        prep = replace(prep, totals=(float(stats.totals[0]), float(stats.totals[1])))
        preps.append(prep)
    return preps


def _fit_joint(
    binner: StumpBinner,
    X: Any,
    y_s: Any,
    w_s: Any,
    names: list[str],
    kinds: list[str],
    stats: _Stats,
    params: dict[str, Any],
    classes: tuple[Any, Any],
) -> list[tuple[FeatureBins, bool]]:
    """One ``xgboost.dask`` model over all features, then exact counts."""
    try:
        import xgboost.dask as dxgb
        from distributed import get_client
    except ImportError as exc:  # pragma: no cover - part of the dask extra
        raise ImportError(
            f"strategy='joint' on Dask input needs xgboost.dask and distributed; "
            f"{INSTALL_HINT}."
        ) from exc
    try:
        client = get_client()
    except ValueError as exc:
        raise ValueError(
            "StumpBinner(strategy='joint') on Dask input trains with xgboost.dask "
            "and needs a distributed Client (e.g. distributed.Client("
            "distributed.LocalCluster())); no client is running."
        ) from exc
    preps = _joint_preps(names, kinds, stats, params)
    units = [
        {c: r for r, unit in enumerate(p.units or []) for c in unit} for p in preps
    ]
    matrix = X.map_partitions(
        _joint_matrix_part,
        y_s,
        w_s,
        names=names,
        kinds=kinds,
        units=units,
        specials=params["specials"],
        bad=classes[1],
        meta=pd.DataFrame(
            {
                **{f"f{j}": np.zeros(0, np.float32) for j in range(len(names))},
                "__label__": np.zeros(0),
                "__weight__": np.zeros(0),
            }
        ),
    )
    n_jobs = 1 if binner.n_jobs is None else binner.n_jobs
    dtrain = dxgb.DaskDMatrix(
        client,
        matrix[[f"f{j}" for j in range(len(names))]],
        matrix["__label__"],
        weight=matrix["__weight__"],
    )
    n_g, n_b = float(stats.totals[0]), float(stats.totals[1])
    booster = dxgb.train(
        client,
        _joint_xgb_params(params, n_g, n_b, n_jobs),
        dtrain,
        num_boost_round=params["n_rounds"],
    )["booster"]
    thresholds = _booster_thresholds(booster)
    t_all = [
        np.unique(np.asarray(thresholds.get(j, []), dtype=np.float64))
        for j in range(len(names))
    ]
    # Exact counts per stump bin of the numeric features (one more pass).
    stump_counts = _interval_counts(
        X,
        y_s,
        w_s,
        names,
        {j: t_all[j] for j, k in enumerate(kinds) if k == "numeric"},
        specials=params["specials"],
        bad=classes[1],
    )
    out = []
    for j, prep in enumerate(preps):
        fb = _finish_joint(prep, t_all[j], stump_counts.get(j), params)
        out.append((fb, prep.constant))
    return out
