"""The eps sweep of the frontier: a grid of budgets, or adaptive ones."""

from __future__ import annotations

import warnings
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from scorecard import DataConditionWarning

from .._mip import SelectionResult, min_feasible_eps, select_options

FloatArray = NDArray[np.float64]


class _SweepMixin:
    """``_sweep``: the MIP results over eps (needs ``menu_`` and the settings)."""

    eps: Any
    z: float
    max_features: int | None
    solver: Any
    time_limit: float | None
    menu_: pd.DataFrame

    def _solve(self, eps: float) -> SelectionResult:
        return select_options(
            self.menu_[["feature", "option", "iv_y", "se_y", "iv_a", "se_a"]],
            eps=float(eps),
            z=float(self.z),
            max_features=self.max_features,
            solver=self.solver,
            time_limit=self.time_limit,
        )

    def _sweep(self) -> list[SelectionResult]:
        """MIP results of the eps sweep, in increasing eps."""
        if isinstance(self.eps, Integral):
            return self._adaptive_sweep(int(self.eps))
        return [self._solve(eps) for eps in self._eps_grid()]

    def _adaptive_sweep(self, n: int) -> list[SelectionResult]:
        """``n`` budgets placed where the frontier has its largest gaps.

        The first budgets are the smallest feasible one and the cost of the
        unconstrained best selection. Each further budget probes the pair of
        neighbouring solutions A, B with the largest rectangle between them
        in (sqrt(cost), IV) space, both scaled to [0, 1] (the most a point
        between them could add to the area the frontier dominates; the root
        because a demographic IV grows like the square of a group difference,
        so the AIR moves with the root of the cost). The probe bisects the
        part of the gap not yet searched; a probe returning A shows that no
        selection up to it beats A. Once under 1/8 of a gap is left, the
        probe goes just below B's cost: it returns the best selection
        cheaper than B (a new Pareto point) or A (the gap is closed). The
        sweep stops early when every gap is closed, i.e. every
        Pareto-optimal selection has been found.
        """
        menu = self.menu_
        lo = min_feasible_eps(menu, z=float(self.z))
        everything = float((menu["iv_a"] + self.z * menu["se_a"]).sum()) + 1.0
        top = self._solve(everything)
        hi = top.constraint_value if top.has_solution else everything
        if n == 1 or hi <= lo:
            return [self._solve(hi)]
        found = [self._solve(lo), self._solve(hi)]
        floors: dict[tuple[tuple, tuple], float] = {}
        closed: set[tuple[tuple, tuple]] = set()

        def key(r: SelectionResult) -> tuple:
            return tuple(sorted(r.chosen.items()))

        while len(found) < n:
            points: dict[tuple, SelectionResult] = {}
            for r in found:
                if r.has_solution:
                    points.setdefault(key(r), r)
            ordered = sorted(points.values(), key=lambda r: r.constraint_value)
            root = np.sqrt(np.maximum([r.constraint_value for r in ordered], 0.0))
            value = np.array([r.estimate for r in ordered])
            c_range = max(float(np.ptp(root)), 1e-12) if root.size else 1.0
            v_range = max(float(np.ptp(value)), 1e-12) if value.size else 1.0
            best, pick = 0.0, None
            for i, (a, b) in enumerate(zip(ordered[:-1], ordered[1:], strict=True)):
                ends = (key(a), key(b))
                if ends in closed or b.estimate <= a.estimate + 1e-12:
                    continue
                floor = floors.get(ends, a.constraint_value)
                # the most a point between a and b can add to the area the
                # frontier dominates in (sqrt(cost), IV), both scaled to [0, 1]
                open_root = root[i + 1] - np.sqrt(max(floor, 0.0))
                gap = open_root / c_range * (b.estimate - a.estimate) / v_range
                if gap > best:
                    best, pick = gap, (a, b, floor, open_root / (root[i + 1] - root[i]))
            if pick is None:
                break  # every Pareto-optimal selection found
            a, b, floor, share = pick
            ends = (key(a), key(b))
            if share < 0.125:
                # bisection found nothing in most of the gap: the best
                # selection cheaper than b is a new point or closes the gap
                eps = b.constraint_value * (1 - 1e-6)
                res = self._solve(eps)
                found.append(res)
                if not res.has_solution or key(res) in ends:
                    closed.add(ends)
                else:
                    closed.add((key(res), key(b)))
                    floors[(key(a), key(res))] = floor
            else:
                eps = (
                    (np.sqrt(max(floor, 0.0)) + np.sqrt(b.constraint_value)) / 2
                ) ** 2
                res = self._solve(eps)
                found.append(res)
                if not res.has_solution or key(res) == key(a):
                    floors[ends] = eps
                else:
                    floors[(key(res), key(b))] = eps
                    floors[(key(a), key(res))] = floor
        return sorted(found, key=lambda r: r.eps)

    def _eps_grid(self) -> FloatArray:
        menu = self.menu_
        lo = min_feasible_eps(menu, z=float(self.z))
        grid = np.sort(np.asarray(self.eps, dtype=np.float64).ravel())
        if grid.size == 0 or not np.all(np.isfinite(grid)) or np.any(grid < 0):
            raise ValueError(
                f"eps must be an int >= 1 or a non-empty array of finite numbers "
                f">= 0; got {self.eps!r}."
            )
        below = grid[grid < lo]
        if below.size == grid.size:
            raise ValueError(
                f"Every eps is below the smallest feasible value {lo:.6g} (the "
                f"cheapest single candidate's IV_a + {self.z:g} SE_a); got eps in "
                f"[{grid.min():.6g}, {grid.max():.6g}]."
            )
        if below.size:
            warnings.warn(
                f"eps values {below.round(6).tolist()} are below the smallest "
                f"feasible value {lo:.6g}; their rows are reported as infeasible.",
                DataConditionWarning,
                stacklevel=4,
            )
        return grid
