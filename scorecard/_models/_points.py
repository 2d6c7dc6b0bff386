"""Additive points scorecards: the part shared by the WoE and boosted scorecards.

Both models are additive in binned features: the log-odds of the event (bad) is
``intercept + sum_f m_f[bin_f(x)]`` with one margin contribution per bin of
each feature. Points rescale the margin: with ``factor = pdo / ln 2`` and
``offset = base_score - factor * ln(base_odds)``,

    score = offset - factor * margin,

so doubling the good:bad odds adds exactly ``pdo`` points and odds of
``base_odds`` score ``base_score``.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from sklearn.utils.validation import check_is_fitted, validate_data

from .._binning._bins import FeatureBins
from .._binning._columns import check_not_datetime
from .._kit.artifacts import decode_float, encode_float, require
from .._kit.dask import is_dask_collection
from .._kit.exceptions import DataConditionWarning
from .._kit.spark import is_spark_dataframe
from .._kit.validation import check_model_columns
from .._stats._counts import count_codes
from ._reasons import ReasonCodesMixin

__all__ = ["PointsScaling", "AdditiveScorecardMixin", "score_reference_bins"]


def _as_pandas(X: Any) -> Any:
    """A polars DataFrame as pandas (names and dtypes kept); others unchanged.

    scikit-learn >= 1.9 reads a polars frame's column names but this class
    works on pandas frames: converting first keeps ``feature_names_in_`` and
    the frame's columns the same at fit and predict time.
    """
    if type(X).__module__.split(".")[0] == "polars" and hasattr(X, "to_pandas"):
        return X.to_pandas()
    return X


class PointsScaling:
    """Linear map between the bad log-odds (margin) and points.

    Parameters
    ----------
    pdo : float
        Points to double the odds.
    base_score : float
        Score at ``base_odds``.
    base_odds : float
        Good:bad odds that score ``base_score``.

    Examples
    --------
    >>> s = PointsScaling(pdo=20, base_score=600, base_odds=50)
    >>> round(float(s.score(-math.log(50))), 10)
    600.0
    >>> round(float(s.score(-math.log(100)) - s.score(-math.log(50))), 10)
    20.0
    """

    def __init__(self, pdo: float, base_score: float, base_odds: float) -> None:
        for name, value in (("pdo", pdo), ("base_odds", base_odds)):
            if not (
                isinstance(value, int | float) and math.isfinite(value) and value > 0
            ):
                raise ValueError(f"{name} must be a finite number > 0; got {value!r}.")
        if not (isinstance(base_score, int | float) and math.isfinite(base_score)):
            raise ValueError(f"base_score must be a finite number; got {base_score!r}.")
        self.factor = pdo / math.log(2)
        self.offset = base_score - self.factor * math.log(base_odds)

    def score(self, margin: ArrayLike) -> NDArray[np.float64]:
        """Points of a bad log-odds (margin)."""
        return self.offset - self.factor * np.asarray(margin, dtype=np.float64)

    def margin(self, y_score: ArrayLike) -> NDArray[np.float64]:
        """Bad log-odds of a score (inverse of :meth:`score`)."""
        return (self.offset - np.asarray(y_score, dtype=np.float64)) / self.factor


class AdditiveScorecardMixin(ReasonCodesMixin):
    """Prediction, points and reason codes from ``bins_`` and per-bin margins.

    A subclass sets, in ``fit``: ``bins_`` (dict feature -> FeatureBins),
    ``bin_margins_`` (dict feature -> ndarray of margin contributions, one per
    bin code), ``intercept_margin_`` (float), ``feature_names_in_``,
    ``n_features_in_`` and ``classes_``, and has parameters ``pdo``,
    ``base_score``, ``base_odds`` and ``rounding``.
    """

    #: What rows in an empty (unseen or untrained missing) bin receive.
    _neutral_treatment = "the neutral WoE 0 (0 points lost)"

    pdo: float
    base_score: float
    base_odds: float
    rounding: bool

    def __sklearn_tags__(self) -> Any:
        """Binary classifier taking NaN, categorical and string features."""
        tags = super().__sklearn_tags__()  # type: ignore[misc]
        tags.classifier_tags.multi_class = False
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        return tags

    # ------------------------------------------------------------------ input

    def _fit_frame(self, X: Any) -> pd.DataFrame:
        """Validate training ``X`` (sets ``n_features_in_``/``feature_names_in_``)."""
        X = _as_pandas(X)
        if isinstance(X, pd.DataFrame):
            for name in X.columns:
                check_not_datetime(X[name], str(name))
            validate_data(self, X, reset=True, skip_check_array=True)  # type: ignore[arg-type]
            if X.shape[1] == 0 or X.shape[0] < 2:
                raise ValueError(
                    f"X has shape {X.shape}; a minimum of 2 samples and 1 feature "
                    "is required."
                )
            frame = X.copy(deep=False)
            frame.columns = [str(c) for c in X.columns]
            return frame
        arr = validate_data(
            self,  # type: ignore[arg-type]
            X,
            reset=True,
            dtype=None,
            ensure_all_finite="allow-nan",
            ensure_min_samples=2,
        )
        if arr.dtype.kind in "iub":
            arr = arr.astype(np.float64)
        return pd.DataFrame(arr, columns=[f"x{i}" for i in range(arr.shape[1])])

    @property
    def model_features_(self) -> list[str]:
        """Features with points in the model (the columns scoring needs)."""
        check_is_fitted(self, "bin_margins_")
        return list(self.bins_)  # type: ignore[attr-defined]

    def _frame(self, X: Any, features: list[str] | None = None) -> pd.DataFrame:
        """Check ``X`` at prediction time; the columns ``features`` (default all).

        Fitted features outside ``features`` may be absent; columns that are
        no fitted feature at all are ignored with one warning.
        """
        check_is_fitted(self, "bin_margins_")
        known = list(self.bins_)  # type: ignore[attr-defined]
        names = known if features is None else list(features)
        X = _as_pandas(X)
        if isinstance(X, pd.DataFrame):
            columns = [str(c) for c in X.columns]
            shown = [c for c in columns if c in names or c not in known]
            check_model_columns(names, shown, stacklevel=4)
            frame = X.copy(deep=False)
            frame.columns = columns
            if hasattr(self, "feature_names_in_") and set(known) <= set(columns):
                validate_data(self, frame[known], reset=False, skip_check_array=True)  # type: ignore[arg-type]
            frame = frame[names]
        else:
            arr = validate_data(
                self,  # type: ignore[arg-type]
                X,
                reset=False,
                dtype=None,
                ensure_all_finite="allow-nan",
            )
            frame = pd.DataFrame(arr, columns=known)[names]
        if len(frame) == 0:
            raise ValueError("X has 0 rows; at least one row is required.")
        for name in names:
            check_not_datetime(frame[name], name)
        return frame

    def transform_bins(self, X: Any) -> pd.DataFrame:
        """Bin code of every feature (DataFrame of int64, one column per feature).

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Raw features (extra columns are ignored with a warning).

        Returns
        -------
        pandas.DataFrame
            A lazy Dask DataFrame for a Dask DataFrame ``X``.
        """
        if is_spark_dataframe(X):  # Spark path: lazy, other columns kept
            from ._spark import transform_bins as spark_transform_bins

            return spark_transform_bins(self, X)  # type: ignore[no-any-return]
        if is_dask_collection(X):  # Dask path: map_partitions
            from ._dask import transform_bins

            return transform_bins(self, X)
        frame = self._frame(X)
        return self._codes(frame)

    def _codes(self, frame: pd.DataFrame) -> pd.DataFrame:
        codes = {}
        for name in frame.columns:
            fb = self.bins_[name]  # type: ignore[attr-defined]
            c = self._assign(name, fb, frame[name])
            if fb.unseen_code is not None and np.any(c == fb.unseen_code):
                n_unseen = int(np.sum(c == fb.unseen_code))
                warnings.warn(
                    f"Feature {name!r}: {n_unseen} row(s) with categories unseen in "
                    f"training get {self._neutral_treatment}.",
                    DataConditionWarning,
                    stacklevel=4,
                )
            if not self._has_training_missing(fb) and np.any(c == fb.missing_code):
                warnings.warn(
                    f"Feature {name!r}: {int(np.sum(c == fb.missing_code))} missing "
                    "value(s), but training had none; they get "
                    f"{self._neutral_treatment}.",
                    DataConditionWarning,
                    stacklevel=4,
                )
            codes[name] = c
        return pd.DataFrame(codes, index=frame.index)

    @staticmethod
    def _has_training_missing(fb: FeatureBins) -> bool:
        return (fb.goods[fb.missing_code] + fb.bads[fb.missing_code]) > 0

    def _assign(self, name: str, fb: FeatureBins, series: pd.Series) -> Any:
        """Bin codes of one feature; rejects datetimes and infinite values.

        Scoring and monitoring (:meth:`assign_bins`) share this check, so
        ``inf`` is rejected by fit, score and monitor alike.
        """
        check_not_datetime(series, name)
        values = self._prepare_values(name, series)
        codes = fb.assign(values)
        if fb.kind == "numeric" and np.isinf(fb._numeric(values)).any():
            raise ValueError(
                f"Feature {name!r} has infinite values; replace them or mark "
                "them missing."
            )
        return codes

    def _prepare_values(self, name: str, values: pd.Series) -> Any:
        """Hook: values fed to ``FeatureBins.assign`` (identity by default)."""
        return values

    def assign_bins(self, feature: str, values: Any) -> NDArray[np.int64]:
        """Bin codes of ``values`` of one feature, exactly as scoring bins them.

        Parameters
        ----------
        feature : str
            A model feature (a key of ``bins_``).
        values : Series or array-like
            Raw values of that feature.

        Returns
        -------
        ndarray of int64
            Codes in the order of ``bins_[feature]`` (regular, special,
            missing bins).
        """
        check_is_fitted(self, "bin_margins_")
        series = values if isinstance(values, pd.Series) else pd.Series(values)
        codes = self._assign(feature, self.bins_[feature], series)  # type: ignore[attr-defined]
        return np.asarray(codes, dtype=np.int64)

    # ------------------------------------------------------------- prediction

    def _margin_parts(self, frame: pd.DataFrame) -> pd.DataFrame:
        codes = self._codes(frame)
        return pd.DataFrame(
            {
                name: self.bin_margins_[name][codes[name].to_numpy()]  # type: ignore[attr-defined]
                for name in codes.columns
            },
            index=frame.index,
        )

    def decision_function(self, X: Any) -> NDArray[np.float64]:
        """Log-odds of the event (bad, ``classes_[1]``) for every row.

        A lazy Dask Series for a Dask DataFrame ``X``.
        """
        if is_spark_dataframe(X):  # Spark path: lazy, other columns kept
            from ._spark import decision_function as spark_decision_function

            return spark_decision_function(self, X)  # type: ignore[no-any-return]
        if is_dask_collection(X):  # Dask path: map_partitions
            from ._dask import decision_function

            return decision_function(self, X)
        parts = self._margin_parts(self._frame(X, self.model_features_))
        return self.intercept_margin_ + parts.to_numpy().sum(axis=1)  # type: ignore[attr-defined]

    def predict_proba(self, X: Any) -> NDArray[np.float64]:
        """Probabilities of ``classes_`` (column 1 is the event, bad)."""
        margin = self.decision_function(X)
        p_bad = 1.0 / (1.0 + np.exp(-margin))
        return np.column_stack([1.0 - p_bad, p_bad])

    def predict(self, X: Any) -> NDArray[Any]:
        """Class with the higher probability (threshold 0.5)."""
        margin = self.decision_function(X)
        return self.classes_[(margin > 0).astype(int)]  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ points

    @property
    def scaling_(self) -> PointsScaling:
        """The points scaling of the fitted parameters."""
        return PointsScaling(self.pdo, self.base_score, self.base_odds)

    def bin_points(self, feature: str) -> NDArray[np.float64]:
        """Points of each bin of ``feature``, in the order of ``bins_[feature]``.

        Parameters
        ----------
        feature : str
            A model feature (a key of ``bins_``).

        Returns
        -------
        ndarray of shape (n_bins,)
            Rounded when ``rounding`` is on.
        """
        check_is_fitted(self, "bin_margins_")
        name = feature
        pts = -self.scaling_.factor * self.bin_margins_[name]  # type: ignore[attr-defined]
        return np.round(pts) if self.rounding else pts

    def base_points(self) -> float:
        """Points every applicant starts with (the intercept's share)."""
        check_is_fitted(self, "bin_margins_")
        pts = float(self.scaling_.score(self.intercept_margin_))  # type: ignore[attr-defined]
        return float(round(pts)) if self.rounding else pts

    def predict_score(self, X: Any) -> NDArray[np.float64]:
        """Scorecard points of every row (higher is lower risk).

        Unrounded points equal ``offset - factor * decision_function(X)``;
        with ``rounding=True`` each bin's points are rounded to integers.
        For a Dask DataFrame ``X`` the result is a lazy Dask Series
        (``map_partitions``).
        """
        if is_spark_dataframe(X):  # Spark path: lazy, other columns kept
            from ._spark import predict_score as spark_predict_score

            return spark_predict_score(self, X)  # type: ignore[no-any-return]
        if is_dask_collection(X):  # Dask path: map_partitions
            from ._dask import predict_score

            return predict_score(self, X)
        frame = self._frame(X, self.model_features_)
        codes = self._codes(frame)
        total = np.full(len(frame), self.base_points())
        for name in codes.columns:
            total += self.bin_points(name)[codes[name].to_numpy()]
        return total

    def points_table(self) -> pd.DataFrame:
        """Feature, bin, label, reference counts, margin and points per bin."""
        check_is_fitted(self, "bin_margins_")
        rows = []
        for name, fb in self.bins_.items():  # type: ignore[attr-defined]
            labels = fb.labels()
            pts = self.bin_points(name)
            extra = self._points_table_extra(name)
            for code in range(fb.n_bins):
                row = {
                    "feature": name,
                    "bin": code,
                    "label": labels[code],
                    "count": fb.goods[code] + fb.bads[code],
                    **{k: v[code] for k, v in extra.items()},
                    "margin": self.bin_margins_[name][code],  # type: ignore[attr-defined]
                    "points": pts[code],
                }
                rows.append(row)
        table = pd.DataFrame(rows)
        base = {"feature": "(base)", "bin": -1, "label": "base points", "count": np.nan}
        base.update({"margin": self.intercept_margin_, "points": self.base_points()})  # type: ignore[attr-defined]
        return pd.concat([pd.DataFrame([base]), table], ignore_index=True)

    def _points_table_extra(self, name: str) -> dict[str, NDArray[Any]]:
        """Hook: extra per-bin columns of the points table (e.g. WoE)."""
        return {}

    # -------------------------------------------------------------- artifacts

    def _json_params(self) -> dict[str, Any]:
        """``get_params(deep=False)`` with NumPy scalars (a ``bad_value``) as Python."""
        params = self.get_params(deep=False)  # type: ignore[attr-defined]
        return {
            k: v.item() if isinstance(v, np.generic) else v for k, v in params.items()
        }

    def _additive_payload(self) -> dict[str, Any]:
        check_is_fitted(self, "bin_margins_")
        return {
            "params": self._json_params(),
            "feature_names_in": list(self.bins_),  # type: ignore[attr-defined]
            "has_feature_names": hasattr(self, "feature_names_in_"),
            "feature_dtypes": dict(self.feature_dtypes_),  # type: ignore[attr-defined]
            "classes": [c.item() if hasattr(c, "item") else c for c in self.classes_],  # type: ignore[attr-defined]
            "bins": [fb.to_dict() for fb in self.bins_.values()],  # type: ignore[attr-defined]
            "bin_margins": {
                k: [encode_float(v) for v in m]
                for k, m in self.bin_margins_.items()  # type: ignore[attr-defined]
            },
            "intercept_margin": encode_float(self.intercept_margin_),  # type: ignore[attr-defined]
            "score_bins": self.score_bins_.to_dict(),  # type: ignore[attr-defined]
        }

    def _restore_additive(self, payload: dict[str, Any]) -> None:
        names = [str(n) for n in require(payload, "feature_names_in", list)]
        if require(payload, "has_feature_names", bool):
            self.feature_names_in_ = np.asarray(names, dtype=object)
        self.n_features_in_ = len(names)
        self.feature_dtypes_ = dict(require(payload, "feature_dtypes", dict))
        self.classes_ = np.asarray(require(payload, "classes", list))
        bins = [FeatureBins.from_dict(d) for d in require(payload, "bins", list)]
        self.bins_ = {fb.name: fb for fb in bins}
        if list(self.bins_) != names:
            raise ValueError(
                "Artifact field 'bins' must list the features of 'feature_names_in' "
                "in the same order."
            )
        margins = require(payload, "bin_margins", dict)
        self.bin_margins_ = {}
        for name, fb in self.bins_.items():
            values = np.array(
                [
                    decode_float(v, field=f"bin_margins.{name}")
                    for v in margins.get(name, [])
                ]
            )
            if values.shape != (fb.n_bins,):
                raise ValueError(
                    f"Artifact field 'bin_margins.{name}' must have {fb.n_bins} "
                    f"values; got {values.size}."
                )
            self.bin_margins_[name] = values
        self.intercept_margin_ = decode_float(
            require(payload, "intercept_margin", (int, float, str)),
            field="intercept_margin",
        )
        self.score_bins_ = FeatureBins.from_dict(require(payload, "score_bins", dict))


def score_reference_bins(
    score: NDArray[np.float64],
    y: NDArray[np.int64],
    sample_weight: NDArray[np.float64] | None,
    n_bins: int = 10,
) -> FeatureBins:
    """Decile bins of the training score with their good/bad counts.

    Monitoring compares the score distribution of new batches with these
    reference counts (score PSI), and reports bad rates by score band.

    A points score takes few distinct values, so a decile often falls on one
    of them; each threshold is therefore moved to the midpoint below the
    first score value at or above the decile. The bands are the same, and a
    score recomputed later with a rounding difference cannot change band.
    """
    values = np.unique(score)
    deciles = np.quantile(score, np.linspace(0, 1, n_bins + 1)[1:-1])
    above = np.unique(np.searchsorted(values, deciles, side="left"))
    above = above[(above > 0) & (above < values.size)]
    # Midpoints of score values a few ulps apart can round to the same float.
    qs = np.unique((values[above - 1] + values[above]) / 2)
    fb = FeatureBins(
        name="score",
        kind="numeric",
        thresholds=tuple(float(q) for q in qs),
        goods=(0.0,) * (len(qs) + 2),
        bads=(0.0,) * (len(qs) + 2),
    )
    codes = fb.assign(score)
    counts = count_codes(
        codes, y, n_bins=fb.n_bins, n_classes=2, sample_weight=sample_weight
    )[0]
    return fb.with_counts(counts[:, 0], counts[:, 1])
