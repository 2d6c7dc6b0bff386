"""Expert edits of a fitted binner, and the binner's artifact payload.

Every edit returns a NEW fitted :class:`~scorecard._binning._binner.StumpBinner`
whose other features are untouched (same objects, no refit): the edited
feature's bins are recounted from the pre-bin count table kept at fit time
(:class:`~scorecard._binning._userbins.PreBins`), or from ``X, y`` when a cut
is not on a pre-bin boundary. The result is recorded in ``user_splits``, so a
clone refitted on the same rows reproduces it, and the JSON artifact carries
bins, pre-bins and notes (scores are identical after a round trip). See
docs/methodology.md, "Expert edits and small strong segments".
"""

# size: the edit methods plus the binner's whole artifact payload (bins,
# pre-bins, notes, weights' scale and squares, selection state)
from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from numbers import Integral
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.utils.validation import check_is_fitted

from .._kit.artifacts import decode_float, encode_float, require
from .._kit.validation import check_binary_target, check_weights
from ._bins import FeatureBins, _plain
from ._columns import _regular_mask, class_counts
from ._inference import load_selection, selection_payload
from ._merge import merge_counts
from ._userbins import PreBins, check_cuts, check_groups, fixed_numeric

if TYPE_CHECKING:  # pragma: no cover
    from ._binner import StumpBinner

FloatArray = NDArray[np.float64]


def _name(binner: StumpBinner, feature: Any) -> str:
    fb = binner._feature(feature)  # raises for an unknown feature
    return fb.name


def check_bin(fb: FeatureBins, i: Any, *, what: str = "bin") -> int:
    """A regular bin index of ``fb``; a clear error otherwise."""
    if isinstance(i, bool) or not isinstance(i, Integral):
        raise TypeError(f"{what} of {fb.name!r} must be an int; got {i!r}.")
    i = int(i)
    last = fb.n_regular - 1
    if 0 <= i <= last:
        return i
    if last < i < fb.n_bins:
        raise ValueError(
            f"{what} {i} of {fb.name!r} is the {fb.labels()[i]!r} bin; only the "
            f"regular bins 0..{last} can be edited."
        )
    raise ValueError(
        f"{what} {i} does not exist: {fb.name!r} has the regular bins 0..{last}."
    )


def _with_regular(fb: FeatureBins, regular: FloatArray, **changes: Any) -> FeatureBins:
    """``fb`` with new regular bins (special, missing and unseen bins kept)."""
    tail_g, tail_b = fb.goods[fb.n_regular :], fb.bads[fb.n_regular :]
    return FeatureBins(
        name=fb.name,
        kind=fb.kind,
        thresholds=changes.get("thresholds", ()),
        groups=changes.get("groups", ()),
        other=changes.get("other", ()),
        special_values=fb.special_values,
        goods=(*regular[:, 0].tolist(), *tail_g),
        bads=(*regular[:, 1].tolist(), *tail_b),
    )


def _numeric_from_prebins(
    fb: FeatureBins, pre: PreBins | None, cuts: tuple[float, ...]
) -> FeatureBins:
    if pre is None:
        raise ValueError(
            f"the pre-bin counts of {fb.name!r} were not kept (Dask fit or old "
            "artifact); pass X and y (the training rows) to count the new bins."
        )
    outside = [t for t in cuts if not pre.low < t <= pre.high]
    if outside:
        raise ValueError(
            f"the cut {outside[0]:g} of {fb.name!r} is outside the data range: "
            f"cuts must lie in ({pre.low:g}, {pre.high:g}]."
        )
    edges = np.asarray(pre.edges)
    pos = np.searchsorted(edges, cuts)
    off = [
        t for t, k in zip(cuts, pos, strict=True) if k >= edges.size or edges[k] != t
    ]
    if off:
        t = off[0]
        k = int(np.searchsorted(edges, t))
        near = [f"{edges[j]:g}" for j in (k - 1, k) if 0 <= j < edges.size]
        raise ValueError(
            f"the cut {t:g} of {fb.name!r} is not a pre-bin boundary kept at fit "
            f"time (nearest: {', '.join(near)}); pass X and y (the training "
            "rows) to count it, or choose a boundary."
        )
    regular = merge_counts(pre.counts(), pos + 1)
    return _with_regular(fb, regular, thresholds=cuts)


