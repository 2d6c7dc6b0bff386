"""Scorecard: stump bins -> WoE (or one-hot) -> logistic regression -> points."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from numbers import Real
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

from .._binning._binner import StumpBinner
from .._kit.artifacts import (
    ArtifactMixin,
    decode_float,
    encode_float,
    register_artifact,
    require,
)
from .._kit.compat import HasMethods, Interval, StrOptions
from .._kit.exceptions import DataConditionWarning
from .._kit.validation import (
    check_binary_target,
    check_weights,
    model_weight_kind,
)
from .._stats._auc import AUCResult, delong_auc, ks_statistic
from ._points import AdditiveScorecardMixin, score_reference_bins
from ._report import ScorecardReportMixin, woe_scorecard_sections
from ._selection import (
    FeatureSelector,
    as_selector,
    select_features,
    selector_params,
)
from ._signs import fit_sign_checked, model_weights

__all__ = ["Scorecard", "ScorecardSummary"]


@dataclass(frozen=True, eq=False, repr=False)
class ScorecardSummary:
    """Model summary of a fitted :class:`Scorecard`.

    Attributes
    ----------
    coefficients : pandas.DataFrame
        One row per model term (``const`` first): coefficient, SE, z, p-value
        and 95% CI from the statsmodels binomial GLM.
    information : pandas.DataFrame
        IV, SE, CI and p-value per feature (the binner's information table),
        with a ``in_model`` flag. With the default binner the bins were
        fitted on the training rows, so ``pvalue`` is the selection-adjusted
        permutation test and ``ci_low``/``ci_high`` the interval for the IV
        of the fitted bins on fresh data; the figures conditional on the bins
        are the ``*_conditional`` columns. ``information.attrs["inference"]``
        says what each column is.
    auc : AUCResult
        Training AUC with its DeLong SE.
    ks : float
        Training Kolmogorov-Smirnov statistic.
    n : float
        Training rows (weighted).
    feature_decisions : pandas.DataFrame
        One row per input feature: ``feature``, ``status`` ("selected",
        "constrained", "dropped"), ``step`` ("binning", "selection", "sign",
        "model") and ``reason`` (see :attr:`Scorecard.feature_decisions_`).
    notes : tuple of str
        What the figures are conditional on, the features not needed at
        scoring and, when the sign check changed the model, the training AUC
        of the unconstrained fit.
    """

    coefficients: pd.DataFrame
    information: pd.DataFrame
    auc: AUCResult
    ks: float
    n: float
    feature_decisions: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: tuple[str, ...] = ()

    @property
    def gini(self) -> float:
        """Training Gini, ``2 AUC - 1``."""
        return self.auc.gini

    def to_frame(self) -> pd.DataFrame:
        """The coefficient table."""
        return self.coefficients

    def __repr__(self) -> str:
        low, high = self.auc.ci()
        return (
            f"ScorecardSummary(n={self.n:g}, AUC={self.auc.estimate:.4f} "
            f"[{low:.4f}, {high:.4f}], Gini={self.gini:.4f}, KS={self.ks:.4f})\n"
            f"{self.coefficients.to_string()}"
            + "".join(f"\nnote: {n}" for n in self.notes)
        )


@register_artifact("Scorecard")
class Scorecard(
    ArtifactMixin,
    ScorecardReportMixin,
    AdditiveScorecardMixin,
    ClassifierMixin,
    BaseEstimator,
):
    """Points scorecard: stump bins, WoE, logistic regression and scaling.

    Parameters
    ----------
    binner : StumpBinner or None, default=None
        Unfitted binner to clone; ``None`` uses ``StumpBinner()`` (monotone
        "auto" trend).
    encoding : {"woe", "onehot"}, default="woe"
        ``"woe"``: one column per feature, its bin's WoE (one coefficient per
        feature). ``"onehot"``: one indicator per bin (the most populated bin
        of each feature is the reference).
    pdo : float, default=20
        Points to double the good:bad odds.
    base_score : float, default=600
        Score at ``base_odds``.
    base_odds : float, default=50
        Good:bad odds scoring ``base_score``.
    rounding : bool, default=False
        Round each bin's points (and the base points) to integers.
    bad_value : object, default=None
        The label of ``y`` that means bad (the event). Needed unless ``y`` is
        boolean or numeric 0/1 (then 1 is bad); with any other labels and no
        ``bad_value``, ``fit`` raises a ``ValueError`` naming the labels. The
        binner is fitted on the encoded 0/1 target.
    sign_check : {"enforce", "drop", "warn", "off"}, default="enforce"
        Keep every feature's points falling as its training risk rises.
        ``"enforce"``: the sign-constrained maximum-likelihood fit (bounded
        L-BFGS on the same likelihood: WoE coefficients ``<= 0``; one-hot
        margin steps between bins adjacent in risk ``>= 0``); a WoE feature
        held at 0 leaves the model. ``"drop"``: remove the worst wrong-sign
        feature and refit until none is left. ``"warn"``: keep them, warn,
        and never cite them as reason codes. ``"off"``: the unconstrained fit.
        See docs/methodology.md, "Sign-consistent scorecards".
    selection : FeatureSelector, dict or None, default=None
        Variable selection on the WoE columns after binning (a dict holds
        :class:`FeatureSelector` parameters). It uses this scorecard's fitted
        binner, so the selector's own ``binner`` must be None.
    refit_binner : bool, default=True
        ``True``: clone ``binner`` and fit it on ``X``. ``False``: use the
        given *fitted* binner as is (no clone, no refit), e.g. one edited by
        hand; ``X`` must have its columns. Cloning the scorecard (as
        cross-validation does) clones the binner without its fit.
    weight_kind : {"frequency", "sampling"} or None, default=None
        What ``sample_weight`` of ``fit`` means. ``"sampling"``: survey,
        inverse-probability or case-control weights; bins, coefficients and
        every figure are the same for ``w`` and ``c * w``, and the coefficient
        SEs are the linearised (sandwich) ones. ``"frequency"``: integer
        replication counts (the model-based SEs of the replicated rows).
        ``None``: the binner's ``weight_kind`` when it says one, else the
        package's rule (sampling weights, with a warning when they do not sum
        to the row count). A binner given with another kind raises.

    Attributes
    ----------
    binner_ : StumpBinner
        The fitted binner.
    bins_ : dict of str to FeatureBins
        Bins and training counts of every feature.
    bin_margins_ : dict of str to ndarray
        Contribution of each bin to the log-odds of bad.
    intercept_margin_ : float
        Intercept of the logistic regression.
    coefficients_ : pandas.DataFrame
        Coefficients with SEs, z, p-values and CIs (statsmodels GLM).
    excluded_features_ : dict of str to str
        Features left out of the model (by binning, selection or the sign
        check) and why; they have no points and are not needed at scoring.
    feature_decisions_ : pandas.DataFrame
        One row per input feature: ``feature``, ``status`` ("selected",
        "constrained": in the model with an active sign constraint,
        "dropped": not in the model), ``step`` ("binning", "selection",
        "sign", "model") and ``reason``, a sentence with the numbers.
    model_features_ : list of str
        The features with points (the columns scoring needs).
    score_bins_ : FeatureBins
        Training score deciles with good/bad counts (monitoring reference).
    classes_ : ndarray
        The two classes; ``classes_[1]`` is the event (bad).

    Notes
    -----
    ``logit P(bad) = b0 + sum_f b_f * WoE_f(x)``; with
    ``factor = pdo / ln 2`` the points of bin ``j`` of feature ``f`` are
    ``-factor * b_f * WoE_fj`` and the base points are
    ``base_score - factor * (ln(base_odds) + b0)``. Coefficient SEs come from
    the binomial GLM (model-based without weights, with frequency weights or
    with weights equal on every row; the sandwich of docs/methodology.md,
    section 14, with unequal sampling weights), and are conditional on the
    bins (the binning step is not propagated) and, for a sign-constrained
    fit, on its active set: a coefficient held at its bound has no Wald SE
    (NaN, with the reason in ``coefficients_.attrs["notes"]``).

    Examples
    --------
    >>> from scorecard.datasets import load_simucredit
    >>> data = load_simucredit()
    >>> X, y = data.drop(columns=["Status", "Race", "Gender"]), 1 - data["Status"]
    >>> card = Scorecard().fit(X, y)
    >>> round(card.summary().auc.estimate, 2)
    0.82
    >>> card.feature_decisions_.set_index("feature").loc["Balance", "step"]
    'sign'
    """

    _parameter_constraints: dict[str, Any] = {
        "binner": [HasMethods(["fit", "transform"]), None],
        "encoding": [StrOptions({"woe", "onehot"})],
        "pdo": [Interval(Real, 0, None, closed="neither")],
        "base_score": [Real],
        "base_odds": [Interval(Real, 0, None, closed="neither")],
        "rounding": ["boolean"],
        "bad_value": "no_validation",
        "sign_check": [StrOptions({"enforce", "drop", "warn", "off"})],
        "selection": [FeatureSelector, dict, None],
        "refit_binner": ["boolean"],
        "weight_kind": [StrOptions({"frequency", "sampling"}), None],
    }

    def __init__(
        self,
        *,
        binner: StumpBinner | None = None,
        encoding: Literal["woe", "onehot"] = "woe",
        pdo: float = 20,
        base_score: float = 600,
        base_odds: float = 50,
        rounding: bool = False,
        bad_value: Any = None,
        sign_check: Literal["enforce", "drop", "warn", "off"] = "enforce",
        selection: FeatureSelector | dict[str, Any] | None = None,
        refit_binner: bool = True,
        weight_kind: Literal["frequency", "sampling"] | None = None,
    ) -> None:
        self.binner = binner
        self.encoding = encoding
        self.pdo = pdo
        self.base_score = base_score
        self.base_odds = base_odds
        self.rounding = rounding
        self.bad_value = bad_value
        self.sign_check = sign_check
        self.selection = selection
        self.refit_binner = refit_binner
        self.weight_kind = weight_kind

    # ------------------------------------------------------------------- fit

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Scorecard:
        """Bin, select, fit the sign-checked logistic regression, scale to points.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Numeric and categorical features.
        y : array-like of shape (n_samples,)
            Binary target: 0/1 (1 = bad) or boolean, or any two labels with
            ``bad_value`` naming the bad one.
        sample_weight : array-like of shape (n_samples,), default=None
            Float row weights, of the kind ``weight_kind`` says.

        Returns
        -------
        self

        Raises
        ------
        ValueError
            A bad target, ``refit_binner=False`` without a fitted binner or
            with one fitted on other columns, a ``selection`` dict naming an
            unknown parameter or a threshold out of range.
        """
        self._validate_params()
        selector = as_selector(self.selection)
        frame = self._fit_frame(X)
        target = check_binary_target(y, len(frame), bad_value=self.bad_value)
        y01, classes = target.y01, target.classes
        w = check_weights(sample_weight, y01)
        weighted = sample_weight is not None
        kind = model_weight_kind(self.weight_kind, self.binner, w if weighted else None)
        self.binner_ = self._fitted_binner(frame, y01, w, kind if weighted else None)
        w, sampling = model_weights(w, kind)
        self.classes_ = classes
        self.bins_ = dict(self.binner_.bins_)
        self.feature_dtypes_ = {name: fb.kind for name, fb in self.bins_.items()}
        codes_arr = self.binner_.transform(frame)
        codes = {name: codes_arr[:, j] for j, name in enumerate(self.bins_)}
        decisions = self._binning_decisions(frame)
        candidates = [n for n in self.bins_ if n not in decisions]
        if selector is not None and candidates:
            woe = np.column_stack([self._woe(n)[codes[n]] for n in candidates])
            chosen = select_features(
                selector, self.binner_, candidates, woe, y01, w, sampling=sampling
            )
            for name, (kept, reason, _) in chosen.items():
                if not kept:
                    decisions[name] = ("dropped", "selection", reason)
            candidates = [n for n in candidates if n not in decisions]
        self._fit_model(candidates, codes, y01, w, decisions, sampling)
        margin = self.decision_function(frame)
        score = self.scaling_.score(margin)
        self.score_bins_ = score_reference_bins(score, y01, w)
        auc = delong_auc(
            y01,
            margin,
            sample_weight=w if weighted else None,
            weight_kind=kind if weighted else None,
        )
        self._training_: dict[str, Any] = {
            "auc": auc.to_dict(),
            "ks": ks_statistic(y01, margin),
            "n": float(len(y01)) if kind == "sampling" else float(w.sum()),
        }
        if self._unconstrained_margin_ is not None:
            self._training_["auc_unconstrained"] = float(
                delong_auc(y01, self._unconstrained_margin_).estimate
            )
        del self._unconstrained_margin_
        return self

    def _fitted_binner(
        self,
        frame: pd.DataFrame,
        y01: NDArray[np.int64],
        w: NDArray[np.float64],
        kind: str | None,
    ) -> Any:
        """The scorecard's binner: cloned and fitted, or a fitted one as is.

        ``kind``: the resolved kind of the weights (None without weights),
        given to a binner that takes one so that it reads them alike.
        """
        if not self.refit_binner:
            binner = self.binner
            if binner is None or not hasattr(binner, "bins_"):
                raise ValueError(
                    "refit_binner=False uses a fitted binner as is; binner must be "
                    f"a fitted StumpBinner, got {type(binner).__name__} "
                    + ("(unfitted)." if binner is not None else ".")
                )
            names = [str(n) for n in binner.bins_]
            if names != list(frame.columns):
                raise ValueError(
                    "refit_binner=False: X must have the columns of the fitted "
                    f"binner {names[:10]}; got {list(frame.columns)[:10]}."
                )
            return binner
        binner = clone(self.binner) if self.binner is not None else StumpBinner()
        if "bad_value" in binner.get_params(deep=False):
            # the binner sees the encoded 0/1 target, so it needs no label
            binner.set_params(bad_value=None)
        if kind is not None and "weight_kind" in binner.get_params(deep=False):
            binner.set_params(weight_kind=kind)
        return binner.fit(frame, y01, sample_weight=w)

    def _binning_decisions(
        self, frame: pd.DataFrame
    ) -> dict[str, tuple[str, str, str]]:
        """Features the binning left with fewer than two bins with rows."""
        out = {}
        for name, fb in self.bins_.items():
            counts = np.asarray(fb.goods) + np.asarray(fb.bads)
            if np.sum(counts > 0) >= 2:
                continue
            distinct = int(frame[name].nunique(dropna=False))
            if distinct <= 1:
                why = "constant in training (one value): no information"
            else:
                params = self.binner_.get_params(deep=False)
                why = (
                    f"{distinct} distinct values, but the binning kept one bin "
                    f"(min_bin_size={params.get('min_bin_size')}, "
                    f"monotonic_trend={params.get('monotonic_trend')!r}), so "
                    "it cannot enter the model"
                )
                note = getattr(self.binner_, "notes_", {}).get(name)
                if note:
                    why += f"; the binner: {note}"
            out[name] = ("dropped", "binning", why)
        if out:
            warnings.warn(
                "Features left out of the model (not needed at scoring): "
                f"{ {k: v[2] for k, v in out.items()} }.",
                DataConditionWarning,
                stacklevel=3,
            )
        return out

    def _woe(self, name: str) -> NDArray[np.float64]:
        return self.bins_[name].woe(self.binner_.smoothing)

    def _fit_model(
        self,
        candidates: list[str],
        codes: dict[str, NDArray[np.int64]],
        y01: NDArray[np.int64],
        w: NDArray[np.float64],
        decisions: dict[str, tuple[str, str, str]],
        sampling: bool,
    ) -> None:
        """Sign-checked GLM on the candidates; sets margins, tables, decisions.

        ``sampling``: unequal sampling weights (sandwich SEs).
        """
        bins = {n: self.bins_[n] for n in candidates}
        woes = {n: self._woe(n) for n in candidates}
        y = y01.astype(np.float64)
        fit, base, signs = fit_sign_checked(
            self.sign_check, bins, woes, self.encoding, codes, y, w, sampling=sampling
        )
        decisions.update(signs)
        self.coefficients_ = fit.coefficients
        notes = dict(fit.notes)
        if fit is not base:
            notes["(all)"] = (
                "SEs, z, p-values and intervals are conditional on the bins and "
                "on the active set of the sign constraints (the parameters held "
                "at a bound are treated as known)"
            )
        else:
            notes["(all)"] = (
                "SEs, z, p-values and intervals are conditional on the bins"
            )
        self.coefficients_.attrs["notes"] = notes
        self.intercept_margin_ = fit.intercept
        self.bin_margins_ = {
            name: np.asarray(fit.margins.get(name, np.zeros(fb.n_bins)), np.float64)
            for name, fb in self.bins_.items()
        }
        self._unconstrained_margin_: NDArray[np.float64] | None = None
        if fit is not base:
            margin = np.full(len(y), base.intercept)
            for name, m in base.margins.items():
                margin += m[codes[name]]
            self._unconstrained_margin_ = margin
        rows = []
        for name in self.bins_:
            if name in decisions:
                status, step, reason = decisions[name]
            else:
                status, step, reason = "selected", "model", self._in_model_reason(name)
            rows.append(
                {"feature": name, "status": status, "step": step, "reason": reason}
            )
        self.feature_decisions_ = pd.DataFrame(
            rows, columns=["feature", "status", "step", "reason"]
        )
        self.excluded_features_ = {
            r["feature"]: r["reason"] for r in rows if r["status"] == "dropped"
        }

    def _in_model_reason(self, name: str) -> str:
        if self.encoding == "woe":
            row = self.coefficients_.loc[name]
            return f"in the model: coefficient {row['coef']:+.3g} (SE {row['se']:.2g})"
        k = sum(1 for t in self.coefficients_.index if t.startswith(f"{name}["))
        return f"in the model: {k} bin coefficients (one-hot)"

    @property
    def model_features_(self) -> list[str]:
        """Features with points in the model (the only ones needed at scoring)."""
        check_is_fitted(self, "bin_margins_")
        return [n for n in self.bins_ if n not in self.excluded_features_]

    # --------------------------------------------------------------- reports

    def _report_sections(self, data: Any, alpha: float) -> list[Any]:
        return woe_scorecard_sections(self, data, alpha)

    def _points_table_extra(self, name: str) -> dict[str, NDArray[Any]]:
        fb = self.bins_[name]
        woe = self._woe(name)
        if self.encoding == "woe" and name in self.coefficients_.index:
            coef = np.full(fb.n_bins, self.coefficients_.loc[name, "coef"])
        else:
            coef = np.full(fb.n_bins, np.nan)
        return {"woe": woe, "coefficient": coef}

    def binning_table(self, feature: str | int, *, alpha: float = 0.05) -> pd.DataFrame:
        """Per-bin table of one feature (see :meth:`StumpBinner.binning_table`)."""
        check_is_fitted(self, "binner_")
        return self.binner_.binning_table(feature, alpha=alpha)

    def information_table(self, *, alpha: float = 0.05) -> pd.DataFrame:
        """IV with SE, CI and p-value per feature, sorted by IV."""
        check_is_fitted(self, "binner_")
        table = self.binner_.information_table(alpha=alpha)
        table["in_model"] = [f not in self.excluded_features_ for f in table.index]
        notes = dict(table.attrs.get("inference", {}))
        notes["in_model"] = "whether the feature has a coefficient in the model"
        table.attrs["inference"] = notes
        return table

    def summary(self) -> ScorecardSummary:
        """Coefficients with SEs, IV +- SE per feature, training AUC, KS, Gini.

        The summary also carries :attr:`feature_decisions_` and notes: what
        the SEs are conditional on, which features are not needed at scoring
        and, when the sign check changed the model, the training AUC of the
        unconstrained fit.
        """
        check_is_fitted(self, "coefficients_")
        auc = AUCResult(**self._training_["auc"])
        notes = [
            f"{term}: {why}" if term != "(all)" else why
            for term, why in self.coefficients_.attrs.get("notes", {}).items()
        ]
        if self.excluded_features_:
            notes.append(
                "not in the model and not needed at scoring: "
                + ", ".join(map(repr, self.excluded_features_))
            )
        if "auc_unconstrained" in self._training_:
            notes.append(
                f"sign_check={self.sign_check!r} changed the model: training AUC "
                f"{auc.estimate:.4f}, unconstrained fit "
                f"{self._training_['auc_unconstrained']:.4f}"
            )
        return ScorecardSummary(
            coefficients=self.coefficients_.copy(),
            information=self.information_table(),
            auc=auc,
            ks=float(self._training_["ks"]),
            n=float(self._training_["n"]),
            feature_decisions=self.feature_decisions_.copy(),
            notes=tuple(notes),
        )

    # -------------------------------------------------------------- artifacts

    def _to_payload(self) -> dict[str, Any]:
        payload = self._additive_payload()
        params = {k: v for k, v in self._json_params().items() if k != "binner"}
        if isinstance(params.get("selection"), FeatureSelector):
            params["selection"] = selector_params(params["selection"])
        payload["params"] = params
        payload["binner"] = self.binner_._to_payload()
        payload["coefficients"] = {
            "index": list(self.coefficients_.index),
            "columns": list(self.coefficients_.columns),
            "data": [
                [encode_float(v) for v in row] for row in self.coefficients_.to_numpy()
            ],
            "notes": dict(self.coefficients_.attrs.get("notes", {})),
        }
        payload["excluded_features"] = dict(self.excluded_features_)
        payload["feature_decisions"] = self.feature_decisions_.to_dict("list")
        payload["training"] = dict(self._training_)
        return payload

    @classmethod
    def _from_payload(cls, payload: dict[str, Any]) -> Scorecard:
        card = cls(**dict(require(payload, "params", dict)))
        card._restore_additive(payload)
        card.binner_ = StumpBinner._from_payload(require(payload, "binner", dict))
        card.binner = card.binner_ if not card.refit_binner else clone(card.binner_)
        coef = require(payload, "coefficients", dict)
        card.coefficients_ = pd.DataFrame(
            [
                [decode_float(v, field="coefficients", finite=False) for v in row]
                for row in require(coef, "data", list)
            ],
            index=pd.Index(require(coef, "index", list), name="term"),
            columns=require(coef, "columns", list),
        )
        card.coefficients_.attrs["notes"] = dict(coef.get("notes", {}))
        card.excluded_features_ = dict(require(payload, "excluded_features", dict))
        decisions = payload.get("feature_decisions")
        if decisions is None:  # artifacts written before issue 21
            decisions = {
                "feature": list(card.bins_),
                "status": [
                    "dropped" if n in card.excluded_features_ else "selected"
                    for n in card.bins_
                ],
                "step": [
                    "binning" if n in card.excluded_features_ else "model"
                    for n in card.bins_
                ],
                "reason": [card.excluded_features_.get(n, "") for n in card.bins_],
            }
        card.feature_decisions_ = pd.DataFrame(
            dict(decisions), columns=["feature", "status", "step", "reason"]
        )
        card._training_ = dict(require(payload, "training", dict))
        return card
