"""StumpBinner: depth-1 XGBoost binning with an exact constrained merge.

Per feature (``strategy="per_feature"``): cut the values into at most
``max_bin`` pre-bins, count weighted goods and bads per pre-bin, fit XGBoost
depth-1 stumps on the ``2K`` weighted rows of that count table (the same
splits as XGBoost hist on the raw rows with the same cuts), add the depth-1
splits grown recursively under the size floor (:func:`size_floor_cuts`), and
merge the resulting bins with the exact dynamic program of
:mod:`scorecard._binning._merge`. Missing
values and declared special values get their own bins; categories are
ordered by smoothed event rate, rare ones pooled into "Other".
"""

# size: one estimator with three fit modes (same sample, split, cross-fit) and tables
from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator, Sequence
from numbers import Integral, Real
from typing import Any, Literal

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils import ClassifierTags, check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from .._kit.artifacts import ArtifactMixin, register_artifact
from .._kit.compat import Interval, StrOptions
from .._kit.dask import is_dask_collection
from .._kit.exceptions import DataConditionWarning
from .._kit.spark import is_spark_dataframe
from .._kit.validation import (
    WeightKind,
    check_binary_target,
    check_weight_kind,
    check_weights,
    search_weight_scale,
)
from ._bins import FeatureBins, _plain
from ._columns import _RawColumn, categorical_mask, check_specials
from ._dask import fit_binner
from ._edits import EditsMixin
from ._inference import (
    recount,
    selection_inference,
    split_halves,
    stores_figures,
    take_rows,
)
from ._joint_inference import JointData, joint_selection
from ._search import SearchInputs, SummaryFit
from ._stumps import fit_joint
from ._tables import bin_squares, binning_table, inference_table, information_table
from ._userbins import (
    FeatureFit,
    PreBins,
    check_feature_params,
    check_user_splits,
    fit_feature,
)

__all__ = ["StumpBinner"]

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]
Trend = Literal["auto", "ascending", "descending", "peak", "valley"]
#: pre-bins, notes and search settings (None: bins fixed by hand) per feature
_Extras = tuple[dict[str, PreBins], dict[str, str], dict[str, dict[str, Any] | None]]

#: Parameters shared by StumpBinner and WoEEncoder.
BINNER_CONSTRAINTS: dict[str, Any] = {
    "n_rounds": [Interval(Integral, 1, None, closed="left")],
    "strategy": [StrOptions({"per_feature", "joint"})],
    "learning_rate": [Interval(Real, 0, None, closed="neither")],
    "max_bin": [Interval(Integral, 2, None, closed="left")],
    "min_bin_size": [Interval(Real, 0, 0.5, closed="both")],
    "min_category_size": [Interval(Real, 0, 0.5, closed="both"), None],
    "max_n_bins": [Interval(Integral, 1, None, closed="left"), None],
    "monotonic_trend": [
        StrOptions({"auto", "ascending", "descending", "peak", "valley"}),
        None,
    ],
    "special_values": [dict, None],
    "categorical_features": [StrOptions({"auto"}), "array-like", None],
    "smoothing": [Interval(Real, 0, None, closed="left")],
    "random_state": ["random_state"],
    "n_jobs": [Integral, None],
    "bad_value": "no_validation",
    "inference": [StrOptions({"same_sample", "split", "crossfit"})],
    "n_permutations": [Interval(Integral, 0, None, closed="left")],
    "refit": ["boolean"],
    "weight_kind": [StrOptions({"frequency", "sampling"}), None],
}


# --------------------------------------------------------------------------
# the estimator


