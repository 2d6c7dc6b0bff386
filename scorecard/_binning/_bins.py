"""Bin definitions: the one object binning, scoring and monitoring share.

A :class:`FeatureBins` describes how one feature's values map to bins and
holds the reference (training) good and bad counts of every bin. It is
frozen, JSON-serialisable with an exact round trip, and its
:meth:`FeatureBins.assign` is plain vectorised numpy/pandas, so it can run
inside a Dask ``map_partitions`` to count new data.

Bin codes of a feature are laid out as::

    0 .. n_regular-1                  regular bins (intervals or category groups)
    n_regular .. n_regular+n_special-1  one bin per declared special value
    missing_code = n_regular+n_special  the missing bin (NaN, None, pd.NA)
    unseen_code  = missing_code + 1     categorical only: categories not seen
                                        in training (reference count 0)

Every code exists even when its reference count is zero; such a bin gets the
neutral WoE 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from .._kit.artifacts import decode_float, encode_float
from .._stats._prepare import _safe_log_ratio, _shares, _smooth

__all__ = ["FeatureBins", "SCHEMA_VERSION"]

#: Version of the dictionary layout written by :meth:`FeatureBins.to_dict`.
SCHEMA_VERSION = 1

Scalar = str | int | float | bool
Kind = Literal["numeric", "categorical"]


def _plain(value: Any) -> Scalar:
    """Convert a numpy/pandas scalar to the equal plain Python scalar."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool | int | float | str):
        return value
    raise TypeError(
        "Category and special values must be str, int, float or bool; "
        f"got {value!r} of type {type(value).__name__}."
    )


def _fmt(value: float) -> str:
    return f"{value:.6g}"


