r"""Feature and binning selection of the score-level program by outer approximation.

The mixed-integer program (docs/methodology.md section 16): binary ``x_i``
per candidate binning ``i``, weights ``b_i >= 0`` with ``b_i <= M_i x_i``,
at most one binning per feature, between 1 and ``max_features`` features,
and

.. math:: \max\ b^\top d_y \quad\text{s.t.}\quad \sqrt{b^\top S b} \le 1,\quad
          -\sqrt{\varepsilon} \le b^\top d_g \le \sqrt{\varepsilon}.

The convex constraint :math:`\sqrt{b^\top S b} \le 1` is replaced by its
tangent cuts :math:`(S b_0)^\top b / \sqrt{b_0^\top S b_0} \le 1` (valid for
every ``b`` by Cauchy-Schwarz), so every master problem is a MILP, solved by
PuLP (CBC with zero gap and ``increment 0``, or HiGHS with zero gap). Each
master's selection is then solved exactly as a continuous program
(:func:`._program.solve_fixed`), giving a feasible incumbent and a cut at
its weights; the master's solution gives a second cut. The master bounds the
optimum from above and the incumbents from below; the loop stops when they
meet within ``tol`` (relative), and the result is then ``"optimal"`` to
that tolerance. Cuts stay valid for every ``eps``, so one pool serves the
whole sweep.

The normalised program is the convex relaxation of the ratio program: with
``b'Sb = 1`` at its optimum (the usual case: weight can be added in
directions free of the groups) its solution is the ratio program's optimum;
when the group constraint is met only by shrinking ``b`` (e.g. a single
feature more group-related than ``eps`` allows), ``b'Sb < 1`` and the
score's normal-theory demographic IV ``(b'd_g)^2 / b'Sb`` exceeds ``eps``.
Such a result is labelled ``"relaxed"``, never ``"optimal"``, and its
realised value is reported.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from numbers import Integral
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scorecard import DataConditionWarning

from .._mip import make_solver
from ._program import Moments, solve_fixed

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class ScoreProgramResult:
    """One solve of the score-level program.

    Attributes
    ----------
    eps : float
        The budget on the normal-theory demographic IV.
    b : ndarray
        Weights of the candidate WoE columns (zero unless chosen), scaled to
        ``b'Sb = 1`` where possible.
    chosen : ndarray of int
        Indices of the chosen candidates.
    estimate : float
        Normal-theory score IV against the target, ``(b'd_y)^2 / b'Sb``.
    divergence : float
        Normal-theory max one-vs-rest demographic IV of the score.
    upper : float
        The master's bound on the objective (as an IV) when the loop stopped.
    status : {"optimal", "relaxed", "feasible", "infeasible", "not_solved"}
        ``"optimal"``: bounds met within ``tol`` and ``b'Sb = 1`` at the
        solution, so it is the optimum of the normal-theory program;
        ``"relaxed"``: bounds met, but the normalisation does not bind and
        the score's normal-theory demographic IV exceeds ``eps`` (see the
        module notes); ``"feasible"``: stopped by the iteration or time
        limit with an incumbent; ``"infeasible"``: no score with a positive
        IV meets ``eps``.
    iterations : int
    solve_time : float
    """

    eps: float
    b: FloatArray = field(repr=False)
    chosen: IntArray
    estimate: float
    divergence: float
    upper: float
    status: str
    iterations: int
    solve_time: float

    @property
    def has_solution(self) -> bool:
        return self.status in ("optimal", "relaxed", "feasible")


def _cut(S: FloatArray, b: FloatArray) -> FloatArray | None:
    q = float(b @ S @ b)
    if q <= 1e-300:
        return None
    return (S @ b) / np.sqrt(q)


def _extent(S: FloatArray) -> FloatArray:
    """Largest ``b_i`` with ``b'Sb <= 1`` (the ellipsoid's half-width)."""
    ridge = 1e-9 * float(np.trace(S)) / max(S.shape[0], 1)
    inv = np.linalg.pinv(S + ridge * np.eye(S.shape[0]))
    return np.sqrt(np.maximum(np.diag(inv), 0.0))


class CutPool:
    """Tangent cuts of ``sqrt(b'Sb) <= 1`` shared by the solves of one sweep."""

    def __init__(self, S: FloatArray) -> None:
        self.S = S
        diag = np.sqrt(np.maximum(np.diag(S), 1e-300))
        self.cuts: list[FloatArray] = [S[:, i] / diag[i] for i in range(S.shape[0])]
        self.M = np.minimum(_extent(S), 1e6)

    def add(self, b: FloatArray) -> None:
        c = _cut(self.S, b)
        if c is not None:
            self.cuts.append(c)


def _master(
    m: Moments,
    pool: CutPool,
    features: IntArray,
    r: float,
    max_features: int | None,
    backend: Any,
) -> tuple[str, FloatArray, IntArray, float]:
    """One master MILP: its status, weights, chosen indices and objective."""
    import pulp

    p = m.d_y.size
    prob = pulp.LpProblem("score_program", pulp.LpMaximize)
    b = [prob.add_variable(f"b_{i}", 0, float(pool.M[i])) for i in range(p)]
    x = [prob.add_variable(f"x_{i}", 0, 1, cat=pulp.LpBinary) for i in range(p)]
    prob += pulp.lpSum(float(v) * bi for v, bi in zip(m.d_y, b, strict=True))
    for i in range(p):
        prob += b[i] <= float(pool.M[i]) * x[i], f"link_{i}"
    for f in np.unique(features):
        idx = np.flatnonzero(features == f)
        if idx.size > 1:
            prob += pulp.lpSum(x[i] for i in idx) <= 1, f"one_binning_{f}"
    total = pulp.lpSum(x)
    prob += total >= 1, "min_features"
    if max_features is not None:
        prob += total <= int(max_features), "max_features"
    for g, row in enumerate(m.d_a if np.isfinite(r) else ()):
        expr = pulp.lpSum(float(v) * bi for v, bi in zip(row, b, strict=True))
        prob += expr <= r, f"group_up_{g}"
        prob += expr >= -r, f"group_down_{g}"
    for c, cut in enumerate(pool.cuts):
        nz = np.flatnonzero(np.abs(cut) > 1e-14)
        prob += pulp.lpSum(float(cut[i]) * b[i] for i in nz) <= 1.0, f"cut_{c}"
    prob.solve(backend)
    status = int(prob.sol_status)
    if status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        label = "infeasible" if status == pulp.LpSolutionInfeasible else "not_solved"
        return label, np.zeros(p), np.zeros(0, np.int64), float("nan")
    bv = np.array([bi.varValue or 0.0 for bi in b])
    xv = np.array([(xi.varValue or 0.0) > 0.5 for xi in x])
    bv[~xv] = 0.0
    bv = np.maximum(bv, 0.0)
    label = "optimal" if status == pulp.LpSolutionOptimal else "feasible"
    return label, bv, np.flatnonzero(xv & (bv > 1e-12)), float(m.d_y @ bv)


def solve_score_program(
    m: Moments,
    features: IntArray,
    eps: float,
    *,
    pool: CutPool,
    max_features: int | None = None,
    solver: str = "cbc",
    time_limit: float | None = None,
    tol: float = 1e-4,
    max_iter: int = 60,
    hints: list[IntArray] | None = None,
) -> ScoreProgramResult:
    """Solve the score-level program at budget ``eps`` by outer approximation.

    Parameters
    ----------
    m : Moments
        Training moments of the candidate WoE columns.
    features : ndarray of int
        Feature index of every candidate (one binning per feature).
    eps : float
        Budget on the normal-theory max one-vs-rest demographic IV.
    pool : CutPool
        Cuts shared across a sweep (extended in place).
    max_features, solver, time_limit
        Most features; ``"cbc"`` or ``"highs"``; seconds per master solve.
    tol : float
        Relative gap between the master's bound and the incumbent at which
        the result is ``"optimal"``.
    max_iter : int
        Most master solves.
    hints : list of ndarray of int, default=None
        Selections (e.g. of neighbouring budgets) solved first as incumbents,
        so a master that cannot beat them proves optimality at once.
    """
    start = time.perf_counter()
    backend = make_solver(solver, time_limit)
    r = float(np.sqrt(max(eps, 0.0)))
    best_val, best_b = 0.0, np.zeros(m.d_y.size)
    upper = float("inf")
    seen: dict[tuple[int, ...], tuple[float, FloatArray]] = {}
    status = "not_solved"
    it = 0
    for hint in hints or []:
        key0 = tuple(int(i) for i in hint)
        if not key0 or key0 in seen:
            continue
        fixed = solve_fixed(m, np.asarray(key0, dtype=np.int64), eps)
        seen[key0] = (float(m.d_y @ fixed), fixed)
        pool.add(fixed)
        if seen[key0][0] > best_val:
            best_val, best_b = seen[key0][0], fixed
    for it in range(1, max_iter + 1):  # noqa: B007 - it is reported
        label, bv, chosen, up = _master(m, pool, features, r, max_features, backend)
        if label in ("infeasible", "not_solved"):
            status = label if best_val <= 0 else "feasible"
            break
        upper = min(upper, up)
        key = tuple(int(i) for i in chosen)
        if key not in seen:
            fixed = solve_fixed(m, np.asarray(key, dtype=np.int64), eps)
            seen[key] = (float(m.d_y @ fixed), fixed)
            pool.add(fixed)
        val, fixed = seen[key]
        if val > best_val:
            best_val, best_b = val, fixed
        if float(np.sqrt(bv @ m.S @ bv)) > 1 + 1e-9:
            pool.add(bv)
        if label == "optimal" and upper <= best_val * (1 + tol) + 1e-12:
            status = "optimal"
            break
        if upper <= 1e-12:
            status = "infeasible"
            break
        if label != "optimal":
            status = "feasible"
    else:
        status = "feasible" if best_val > 0 else "not_solved"
    if best_val <= 1e-12:
        status = "infeasible"
    iv, div = m.ratios(best_b)
    if status == "optimal" and div > eps * (1 + 1e-6) + 1e-12:
        status = "relaxed"  # b'Sb < 1 at the optimum: see the module notes
    return ScoreProgramResult(
        eps=float(eps),
        b=best_b,
        chosen=np.flatnonzero(best_b > 1e-12),
        estimate=iv,
        divergence=div,
        upper=float(upper) ** 2 if np.isfinite(upper) else float("nan"),
        status=status,
        iterations=it,
        solve_time=time.perf_counter() - start,
    )


def sweep(
    m: Moments,
    features: IntArray,
    eps: Any,
    *,
    max_features: int | None,
    solver: str,
    time_limit: float | None,
) -> list[ScoreProgramResult]:
    """The program at every budget of ``eps`` (an int: adaptive), increasing eps.

    Solved from the largest budget down, each solve hinted with the
    selections of the two previous ones, all sharing one cut pool.
    """
    pool = CutPool(m.S)
    common: dict[str, Any] = dict(
        pool=pool,
        max_features=max_features,
        solver=solver,
        time_limit=time_limit,
    )
    if isinstance(eps, Integral):
        top = solve_score_program(m, features, float("inf"), **common)
        if not top.has_solution:
            raise ValueError(
                "No score with a positive information value exists on the "
                "training rows (every candidate WoE column is flat)."
            )
        n = int(eps)
        grid = (
            top.divergence * (np.maximum(np.arange(n), 0.25) / max(n - 1, 1)) ** 2
            if n > 1
            else np.array([top.divergence])
        )
        first = [top.__class__(**{**top.__dict__, "eps": float(grid[-1])})]
        for e in grid[-2::-1]:  # downwards: each solution hints the next
            first.append(
                solve_score_program(
                    m, features, e, hints=[r.chosen for r in first[-2:]], **common
                )
            )
        return first[::-1]
    grid = np.sort(np.asarray(eps, dtype=np.float64).ravel())
    if grid.size == 0 or not np.all(np.isfinite(grid)) or np.any(grid < 0):
        raise ValueError(
            f"eps must be an int >= 1 or a non-empty array of finite numbers "
            f">= 0; got {eps!r}."
        )
    down: list[ScoreProgramResult] = []
    for e in grid[::-1]:
        hints = [r.chosen for r in down[-2:]]
        down.append(solve_score_program(m, features, e, hints=hints, **common))
    out = down[::-1]
    bad = [r.eps for r in out if r.status == "infeasible"]
    if len(bad) == len(out):
        single = float(np.min((m.d_a**2).max(axis=0) / np.diag(m.S)))
        raise ValueError(
            f"Every eps ({grid.min():.4g} to {grid.max():.4g}) is below the "
            "smallest feasible value: no score with a positive information "
            "value has a normal-theory demographic IV that small on the "
            f"training rows (the least of a single candidate is {single:.4g})."
        )
    if bad:
        warnings.warn(
            f"eps values {np.round(bad, 6).tolist()} admit no score with a "
            "positive information value; their rows are infeasible.",
            DataConditionWarning,
            stacklevel=4,
        )
    return out