@register_artifact("StumpBinner")
class StumpBinner(
    EditsMixin, ArtifactMixin, OneToOneFeatureMixin, TransformerMixin, BaseEstimator
):
    """Bin features with depth-1 XGBoost stumps and an exact constrained merge.

    Parameters
    ----------
    n_rounds : int, default=50
        Boosting rounds (stumps) per feature, or in total for ``"joint"``.
    strategy : {"per_feature", "joint"}, default="per_feature"
        ``"per_feature"``: one stump ensemble per feature, fitted on the
        feature's weighted pre-bin count table, so every feature's bins
        reflect its own signal. ``"joint"``: one XGBoost model over all
        features on the raw rows (as in the source paper); a feature the
        model never splits on gets one bin.
    learning_rate : float, default=0.3
        XGBoost ``eta``.
    max_bin : int, default=256
        Largest number of pre-bins of a numeric feature (quantile cuts; every
        distinct value is its own pre-bin when there are at most ``max_bin``).
        XGBoost's ``max_bin`` for ``"joint"``.
    min_bin_size : float, default=0.05
        Smallest share of the feature's rows (weighted) in a regular bin
        (interval or category group). ``0`` disables the floor.
    min_category_size : float or None, default=0.005
        Share below which a category is pooled into "Other" before the
        categories are ordered by smoothed event rate; ``None`` uses
        ``min_bin_size``. The merge enforces ``min_bin_size`` on the final
        groups anyway, so pooling at ``min_bin_size`` would throw away the
        information of every mid-sized category (on a 40-level Zipf feature
        it lost three quarters of the IV).
    max_n_bins : int or None, default=None
        Largest number of regular bins per feature.
    monotonic_trend : {"auto", None, "ascending", "descending", "peak", \
"valley"}, default="auto"
        Constraint on the event rate across the numeric regular bins (see
        :func:`scorecard._binning._merge.optimal_merge`; ``"auto"`` chooses monotone,
        or peak/valley when that is significantly better). Categorical features are
        already ordered by event rate and are merged without a trend. The
        trend is what keeps a pure-noise feature at a few bins; ``None``
        maximises the training IV without it and splits noise as finely as
        ``min_bin_size`` allows.
    special_values : dict or None, default=None
        ``{feature name: [values]}``: values (e.g. ``-999``) that get their
        own bins instead of falling into an interval or group.
    categorical_features : "auto", array-like or None, default="auto"
        ``"auto"``: pandas category, object and string columns (and
        non-numeric numpy arrays). Otherwise feature names, indices or a
        boolean mask; ``None`` treats every feature as numeric.
    smoothing : float, default=0.5
        Added to both cells of a bin with a zero cell when computing WoE
        and IV (Haldane-Anscombe); also used by the merge.
    random_state : int, RandomState or None, default=None
        Seed passed to XGBoost (depth-1 boosting without subsampling is
        deterministic, so this rarely matters).
    n_jobs : int or None, default=None
        Threads over features for ``"per_feature"`` and XGBoost threads for
        ``"joint"``; ``None`` means 1.
    bad_value : object, default=None
        The label of ``y`` that means bad (the event). Needed unless ``y`` is
        boolean or numeric 0/1 (then 1 is bad); other labels without it raise
        a ``ValueError`` naming the labels found (see
        :func:`scorecard._kit.validation.check_binary_target`).
    inference : {"same_sample", "split", "crossfit"}, default="same_sample"
        How :meth:`information_table` infers. ``"same_sample"``: bins and
        counts from all rows; the ``pvalue`` is the permutation test that
        re-runs the whole binning search (selection-adjusted) and the
        interval is for the IV of the fitted bins on fresh data, around the
        optimism-corrected ``iv_adjusted``. ``"split"``: bins chosen on one
        half of the rows (stratified by class, seeded by ``random_state``),
        IV, SE, interval and test counted on the other half. ``"crossfit"``:
        both ways round, averaged. The conditional chi-square and Wald
        figures stay in the ``*_conditional`` columns. See
        docs/methodology.md, "Inference after binning".
    n_permutations : int, default=199
        Permutations of the selection-adjusted test (and bootstrap resamples
        of ``iv_adjusted``); ``0`` leaves those columns empty (NaN).
    refit : bool, default=True
        With ``"split"``/``"crossfit"``: refit the final bins on all rows (the
        split figures then describe the bins chosen on the selection half,
        as the table's ``attrs["inference"]`` says); ``False`` (``"split"``
        only) keeps the selection half's bins as the final bins, counted on
        all rows.
    min_bin_count : float or None, default=100
        Small strong segments of features with few distinct values (at most
        ``1 / min_bin_size`` values or categories, 20 by default): a regular
        bin below ``min_bin_size`` is kept when it holds at least this many
        rows (weighted) and the binning with such bins gains significantly
        more IV than the one under ``min_bin_size`` (``n_G n_B / n`` times the
        IV gain against chi-square with the number of extra bins as degrees
        of freedom, level 0.001). Keeps e.g. a 0/1 flag whose minority is 3%
        of rows with event rates 0.9% vs 21%; noise features do not gain bins
        (measured in ``benchmarks/bench_binning.py``; :attr:`notes_` says what
        happened). ``None`` makes ``min_bin_size`` the only floor (the
        behaviour before 0.3).
    user_splits : dict or None, default=None
        Fixed bins per feature, no search: ``{numeric name: [cut points]}``
        (strictly increasing, inside the training range; bins are
        ``[-inf, t_1), ..., [t_k, inf)``) or ``{categorical name: [[cat, ...],
        ...]}`` (groups covering every training category). Special and missing
        values keep their own bins. The edit methods (:meth:`set_cuts`,
        :meth:`merge_bins`, :meth:`split_bin`) record their result here, so a
        clone refitted on the same rows gives the same bins.
    feature_params : dict or None, default=None
        Per-feature settings overriding the global ones: ``{name: {key:
        value}}`` with keys ``monotonic_trend``, ``min_bin_size``,
        ``min_bin_count``, ``max_n_bins`` and ``special_values`` (a list; not
        together with a ``special_values`` entry for the same feature).
    weight_kind : {"frequency", "sampling"} or None, default=None
        What ``sample_weight`` is. ``"frequency"``: whole-number replication
        counts (a row of weight 3 is three rows; fractional weights raise):
        the fit equals the fit on the replicated rows. ``"sampling"``: survey,
        inverse-probability or case-control weights, whose scale carries no
        information: the search runs on the weights rescaled to sum to the
        row count, so ``w`` and ``c * w`` give the same bins and the same
        :meth:`information_table` for any ``c > 0``, and the stored counts
        (``bins_``, ``prebins_``, :meth:`binning_table`) are in those row
        units (``weight_scale_`` converts them back); in memory the tables'
        conditional SEs, intervals and tests are then linearised from the
        per-bin sums of squared weights. ``None``:
        :data:`scorecard._kit.validation.WEIGHT_KIND_RULE` (read as sampling
        weights; a :class:`~scorecard.DataConditionWarning` when they do not
        sum to the row count). Weights summing to the row count are used as
        given by every kind. See docs/methodology.md section 18.

    Attributes
    ----------
    bins_ : dict of str to FeatureBins
        Bin definition and training counts of every feature, in column order.
    notes_ : dict of str to str
        Per feature, a sentence on what the fit did (bins under the floor,
        small strong segments kept or not, bins fixed by the user or edited).
    prebins_ : dict of str to PreBins
        The pre-bin count tables of the in-memory fit: the boundaries an edit
        can use without the data. Empty for Dask fits.
    split_bins_ : list of dict of str to FeatureBins
        ``inference="split"``: one dict, the bins chosen on the selection
        half counted on the estimation half; ``"crossfit"``: two (each half's
        bins counted on the other half). Empty for ``"same_sample"``.
    weight_scale_ : float
        The weight of one row in the user's units: ``sum(sample_weight) /
        n_rows`` for sampling weights (the stored counts times this are in
        the weights' own units, e.g. population totals), ``1.0`` for
        frequency weights and unweighted fits.
    classes_ : ndarray of shape (2,)
        Target labels ``[good, bad]``: ``[0, 1]`` for a 0/1 target; for other
        label pairs ``classes_[1]`` is ``bad_value``.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of str
        Column names, when ``X`` had string column names.

    See Also
    --------
    WoEEncoder : Maps each feature to the WoE of its bin.

    Notes
    -----
    Bins of a numeric feature are ``[-inf, t_1), ..., [t_k, inf)`` for the
    sorted thresholds kept by the merge. With ``"per_feature"`` the merge
    chooses among the boosted stumps' thresholds and, when ``min_bin_size``
    is positive, the cuts of :func:`size_floor_cuts`: depth-1 splits grown
    recursively so that every piece keeps the floor. Stumps place their
    thresholds without knowing the floor, and when it binds (a feature with
    75% missing values has room for only a few bins of its regular values)
    the best floor-respecting cuts were missing: the IV fell 1.4% short of
    optbinning's on such a feature. ``"joint"`` uses the joint model's
    thresholds only, as in the source paper. Codes returned by :meth:`transform`
    follow :class:`scorecard._binning._bins.FeatureBins`: regular bins, then special
    bins, the missing bin and (categorical) the unseen-category bin.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=2000)
    >>> y = (rng.random(2000) < 1 / (1 + np.exp(-2 * x))).astype(int)
    >>> binner = StumpBinner(n_rounds=20, max_n_bins=4).fit(x[:, None], y)
    >>> binner.bins_["x0"].n_regular <= 4
    True
    >>> round(float(binner.information_table()["iv"].iloc[0]), 1)
    2.5
    """

    _parameter_constraints: dict = {
        **BINNER_CONSTRAINTS,
        "min_bin_count": [Interval(Real, 1, None, closed="left"), None],
        "user_splits": [dict, None],
        "feature_params": [dict, None],
    }

    def __init__(
        self,
        *,
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
        min_bin_count: float | None = 100,
        user_splits: dict[str, Any] | None = None,
        feature_params: dict[str, dict[str, Any]] | None = None,
        weight_kind: Literal["frequency", "sampling"] | None = None,
    ) -> None:
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
        self.min_bin_count = min_bin_count
        self.user_splits = user_splits
        self.feature_params = feature_params
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
        tags.transformer_tags.preserves_dtype = []  # returns int64 bin codes
        return tags

    # ------------------------------------------------------------ validation

    def _raw_columns(self, X: Any, *, reset: bool) -> list[Any]:
        if isinstance(X, pd.DataFrame):
            validate_data(self, X, reset=reset, skip_check_array=True)
            if X.shape[0] < 1:
                raise ValueError(
                    f"Found array with 0 sample(s) (shape={X.shape}) while a "
                    "minimum of 1 is required."
                )
            return [X.iloc[:, j] for j in range(X.shape[1])]
        arr = validate_data(self, X, reset=reset, dtype=None, ensure_all_finite=False)
        return [arr[:, j] for j in range(arr.shape[1])]

    def _names(self) -> list[str]:
        if hasattr(self, "feature_names_in_"):
            return [str(c) for c in self.feature_names_in_]
        return [f"x{j}" for j in range(self.n_features_in_)]

    def _categorical_mask(self, raw: list[Any], names: list[str]) -> list[bool]:
        return categorical_mask(self.categorical_features, raw, names)

    def _columns(self, X: Any, *, reset: bool) -> list[_RawColumn]:
        raw = self._raw_columns(X, reset=reset)
        names = self._names()
        if reset:
            cat = self._categorical_mask(raw, names)
        else:
            cat = [self.bins_[n].kind == "categorical" for n in names]
        return [
            _RawColumn(name, "categorical" if is_cat else "numeric", values)
            for name, values, is_cat in zip(names, raw, cat, strict=True)
        ]

    def _specials(self, cols: list[_RawColumn]) -> dict[str, tuple[Any, ...]]:
        spec = dict(self.special_values or {})
        for name, over in check_feature_params(self.feature_params, cols).items():
            if "special_values" in over:
                if any(str(k) == name for k in spec):
                    raise ValueError(
                        f"special values of {name!r} are given twice, in "
                        "special_values and in feature_params; give them once."
                    )
                spec[name] = over["special_values"]
        return check_specials(spec or None, cols)

    # -------------------------------------------------------------------- fit

    def _fit_params(
        self, *, specials: dict[str, tuple[Any, ...]], weighted: bool
    ) -> dict[str, Any]:
        """Settings handed to the per-feature and joint fits (in memory or Dask)."""
        seed = int(
            check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        )
        return {
            "specials": specials,
            "max_bin": self.max_bin,
            "min_bin_size": self.min_bin_size,
            "min_category_size": (
                self.min_bin_size
                if self.min_category_size is None
                else self.min_category_size
            ),
            "weighted": weighted,
            "n_rounds": self.n_rounds,
            "learning_rate": self.learning_rate,
            "seed": seed,
            "max_n_bins": self.max_n_bins,
            "monotonic_trend": self.monotonic_trend,
            "smoothing": self.smoothing,
            "min_bin_count": self.min_bin_count,
            "features": {
                name: {k: v for k, v in over.items() if k != "special_values"}
                for name, over in (
                    getattr(self, "_checked_feature_params", None) or {}
                ).items()
            },
            "user_splits": getattr(self, "_checked_user_splits", None) or {},
        }

    def fit(
        self, X: Any, y: Any, sample_weight: ArrayLike | None = None
    ) -> StumpBinner:
        """Learn the bins of every feature.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Features; NaN/None mark missing values.
        y : array-like of shape (n_samples,)
            Binary target: 0 = good, 1 = bad (the event), booleans (True =
            bad), or any two labels with ``bad_value`` naming the bad one.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative row weights, used in every count; read as
            ``weight_kind`` says (sampling weights are rescaled to sum to the
            row count first).

        Returns
        -------
        self : StumpBinner

        Raises
        ------
        ValueError
            Non-binary or NaN target, labels other than 0/1 or booleans
            without ``bad_value``, a single class, infinite values, an
            all-missing column, a ``special_values`` key naming no feature,
            or fractional weights with ``weight_kind="frequency"``.
        TypeError
            Text in a numeric feature or malformed ``special_values``.

        Warns
        -----
        DataConditionWarning
            A constant feature (one bin, IV 0), a final bin with one class
            only (WoE smoothed), fewer rows than ``1 / min_bin_size``, or
            weights not summing to the row count with ``weight_kind=None``.

        Notes
        -----
        A Dask DataFrame ``X`` (with ``y`` and ``sample_weight`` as Dask
        Series partitioned alike) is binned from counts summed over its
        partitions; see :mod:`scorecard._kit.dask`.
        """
        self._checked_user_splits: dict[str, Any] | None = None
        self._checked_feature_params: dict[str, Any] | None = None
        # the selection-adjusted figures' inputs: set by the fit that runs
        self._search_state_: Any = None
        # per-bin squared weights of sampling-weight fits (in memory only)
        self._squares_: dict[str, Any] = {}
        self._split_squares_: list[dict[str, Any]] = []
        self._selection_why_: str | None = None
        if is_dask_collection(X) or is_dask_collection(y):  # Dask path
            if self.user_splits:
                raise NotImplementedError(
                    "user_splits are not supported with a Dask fit (sketched "
                    "pre-bins cannot count arbitrary cuts exactly); fit in "
                    "memory, or edit the fitted binner with X and y."
                )
            self._checked_feature_params = self.feature_params
            self.prebins_: dict[str, PreBins] = {}
            self.notes_: dict[str, str] = {}
            self._settings_: dict[str, Any] = {}
            return fit_binner(self, X, y, sample_weight)
        if is_spark_dataframe(X):  # Spark path: y, sample_weight are column names
            from ._spark import fit_binner as fit_spark

            return fit_spark(self, X, y, sample_weight)
        self._validate_params()
        for attr in ("bins_", "classes_"):
            if hasattr(self, attr):
                delattr(self, attr)
        cols = self._columns(X, reset=True)
        self._checked_user_splits = check_user_splits(self.user_splits, cols)
        self._checked_feature_params = check_feature_params(self.feature_params, cols)
        n_rows = len(cols[0])
        target = check_binary_target(y, n_rows, bad_value=self.bad_value)
        y_arr = target.y01.astype(np.float64)
        classes = (_plain(target.classes[0]), _plain(target.classes[1]))
        weighted = sample_weight is not None
        w = check_weights(sample_weight, target.y01)
        kind = check_weight_kind(self.weight_kind, w if weighted else None)
        w = self._search_weights(w, kind)
        if self.min_bin_size > 0 and n_rows * self.min_bin_size < 1:
            warnings.warn(
                f"min_bin_size={self.min_bin_size} of {n_rows} rows is less than "
                "one row, so the size floor has no effect; use at least "
                f"{int(np.ceil(1 / self.min_bin_size))} rows or a larger "
                "min_bin_size.",
                DataConditionWarning,
                stacklevel=2,
            )
        if self.inference == "crossfit" and not self.refit:
            raise ValueError(
                "refit=False keeps the selection half's bins and needs "
                "inference='split'; got inference='crossfit'."
            )
        specials = self._specials(cols)
        params = self._fit_params(specials=specials, weighted=weighted)
        names = [c.name for c in cols]
        self.split_bins_: list[dict[str, FeatureBins]] = []
        if self.inference == "same_sample":
            fitted, searches = self._fit_rows(cols, y_arr, w, params)
            if searches is not None:
                data = (y_arr, w) if weighted else None
                self._search_state_ = (searches, params, data, {})
            else:  # joint: the whole fit is re-run on permuted labels
                n_jobs = 1 if self.n_jobs is None else self.n_jobs
                joint = JointData(cols, y_arr, w, n_jobs)
                self._search_state_ = ([], params, joint, {})
            extras = self._extras
        else:
            halves = split_halves(target.y01, params["seed"])
            pairs = [halves] if self.inference == "split" else [halves, halves[::-1]]
            for select, estimate in pairs:
                sub = [
                    _RawColumn(c.name, c.kind, take_rows(c.raw, select)) for c in cols
                ]
                part, _ = self._fit_rows(sub, y_arr[select], w[select], params)
                counted, squares = {}, {}
                for c, (fb, _) in zip(cols, part, strict=True):
                    vals = _RawColumn(c.name, c.kind, take_rows(c.raw, estimate))
                    x, ye, we = vals.convert().values, y_arr[estimate], w[estimate]
                    counted[c.name] = recount(fb, x, ye, we)
                    if kind == "sampling":
                        squares[c.name] = bin_squares(counted[c.name], x, ye, we)
                self.split_bins_.append(counted)
                self._split_squares_.append(squares)
                if not self.refit:
                    fitted = [
                        (recount(fb, c.convert().values, y_arr, w), const)
                        for c, (fb, const) in zip(cols, part, strict=True)
                    ]
                    # the half's pre-bins do not add up to the all-row counts
                    extras = ({}, self._extras[1], self._extras[2])
            if self.refit:
                fitted, _ = self._fit_rows(cols, y_arr, w, params)
                extras = self._extras
        self.prebins_, self.notes_, self._settings_ = extras
        self._store_bins(names, fitted, classes, stacklevel=3)
        if kind == "sampling":
            self._keep_squares(cols, y_arr, w)
        return self

    def _search_weights(self, w: FloatArray, kind: WeightKind) -> FloatArray:
        """Sampling weights rescaled to sum to the row count (``weight_scale_``).

        Their scale carries no information, while the search's rules count
        rows (docs/methodology.md section 18); frequency weights are rows.
        """
        self.weight_scale_ = search_weight_scale(float(w.sum()), w.size, kind)
        return w / self.weight_scale_ if self.weight_scale_ != 1.0 else w

    def _keep_squares(
        self, cols: list[_RawColumn], y: FloatArray, w: FloatArray
    ) -> None:
        """Per-bin sums of squared weights of the final bins (sampling weights)."""
        self._squares_ = {
            c.name: bin_squares(self.bins_[c.name], c.convert().values, y, w)
            for c in cols
        }

    def _fit_rows(
        self,
        cols: list[_RawColumn],
        y: FloatArray,
        w: FloatArray,
        params: dict[str, Any],
    ) -> tuple[list[tuple[FeatureBins, bool]], list[SearchInputs] | None]:
        """Bins of every feature on these rows (and the search inputs)."""
        n_jobs = 1 if self.n_jobs is None else self.n_jobs
        if self.strategy == "joint":
            joint = fit_joint(cols, y, w, params, n_jobs)
            fixed = {
                j: fit_feature(c, y, w, params)
                for j, c in enumerate(cols)
                if c.name in params["user_splits"]
            }
            self._extras: _Extras = (
                {cols[j].name: f.prebins for j, f in fixed.items() if f.prebins},
                {cols[j].name: f.note for j, f in fixed.items()},
                {c.name: None for c in cols if c.name in fixed},
            )
            return [
                (fixed[j].bins, fixed[j].constant) if j in fixed else fb
                for j, fb in enumerate(joint)
            ], None
        out: list[FeatureFit] = Parallel(n_jobs=n_jobs, prefer="threads")(
            delayed(fit_feature)(col, y, w, params) for col in cols
        )
        self._extras = (
            {c.name: f.prebins for c, f in zip(cols, out, strict=True) if f.prebins},
            {c.name: f.note for c, f in zip(cols, out, strict=True)},
            {c.name: f.settings for c, f in zip(cols, out, strict=True)},
        )
        searches = [f.search for f in out]
        return [(f.bins, f.constant) for f in out], searches  # type: ignore[return-value]

    def _store_bins(
        self,
        names: list[str],
        fitted: list[tuple[FeatureBins, bool]],
        classes: tuple[Any, Any],
        *,
        stacklevel: int,
    ) -> None:
        """Set ``bins_`` and ``classes_`` (in-memory and Dask fits alike).

        Warns of constant features and of bins holding one class only. Pairs
        fitted from distributed summaries (:class:`SummaryFit`) bring their
        search inputs: they become the selection-adjusted figures' state.
        """
        if fitted and all(isinstance(f, SummaryFit) for f in fitted):
            self._keep_summary_searches(names, fitted)  # type: ignore[arg-type]
        bins: dict[str, FeatureBins] = {}
        for name, (fb, constant) in zip(names, fitted, strict=True):
            if constant:
                warnings.warn(
                    f"Feature {name!r} is constant; it gets one bin and IV 0.",
                    DataConditionWarning,
                    stacklevel=stacklevel,
                )
            g, b = np.asarray(fb.goods), np.asarray(fb.bads)
            zero = np.flatnonzero(((g + b) > 0) & ((g == 0) | (b == 0)))
            if zero.size and g.sum() > 0 and b.sum() > 0 and np.sum(g + b > 0) > 1:
                warnings.warn(
                    f"Feature {name!r} has a class with no observations in bin "
                    f"{fb.labels()[zero[0]]!r}; its WoE uses "
                    f"smoothing={self.smoothing}. Increase min_bin_size to avoid it.",
                    DataConditionWarning,
                    stacklevel=stacklevel,
                )
            logger.debug("feature %r: %d bins", name, fb.n_bins)
            bins[name] = fb
        self.bins_ = bins
        self.classes_ = np.asarray(classes, dtype=object)

    def _keep_summary_searches(
        self, names: list[str], fitted: list[SummaryFit]
    ) -> None:
        """Search state of a Dask or Spark per-feature fit (see ``_selection``)."""
        self._settings_ = {n: f.settings for n, f in zip(names, fitted, strict=True)}
        why = next((f.why for f in fitted if f.why), None)
        if why is not None:
            self._search_state_, self._selection_why_ = None, why
            return
        self._search_state_ = ([f.search for f in fitted], fitted[0].params, None, {})

    # -------------------------------------------------------------- transform

    def _iter_codes(self, X: Any) -> Iterator[tuple[str, NDArray[np.int64]]]:
        """Bin codes column by column, with warnings for neutral bins.

        Columns are converted one at a time, so no second copy of ``X`` is
        held in memory.
        """
        check_is_fitted(self, "bins_")
        for raw in self._columns(X, reset=False):
            col = raw.convert()
            fb = self.bins_[col.name]
            codes = fb.assign(col.values)
            miss = fb.missing_code
            if fb.goods[miss] + fb.bads[miss] == 0 and np.any(codes == miss):
                warnings.warn(
                    f"Feature {col.name!r} has missing values but had none in "
                    "training; they go to an empty missing bin with the neutral "
                    "WoE 0.",
                    DataConditionWarning,
                    stacklevel=3,
                )
            unseen = fb.unseen_code
            if unseen is not None and np.any(codes == unseen):
                examples = pd.unique(col.values[codes == unseen])[:5]
                warnings.warn(
                    f"Feature {col.name!r} has categories unseen in training "
                    f"({list(map(str, examples))}); they go to the unseen bin "
                    "with the neutral WoE 0.",
                    DataConditionWarning,
                    stacklevel=3,
                )
            yield col.name, codes

    def transform(self, X: Any) -> NDArray[np.int64]:
        """Bin code of every value.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Same columns as in ``fit``.

        Returns
        -------
        ndarray of int64, shape (n_samples, n_features)
            Codes as laid out by :class:`scorecard._binning._bins.FeatureBins`.

        Raises
        ------
        ValueError
            If the columns differ from ``fit`` or values are infinite.
        """
        if is_spark_dataframe(X):  # Spark path: lazy, other columns kept
            from ._spark import transform_codes

            return transform_codes(self, X)  # type: ignore[no-any-return]
        out: NDArray[np.int64] | None = None
        for j, (_, codes) in enumerate(self._iter_codes(X)):
            if out is None:
                out = np.empty((codes.size, self.n_features_in_), np.int64, order="F")
            out[:, j] = codes
        assert out is not None
        return out

    # ----------------------------------------------------------------- tables

    def _feature(self, feature: str | int) -> FeatureBins:
        check_is_fitted(self, "bins_")
        names = list(self.bins_)
        if isinstance(feature, Integral) and not isinstance(feature, bool):
            if not 0 <= int(feature) < len(names):
                raise ValueError(
                    f"feature index {feature} is out of range for {len(names)} "
                    "features."
                )
            return self.bins_[names[int(feature)]]
        if feature not in self.bins_:
            raise ValueError(
                f"feature {feature!r} is not a fitted feature; features are "
                f"{names[:10]}."
            )
        return self.bins_[str(feature)]

    def binning_table(self, feature: str | int, *, alpha: float = 0.05) -> pd.DataFrame:
        """Per-bin table of one feature with a totals row.

        Parameters
        ----------
        feature : str or int
            Feature name (or column index).
        alpha : float, default=0.05
            One minus the confidence level of the intervals.

        Returns
        -------
        DataFrame
            One row per bin code: ``bin`` label, ``count``, ``share``,
            ``goods``, ``bads``, ``event_rate``, ``woe`` (as used by the
            encoder), its ``se``, ``ci_low``/``ci_high`` and Wald ``pvalue``,
            and the ``iv`` contribution. The last row, ``"Totals"``, holds the
            counts, the IV with its delta-method SE, Wald CI and chi-square
            p-value in the ``iv``, ``se``, ``ci_*`` and ``pvalue`` columns.
        """
        fb = self._feature(feature)
        squares = self._squares(self.bins_, getattr(self, "_squares_", {}))
        return binning_table(
            fb, self.smoothing, alpha=alpha, squares=squares.get(fb.name)
        )

    def information_table(self, *, alpha: float = 0.05) -> pd.DataFrame:
        """One row per feature: IV with honest interval and test, sorted by IV.

        Parameters
        ----------
        alpha : float, default=0.05
            One minus the confidence level of the intervals.

        Returns
        -------
        DataFrame
            Indexed by feature. ``iv`` (plug-in IV of the final bins on all
            rows) and its conditional ``se``; then, by ``inference``:
            ``"same_sample"``: ``iv_adjusted`` (selection-adjusted IV of the
            fitted bins on fresh data), ``ci_low``/``ci_high`` (its
            non-central chi-square interval with selection-adjusted degrees
            of freedom) and ``pvalue`` (permutation test re-running the whole
            binning search: selection-adjusted); ``"split"``: ``iv_split``,
            ``se_split`` and the interval and test counted on the estimation
            half; ``"crossfit"``: ``iv_crossfit``, ``se_crossfit``, interval
            and test from both halves. Always ``ci_low_conditional``,
            ``ci_high_conditional``, ``pvalue_conditional`` (Wald and
            chi-square given the bins, as before 0.2), ``n_bins`` and
            ``kind``. ``table.attrs["inference"]`` says what each column is.

        Notes
        -----
        The selection-adjusted figures are computed on first use from the
        count tables kept at fit time (``n_permutations`` re-runs of the
        search per feature, no row touched without weights) and cached; Dask
        and Spark fits without weights keep the same tables (summed over the
        partitions: equal figures for the same ``random_state``), and so do
        artifacts. ``strategy="joint"``: ``pvalue`` re-runs the whole joint
        fit per permutation (global null), ``iv_adjusted`` and the interval
        are NaN. NaN, with the reason in ``attrs``, for weighted Dask or Spark
        fits, Dask joint fits, artifacts saved without the state and
        ``n_permutations=0`` (docs/methodology.md section 18).
        """
        check_is_fitted(self, "bins_")
        squares = self._squares(self.bins_, getattr(self, "_squares_", {}))
        base = information_table(
            self.bins_, self.smoothing, alpha=alpha, squares=squares
        )
        selection, why = None, None
        if self.inference == "same_sample":
            selection, why = self._selection(alpha)
        return inference_table(
            base,
            inference=self.inference,
            joint=self.strategy == "joint",
            selection=selection,
            split_bins=getattr(self, "split_bins_", []),
            split_squares=self._split_squares(),
            smoothing=self.smoothing,
            alpha=alpha,
            refit=self.refit,
            n_permutations=self.n_permutations,
            unavailable=why,
        )

    def _split_squares(self) -> list[dict[str, tuple[FloatArray, FloatArray]]]:
        """:meth:`_squares` of every ``split_bins_`` entry (empty where none)."""
        kept = getattr(self, "_split_squares_", [])
        return [
            self._squares(dict(b), kept[i] if i < len(kept) else {})
            for i, b in enumerate(getattr(self, "split_bins_", []))
        ]

    @staticmethod
    def _squares(
        bins: dict[str, FeatureBins], kept: dict[str, Any]
    ) -> dict[str, tuple[FloatArray, FloatArray]]:
        """Squared weights of the bins they were counted for (not edited since)."""
        return {
            k: (g2, b2)
            for k, (fb, g2, b2) in kept.items()
            if k in bins and bins[k] == fb
        }

    def _joint_selection(self, state: Any) -> dict[str, Any]:
        """The joint fit's permutation p-values (one run serves every alpha)."""
        _, params, data, cache = state
        settings = getattr(self, "_settings_", {})
        if not cache:
            tested = {
                k: fb for k, fb in self.bins_.items() if settings.get(k, {}) is not None
            }
            cache[0.05] = joint_selection(
                data,
                params,
                self.smoothing,
                tested,
                n_resamples=self.n_permutations,
                random_state=[params["seed"], 0],
            )
        figures = next(iter(cache.values()))
        return {k: v for k, v in figures.items() if settings.get(k, {}) is not None}

    def _selection(self, alpha: float) -> tuple[dict[str, Any] | None, str | None]:
        """Selection-adjusted figures per feature (cached), or why there are none."""
        state = getattr(self, "_search_state_", None)
        if self.n_permutations == 0:
            return None, "n_permutations=0."
        if state is None:
            why = getattr(self, "_selection_why_", None)
            return None, why or (
                "strategy='joint' on Dask input: the test re-runs the joint fit "
                "per permutation, offered in memory only."
            )
        searches, params, data, cache = state
        settings = getattr(self, "_settings_", {})
        if isinstance(data, JointData):
            return self._joint_selection(state), None
        if alpha not in cache and data is None and stores_figures(state):
            if self.strategy == "joint" and cache:  # p-values only: any alpha
                return next(iter(cache.values())), None
            return None, (
                "a weighted or joint fit loaded from an artifact keeps the "
                f"figures computed before saving (alpha in {sorted(cache)}), not "
                f"the rows to recompute them at alpha={alpha}."
            )
        if alpha not in cache:
            cache[alpha] = {
                s.name: selection_inference(
                    s,
                    {**params, **settings[s.name]},
                    self.smoothing,
                    n_resamples=self.n_permutations,
                    alpha=alpha,
                    random_state=[params["seed"], j],
                    data=data,
                )
                for j, s in enumerate(searches)
                if s is not None and settings.get(s.name, {}) is not None
            }
        # bins fixed by the user or edited after the fit: no search to re-run
        return {
            k: v
            for k, v in cache[alpha].items()
            if k in self.bins_ and settings.get(k, {}) is not None
        }, None
