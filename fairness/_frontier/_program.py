r"""The score-level program of the frontier under the normal-theory approximation.

For WoE columns ``W`` (one per candidate binning) and a linear score
``s = W b`` with sign-constrained weights ``b >= 0`` (a higher WoE means more
goods, so a higher score means lower risk), the normal-theory (LDA)
approximation of a score's information value against two classes with mean
WoE difference ``d`` and pooled within-class covariance ``S`` is

.. math:: IV(s) \approx \frac{(b^\top d)^2}{b^\top S b}

(a normal score with equal variances and standardised mean difference
``delta`` has Jeffreys divergence ``delta^2``). The frontier maximises the
score's IV against the target subject to every group's one-vs-rest IV being
at most ``eps`` (docs/methodology.md section 16). Since
both are ratios of the same quadratic, the program is homogeneous in ``b``
and normalised by ``b'Sb <= 1``:

.. math:: \max\ b^\top d_y \quad\text{s.t.}\quad b^\top S b \le 1,\quad
          |b^\top d_g| \le \sqrt{\varepsilon}\ \forall g,\quad b \ge 0.

Feature and binning selection (at most one binning per feature, at most
``max_features`` features) makes it a mixed-integer program, solved in
:func:`fairness._mip.solve_score_program` by outer approximation. This module
holds the moments, the continuous program of a fixed selection and the
held-out divergence of a score.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scorecard import DataConditionWarning, count_codes, information_value
from scorecard._kit.intervals import z_critical

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Moments:
    """Training moments of the WoE columns the program needs.

    Attributes
    ----------
    S : ndarray of shape (p, p)
        Pooled within-class (good/bad) covariance of the WoE columns.
    d_y : ndarray of shape (p,)
        Mean WoE of the goods minus that of the bads.
    d_a : ndarray of shape (n_constraints, p)
        For every group constraint, the group's mean WoE minus the rest's
        (one row for two groups: the two one-vs-rest differences are the same
        up to sign).
    """

    S: FloatArray
    d_y: FloatArray
    d_a: FloatArray

    def ratios(self, b: FloatArray) -> tuple[float, float]:
        """Normal-theory score IV and max one-vs-rest demographic IV of ``b``."""
        q = float(b @ self.S @ b)
        if q <= 0:
            return 0.0, 0.0
        iv = float(b @ self.d_y) ** 2 / q
        div = float(np.max((self.d_a @ b) ** 2)) / q
        return iv, div


def moments(
    W: FloatArray,
    y: IntArray,
    groups: IntArray,
    n_groups: int,
    constrained: list[int] | None = None,
) -> Moments:
    """The program's moments from training WoE columns, target and group codes.

    ``constrained``: the groups with a one-vs-rest row (default all; one row
    for two groups).
    """
    good, bad = W[y == 0], W[y == 1]
    centred = np.vstack([good - good.mean(axis=0), bad - bad.mean(axis=0)])
    S = centred.T @ centred / max(len(W) - 2, 1)
    d_y = good.mean(axis=0) - bad.mean(axis=0)
    rows = []
    which = list(range(n_groups)) if constrained is None else list(constrained)
    if n_groups == 2 and len(which) == 2:
        which = which[:1]
    for g in which:
        inside = groups == g
        rows.append(W[inside].mean(axis=0) - W[~inside].mean(axis=0))
    return Moments(S=S, d_y=d_y, d_a=np.asarray(rows))


def solve_fixed(m: Moments, support: IntArray, eps: float) -> FloatArray:
    """The continuous program on the columns ``support`` (full-length ``b``).

    ``max b'd_y`` s.t. ``b'Sb <= 1``, ``|b'd_g| <= sqrt(eps)``, ``b >= 0`` by
    SLSQP (a convex program: linear objective, a convex quadratic and linear
    constraints).
    """
    from scipy.optimize import minimize

    p = m.d_y.size
    out = np.zeros(p)
    if support.size == 0:
        return out
    S = m.S[np.ix_(support, support)]
    d = m.d_y[support]
    D = m.d_a[:, support]
    r = float(np.sqrt(max(eps, 0.0)))
    scale = 1.0 / np.sqrt(np.maximum(np.diag(S), 1e-300))
    cons = [
        {"type": "ineq", "fun": lambda v: 1.0 - v @ S @ v, "jac": lambda v: -2 * S @ v},
    ]
    if r == 0.0:
        out[support] = _solve_null_budget(S, d, D)
        return out
    if np.isfinite(r):
        cons += [
            {"type": "ineq", "fun": lambda v: r - D @ v, "jac": lambda v: -D},
            {"type": "ineq", "fun": lambda v: r + D @ v, "jac": lambda v: D},
        ]
    start = scale / max(np.sqrt(float(scale @ S @ scale)), 1e-300) * 1e-3
    res = minimize(
        lambda v: -float(d @ v),
        start,
        jac=lambda v: -d,
        bounds=[(0.0, None)] * support.size,
        constraints=cons,
        method="SLSQP",
        options={"maxiter": 500, "ftol": 1e-12},
    )
    v = np.maximum(res.x, 0.0)
    # restore feasibility exactly (SLSQP meets constraints to its tolerance)
    q = float(v @ S @ v)
    if q > 1.0:
        v = v / np.sqrt(q)
    worst = float(np.max(np.abs(D @ v))) if D.size else 0.0
    if np.isfinite(r) and worst > r:
        v = v * (r / worst) if worst > 0 else v
    out[support] = v
    return out


def _solve_null_budget(S: FloatArray, d: FloatArray, D: FloatArray) -> FloatArray:
    """``max d'b`` s.t. ``b'Sb <= 1``, ``D b = 0``, ``b >= 0`` (a zero budget).

    The equality is eliminated by writing ``b = N z`` with ``N`` a basis of
    the null space of ``D``; SLSQP then sees inequalities only (scipy's
    SLSQP before and after its 1.16 rewrite each fail one of the two
    formulations with the equality kept).
    """
    from scipy.linalg import null_space
    from scipy.optimize import minimize

    N = null_space(D) if D.size else np.eye(d.size)
    if N.shape[1] == 0:
        return np.zeros(d.size)
    Q = N.T @ S @ N
    g = N.T @ d
    res = minimize(
        lambda z: -float(g @ z),
        np.zeros(N.shape[1]),
        jac=lambda z: -g,
        constraints=[
            {
                "type": "ineq",
                "fun": lambda z: 1.0 - z @ Q @ z,
                "jac": lambda z: -2 * Q @ z,
            },
            {"type": "ineq", "fun": lambda z: N @ z, "jac": lambda z: N},
        ],
        method="SLSQP",
        options={"maxiter": 500, "ftol": 1e-12},
    )
    b = np.maximum(N @ res.x, 0.0)
    q = float(b @ S @ b)
    return b / np.sqrt(q) if q > 1.0 else b


@dataclass(frozen=True)
class Divergence:
    """A score's generalised demographic divergence on some rows.

    ``estimate``: the largest bias-corrected one-vs-rest IV over groups of
    the score's quantile bins (for two groups, the IV between them);
    ``se``: its SE from the noncentral chi-square approximation; ``group``:
    the group attaining it; ``raw``: the plug-in (not corrected) value.
    """

    estimate: float
    se: float
    group: str
    raw: float

    def ci(self, alpha: float) -> tuple[float, float]:
        """Wald interval of the (corrected) divergence at level ``alpha``."""
        half = z_critical(alpha) * self.se
        return self.estimate - half, self.estimate + half


def score_divergence(
    score: FloatArray,
    groups: IntArray,
    names: list[str],
    edges: FloatArray,
    constrained: list[int] | None = None,
) -> tuple[Divergence, list[str]]:
    r"""Bias-corrected max one-vs-rest IV of ``score`` over bins ``edges``.

    Under no difference, :math:`n_e\,\widehat{IV} \sim \chi^2_{k-1}` with
    :math:`n_e = n_g n_r / (n_g + n_r)`, so the plug-in IV is biased up by
    about :math:`(k - 1) / n_e`; the corrected value subtracts it. Its SE is
    that of a noncentral chi-square, :math:`\sqrt{2(k-1) + 4 n_e J} / n_e`
    with :math:`J` the corrected value (floored at 0). Returns the result
    and the data-condition warnings (zero cells smoothed).
    """
    codes = np.searchsorted(edges[1:-1], score, side="right")
    k = edges.size - 1
    n_g = len(names)
    rows = list(range(n_g)) if constrained is None else list(constrained)
    if n_g == 2 and len(rows) == 2:
        rows = rows[:1]
    best: Divergence | None = None
    caught: list[str] = []
    for g in rows:
        inside = (groups == g).astype(np.int64)
        table = count_codes(codes, inside, n_bins=k, n_classes=2)[0]
        n_in, n_out = float(table[:, 1].sum()), float(table[:, 0].sum())
        if n_in == 0 or n_out == 0:
            continue
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always", DataConditionWarning)
            raw = float(information_value(table[:, 0], table[:, 1]).estimate)
        caught.extend(str(w.message) for w in seen)
        used = int(np.count_nonzero(table.sum(axis=1)))
        n_e = n_in * n_out / (n_in + n_out)
        corrected = raw - (used - 1) / n_e
        se = float(np.sqrt(2 * (used - 1) + 4 * n_e * max(corrected, 0.0)) / n_e)
        res = Divergence(corrected, se, names[g], raw)
        if best is None or res.estimate > best.estimate:
            best = res
    if best is None:
        best = Divergence(float("nan"), float("nan"), "", float("nan"))
    return best, caught


def score_edges(score: FloatArray, n_bins: int) -> FloatArray:
    """Quantile edges of a score (ties merged), open at both ends."""
    inner = np.unique(np.quantile(score, np.linspace(0, 1, n_bins + 1)[1:-1]))
    return np.r_[-np.inf, inner, np.inf]


def worst_air(res: object) -> tuple[float, float, float, str]:
    """The smallest AIR of an assessment against its reference, with its CI."""
    best = (float("nan"), float("nan"), float("nan"), "")
    for m in getattr(res, "metrics", ()):
        if m.metric != "AIR":
            continue
        if np.isnan(best[0]) or m.estimate < best[0]:
            low, high = m.ci(getattr(res, "alpha", 0.05))
            best = (float(m.estimate), float(low), float(high), str(m.comparison))
    return best


def dominated(auc: FloatArray, div: FloatArray) -> NDArray[np.bool_]:
    """Rows with another row of at least the AUC and at most the divergence.

    One of the two strictly; NaN rows are neither dominated nor dominating.
    """
    n = auc.size
    out = np.zeros(n, dtype=bool)
    ok = np.isfinite(auc) & np.isfinite(div)
    for i in np.flatnonzero(ok):
        other = (
            ok & (auc >= auc[i]) & (div <= div[i]) & ((auc > auc[i]) | (div < div[i]))
        )
        out[i] = bool(other.any())
    return out