def _categorical_from_prebins(
    fb: FeatureBins, pre: PreBins | None, groups: tuple[tuple[Any, ...], ...]
) -> FeatureBins:
    known = {c for g in fb.groups for c in g}
    listed = {c for g in groups for c in g}
    unknown = [c for g in groups for c in g if c not in known]
    if unknown:
        raise ValueError(
            f"the category {unknown[0]!r} is not a training category of {fb.name!r}."
        )
    unplaced = [c for g in fb.groups for c in g if c not in listed]
    if unplaced:
        raise ValueError(
            f"the groups of {fb.name!r} do not place the categories {unplaced[:5]}; "
            "every training category must be in one group."
        )
    group_of = {c: gi for gi, g in enumerate(groups) for c in g}
    if pre is None:
        raise ValueError(
            f"the category counts of {fb.name!r} were not kept (Dask fit or old "
            "artifact); pass X and y (the training rows) to count the new groups."
        )
    regular = np.zeros((len(groups), 2))
    for unit, g, b in zip(pre.units, pre.goods, pre.bads, strict=True):
        where = {group_of[c] for c in unit}
        if len(where) > 1:
            raise ValueError(
                f"the categories {list(unit)[:5]} of {fb.name!r} were pooled at fit "
                "time and their own counts were not kept; keep them in one group, "
                "or pass X and y (the training rows) to count them."
            )
        regular[where.pop()] += (g, b)
    other = tuple(c for c in fb.other if c in listed)
    return _with_regular(fb, regular, groups=groups, other=other)


def _from_data(
    binner: StumpBinner,
    fb: FeatureBins,
    spec: Any,
    X: Any,
    y: Any,
    sample_weight: Any,
) -> tuple[FeatureBins, PreBins | None]:
    """Recount the feature's new bins (and finer pre-bins) from the training rows."""
    cols = binner._columns(X, reset=False)
    col = next(c for c in cols if c.name == fb.name).convert()
    target = check_binary_target(y, len(col.values), bad_value=binner.bad_value)
    y01 = target.y01.astype(np.float64)
    w = check_weights(sample_weight, target.y01) / binner.weight_scale_  # fit's units
    missing, special_idx = _regular_mask(col, fb.special_values)
    regular = ~missing & (special_idx < 0)
    pre: PreBins | None = None
    if fb.kind == "numeric":
        x = col.values[regular]
        _, _ = fixed_numeric(fb.name, spec, x, y01[regular], w[regular], where="cuts")
        new = _with_regular(fb, np.zeros((len(spec) + 1, 2)), thresholds=spec)
        old = binner.prebins_.get(fb.name)
        edges = np.union1d(np.asarray(old.edges if old else ()), np.asarray(spec))
        counts = class_counts(
            np.searchsorted(edges, x, side="right"),
            y01[regular],
            w[regular],
            edges.size + 1,
        )
        pre = PreBins(
            kind="numeric",
            goods=tuple(counts[:, 0].tolist()),
            bads=tuple(counts[:, 1].tolist()),
            edges=tuple(edges.tolist()),
            low=float(x.min()),
            high=float(x.max()),
        )
    else:
        seen = set(map(_plain, col.values[regular].unique()))
        listed = {c for g in spec for c in g}
        unplaced = sorted(map(str, seen - listed))
        if unplaced:
            raise ValueError(
                f"the groups of {fb.name!r} do not place the categories "
                f"{unplaced[:5]} of X; every category must be in one group."
            )
        unknown = [c for g in spec for c in g if c not in seen]
        if unknown:
            raise ValueError(
                f"the category {unknown[0]!r} is not in the rows of {fb.name!r} in X."
            )
        other = tuple(c for c in fb.other if c in listed)
        new = _with_regular(fb, np.zeros((len(spec), 2)), groups=spec, other=other)
    counts = class_counts(new.assign(col.values), y01, w, new.n_bins)
    if not np.allclose(
        counts.sum(axis=0), [sum(fb.goods), sum(fb.bads)], rtol=1e-9, atol=1e-9
    ) or not np.allclose(
        counts[new.n_regular :][: len(fb.special_values) + 1],
        fb.counts()[fb.n_regular :][: len(fb.special_values) + 1],
        rtol=1e-9,
        atol=1e-9,
    ):
        raise ValueError(
            f"X and y are not the training rows of {fb.name!r}: their goods and "
            f"bads ({counts.sum(axis=0).tolist()}) differ from the fitted "
            f"({sum(fb.goods):g}, {sum(fb.bads):g})."
        )
    return new.with_counts(counts[:, 0], counts[:, 1]), pre


