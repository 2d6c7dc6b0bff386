"""WoEEncoder: replace each feature by the weight of evidence of its bin."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, TypeGuard

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from sklearn.base import (
    BaseEstimator,
    OneToOneFeatureMixin,
    TransformerMixin,
    clone,
)
from sklearn.utils import ClassifierTags
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from .._binning._binner import BINNER_CONSTRAINTS, StumpBinner, Trend
from .._kit.artifacts import ArtifactMixin, register_artifact, require
from .._kit.dask import frame_and_meta, is_dask_collection
from .._kit.spark import is_spark_dataframe
from ._dask import woe_transform
from ._points import _as_pandas

__all__ = ["WoEEncoder"]


def is_fitted_binner(binner: Any) -> TypeGuard[StumpBinner]:
    """Whether a given ``binner`` parameter is used as is (it is fitted)."""
    return binner is not None and hasattr(binner, "bins_")


def fit_binner(
    binner: Any,
    defaults: dict[str, Any],
    X: Any,
    y: Any,
    sample_weight: Any,
    **params: Any,
) -> Any:
    """Fit a clone of an unfitted ``binner`` (``None``: ``StumpBinner(**defaults)``).

    ``params`` are set on the clone before the fit; the estimator's own
    ``binner`` parameter is never changed. Shared by :class:`WoEEncoder` and
    :class:`FeatureSelector`, which build their binner the same way.
    """
    template = binner if binner is not None else StumpBinner(**defaults)
    fitted = clone(template)
    if params:
        fitted.set_params(**params)
    fitted.fit(X, y, sample_weight=sample_weight)
    return fitted


def _checked(X: Any) -> Any:
    """Array input as a 2-D array (DataFrames pass through; polars as pandas)."""
    X = _as_pandas(X)
    if isinstance(X, pd.DataFrame):
        return X
    return check_array(X, dtype=None, ensure_all_finite=False)


@register_artifact("WoEEncoder")
class WoEEncoder(ArtifactMixin, OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Map every feature to the weight of evidence of its stump bin.

    Parameters
    ----------
    binner : StumpBinner or None, default=None
        A fitted binner is used as is (``fit`` then only checks the columns);
        an unfitted one is cloned and fitted. ``None`` fits a
        :class:`StumpBinner` with the parameters below, which are ignored
        when ``binner`` is given.
    n_rounds, strategy, learning_rate, max_bin, min_bin_size, \
min_category_size, max_n_bins, \
monotonic_trend, special_values, categorical_features, smoothing, \
random_state, n_jobs, bad_value, inference, n_permutations, refit, \
weight_kind
        As in :class:`StumpBinner` (same defaults); ``bad_value`` names the
        label of ``y`` that means bad, needed unless ``y`` is boolean or
        numeric 0/1, and is forwarded to the binner. ``inference`` chooses
        how :meth:`information_table` infers after binning (selection-adjusted
        on the same sample, sample split or cross-fit; see
        docs/methodology.md, "Inference after binning"). ``weight_kind``
        says what ``sample_weight`` is (frequency counts, or sampling weights
        whose scale the bins ignore).

    Attributes
    ----------
    binner_ : StumpBinner
        The fitted binner.
    woe_ : dict of str to ndarray
        WoE of every bin code of every feature (good/bad orientation:
        positive means lower risk). Missing and special values use their
        bins' training WoE; bins with no training rows (missing values never
        seen in training, unseen categories) use the neutral 0, with a
        warning at transform time.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of str
        Column names, when ``X`` had string column names.

    See Also
    --------
    StumpBinner : The binning and its tables.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(1000, 2))
    >>> y = (rng.random(1000) < 1 / (1 + np.exp(-2 * x[:, 0]))).astype(int)
    >>> enc = WoEEncoder(n_rounds=10).fit(x, y)
    >>> enc.transform(x).shape
    (1000, 2)
    >>> list(enc.get_feature_names_out())
    ['x0', 'x1']
    """

    _parameter_constraints: dict = {
        "binner": [StumpBinner, None],
        **BINNER_CONSTRAINTS,
    }

    def __init__(
        self,
        *,
        binner: StumpBinner | None = None,
        n_rounds: int = 50,
        strategy: Literal["per_feature", "joint"] = "per_feature",
        learning_rate: float = 0.3,
        max_bin: int = 256,
        min_bin_size: float = 0.05,
        min_category_size: float | None = 0.005,
        max_n_bins: int | None = None,
        monotonic_trend: Trend | None = "auto",
        special_values: dict[str, Sequence[Any]] | None = None,
        categorical_features: Any = "auto",
        smoothing: float = 0.5,
        random_state: int | np.random.RandomState | None = None,
        n_jobs: int | None = None,
        bad_value: Any = None,
        inference: Literal["same_sample", "split", "crossfit"] = "same_sample",
        n_permutations: int = 199,
        refit: bool = True,
        weight_kind: Literal["frequency", "sampling"] | None = None,
    ) -> None:
        self.binner = binner
        self.n_rounds = n_rounds
        self.strategy = strategy
        self.learning_rate = learning_rate
        self.max_bin = max_bin
        self.min_bin_size = min_bin_size
        self.min_category_size = min_category_size
        self.max_n_bins = max_n_bins
        self.monotonic_trend = monotonic_trend
        self.special_values = special_values
        self.categorical_features = categorical_features
        self.smoothing = smoothing
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.bad_value = bad_value
        self.inference = inference
        self.n_permutations = n_permutations
        self.refit = refit
        self.weight_kind = weight_kind

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.target_tags.required = True
        # The target is binary (0 good / 1 bad): this makes sklearn's checks
        # draw binary targets; the estimator stays a transformer.
        tags.classifier_tags = ClassifierTags(multi_class=False)
        return tags

    def _binner_params(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in BINNER_CONSTRAINTS}

    def fit(
        self, X: Any, y: Any = None, sample_weight: ArrayLike | None = None
    ) -> WoEEncoder:
        """Fit the binner (unless a fitted one was given) and the WoE tables.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Features.
        y : array-like of shape (n_samples,)
            Binary target, 0 = good, 1 = bad (or booleans, or two labels with
            ``bad_value``). Not needed with a fitted binner.
        sample_weight : array-like of shape (n_samples,), default=None
            Float row weights.

        Returns
        -------
        self : WoEEncoder

        Raises
        ------
        ValueError
            As :meth:`StumpBinner.fit`; also when ``X`` does not match the
            columns of a given fitted binner.
        """
        self._validate_params()
        if is_dask_collection(X):  # the binner fits on the partitions
            X, columns = frame_and_meta(X, "WoEEncoder.fit")
        elif is_spark_dataframe(X):  # y, sample_weight: column names of X
            from ._spark import spark_meta

            columns = spark_meta(X, y, sample_weight, "WoEEncoder.fit")
        else:
            X = columns = _checked(X)
        if is_fitted_binner(self.binner):
            binner = self.binner
            validate_data(self, columns, reset=True, skip_check_array=True)
            names = getattr(binner, "feature_names_in_", None)
            own = getattr(self, "feature_names_in_", None)
            if binner.n_features_in_ != self.n_features_in_ or (
                (names is None) != (own is None)
                or (names is not None and own is not None and list(names) != list(own))
            ):
                raise ValueError(
                    "X does not match the columns of the given fitted binner: "
                    f"expected {binner.n_features_in_} features "
                    f"{list(binner.bins_)[:10]}, got {self.n_features_in_}."
                )
        else:
            if y is None:
                raise ValueError(
                    "WoEEncoder requires y to be passed, but the target y is None "
                    "(y may be omitted only with a fitted binner)."
                )
            # bad_value is forwarded to a given binner too
            forwarded = {} if self.bad_value is None else {"bad_value": self.bad_value}
            binner = fit_binner(
                self.binner, self._binner_params(), X, y, sample_weight, **forwarded
            )
            validate_data(self, columns, reset=True, skip_check_array=True)
        self.binner_ = binner
        self.woe_ = {
            name: fb.woe(binner.smoothing) for name, fb in binner.bins_.items()
        }
        return self

    def transform(self, X: Any) -> NDArray[np.float64]:
        """WoE of the bin of every value.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Same columns as in ``fit``.

        Returns
        -------
        ndarray of float64, shape (n_samples, n_features)
            For a Dask DataFrame ``X``: a lazy Dask DataFrame of the same
            values, one partition per partition of ``X``.

        Raises
        ------
        ValueError
            If the columns differ from ``fit`` or values are infinite.
        """
        if is_dask_collection(X):  # Dask path: map_partitions
            return woe_transform(self, X)
        if is_spark_dataframe(X):  # Spark path: lazy, other columns kept
            from ._spark import woe_transform as spark_woe

            return spark_woe(self, X)  # type: ignore[no-any-return]
        check_is_fitted(self, "woe_")
        X = _checked(X)
        validate_data(self, X, reset=False, skip_check_array=True)
        out: NDArray[np.float64] | None = None
        for j, (name, codes) in enumerate(self.binner_._iter_codes(X)):
            if out is None:
                out = np.empty((codes.size, self.n_features_in_), order="F")
            out[:, j] = self.woe_[name][codes]
        assert out is not None
        return out

    def binning_table(self, feature: str | int, *, alpha: float = 0.05) -> Any:
        """Per-bin table of one feature (see :meth:`StumpBinner.binning_table`)."""
        check_is_fitted(self, "woe_")
        return self.binner_.binning_table(feature, alpha=alpha)

    def information_table(self, *, alpha: float = 0.05) -> Any:
        """IV per feature (see :meth:`StumpBinner.information_table`)."""
        check_is_fitted(self, "woe_")
        return self.binner_.information_table(alpha=alpha)

    # -------------------------------------------------------------- artifacts

    def _to_payload(self) -> dict[str, Any]:
        """JSON-ready fitted state: the fitted binner (its parameters and bins)."""
        check_is_fitted(self, "woe_")
        return {"binner": self.binner_._to_payload()}

    @classmethod
    def _from_payload(cls, payload: dict[str, Any]) -> WoEEncoder:
        """Rebuild a fitted encoder; its parameters are the binner's."""
        binner = StumpBinner._from_payload(require(payload, "binner", dict))
        # the binner's own parameters (user_splits, ...) are not the encoder's
        params = binner.get_params(deep=False)
        encoder = cls(**{k: v for k, v in params.items() if k in BINNER_CONSTRAINTS})
        encoder.binner_ = binner
        encoder.n_features_in_ = binner.n_features_in_
        if hasattr(binner, "feature_names_in_"):
            encoder.feature_names_in_ = binner.feature_names_in_
        encoder.woe_ = {
            name: fb.woe(binner.smoothing) for name, fb in binner.bins_.items()
        }
        return encoder
