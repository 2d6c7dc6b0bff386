"""Reason codes of the additive scorecards (points lost against a reference).

See docs/methodology.md, "Reason codes": the reference is the feature's best
bin (``method="best"``) or its training-average points (``"average"``); only
features whose points fall as training risk rises are cited.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.utils.validation import check_is_fitted

from .._kit.exceptions import DataConditionWarning
from .._kit.spark import is_spark_dataframe

__all__ = ["ReasonCodesMixin"]

#: Points lost below this count as a tie with the reference (no reason).
_TIE_TOL = 1e-9


class ReasonCodesMixin:
    """``reason_codes`` from ``bins_``, ``bin_points`` and ``_frame``."""

    bins_: dict[str, Any]

    @property
    def model_features_(self) -> list[str]:  # pragma: no cover
        raise NotImplementedError

    def bin_points(self, feature: str) -> NDArray[np.float64]:  # pragma: no cover
        raise NotImplementedError

    def _frame(
        self, X: Any, features: list[str] | None = None
    ) -> pd.DataFrame:  # pragma: no cover
        raise NotImplementedError

    def _codes(self, frame: pd.DataFrame) -> pd.DataFrame:  # pragma: no cover
        raise NotImplementedError

    def _risk_woe(self, name: str) -> NDArray[np.float64]:
        """Training WoE of the bins of ``name`` (the risk order of its bins)."""
        binner = getattr(self, "binner_", None)
        smoothing = float(getattr(binner, "smoothing", 0.5))
        return self.bins_[name].woe(smoothing)  # type: ignore[attr-defined]

    def points_fall_with_risk(self, feature: str) -> bool:
        """Whether no bin of ``feature`` gets more points than a safer bin.

        Bins are compared by training WoE (higher = safer); bins without
        training rows and bins with equal WoE are not compared. Only such
        features are cited by :meth:`reason_codes`.
        """
        check_is_fitted(self, "bin_margins_")
        fb = self.bins_[feature]  # type: ignore[attr-defined]
        seen = np.flatnonzero((np.asarray(fb.goods) + np.asarray(fb.bads)) > 0)
        woe, pts = self._risk_woe(feature)[seen], self.bin_points(feature)[seen]
        tol = _TIE_TOL * max(1.0, float(np.abs(pts).max()) if pts.size else 1.0)
        safer = woe[:, None] > woe[None, :] + 1e-12
        return not bool(np.any(safer & (pts[:, None] < pts[None, :] - tol)))

    def reason_codes(
        self,
        X: Any,
        n: int = 4,
        method: Literal["best", "average"] = "best",
        reason_map: Mapping[Any, Any] | None = None,
    ) -> pd.DataFrame:
        """Adverse-action reasons: the features that cost each applicant most.

        For every row and feature, the points lost are the feature's
        reference points minus the points of the row's bin: ``"best"``, the
        points of the feature's best bin among bins with training rows (the
        usual US adverse-action convention); ``"average"``, the training
        average of the feature's points (weighted by the bins' training
        counts). The ``n`` features with the largest positive loss are the
        reasons, most costly first.

        Rules (docs/methodology.md, "Reason codes"): only model features whose
        points fall as training risk rises (:meth:`points_fall_with_risk`)
        are cited, never a feature left out of the model. Missing and
        special-value bins with training rows are bins like any other; a
        bin without training rows (unseen category, missing value never seen
        in training) carries no evidence and loses nothing. A loss below
        1e-9 points is a tie with the reference (no reason); equal losses
        keep the model's feature order.

        Parameters
        ----------
        X : DataFrame or array-like
            Applicants.
        n : int, default=4
            Number of reasons per applicant.
        method : {"best", "average"}, default="best"
            The reference points (see above).
        reason_map : mapping or None, default=None
            Reason texts or codes: keys ``(feature, bin)`` with ``bin`` a bin
            code or label, or a feature name (for all its bins); adds the
            columns ``reason_code_1..n``. A cited bin without an entry gets
            ``None``, with one warning.

        Returns
        -------
        pandas.DataFrame
            Columns ``reason_1..reason_n`` (feature names, ``None`` when fewer
            features lost points), ``points_lost_1..points_lost_n`` and, with
            ``reason_map``, ``reason_code_1..reason_code_n``.

        Raises
        ------
        ValueError
            ``n`` not a positive integer, an unknown ``method``, or a
            ``reason_map`` key naming an unknown feature or bin.
        """
        if not isinstance(n, int | np.integer) or isinstance(n, bool) or n < 1:
            raise ValueError(f"n must be a positive integer; got {n!r}.")
        if method not in ("best", "average"):
            raise ValueError(f"method must be 'best' or 'average'; got {method!r}.")
        mapping = self._check_reason_map(reason_map)
        if is_spark_dataframe(X):  # Spark path: lazy, other columns kept
            from ._spark import reason_codes

            return reason_codes(  # type: ignore[no-any-return]
                self, X, int(n), method=method, reason_map=reason_map
            )
        model = self.model_features_
        frame = self._frame(X, model)
        codes = self._codes(frame)
        names = [f for f in model if self.points_fall_with_risk(f)]
        lost = np.zeros((len(frame), max(len(names), 1)))
        for j, name in enumerate(names):
            fb = self.bins_[name]  # type: ignore[attr-defined]
            pts = self.bin_points(name)
            counts = np.asarray(fb.goods) + np.asarray(fb.bads)
            seen = counts > 0
            if method == "best":
                ref = pts[seen].max()
            else:
                ref = float(counts[seen] @ pts[seen] / counts[seen].sum())
            row_codes = codes[name].to_numpy()
            loss = np.where(seen[row_codes], ref - pts[row_codes], 0.0)
            lost[:, j] = np.where(loss > _TIE_TOL, loss, 0.0)
        return self._reason_frame(frame.index, names, codes, lost, int(n), mapping)

    def _check_reason_map(self, reason_map: Any) -> dict[tuple[str, int | None], Any]:
        """``{(feature, code or None): value}`` from a user reason map."""
        if reason_map is None:
            return {}
        if not isinstance(reason_map, Mapping):
            raise TypeError(
                f"reason_map must be a mapping; got {type(reason_map).__name__}."
            )
        out: dict[tuple[str, int | None], Any] = {}
        for key, value in reason_map.items():
            parts = key if isinstance(key, tuple) else (key, None)
            if len(parts) != 2:
                raise ValueError(f"reason_map key {key!r} must be (feature, bin).")
            feature, bin_ = parts
            if feature not in self.bins_:  # type: ignore[attr-defined]
                raise ValueError(
                    f"reason_map key {key!r} names an unknown feature; features are "
                    f"{list(self.bins_)[:10]}."  # type: ignore[attr-defined]
                )
            fb = self.bins_[feature]  # type: ignore[attr-defined]
            code: int | None = None
            if bin_ is not None:
                labels = fb.labels()
                if isinstance(bin_, int | np.integer) and not isinstance(bin_, bool):
                    if not 0 <= int(bin_) < fb.n_bins:
                        raise ValueError(
                            f"reason_map key {key!r}: bin code {bin_} out of range "
                            f"0..{fb.n_bins - 1} for feature {feature!r}."
                        )
                    code = int(bin_)
                elif bin_ in labels:
                    code = labels.index(bin_)
                else:
                    raise ValueError(
                        f"reason_map key {key!r} names an unknown bin of feature "
                        f"{feature!r}; bins are {labels}."
                    )
            out[(str(feature), code)] = value
        return out

    def _reason_frame(
        self,
        index: pd.Index,
        names: list[str],
        codes: pd.DataFrame,
        lost: NDArray[np.float64],
        n: int,
        mapping: dict[tuple[str, int | None], Any],
    ) -> pd.DataFrame:
        n_out = min(n, len(names))
        order = np.argsort(-lost, axis=1, kind="stable")[:, :n_out]
        top = np.take_along_axis(lost, order, axis=1)
        out: dict[str, Any] = {}
        name_arr = np.asarray(names, dtype=object)
        unmapped: set[tuple[str, str]] = set()
        for k in range(n):
            reason = np.full(len(index), None, dtype=object)
            pts = np.zeros(len(index))
            if k < n_out:
                cited = top[:, k] > 0
                reason[cited] = name_arr[order[cited, k]]
                pts = np.where(cited, top[:, k], 0.0)
            out[f"reason_{k + 1}"] = pd.Series(reason, index=index, dtype=object)
            out[f"points_lost_{k + 1}"] = pts
            if mapping:
                texts = np.full(len(index), None, dtype=object)
                for i in np.flatnonzero(pd.notna(reason)):
                    f = str(reason[i])
                    c = int(codes[f].iloc[i])
                    value = mapping.get((f, c), mapping.get((f, None)))
                    if value is None:
                        unmapped.add((f, self.bins_[f].labels()[c]))  # type: ignore[attr-defined]
                    texts[i] = value
                out[f"reason_code_{k + 1}"] = pd.Series(
                    texts, index=index, dtype=object
                )
        if unmapped:
            warnings.warn(
                f"reason_map has no entry for {len(unmapped)} cited bin(s): "
                f"{sorted(unmapped)[:10]}; their reason_code is None.",
                DataConditionWarning,
                stacklevel=3,
            )
        return pd.DataFrame(out, index=index)