def edit(
    binner: StumpBinner,
    feature: Any,
    spec: Any,
    *,
    note: str,
    X: Any = None,
    y: Any = None,
    sample_weight: Any = None,
) -> StumpBinner:
    """New binner with the feature's regular bins set to ``spec`` (cuts or groups)."""
    fb = binner._feature(feature)
    where = "cuts" if fb.kind == "numeric" else "groups"
    if fb.kind == "numeric":
        spec = check_cuts(fb.name, spec, where=where)
    else:
        spec = check_groups(fb.name, spec, where=where)
    pre = binner.prebins_.get(fb.name)
    if (X is None) != (y is None):
        raise ValueError("pass both X and y (the training rows), or neither.")
    if X is not None:
        new_fb, new_pre = _from_data(binner, fb, spec, X, y, sample_weight)
        pre = new_pre or pre
    elif fb.kind == "numeric":
        new_fb = _numeric_from_prebins(fb, pre, spec)
    else:
        new_fb = _categorical_from_prebins(fb, pre, spec)
    return _replaced(binner, new_fb, pre, note)


def _replaced(
    binner: StumpBinner, fb: FeatureBins, pre: PreBins | None, note: str
) -> StumpBinner:
    name = fb.name
    new = copy.copy(binner)
    new.bins_ = {k: (fb if k == name else v) for k, v in binner.bins_.items()}
    splits = {
        str(k): v for k, v in (binner.user_splits or {}).items() if str(k) != name
    }
    splits[name] = (
        list(fb.thresholds) if fb.kind == "numeric" else [list(g) for g in fb.groups]
    )
    new.user_splits = splits
    new.notes_ = {**getattr(binner, "notes_", {}), name: note}
    new.prebins_ = dict(getattr(binner, "prebins_", {}))
    if pre is not None:
        new.prebins_[name] = pre
    new._settings_ = {**getattr(binner, "_settings_", {}), name: None}
    state = getattr(binner, "_search_state_", None)
    if state is not None:
        new._search_state_ = (*state[:3], dict(state[3]))
    new.split_bins_ = [
        {k: v for k, v in d.items() if k != name}
        for d in getattr(binner, "split_bins_", [])
    ]
    return new


def merge_bins(binner: StumpBinner, feature: Any, i: Any, j: Any) -> StumpBinner:
    """Merge two regular bins (adjacent for a numeric feature)."""
    fb = binner._feature(feature)
    i, j = sorted((check_bin(fb, i), check_bin(fb, j)))
    if i == j:
        raise ValueError(
            f"merge_bins needs two different bins of {fb.name!r}; got {i} twice."
        )
    regular = fb.counts()[: fb.n_regular]
    if fb.kind == "numeric":
        if j != i + 1:
            raise ValueError(
                f"bins {i} and {j} of the numeric feature {fb.name!r} are not "
                "adjacent; only neighbouring intervals can be merged."
            )
        cuts = fb.thresholds[:i] + fb.thresholds[i + 1 :]
        merged = merge_counts(regular, [c for c in range(1, fb.n_regular) if c != j])
        new_fb = _with_regular(fb, merged, thresholds=cuts)
    else:
        groups = list(fb.groups)
        groups[i] = groups[i] + groups[j]
        del groups[j]
        merged = np.delete(regular, j, axis=0)
        merged[i] = regular[i] + regular[j]
        new_fb = _with_regular(fb, merged, groups=tuple(groups), other=fb.other)
    labels = fb.labels()
    note = f"bins {labels[i]} and {labels[j]} merged by hand (merge_bins)."
    return _replaced(binner, new_fb, binner.prebins_.get(fb.name), note)


