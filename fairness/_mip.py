r"""The option-selection MIP behind the accuracy-fairness Pareto frontier.

Each feature ``j`` has a menu of candidate options ``k`` (binnings of the
feature), each with its information value against the target ``IV_jk`` and
against the protected attribute ``IV_a,jk`` with standard errors. The MIP
(docs/design.md section 6) is a multiple-choice knapsack:

.. math::

    \max \sum_{jk} IV_{jk} x_{jk} \quad \text{s.t.} \quad
    \sum_{jk} (IV_{a,jk} + z\,SE_{a,jk}) x_{jk} \le \varepsilon,\quad
    \sum_k x_{jk} \le 1,\quad m_{\min} \le \sum_{jk} x_{jk} \le m_{\max},

with binary ``x``. Leaving every option of a feature unchosen excludes it.
It is solved with PuLP (CBC bundled, HiGHS optional) and reports the
solver's *true* status: on a time limit PuLP's ``status`` still says
"Optimal", so the status here is read from ``sol_status``.
"""

from __future__ import annotations

import logging
import time
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from scorecard import DataConditionWarning
from scorecard._kit.intervals import wald_interval

if TYPE_CHECKING:
    import pulp

__all__ = [
    "SelectionResult",
    "select_options",
    "min_feasible_eps",
    "available_solvers",
]

logger = logging.getLogger(__name__)

Solver = Literal["cbc", "highs"]
Status = Literal["optimal", "feasible", "infeasible", "not_solved"]

#: Our solver names and the PuLP solver names behind them, in preference order.
_PULP_NAMES: dict[str, tuple[str, ...]] = {
    "cbc": ("COIN_CMD", "PULP_CBC_CMD"),
    "highs": ("HiGHS", "HiGHS_CMD"),
}
_MENU_COLUMNS = ("feature", "option", "iv_y", "se_y", "iv_a", "se_a")
#: Relative slack when re-checking the chosen options against eps (solvers
#: accept rows violated by their feasibility tolerance, about 1e-6).
_FEAS_TOL = 1e-5


def available_solvers() -> list[str]:
    """Solvers usable by :func:`select_options` in this environment.

    Returns
    -------
    list of str
        A subset of ``["cbc", "highs"]``.

    Examples
    --------
    >>> "cbc" in available_solvers()
    True
    """
    import pulp

    found = set(pulp.listSolvers(onlyAvailable=True))
    return [name for name, ids in _PULP_NAMES.items() if found.intersection(ids)]


def make_solver(solver: str, time_limit: float | None) -> pulp.LpSolver:
    """A PuLP solver with zero gap (CBC also ``increment 0``), or a clear error."""
    return _make_solver(solver, time_limit)


def _make_solver(solver: str, time_limit: float | None) -> pulp.LpSolver:
    import pulp

    if solver not in _PULP_NAMES:
        raise ValueError(
            f"solver must be one of {sorted(_PULP_NAMES)}; got {solver!r}."
        )
    found = pulp.listSolvers(onlyAvailable=True)
    for pulp_name in _PULP_NAMES[solver]:
        if pulp_name in found:
            with warnings.catch_warnings():
                # PuLP 3.x deprecates its bundled CBC in favour of a system CBC
                # (COIN_CMD, preferred above when installed); the bundled one
                # is still the only CBC most installs have.
                warnings.filterwarnings(
                    "ignore",
                    message="PULP_CBC_CMD is deprecated",
                    category=DeprecationWarning,
                )
                # zero gap, and for CBC a zero cutoff increment (its default
                # 1e-5-ish increment let it stop 7.7e-6 below the optimum
                # and call that "optimal")
                extra: dict[str, Any] = {"gapRel": 0.0}
                if solver == "cbc":
                    extra["options"] = ["increment 0"]
                return pulp.getSolver(
                    pulp_name, msg=False, timeLimit=time_limit, **extra
                )
    usable = available_solvers()
    hint = (
        f"use one of {usable}"
        if usable
        else "install PuLP's bundled CBC (pip install pulp) or highspy"
    )
    raise ValueError(
        f"solver {solver!r} is not available in this environment (PuLP found "
        f"{sorted(found) or 'no solver'}); {hint}."
    )


