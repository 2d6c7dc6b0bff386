"""The frontier plot (matplotlib, imported on first use)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.utils.validation import check_is_fitted

from scorecard._kit.intervals import z_critical

FloatArray = NDArray[np.float64]


class _PlotMixin:
    """``plot``: the held-out frontier with error bars."""

    frontier_: pd.DataFrame
    alpha: float

    def plot(
        self,
        ax: Any = None,
        *,
        x: str = "air",
        y: str = "auc",
        lambda_path: pd.DataFrame | None = None,
        label: str = "MIP frontier",
        show_dominated: bool = False,
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