def split_bin(
    binner: StumpBinner,
    feature: Any,
    i: Any,
    at: Any,
    *,
    X: Any,
    y: Any,
    sample_weight: Any,
) -> StumpBinner:
    """Split regular bin ``i`` at a cut (numeric) or a set of categories."""
    fb = binner._feature(feature)
    i = check_bin(fb, i)
    label = fb.labels()[i]
    if fb.kind == "numeric":
        if (
            isinstance(at, bool)
            or not isinstance(at, int | float | np.number)
            or not math.isfinite(float(at))
        ):
            raise ValueError(
                f"at must be a finite number inside bin {i} of {fb.name!r}; got {at!r}."
            )
        edges = [-math.inf, *fb.thresholds, math.inf]
        if not edges[i] < float(at) < edges[i + 1]:
            raise ValueError(
                f"at={at!r} is not inside bin {i} {label} of {fb.name!r}; a split "
                "point must lie strictly between the bin's edges."
            )
        spec: Any = tuple(sorted((*fb.thresholds, float(at))))
    else:
        part = (
            check_groups(fb.name, [at], where="at")[0]
            if not isinstance(at, str)
            else (at,)
        )
        rest = tuple(c for c in fb.groups[i] if c not in part)
        stray = [c for c in part if c not in fb.groups[i]]
        if stray or not rest:
            raise ValueError(
                f"at must be some, not all, categories of bin {i} {label} of "
                f"{fb.name!r}; got {list(part)[:5]}."
            )
        groups = list(fb.groups)
        groups[i : i + 1] = [rest, part]
        spec = [list(g) for g in groups]
    return edit(
        binner,
        fb.name,
        spec,
        note=f"bin {label} split at {at!r} by hand (split_bin).",
        X=X,
        y=y,
        sample_weight=sample_weight,
    )


# --------------------------------------------------------------- artifacts


def _plain_params(params: dict[str, Any]) -> dict[str, Any]:
    if params.get("user_splits") is not None:
        params["user_splits"] = {
            str(k): (
                [[_plain(c) for c in g] for g in v]
                if len(v) and not isinstance(v[0], int | float | np.number)
                else [float(t) for t in v]
            )
            for k, v in params["user_splits"].items()
        }
    if params.get("feature_params") is not None:
        params["feature_params"] = {
            str(k): {
                key: (
                    [_plain(s) for s in val]
                    if key == "special_values"
                    else (val if val is None or isinstance(val, str) else _plain(val))
                )
                for key, val in over.items()
            }
            for k, over in params["feature_params"].items()
        }
    return params


def extras_payload(binner: StumpBinner) -> dict[str, Any]:
    """Pre-bins, notes and the selection state (docs/methodology.md 18)."""
    out = {
        "prebins": {k: v.to_dict() for k, v in getattr(binner, "prebins_", {}).items()},
        "notes": dict(getattr(binner, "notes_", {})),
        "weight_scale": float(getattr(binner, "weight_scale_", 1.0)),
        "squares": {  # sampling weights: per-bin sums of squares of the bins
            k: {
                "goods": [encode_float(v) for v in g2],
                "bads": [*map(encode_float, b2)],
            }
            for k, (g2, b2) in binner._squares(
                binner.bins_, getattr(binner, "_squares_", {})
            ).items()
        },
    }
    return {**out, **selection_payload(binner)}