@dataclass(frozen=True, eq=False, repr=False)
class SelectionResult:
    """Outcome of one solve of the option-selection MIP.

    Attributes
    ----------
    estimate : float
        The objective: sum of the chosen options' IV against the target
        (training data). NaN when no solution was found.
    se : float
        ``sqrt(sum SE_y^2)`` of the chosen options. This treats the features'
        IVs as independent, which they are not in general; read it as a
        scale, not an exact SE.
    statistic, pvalue : float
        NaN: an optimisation result carries no test. Kept so that every
        result object of the package has the same fields.
    constraint_value : float
        ``sum (IV_a + z SE_a)`` of the chosen options (the left side of the
        fairness constraint).
    iv_a : float
        ``sum IV_a`` of the chosen options (the nominal demographic IV).
    eps, z : float
        The tolerance and the normal quantile of the constraint.
    status : {"optimal", "feasible", "infeasible", "not_solved"}
        ``"optimal"``: proven optimal. ``"feasible"``: a solution was found
        but the time limit stopped the proof of optimality. ``"infeasible"``:
        no selection satisfies the constraints. ``"not_solved"``: the time
        limit passed before any solution was found.
    solver_status : str
        PuLP's ``LpSolution`` text for ``sol_status`` (or ``"pre-check"`` when
        infeasibility was proven without calling the solver).
    solver : str
        ``"cbc"`` or ``"highs"``.
    solve_time : float
        Wall-clock seconds of the solve (model build included).
    time_limit : float or None
        The solver's time limit.
    n : int
        Number of candidate options in the menu.
    method : str
        Short description of the problem solved.
    selection : pandas.DataFrame
        The chosen rows of the menu (one per selected feature).
    """

    estimate: float
    se: float
    constraint_value: float
    iv_a: float
    eps: float
    z: float
    status: Status
    solver_status: str
    solver: str
    solve_time: float
    time_limit: float | None
    n: int
    method: str
    selection: pd.DataFrame = field(repr=False)
    statistic: float = float("nan")
    pvalue: float = float("nan")

    @property
    def chosen(self) -> dict[str, str]:
        """Mapping of each selected feature to its chosen option."""
        return dict(
            zip(
                self.selection["feature"].astype(str),
                self.selection["option"].astype(str),
                strict=True,
            )
        )

    @property
    def has_solution(self) -> bool:
        """Whether a selection is available (optimal or feasible)."""
        return self.status in ("optimal", "feasible")

    def ci(self, alpha: float = 0.05) -> np.ndarray:
        """Wald interval ``estimate +- z_(1-alpha/2) se``, truncated at 0."""
        return wald_interval(self.estimate, self.se, alpha, lower=0.0)

    def to_frame(self) -> pd.DataFrame:
        """The chosen options, one row per selected feature."""
        return self.selection.copy()

    def __repr__(self) -> str:
        head = (
            f"SelectionResult(status='{self.status}', solver='{self.solver}', "
            f"eps={self.eps:.6g}, z={self.z:g}, objective={self.estimate:.6g}, "
            f"constraint={self.constraint_value:.6g}, "
            f"n_selected={len(self.selection)}, solve_time={self.solve_time:.3f}s)"
        )
        if self.selection.empty:
            return head
        return head + "\n" + self.selection.to_string(index=False)


