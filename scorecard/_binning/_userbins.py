"""Per-feature fits of the binner: user splits, per-feature settings, pre-bins.

:func:`fit_feature` is the in-memory per-feature fit of
:class:`~scorecard._binning._binner.StumpBinner`: the feature's pre-bins,
then either the user's fixed bins (``user_splits``) or the search of
:func:`scorecard._binning._stumps.fit_prepared` under the feature's own
settings (``feature_params``), plus the label-free search inputs of the
permutation test and the pre-bin count table (:class:`PreBins`) that lets a
fitted binner be edited without the data (:mod:`scorecard._binning._edits`).
:func:`check_user_splits` and :func:`check_feature_params` validate the two
parameters against the columns. See docs/methodology.md, "Expert edits and
small strong segments".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.utils._param_validation import validate_parameter_constraints

from .._kit.artifacts import decode_float, encode_float
from .._kit.compat import Interval, StrOptions
from ._bins import FeatureBins, _plain
from ._columns import _prepare, _Prepared, _RawColumn, class_counts
from ._search import SearchInputs, search_inputs
from ._stumps import feature_settings, fit_prepared

FloatArray = NDArray[np.float64]

#: Keys allowed in ``feature_params[name]`` and their constraints.
FEATURE_PARAM_CONSTRAINTS: dict[str, list[Any]] = {
    "monotonic_trend": [
        StrOptions({"auto", "ascending", "descending", "peak", "valley"}),
        None,
    ],
    "min_bin_size": [Interval(Real, 0, 0.5, closed="both")],
    "min_bin_count": [Interval(Real, 1, None, closed="left"), None],
    "max_n_bins": [Interval(Integral, 1, None, closed="left"), None],
    "special_values": ["array-like"],
}


@dataclass(frozen=True)
class PreBins:
    """Counts of a feature's pre-bins: the finest boundaries an edit can use.

    Numeric: pre-bin ``k`` is ``[edges[k-1], edges[k])`` (the first from
    ``-inf``, the last to ``inf``); ``low``/``high`` are the smallest and
    largest regular training values. Categorical: ``units`` are the category
    units (single categories, or the pooled rare ones), in event-rate order.
    ``goods``/``bads`` are per pre-bin (regular values only).
    """

    kind: str
    goods: tuple[float, ...]
    bads: tuple[float, ...]
    edges: tuple[float, ...] = ()
    units: tuple[tuple[Any, ...], ...] = ()
    low: float = math.nan
    high: float = math.nan

    def counts(self) -> FloatArray:
        """``(K, 2)`` goods and bads."""
        return np.column_stack([self.goods, self.bads]).astype(np.float64)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (floats exact)."""
        return {
            "kind": self.kind,
            "goods": [encode_float(v) for v in self.goods],
            "bads": [encode_float(v) for v in self.bads],
            "edges": [encode_float(v) for v in self.edges],
            "units": [list(u) for u in self.units],
            "low": encode_float(self.low),
            "high": encode_float(self.high),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PreBins:
        """Inverse of :meth:`to_dict`."""
        return cls(
            kind=str(data["kind"]),
            goods=tuple(decode_float(v, field="prebins") for v in data["goods"]),
            bads=tuple(decode_float(v, field="prebins") for v in data["bads"]),
            edges=tuple(decode_float(v, field="prebins") for v in data["edges"]),
            units=tuple(tuple(u) for u in data["units"]),
            low=decode_float(data["low"], field="prebins", finite=False),
            high=decode_float(data["high"], field="prebins", finite=False),
        )


@dataclass
class FeatureFit:
    """Everything the in-memory fit keeps of one feature."""

    bins: FeatureBins
    constant: bool
    search: SearchInputs | None
    prebins: PreBins | None
    settings: dict[str, Any] | None  # None: bins fixed by the user
    note: str


# ------------------------------------------------------------------ checks


def check_cuts(name: str, cuts: Any, *, where: str) -> tuple[float, ...]:
    """Numeric cuts: finite, strictly increasing; a clear error otherwise."""
    if isinstance(cuts, str) or not isinstance(cuts, Sequence | np.ndarray):
        raise TypeError(
            f"{where} of the numeric feature {name!r} must be a list of cut "
            f"points; got {cuts!r}."
        )
    out = []
    for v in list(np.ravel(np.asarray(cuts, dtype=object))):
        if isinstance(v, bool | str) or not isinstance(v, Real) or not math.isfinite(v):
            raise ValueError(f"{where} of {name!r} must be finite numbers; got {v!r}.")
        out.append(float(v))
    for a, b in zip(out, out[1:], strict=False):
        if b <= a:
            what = "duplicated" if a == b else "unsorted"
            raise ValueError(
                f"{where} of {name!r} must be strictly increasing; got {out} "
                f"({what}: {a:g} then {b:g})."
            )
    return tuple(out)


def check_groups(name: str, groups: Any, *, where: str) -> tuple[tuple[Any, ...], ...]:
    """Categorical groups: a list of non-empty lists, each category once."""
    if isinstance(groups, str) or not isinstance(groups, Sequence | np.ndarray):
        raise TypeError(
            f"{where} of the categorical feature {name!r} must be a list of "
            f"category groups (lists); got {groups!r}."
        )
    out: list[tuple[Any, ...]] = []
    seen: set[Any] = set()
    for g in groups:
        if isinstance(g, str) or not isinstance(g, Sequence | np.ndarray | set):
            raise TypeError(
                f"{where} of {name!r}: every group must be a list of categories; "
                f"got {g!r}."
            )
        group = tuple(_plain(c) for c in g)
        if not group:
            raise ValueError(f"{where} of {name!r} has an empty group.")
        twice = [c for c in group if c in seen]
        if twice:
            raise ValueError(
                f"{where} of {name!r} names the category {twice[0]!r} in more "
                "than one group."
            )
        seen.update(group)
        out.append(group)
    if not out:
        raise ValueError(f"{where} of {name!r} has no groups.")
    return tuple(out)


def check_user_splits(
    spec: Mapping[Any, Any] | None, cols: list[_RawColumn]
) -> dict[str, Any]:
    """``user_splits`` checked against the columns (ranges are checked in fit)."""
    names = [c.name for c in cols]
    kinds = {c.name: c.kind for c in cols}
    out: dict[str, Any] = {}
    for key, value in (spec or {}).items():
        if str(key) not in kinds:
            raise ValueError(
                f"user_splits has the key {key!r}, which names no feature; "
                f"features are {names[:10]}."
            )
        where = f"user_splits[{key!r}]"
        if kinds[str(key)] == "numeric":
            out[str(key)] = check_cuts(str(key), value, where=where)
        else:
            out[str(key)] = check_groups(str(key), value, where=where)
    return out


def check_feature_params(
    spec: Mapping[Any, Any] | None, cols: list[_RawColumn]
) -> dict[str, dict[str, Any]]:
    """``feature_params`` checked: known features, known keys, valid values."""
    names = [c.name for c in cols]
    out: dict[str, dict[str, Any]] = {}
    for key, value in (spec or {}).items():
        if str(key) not in names:
            raise ValueError(
                f"feature_params has the key {key!r}, which names no feature; "
                f"features are {names[:10]}."
            )
        if not isinstance(value, Mapping):
            raise TypeError(
                f"feature_params[{key!r}] must be a dict of settings; got {value!r}."
            )
        unknown = sorted(str(k) for k in value if k not in FEATURE_PARAM_CONSTRAINTS)
        if unknown:
            raise ValueError(
                f"feature_params[{key!r}] has the unknown key {unknown[0]!r}; "
                f"allowed are {sorted(FEATURE_PARAM_CONSTRAINTS)}."
            )
        validate_parameter_constraints(
            FEATURE_PARAM_CONSTRAINTS,
            dict(value),
            caller_name=f"feature_params[{key!r}]",
        )
        out[str(key)] = dict(value)
    return out


# -------------------------------------------------------------------- fits


def _numeric_prebins(prep: _Prepared, x: FloatArray) -> PreBins:
    assert prep.edges is not None
    return PreBins(
        kind="numeric",
        goods=tuple(prep.prebin_counts[:, 0].tolist()),
        bads=tuple(prep.prebin_counts[:, 1].tolist()),
        edges=tuple(float(e) for e in prep.edges),
        low=float(x.min()) if x.size else math.nan,
        high=float(x.max()) if x.size else math.nan,
    )


def _categorical_prebins(prep: _Prepared) -> PreBins:
    assert prep.units is not None
    return PreBins(
        kind="categorical",
        goods=tuple(prep.prebin_counts[:, 0].tolist()),
        bads=tuple(prep.prebin_counts[:, 1].tolist()),
        units=tuple(tuple(u) for u in prep.units),
    )


def assemble(
    name: str,
    kind: str,
    regular: FloatArray,
    prep: _Prepared,
    *,
    thresholds: tuple[float, ...] = (),
    groups: tuple[tuple[Any, ...], ...] = (),
    other: tuple[Any, ...] = (),
) -> FeatureBins:
    """A FeatureBins from regular bin counts plus the special and missing counts."""
    goods = [*regular[:, 0], *prep.special_counts[:, 0], prep.missing_counts[0]]
    bads = [*regular[:, 1], *prep.special_counts[:, 1], prep.missing_counts[1]]
    if kind == "categorical":
        goods.append(0.0)
        bads.append(0.0)
    return FeatureBins(
        name=name,
        kind=kind,  # type: ignore[arg-type]
        thresholds=thresholds,
        groups=groups,
        other=other,
        special_values=prep.specials,
        goods=tuple(goods),
        bads=tuple(bads),
    )


def fixed_numeric(
    name: str,
    cuts: tuple[float, ...],
    x: FloatArray,
    y: FloatArray,
    w: FloatArray,
    *,
    where: str = "user_splits",
) -> tuple[FloatArray, NDArray[np.int64]]:
    """Counts of the regular values between user cuts (range checked)."""
    if x.size and cuts:
        low, high = float(x.min()), float(x.max())
        outside = [t for t in cuts if not low < t <= high]
        if outside:
            raise ValueError(
                f"{where}[{name!r}] has the cut {outside[0]:g} outside the data "
                f"range of {name!r}: cuts must lie in ({low:g}, {high:g}] so "
                "that no bin is empty."
            )
    codes = np.searchsorted(np.asarray(cuts, dtype=np.float64), x, side="right")
    return class_counts(codes, y, w, len(cuts) + 1), codes


def _fit_fixed(
    col: Any, prep: _Prepared, y: FloatArray, w: FloatArray, regular: Any, split: Any
) -> tuple[FeatureBins, PreBins]:
    """Bins given by the user (no search)."""
    yr, wr = y[regular], w[regular]
    if col.kind == "numeric":
        x = col.values[regular]
        counts, _ = fixed_numeric(col.name, split, x, yr, wr)
        edges = np.union1d(np.asarray(prep.edges), np.asarray(split))
        pre = class_counts(
            np.searchsorted(edges, x, side="right"), yr, wr, edges.size + 1
        )
        prebins = PreBins(
            kind="numeric",
            goods=tuple(pre[:, 0].tolist()),
            bads=tuple(pre[:, 1].tolist()),
            edges=tuple(float(e) for e in edges),
            low=float(x.min()) if x.size else math.nan,
            high=float(x.max()) if x.size else math.nan,
        )
        fb = assemble(col.name, "numeric", counts, prep, thresholds=split)
        return fb, prebins
    assert prep.units is not None
    seen = {u[0]: k for k, u in enumerate(prep.units)}
    listed = {c for g in split for c in g}
    unplaced = [c for c in seen if c not in listed]
    if unplaced:
        raise ValueError(
            f"user_splits[{col.name!r}] does not place the training categories "
            f"{unplaced[:5]}; every category must be in one group."
        )
    unknown = [c for c in listed if c not in seen]
    if unknown:
        raise ValueError(
            f"user_splits[{col.name!r}] names the category {unknown[0]!r}, which "
            f"is not in the training data of {col.name!r}."
        )
    group_of = np.empty(len(prep.units), dtype=np.int64)
    for gi, g in enumerate(split):
        for c in g:
            group_of[seen[c]] = gi
    counts = np.zeros((len(split), 2))
    np.add.at(counts, group_of, prep.prebin_counts)
    fb = assemble(col.name, "categorical", counts, prep, groups=split)
    return fb, _categorical_prebins(prep)


def fit_feature(
    raw: _RawColumn, y: FloatArray, w: FloatArray, params: dict[str, Any]
) -> FeatureFit:
    """Bins, search inputs and pre-bins of one feature (in-memory fit)."""
    col = raw.convert()
    p = feature_settings(params, col.name)
    split = p.get("user_splits", {}).get(col.name)
    specials = p["specials"].get(col.name, ())
    prep, codes, regular = _prepare(
        col,
        y,
        w,
        specials=specials,
        max_bin=p["max_bin"],
        min_category_size=(
            0.0
            if split is not None and col.kind == "categorical"
            else p["min_category_size"]
        ),
        weighted=p["weighted"],
    )
    if split is not None:
        fb, prebins = _fit_fixed(col, prep, y, w, regular, split)
        n_reg = fb.n_regular
        return FeatureFit(
            fb,
            prep.constant,
            None,
            prebins,
            None,
            f"{n_reg} regular bin(s) fixed by user_splits (no search).",
        )
    fb, settings, note = fit_prepared(prep, p)
    search = search_inputs(prep, col, codes, weighted=p["weighted"], specials=specials)
    prebins = (
        _numeric_prebins(prep, col.values[regular])
        if col.kind == "numeric"
        else _categorical_prebins(prep)
    )
    return FeatureFit(fb, prep.constant, search, prebins, settings, note)