def load_extras(binner: StumpBinner, payload: dict[str, Any]) -> None:
    """Restore :func:`extras_payload` output (absent in artifacts before 0.3)."""
    pre, notes = payload.get("prebins", {}), payload.get("notes", {})
    if not isinstance(pre, dict) or not isinstance(notes, dict):
        raise ValueError("Artifact prebins and notes must be objects.")
    binner.prebins_ = {str(k): PreBins.from_dict(v) for k, v in pre.items()}
    binner.notes_ = {str(k): str(v) for k, v in notes.items()}
    binner.weight_scale_ = decode_float(payload.get("weight_scale", 1.0))  # 1: older
    if not binner.weight_scale_ > 0:
        raise ValueError(f"Artifact weight_scale {binner.weight_scale_} is not > 0.")
    binner._settings_ = {}
    load_selection(binner, payload.get("selection"))
    bins = {
        fb.name: fb for fb in map(FeatureBins.from_dict, require(payload, "bins", list))
    }
    squares = payload.get("squares", {})  # absent before weight_kind
    if not isinstance(squares, dict) or not set(squares) <= set(bins):
        raise ValueError("Artifact squares must be an object keyed by features.")
    binner._squares_ = {
        str(k): (
            bins[k],
            np.array(
                [decode_float(v, field="squares") for v in require(sq, "goods", list)]
            ),
            np.array(
                [decode_float(v, field="squares") for v in require(sq, "bads", list)]
            ),
        )
        for k, sq in squares.items()
    }
    if any(g.size != bins[k].n_bins for k, (_, g, _) in binner._squares_.items()):
        raise ValueError("Artifact squares must have one value per bin.")