@dataclass(frozen=True, eq=False, repr=False)
class FeatureBins:
    """Frozen bin definition of one feature with its reference counts.

    Parameters
    ----------
    name : str
        Feature name.
    kind : {"numeric", "categorical"}
        Numeric features are cut at ``thresholds``; categorical ones use
        ``groups``.
    thresholds : tuple of float, default=()
        Sorted, strictly increasing finite cut points ``t_1 < ... < t_k``.
        Regular bins are ``[-inf, t_1), [t_1, t_2), ..., [t_k, inf)``: a value
        ``x < t`` goes left, as in XGBoost.
    groups : tuple of tuple, default=()
        Categorical only: ordered groups of category values, one regular bin
        per group.
    other : tuple, default=()
        Categorical only: rare training categories pooled into "Other"; they
        also appear in exactly one group.
    special_values : tuple, default=()
        Declared special values (e.g. ``-999``), one bin each, matched before
        the regular bins.
    goods, bads : tuple of float
        Reference weighted counts of ``y = 0`` and ``y = 1`` per bin, length
        :attr:`n_bins`.

    Attributes
    ----------
    n_bins : int
        Total number of bin codes.
    n_regular : int
        Number of interval or group bins.
    missing_code : int
        Code of the missing bin.
    unseen_code : int or None
        Code of the bin of categories unseen in training (categorical only).

    Notes
    -----
    Unseen categories (and, for a numeric feature, nothing else) go to
    ``unseen_code``, whose reference count is 0, so its WoE is the neutral 0;
    the estimators warn when that happens. Missing values go to the missing
    bin, whose WoE is its real training WoE when training had missing values.

    Examples
    --------
    >>> fb = FeatureBins(
    ...     name="age", kind="numeric", thresholds=(25.0, 40.0),
    ...     special_values=(-999.0,),
    ...     goods=(50.0, 120.0, 200.0, 5.0, 10.0), bads=(20.0, 15.0, 10.0, 5.0, 2.0),
    ... )
    >>> fb.assign([18, 25, 39.5, 60, -999, float("nan")])
    array([0, 1, 1, 2, 3, 4])
    >>> fb.labels()
    ['[-inf, 25)', '[25, 40)', '[40, inf)', 'special -999', 'missing']
    >>> FeatureBins.from_dict(fb.to_dict()) == fb
    True
    """

    name: str
    kind: Kind
    goods: tuple[float, ...]
    bads: tuple[float, ...]
    thresholds: tuple[float, ...] = ()
    groups: tuple[tuple[Scalar, ...], ...] = ()
    other: tuple[Scalar, ...] = ()
    special_values: tuple[Scalar, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in ("numeric", "categorical"):
            raise ValueError(
                f"kind must be 'numeric' or 'categorical'; got {self.kind!r}."
            )
        thr = tuple(float(t) for t in self.thresholds)
        if any(not math.isfinite(t) for t in thr) or any(
            b <= a for a, b in zip(thr, thr[1:], strict=False)
        ):
            raise ValueError(
                f"thresholds of {self.name!r} must be finite and strictly "
                f"increasing; got {thr}."
            )
        groups = tuple(tuple(_plain(c) for c in g) for g in self.groups)
        other = tuple(_plain(c) for c in self.other)
        specials = tuple(_plain(s) for s in self.special_values)
        if self.kind == "numeric" and (groups or other):
            raise ValueError(f"numeric feature {self.name!r} cannot have groups.")
        if self.kind == "categorical":
            if thr:
                raise ValueError(
                    f"categorical feature {self.name!r} cannot have thresholds."
                )
            if not groups or any(len(g) == 0 for g in groups):
                raise ValueError(
                    f"categorical feature {self.name!r} needs non-empty groups."
                )
            flat = [c for g in groups for c in g]
            if len(set(flat)) != len(flat):
                raise ValueError(
                    f"a category of {self.name!r} appears in more than one group."
                )
            if not set(other) <= set(flat):
                raise ValueError(
                    f"'other' categories of {self.name!r} must belong to a group."
                )
        object.__setattr__(self, "thresholds", thr)
        object.__setattr__(self, "groups", groups)
        object.__setattr__(self, "other", other)
        object.__setattr__(self, "special_values", specials)
        goods = tuple(float(v) for v in self.goods)
        bads = tuple(float(v) for v in self.bads)
        if len(goods) != self.n_bins or len(bads) != self.n_bins:
            raise ValueError(
                f"goods and bads of {self.name!r} must have {self.n_bins} entries "
                f"(one per bin); got {len(goods)} and {len(bads)}."
            )
        counts = np.asarray(goods + bads)
        if not np.all(np.isfinite(counts)) or np.any(counts < 0):
            raise ValueError(
                f"goods and bads of {self.name!r} must be finite and >= 0."
            )
        object.__setattr__(self, "goods", goods)
        object.__setattr__(self, "bads", bads)

    # ------------------------------------------------------------------ layout

    @property
    def n_regular(self) -> int:
        """Number of interval or category-group bins."""
        if self.kind == "numeric":
            return len(self.thresholds) + 1
        return len(self.groups)

    @property
    def missing_code(self) -> int:
        """Code of the missing bin."""
        return self.n_regular + len(self.special_values)

    @property
    def unseen_code(self) -> int | None:
        """Code of unseen categories (``None`` for numeric features)."""
        return self.missing_code + 1 if self.kind == "categorical" else None

    @property
    def n_bins(self) -> int:
        """Total number of bin codes."""
        return self.missing_code + (2 if self.kind == "categorical" else 1)

    # -------------------------------------------------------------- assignment

    def assign(self, values: ArrayLike) -> NDArray[np.int64]:
        """Bin code of every value (vectorised, no side effects).

        Parameters
        ----------
        values : array-like of shape (n_samples,)
            Raw feature values (a numpy array, list or pandas Series).

        Returns
        -------
        ndarray of int64, shape (n_samples,)
            Codes in ``[0, n_bins)``: NaN/None go to :attr:`missing_code`,
            special values to their bins, unseen categories to
            :attr:`unseen_code`.

        Raises
        ------
        TypeError
            If a numeric feature receives non-numeric values.
        """
        if self.kind == "numeric":
            x = self._numeric(values)
            missing = np.isnan(x)
            codes = np.searchsorted(
                np.asarray(self.thresholds, dtype=np.float64), x, side="right"
            ).astype(np.int64, copy=False)
            for i, s in enumerate(self.special_values):
                if isinstance(s, int | float) and not isinstance(s, bool):
                    codes[x == float(s)] = self.n_regular + i
        else:
            series = values if isinstance(values, pd.Series) else pd.Series(values)
            missing = series.isna().to_numpy()
            codes = np.empty(len(series), dtype=np.int64)
            index = pd.Index([c for g in self.groups for c in g], dtype=object)
            group_of = np.repeat(
                np.arange(len(self.groups), dtype=np.int64),
                [len(g) for g in self.groups],
            )
            pos = index.get_indexer(series)
            codes[:] = np.where(pos >= 0, group_of[np.maximum(pos, 0)], -1)
            if self.special_values:
                spec_pos = pd.Index(list(self.special_values), dtype=object)
                spec = spec_pos.get_indexer(series)
                codes[spec >= 0] = self.n_regular + spec[spec >= 0]
            codes[codes < 0] = self.missing_code + 1  # unseen
        codes[missing] = self.missing_code
        return codes

    def _numeric(self, values: ArrayLike) -> NDArray[np.float64]:
        """Values as float64 with NaN for missing; TypeError if not numeric."""
        if isinstance(values, np.ndarray) and values.dtype.kind in "fiub":
            return values.astype(np.float64, copy=False).ravel()
        series = values if isinstance(values, pd.Series) else pd.Series(values)
        try:
            return pd.to_numeric(series, errors="raise").to_numpy(
                dtype=np.float64, na_value=np.nan
            )
        except (TypeError, ValueError) as exc:
            coerced = pd.to_numeric(series, errors="coerce")
            offending = series[coerced.isna() & series.notna()]
            example = offending.iloc[0] if len(offending) else series.iloc[0]
            raise TypeError(
                f"Feature {self.name!r} is numeric; got non-numeric values "
                f"such as {example!r}."
            ) from exc

    # ----------------------------------------------------------------- labels

    def labels(self) -> list[str]:
        """Human-readable label of every bin, in code order."""
        out: list[str] = []
        if self.kind == "numeric":
            edges = [-math.inf, *self.thresholds, math.inf]
            out += [
                f"[{_fmt(a)}, {_fmt(b)})"
                for a, b in zip(edges, edges[1:], strict=False)
            ]
        else:
            pooled = set(self.other)
            for g in self.groups:
                own = [str(c) for c in g if c not in pooled]
                rare = [str(c) for c in g if c in pooled]
                parts = own + ([f"Other{{{', '.join(rare)}}}"] if rare else [])
                out.append("{" + ", ".join(parts) + "}")
        out += [
            f"special {_fmt(s) if isinstance(s, float) else s}"
            for s in self.special_values
        ]
        out.append("missing")
        if self.kind == "categorical":
            out.append("unseen")
        return out

    # -------------------------------------------------------------- statistics

    def counts(self) -> NDArray[np.float64]:
        """Reference counts, shape ``(n_bins, 2)``: goods then bads."""
        return np.column_stack([self.goods, self.bads]).astype(np.float64)

    def woe(self, smoothing: float = 0.5) -> NDArray[np.float64]:
        """WoE ``ln(p_j / q_j)`` of every bin (good/bad orientation).

        Parameters
        ----------
        smoothing : float, default=0.5
            Added to both cells of a non-empty bin with a zero cell, totals
            recomputed (as in :func:`scorecard.woe`).

        Returns
        -------
        ndarray of shape (n_bins,)
            WoE per bin; bins with no reference rows get the neutral 0, as do
            all bins when one class is absent.

        Raises
        ------
        ValueError
            If ``smoothing`` is negative, or 0 while a non-empty bin has a
            zero cell.
        """
        if not math.isfinite(smoothing) or smoothing < 0:
            raise ValueError(
                f"smoothing must be a finite number >= 0; got {smoothing}."
            )
        g = np.asarray(self.goods, dtype=np.float64)
        b = np.asarray(self.bads, dtype=np.float64)
        present = (g + b) > 0
        zero = present & ((g == 0) | (b == 0))
        if zero.any() and smoothing == 0:
            raise ValueError(
                f"Feature {self.name!r} has a class with no observations in bin "
                f"{int(np.flatnonzero(zero)[0])}; set smoothing > 0."
            )
        g, b, _ = _smooth(g, b, smoothing)
        if g.sum() <= 0 or b.sum() <= 0:
            return np.zeros(self.n_bins)
        return _safe_log_ratio(_shares(g, present), _shares(b, present), present)

    # ------------------------------------------------------------ persistence

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary; :meth:`from_dict` restores an equal object.

        Finite floats are stored as JSON numbers (Python writes the shortest
        ``repr``, which reads back bit-exactly); non-finite ones as strings.
        """
        return {
            "schema_version": SCHEMA_VERSION,
            "name": self.name,
            "kind": self.kind,
            "thresholds": [encode_float(t) for t in self.thresholds],
            "groups": [list(g) for g in self.groups],
            "other": list(self.other),
            "special_values": [
                {"float": encode_float(s)} if isinstance(s, float) else s
                for s in self.special_values
            ],
            "goods": [encode_float(v) for v in self.goods],
            "bads": [encode_float(v) for v in self.bads],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeatureBins:
        """Rebuild from :meth:`to_dict` output (e.g. after ``json.loads``).

        Raises
        ------
        ValueError
            If the schema version is unknown or a field is missing.
        """
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise ValueError(
                f"FeatureBins schema_version must be {SCHEMA_VERSION}; got {version!r}."
            )
        required = {"name", "kind", "thresholds", "groups", "other", "goods", "bads"}
        missing = sorted(required - set(data))
        if missing:
            raise ValueError(f"FeatureBins dictionary lacks fields {missing}.")
        specials = [
            decode_float(s["float"], field="special_values")
            if isinstance(s, dict)
            else s
            for s in data.get("special_values", [])
        ]
        return cls(
            name=str(data["name"]),
            kind=data["kind"],
            thresholds=tuple(
                decode_float(t, field="thresholds") for t in data["thresholds"]
            ),
            groups=tuple(tuple(g) for g in data["groups"]),
            other=tuple(data["other"]),
            special_values=tuple(specials),
            goods=tuple(decode_float(v, field="goods") for v in data["goods"]),
            bads=tuple(decode_float(v, field="bads") for v in data["bads"]),
        )

    def with_counts(self, goods: ArrayLike, bads: ArrayLike) -> FeatureBins:
        """Copy with other reference counts (e.g. summed over partitions)."""
        return replace(
            self,
            goods=tuple(np.asarray(goods, dtype=np.float64).tolist()),
            bads=tuple(np.asarray(bads, dtype=np.float64).tolist()),
        )

    # ----------------------------------------------------------------- dunder

    def _key(self) -> tuple[Any, ...]:
        # Compare floats by bit pattern so that -0.0 != 0.0 and types matter.
        def tag(v: Any) -> Any:
            return (type(v).__name__, v.hex() if isinstance(v, float) else v)

        return (
            self.name,
            self.kind,
            tuple(t.hex() for t in self.thresholds),
            tuple(tuple(tag(c) for c in g) for g in self.groups),
            tuple(tag(c) for c in self.other),
            tuple(tag(s) for s in self.special_values),
            tuple(v.hex() for v in self.goods),
            tuple(v.hex() for v in self.bads),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FeatureBins):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        n = sum(self.goods) + sum(self.bads)
        return (
            f"FeatureBins(name={self.name!r}, kind={self.kind!r}, "
            f"n_bins={self.n_bins}, labels={self.labels()}, n={n:g})"
        )
