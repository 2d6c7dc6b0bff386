"""The frontier plot (matplotlib, imported on first use) and other models' points."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.utils.validation import check_is_fitted

from scorecard import DataConditionWarning, delong_auc
from scorecard._kit.intervals import z_critical

from .._groups import assess
from ._program import worst_air

FloatArray = NDArray[np.float64]

#: Columns of :meth:`_PlotMixin.model_points`.
MODEL_POINT_COLUMNS = (
    "label",
    "auc",
    "auc_ci_low",
    "auc_ci_high",
    "air",
    "air_low",
    "air_high",
)


class _PlotMixin:
    """``plot``: the held-out frontier with error bars."""

    frontier_: pd.DataFrame
    alpha: float
    approval_rate: float
    reference_group_: str
    _valid_data: tuple[Any, Any, Any]

    def held_out_groups(self) -> pd.Series:  # pragma: no cover - the estimator's
        raise NotImplementedError

    def model_points(self, models: Sequence[tuple[Any, ...]]) -> pd.DataFrame:
        """Held-out AUC and AIR of other models, measured as the frontier's points.

        Parameters
        ----------
        models : sequence of tuples
            Each ``(label, fitted_model)`` or ``(label, auc, air)``. A fitted
            model (e.g. a :class:`fairness.FairBoostedScorecard` or a
            :class:`fairness.DCovLogisticRegression` fitted on the frontier's
            feature columns) is scored on the frontier's held-out rows
            (``predict_score``, higher is better, or else minus the event
            probability of ``predict_proba``): its DeLong AUC and the smallest
            adverse impact ratio against the frontier's reference group at its
            ``approval_rate``, with the frontier's ``alpha``, exactly as the
            frontier's own points. Numbers are taken as given (no intervals).

        Returns
        -------
        pandas.DataFrame
            Columns ``label``, ``auc``, ``auc_ci_low``, ``auc_ci_high``,
            ``air``, ``air_low``, ``air_high``.

        Raises
        ------
        ValueError
            An entry that is neither form.
        """
        check_is_fitted(self, "frontier_")
        rows = []
        for entry in models:
            if not isinstance(entry, tuple) or len(entry) not in (2, 3):
                raise ValueError(
                    "models must hold (label, fitted_model) or (label, auc, air) "
                    f"tuples; got {entry!r}."
                )
            if len(entry) == 3:
                label, auc, air = entry
                rows.append({"label": str(label), "auc": float(auc), "air": float(air)})
                continue
            label, model = entry
            rows.append({"label": str(label), **self._held_out_metrics(model)})
        return pd.DataFrame(rows, columns=list(MODEL_POINT_COLUMNS))

    def _held_out_metrics(self, model: Any) -> dict[str, float]:
        Xv, yv, _ = self._valid_data
        if hasattr(model, "predict_score"):
            score = np.asarray(model.predict_score(Xv), dtype=np.float64)
        elif hasattr(model, "predict_proba"):
            score = -np.asarray(model.predict_proba(Xv), dtype=np.float64)[:, 1]
        else:
            raise ValueError(
                "models: a fitted model needs predict_score or predict_proba; got "
                f"{type(model).__name__}."
            )
        groups = self.held_out_groups()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataConditionWarning)
            auc = delong_auc(yv, score, higher="good")
            res = assess(
                yv,
                score,
                sensitive_features=groups,
                approval_rate=self.approval_rate,
                reference_group=f"{groups.name}={self.reference_group_}",
                alpha=self.alpha,
            )
        low, high = auc.ci(self.alpha)
        air, air_low, air_high, _ = worst_air(res)
        return {
            "auc": float(auc.estimate),
            "auc_ci_low": float(low),
            "auc_ci_high": float(high),
            "air": air,
            "air_low": air_low,
            "air_high": air_high,
        }

    def plot(
        self,
        ax: Any = None,
        *,
        x: str = "air",
        y: str = "auc",
        lambda_path: pd.DataFrame | None = None,
        label: str = "MIP frontier",
        show_dominated: bool = False,
        models: Sequence[tuple[Any, ...]] | None = None,
    ) -> Any:
        """Plot the held-out frontier with error bars.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        x, y : str, default="air", "auc"
            Columns of :attr:`frontier_` on the axes. Error bars use
            ``{col}_low``/``{col}_high`` columns, or ``{col}_se`` (+- z SE at
            the frontier's ``alpha``), when present.
        lambda_path : pandas.DataFrame, default=None
            A second frontier on the same axes, e.g. the lambda path of
            ``DCovLogisticRegression``, with columns ``x`` and ``y`` (and
            optional interval columns named as above).
        label : str, default="MIP frontier"
            Legend label of this frontier.
        show_dominated : bool, default=False
            Also draw the points dominated on the held-out data (hidden by
            default).
        models : sequence of tuples, default=None
            Other models drawn as labelled points beside the frontier (axes
            ``air`` and ``auc`` only): ``(label, fitted_model)`` pairs, scored
            on the frontier's held-out rows, or ``(label, auc, air)`` numbers;
            see :meth:`model_points`. E.g. a fair boosted scorecard next to
            the binning frontier and the dCov-regularised logistic model.

        Returns
        -------
        matplotlib Axes
        """
        check_is_fitted(self, "frontier_")
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 4.5))
        ok = self.frontier_[self.frontier_[y].notna()]
        if not show_dominated and "dominated" in ok:
            ok = ok[~ok["dominated"].astype(bool)]
        z = z_critical(self.alpha)
        _errorbar(ax, ok, x, y, z, label=label, fmt="o-", color="C0")
        if lambda_path is not None:
            missing = [c for c in (x, y) if c not in lambda_path.columns]
            if missing:
                raise ValueError(
                    f"lambda_path lacks the columns {missing}; it needs {x!r} and "
                    f"{y!r}."
                )
            _errorbar(
                ax, lambda_path, x, y, z, label="lambda path", fmt="s--", color="C1"
            )
        if models:
            if (x, y) != ("air", "auc"):
                raise ValueError(
                    f"models are drawn on the axes x='air', y='auc'; got x={x!r}, "
                    f"y={y!r}."
                )
            points = self.model_points(models)
            for i, (_, point) in enumerate(points.iterrows()):
                _errorbar(
                    ax,
                    points.iloc[[i]].dropna(axis=1),
                    x,
                    y,
                    z,
                    label=point["label"],
                    fmt="D^vP*X"[i % 6],
                    color=f"C{(i + 2) % 10}",
                )
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        n_bad = int((~self.frontier_["status"].isin(["optimal"])).sum())
        hidden = int(self.frontier_.get("dominated", pd.Series(dtype=bool)).sum())
        if hidden and not show_dominated:
            title_extra = f"; {hidden} dominated point(s) hidden"
        else:
            title_extra = ""
        title = "Accuracy-fairness frontier (held-out)"
        if n_bad:
            title += f"; {n_bad} eps not optimal/infeasible"
        title += title_extra
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
        return ax


def _interval(frame: pd.DataFrame, col: str, z: float) -> FloatArray | None:
    """Asymmetric error bar lengths for ``col`` from its CI or SE columns."""
    if f"{col}_low" in frame and f"{col}_high" in frame:
        mid = frame[col].to_numpy(float)
        return np.vstack(
            [mid - frame[f"{col}_low"].to_numpy(float), frame[f"{col}_high"] - mid]
        )
    if f"{col}_se" in frame:
        half = z * frame[f"{col}_se"].to_numpy(float)
        return np.vstack([half, half])
    return None


def _errorbar(
    ax: Any, frame: pd.DataFrame, x: str, y: str, z: float, **kwargs: Any
) -> None:
    order = frame.sort_values("eps" if "eps" in frame else x)  # the sweep order
    ax.errorbar(
        order[x],
        order[y],
        xerr=_interval(order, x, z),
        yerr=_interval(order, y, z),
        capsize=2,
        markersize=4,
        elinewidth=0.8,
        **kwargs,
    )