class EditsMixin:
    """The edit methods and the artifact payload of :class:`StumpBinner`."""

    bins_: dict[str, FeatureBins]
    prebins_: dict[str, PreBins]
    n_features_in_: int
    classes_: Any
    feature_names_in_: Any

    if TYPE_CHECKING:  # pragma: no cover - provided by StumpBinner

        def _feature(self, feature: str | int) -> FeatureBins: ...

        def get_params(self, deep: bool = True) -> dict[str, Any]: ...

    # ------------------------------------------------------------------ edits

    def set_cuts(
        self,
        feature: str | int,
        cuts: Sequence[Any],
        *,
        X: Any = None,
        y: Any = None,
        sample_weight: ArrayLike | None = None,
    ) -> StumpBinner:
        """A new fitted binner with this feature's regular bins set by hand.

        The other features keep their bins (no refit); the feature's bins are
        recounted from the pre-bin counts kept at fit time (:attr:`prebins_`)
        or, when a cut is not a pre-bin boundary, from ``X`` and ``y``. The
        result is recorded in ``user_splits``.

        Parameters
        ----------
        feature : str or int
            Feature name (or column index).
        cuts : list
            Numeric: strictly increasing cut points inside the training range.
            Categorical: a list of category groups covering every training
            category once.
        X, y : default=None
            The training rows (same columns as in ``fit``), needed only when
            a cut is not on a stored boundary (the error names the nearest).
        sample_weight : array-like, default=None
            The training weights, with ``X`` and ``y``.

        Returns
        -------
        StumpBinner
            A new fitted binner; ``self`` is unchanged.

        Raises
        ------
        ValueError
            An unknown feature, unsorted or duplicated cuts, a cut outside the
            data range or off the stored boundaries without ``X, y``, groups
            that miss or repeat a category, or ``X, y`` that are not the
            training rows.

        Examples
        --------
        >>> import numpy as np
        >>> from scorecard import StumpBinner
        >>> rng = np.random.default_rng(0)
        >>> x = rng.integers(0, 10, size=2000).astype(float)
        >>> y = (rng.random(2000) < 0.05 + 0.03 * x).astype(int)
        >>> binner = StumpBinner().fit(x[:, None], y)
        >>> binner.set_cuts("x0", [3, 6]).bins_["x0"].labels()[:3]
        ['[-inf, 3)', '[3, 6)', '[6, inf)']
        """
        return edit(
            cast("StumpBinner", self),
            feature,
            cuts,
            note="bins set by hand (set_cuts).",
            X=X,
            y=y,
            sample_weight=sample_weight,
        )

    def merge_bins(self, feature: str | int, i: int, j: int) -> StumpBinner:
        """A new fitted binner with regular bins ``i`` and ``j`` merged.

        Numeric features merge neighbouring intervals (``j = i + 1``);
        categorical ones any two groups. No data needed.

        Raises
        ------
        ValueError
            An unknown feature or bin, a special or missing bin, or two
            intervals that are not adjacent.
        """
        return merge_bins(cast("StumpBinner", self), feature, i, j)

    def split_bin(
        self,
        feature: str | int,
        i: int,
        at: Any,
        *,
        X: Any = None,
        y: Any = None,
        sample_weight: ArrayLike | None = None,
    ) -> StumpBinner:
        """A new fitted binner with regular bin ``i`` split.

        ``at`` is a cut strictly inside the interval (numeric) or the
        categories of the group to move to a new group placed after it
        (categorical). Counted as in :meth:`set_cuts` (``X, y`` when ``at``
        is not a stored pre-bin boundary).

        Raises
        ------
        ValueError
            An unknown feature or bin, or ``at`` outside the bin.
        """
        return split_bin(
            cast("StumpBinner", self),
            feature,
            i,
            at,
            X=X,
            y=y,
            sample_weight=sample_weight,
        )

    # -------------------------------------------------------------- artifacts

    def _to_payload(self) -> dict[str, Any]:
        """JSON-ready fitted state: parameters, bins and column names."""
        check_is_fitted(self, "bins_")
        params = self.get_params(deep=False)
        if not (
            params["random_state"] is None or isinstance(params["random_state"], int)
        ):
            raise ValueError(
                "random_state must be an int or None to save a StumpBinner as an "
                f"artifact; got {type(params['random_state']).__name__}."
            )
        cat = params["categorical_features"]
        if cat is not None and not isinstance(cat, str):
            params["categorical_features"] = [_plain(v) for v in np.ravel(cat)]
        if params["bad_value"] is not None:
            params["bad_value"] = _plain(params["bad_value"])
        if params["special_values"] is not None:
            params["special_values"] = {
                str(k): [_plain(v) for v in vals]
                for k, vals in params["special_values"].items()
            }
        names = getattr(self, "feature_names_in_", None)
        return {
            "params": _plain_params(params),
            "bins": [fb.to_dict() for fb in self.bins_.values()],
            "n_features_in": int(self.n_features_in_),
            "feature_names_in": None if names is None else [str(c) for c in names],
            "classes": [_plain(c) for c in self.classes_],
            **extras_payload(cast("StumpBinner", self)),
        }

    @classmethod
    def _from_payload(cls, payload: dict[str, Any]) -> StumpBinner:
        """Rebuild a fitted binner from :meth:`_to_payload` output."""
        params = dict(require(payload, "params", dict))
        # artifacts before 0.3 were fitted without the small-segment rule
        params.setdefault("min_bin_count", None)
        binner = cls(**params)
        load_extras(cast("StumpBinner", binner), payload)
        bins = [FeatureBins.from_dict(d) for d in require(payload, "bins", list)]
        n_features = require(payload, "n_features_in", int)
        if len(bins) != n_features:
            raise ValueError(
                f"Artifact has {len(bins)} bin definitions for {n_features} features."
            )
        names = payload.get("feature_names_in")
        if names is not None:
            if [fb.name for fb in bins] != list(names):
                raise ValueError(
                    "Artifact feature_names_in do not match the bin definitions."
                )
            binner.feature_names_in_ = np.asarray(names, dtype=object)
        binner.n_features_in_ = n_features
        binner.bins_ = {fb.name: fb for fb in bins}
        classes = require(payload, "classes", list)
        if len(classes) != 2:
            raise ValueError(f"Artifact classes must have 2 labels; got {classes}.")
        binner.classes_ = np.asarray(classes, dtype=object)
        return cast("StumpBinner", binner)