def _validate_menu(menu: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(menu, pd.DataFrame):
        raise TypeError(
            f"menu must be a pandas DataFrame with columns {list(_MENU_COLUMNS)}; "
            f"got {type(menu).__name__}."
        )
    missing = [c for c in _MENU_COLUMNS if c not in menu.columns]
    if "se_y" in missing and not [c for c in missing if c != "se_y"]:
        menu = menu.assign(se_y=0.0)
        missing = []
    if missing:
        raise ValueError(
            f"menu is missing columns {missing}; it needs {list(_MENU_COLUMNS)} "
            "(se_y optional)."
        )
    if menu.empty:
        raise ValueError("menu has no candidate options; it needs at least one row.")
    out = menu.reset_index(drop=True)
    for col in ("iv_y", "se_y", "iv_a", "se_a"):
        try:
            values = out[col].to_numpy(dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"menu column {col!r} must be numeric.") from exc
        if not np.all(np.isfinite(values)) or np.any(values < 0):
            bad = values[~np.isfinite(values) | (values < 0)]
            raise ValueError(
                f"menu column {col!r} must be finite and >= 0; got {bad.size} "
                f"bad value(s), e.g. {bad[0]!r}."
            )
    dup = out.duplicated(["feature", "option"])
    if dup.any():
        first = out.loc[dup.idxmax(), ["feature", "option"]].tolist()
        raise ValueError(
            f"menu lists option {first[1]!r} of feature {first[0]!r} twice; "
            "(feature, option) pairs must be unique."
        )
    return out


def min_feasible_eps(
    menu: pd.DataFrame, *, z: float = 0.0, min_features: int = 1
) -> float:
    """Smallest eps for which the selection MIP is feasible.

    Every cost is non-negative, so the cheapest ``min_features`` features,
    each at its cheapest option, give the smallest constraint value.

    Parameters
    ----------
    menu : pandas.DataFrame
        Candidate options, as in :func:`select_options`.
    z : float, default=0.0
        Normal quantile of the chance constraint.
    min_features : int, default=1
        Least number of features to select.

    Returns
    -------
    float
        The smallest feasible eps (``inf`` if fewer than ``min_features``
        features have options).

    Examples
    --------
    >>> menu = pd.DataFrame({"feature": ["a", "a", "b"], "option": ["2", "4", "2"],
    ...                      "iv_y": [0.1, 0.2, 0.3], "se_y": 0.0,
    ...                      "iv_a": [0.01, 0.03, 0.02], "se_a": 0.0})
    >>> min_feasible_eps(menu)
    0.01
    """
    menu = _validate_menu(menu)
    cost = menu["iv_a"].to_numpy(float) + z * menu["se_a"].to_numpy(float)
    cheapest = np.sort(
        pd.Series(cost).groupby(menu["feature"].to_numpy()).min().to_numpy()
    )
    if min_features == 0:
        return 0.0
    if cheapest.size < min_features:
        return float("inf")
    return float(cheapest[:min_features].sum())


def _check_selection_args(
    eps: float,
    z: float,
    max_features: int | None,
    min_features: int,
    time_limit: float | None,
) -> None:
    """The scalar arguments of :func:`select_options`."""
    if not np.isfinite(eps) or eps < 0:
        raise ValueError(f"eps must be a finite number >= 0; got {eps!r}.")
    if not np.isfinite(z) or z < 0:
        raise ValueError(f"z must be a finite number >= 0; got {z!r}.")
    if isinstance(min_features, bool) or not isinstance(min_features, int | np.integer):
        raise TypeError(f"min_features must be an int; got {min_features!r}.")
    if min_features < 0:
        raise ValueError(f"min_features must be >= 0; got {min_features}.")
    if max_features is not None:
        if isinstance(max_features, bool) or not isinstance(
            max_features, int | np.integer
        ):
            raise TypeError(
                f"max_features must be an int or None; got {max_features!r}."
            )
        if max_features < max(min_features, 1):
            raise ValueError(
                f"max_features must be >= max(min_features, 1) = "
                f"{max(min_features, 1)}; got {max_features}."
            )
    if time_limit is not None and not (np.isfinite(time_limit) and time_limit > 0):
        raise ValueError(
            f"time_limit must be a positive number or None; got {time_limit!r}."
        )


def _solve_mip(
    menu: pd.DataFrame,
    iv_y: np.ndarray,
    cost: np.ndarray,
    eps: float,
    max_features: int | None,
    min_features: int,
    backend: Any,
) -> tuple[Status, str, list[Any]]:
    """Build and solve the multiple-choice knapsack; the true status and x."""
    import pulp

    prob = pulp.LpProblem("option_selection", pulp.LpMaximize)
    x = [prob.add_variable(f"x_{i}", 0, 1, cat=pulp.LpBinary) for i in range(len(menu))]
    prob += pulp.lpSum(float(v) * xi for v, xi in zip(iv_y, x, strict=True))
    # Solvers check rows to an absolute tolerance (about 1e-6), large next to
    # IVs of 0.01; dividing the budget row by eps makes it a relative one.
    # (Floored so that a tiny eps does not overflow the coefficients.)
    scale = 1.0 / max(eps, 1e-6)
    prob += (
        pulp.lpSum(float(c * scale) * xi for c, xi in zip(cost, x, strict=True))
        <= float(eps * scale),
        "fairness_budget",
    )
    groups = menu.groupby("feature", sort=False).indices
    for g, (_, rows) in enumerate(groups.items()):
        prob += pulp.lpSum(x[i] for i in rows) <= 1, f"one_option_{g}"
    total = pulp.lpSum(x)
    if max_features is not None:
        prob += total <= int(max_features), "max_features"
    if min_features > 0:
        prob += total >= int(min_features), "min_features"
    start = time.perf_counter()
    prob.solve(backend)
    elapsed = time.perf_counter() - start
    sol_status = int(prob.sol_status)
    solver_status = pulp.LpSolution.get(sol_status, str(sol_status))
    status: Status
    if sol_status == pulp.LpSolutionOptimal:
        status = "optimal"
    elif sol_status == pulp.LpSolutionIntegerFeasible:
        status = "feasible"
    elif sol_status == pulp.LpSolutionInfeasible:
        status = "infeasible"
    else:
        status = "not_solved"
    logger.info(
        "selection MIP eps=%g: %s (%s, PuLP status %s) in %.3fs",
        eps,
        status,
        solver_status,
        pulp.LpStatus.get(prob.status, prob.status),
        elapsed,
    )
    return status, solver_status, x


def select_options(
    menu: pd.DataFrame,
    *,
    eps: float,
    z: float = 0.0,
    max_features: int | None = None,
    min_features: int = 1,
    solver: Solver = "cbc",
    time_limit: float | None = None,
) -> SelectionResult:
    r"""Choose at most one option per feature maximising IV under a fairness budget.

    Parameters
    ----------
    menu : pandas.DataFrame
        One row per candidate option with columns ``feature``, ``option``
        (labels), ``iv_y`` and ``se_y`` (IV against the target and its SE;
        ``se_y`` may be omitted), ``iv_a`` and ``se_a`` (IV against the
        protected attribute and its SE). Excluding a feature is implicit
        (no option chosen), so do not list an "exclude" row.
    eps : float
        Budget of protected-attribute information, ``>= 0``.
    z : float, default=0.0
        Normal quantile of the chance constraint ``IV_a + z SE_a``: ``0`` is
        the nominal constraint, ``1.645`` a one-sided 95% chance constraint.
    max_features : int or None, default=None
        Most features to select; ``None`` for no limit.
    min_features : int, default=1
        Least features to select (a score needs at least one).
    solver : {"cbc", "highs"}, default="cbc"
        CBC ships with PuLP; HiGHS needs ``highspy``.
    time_limit : float or None, default=None
        Seconds given to the solver; ``None`` for no limit.

    Returns
    -------
    SelectionResult
        With the solver's true status. An infeasible ``eps`` is a result
        with ``status="infeasible"``, not an exception.

    Raises
    ------
    ValueError
        For a malformed menu, a negative or non-finite ``eps``, a negative
        ``z``, inconsistent feature limits, a non-positive ``time_limit``,
        or an unknown or unavailable solver.

    Warns
    -----
    DataConditionWarning
        When the time limit stopped the solver before it proved optimality.

    Notes
    -----
    Costs :math:`IV_{a,jk} + z SE_{a,jk}` are non-negative, so feasibility is
    decided exactly before solving (:func:`min_feasible_eps`). The sums are
    of marginal IVs: redundant features are counted twice, and the sum of
    the ``IV_a`` is *not* a bound on the demographic IV of a score built on
    the chosen features (on real data it is exceeded). The frontier
    (:class:`fairness.ParetoFrontier`) optimises the score itself with
    :func:`fairness._frontier._oa.solve_score_program`.

    Examples
    --------
    >>> menu = pd.DataFrame({
    ...     "feature": ["a", "a", "b", "b"], "option": ["2 bins", "5 bins"] * 2,
    ...     "iv_y": [0.20, 0.30, 0.15, 0.25], "se_y": 0.01,
    ...     "iv_a": [0.01, 0.05, 0.02, 0.04], "se_a": 0.005})
    >>> res = select_options(menu, eps=0.06)
    >>> res.status, res.chosen, round(res.estimate, 2)
    ('optimal', {'a': '2 bins', 'b': '5 bins'}, 0.45)
    """
    menu = _validate_menu(menu)
    _check_selection_args(eps, z, max_features, min_features, time_limit)
    n_feat = menu["feature"].nunique()
    backend = _make_solver(solver, time_limit)

    iv_y = menu["iv_y"].to_numpy(np.float64)
    se_y = menu["se_y"].to_numpy(np.float64)
    iv_a = menu["iv_a"].to_numpy(np.float64)
    cost = iv_a + z * menu["se_a"].to_numpy(np.float64)
    method = (
        f"max sum IV_y s.t. sum(IV_a + {z:g} SE_a) <= eps, <= 1 option per "
        f"feature, {min_features} <= n_selected <= "
        f"{'inf' if max_features is None else max_features}"
    )
    common: dict[str, Any] = dict(
        eps=float(eps),
        z=float(z),
        solver=solver,
        time_limit=time_limit,
        n=len(menu),
        method=method,
    )
    start = time.perf_counter()
    if (
        min_features > n_feat
        or min_feasible_eps(menu, z=z, min_features=min_features) > eps
    ):
        return SelectionResult(
            estimate=float("nan"),
            se=float("nan"),
            constraint_value=float("nan"),
            iv_a=float("nan"),
            status="infeasible",
            solver_status="pre-check",
            solve_time=time.perf_counter() - start,
            selection=menu.iloc[:0].copy(),
            **common,
        )

    status, solver_status, x = _solve_mip(
        menu, iv_y, cost, eps, max_features, min_features, backend
    )
    elapsed = time.perf_counter() - start
    if status in ("feasible", "not_solved"):
        warnings.warn(
            f"The {solver} solver stopped at time_limit={time_limit} s for "
            f"eps={eps:g} before proving optimality ({solver_status}); status "
            f"{status!r}. Increase time_limit.",
            DataConditionWarning,
            stacklevel=2,
        )
    if status not in ("optimal", "feasible"):
        return SelectionResult(
            estimate=float("nan"),
            se=float("nan"),
            constraint_value=float("nan"),
            iv_a=float("nan"),
            status=status,
            solver_status=solver_status,
            solve_time=elapsed,
            selection=menu.iloc[:0].copy(),
            **common,
        )
    chosen = np.array([(xi.varValue or 0.0) > 0.5 for xi in x])
    lhs = float(cost[chosen].sum())
    if lhs > eps * (1 + _FEAS_TOL) + 1e-12:
        raise RuntimeError(  # pragma: no cover - a solver bug, not bad input
            f"The {solver} solver returned a selection with constraint value "
            f"{lhs} > eps={eps}."
        )
    selection = menu.loc[chosen].assign(cost=cost[chosen]).reset_index(drop=True)
    return SelectionResult(
        estimate=float(iv_y[chosen].sum()),
        se=float(np.sqrt((se_y[chosen] ** 2).sum())),
        constraint_value=lhs,
        iv_a=float(iv_a[chosen].sum()),
        status=status,
        solver_status=solver_status,
        solve_time=elapsed,
        selection=selection,
        **common,
    )
