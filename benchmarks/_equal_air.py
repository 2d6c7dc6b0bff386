"""Equal-AIR comparison of two lambda curves by 3-fold cross-fitting (issue 18).

The protocol of ``bench_fair_boosted.py --part credit``, fixed before its
results were looked at (round 7):

- **Splits.** For each seed of ``SEEDS`` the rows are permuted and cut into
  three thirds; each third is held out once and the models are refitted on
  the other two (in permutation order). Seed 0's first third is the
  held-out third of the earlier rounds. Six held-out thirds in all.
- **Grid.** One lambda grid for both models: 0 and 8 points per factor 10
  from 0.1 to 10,000 (``LAMBDAS``). Its top is far beyond the lambda where
  the boosted model's training penalty is 0 to four digits (about 100) and
  where the logistic model's U-statistic penalty turns negative (about 300).
- **Per held-out third.** Held-out AUC, CCdCov^2 of the predicted PD with
  the attributes, and the approval rate of every intersectional group when
  the 50% of rows with the lowest PD are approved (rows tied at the cut-off
  share the approvals left, as in :func:`fairness.assess`). The AIR is the
  package's: the smallest ratio of a group's approval rate to the largest
  group's (the reference), over the other groups, as in
  :func:`fairness.assess` and ``ParetoFrontier.model_points``; it exceeds 1
  when every group is approved more often than the reference.
- **Pooled curve.** Per lambda, the mean over the six thirds of each
  quantity: the expected value of a held-out third's figure.
- **Reading at an AIR level** (both models alike): each pooled curve is
  reduced to its frontier (points no other point of the same curve beats in
  both the fairness column and AUC) and read linearly in that column between
  neighbouring frontier points; a level below the frontier's first point
  gets that point's AUC; a level above its last point has no value (NOT
  REACHED). Levels: the logistic curve's range, with the points 0.5, 0.525,
  ..., 1 inside it.
- **Two fairness columns**, both printed. ``air_capped = min(air, 1)``, the
  reading of rounds 5 and 6 (an over-correction counts as full parity); and
  ``parity = min(air, 1 / air)``, the package's own reading of an AIR level
  (``fairness.choose_operating_point``: a point meets level m when
  ``m <= AIR <= 1 / m``, the four-fifths rule both ways).
- **SE of a gap.** The gap (boosted minus logistic AUC at a level) is read
  again on the pooled curves without one held-out third, for each third in
  turn; the delete-one jackknife of those six gaps is its SE. The thirds of
  one seed share training rows, so this SE is a rough one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

SEEDS = (0, 1)
N_FOLDS = 3
APPROVAL_RATE = 0.5
LAMBDAS = (0.0,) + tuple(float(f"{10 ** (k / 8):.4g}") for k in range(-8, 33))


def splits(
    n: int, seeds: tuple[int, ...] = SEEDS, limit: int | None = None
) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    """``(name, train rows, held-out rows)`` of the cross-fitting, seed by seed."""
    for seed in seeds:
        idx = np.random.default_rng(seed).permutation(n)
        if limit is not None:
            idx = idx[:limit]
        m = idx.size // N_FOLDS
        cuts = [k * m for k in range(N_FOLDS)] + [idx.size]
        for k in range(N_FOLDS):
            held = idx[cuts[k] : cuts[k + 1]]
            train = np.concatenate([idx[: cuts[k]], idx[cuts[k + 1] :]])
            yield f"s{seed}f{k}", train, held


def approvals(p_bad: np.ndarray, rate: float = APPROVAL_RATE) -> np.ndarray:
    """Approval of each row (0..1): the ``rate`` share of lowest PDs.

    ``k = round(rate * n)`` rows are approved; rows tied at the cut-off share
    the approvals left over (the rule of :func:`fairness.assess`).
    """
    k = max(1, round(rate * p_bad.size))
    cut = np.partition(p_bad, k - 1)[k - 1]
    below, at = p_bad < cut, p_bad == cut
    return below + (k - int(below.sum())) / int(at.sum()) * at


@dataclass(frozen=True)
class Groups:
    """Intersectional group codes of one held-out third, computed once."""

    codes: np.ndarray
    size: np.ndarray
    reference: int

    @classmethod
    def of(cls, labels: np.ndarray) -> Groups:
        _, codes = np.unique(labels, return_inverse=True)
        size = np.bincount(codes)
        return cls(codes, size, int(size.argmax()))

    def rates(self, p_bad: np.ndarray) -> np.ndarray:
        """Approval rate of every group."""
        k = self.size.size
        return (
            np.bincount(self.codes, weights=approvals(p_bad), minlength=k) / self.size
        )

    def fairness(self, p_bad: np.ndarray) -> dict[str, float]:
        """The package's AIR, its capped and two-sided readings, min/max ratio."""
        rates = self.rates(p_bad)
        ratio = rates / rates[self.reference]
        air = float(np.delete(ratio, self.reference).min())
        return {
            "air": air,
            "air_capped": min(air, 1.0),
            "parity": min(air, 1.0 / air),
            "min/max": float(rates.min() / rates.max()),
        }


def frontier(curve: pd.DataFrame, column: str) -> pd.DataFrame:
    """The points no other point beats in both ``column`` and AUC, ascending."""
    pts = curve.sort_values([column, "auc"], ascending=[False, False])
    keep, best = [], -np.inf
    for i, r in pts.iterrows():
        if r["auc"] > best:
            keep.append(i)
            best = r["auc"]
    return curve.loc[keep].sort_values(column)


def auc_at(curve: pd.DataFrame, level: float, column: str) -> float:
    """AUC of a curve's frontier at ``level`` of ``column`` (the module's rule)."""
    front = frontier(curve, column)
    x, auc = front[column].to_numpy(), front["auc"].to_numpy()
    if level > x[-1] + 1e-12:
        return float("nan")
    if level <= x[0]:
        return float(auc[0])
    return float(np.interp(level, x, auc))


def pooled(points: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Per model and lambda, the mean over held-out thirds (and the AIR's SD)."""
    g = points.groupby(["model", "lambda"], sort=False)
    out = g[list(columns)].mean()
    out["air_sd"] = g["air"].std()
    out["n_splits"] = g.size()
    return out.reset_index()


def levels_of(curve: pd.DataFrame, column: str) -> np.ndarray:
    """The AIR levels read: the curve's range with 0.5, 0.525, ... inside it."""
    lo, hi = float(curve[column].min()), float(curve[column].max())
    grid = np.concatenate([[lo], np.arange(0.5, 1.0 + 1e-9, 0.025), [hi]])
    levels = np.unique(np.round(grid, 6))
    return levels[(levels >= lo - 1e-12) & (levels <= hi + 1e-12)]


def compare(
    points: pd.DataFrame,
    boosted: str,
    logistic: str,
    column: str,
    emit: Callable[[str], None] = print,
) -> bool:
    """Both pooled curves at the logistic's levels; PASS when boosted >= logistic.

    Prints, per level, both AUCs, the gap with its jackknife SE over the
    held-out thirds, and ok / BELOW / NOT REACHED.
    """
    cols = ("auc", column)
    both = points[points.model.isin([boosted, logistic])]
    names = list(dict.fromkeys(both["split"]))

    def gap_reader(frame: pd.DataFrame) -> Callable[[float], tuple[float, float]]:
        pool = pooled(frame, cols)
        b, g = pool[pool.model == boosted], pool[pool.model == logistic]
        return lambda level: (auc_at(b, level, column), auc_at(g, level, column))

    full = gap_reader(both)
    leave_one = [gap_reader(both[both.split != s]) for s in names]
    pool = pooled(both, cols)
    levels = levels_of(pool[pool.model == logistic], column)
    emit(
        f"AUC at equal {column} (pooled curves over {len(names)} held-out thirds; "
        "each curve's frontier, linear between its points, no value above its "
        f"last point; levels over the logistic's range {levels[0]:.3f}.."
        f"{levels[-1]:.3f}; SE: delete-one-third jackknife of the gap):"
    )
    ok = True
    k = len(names)
    for level in levels:
        b, g = full(level)
        gaps = np.array([d[0] - d[1] for d in (r(level) for r in leave_one)])
        se = float(np.sqrt((k - 1) / k * np.sum((gaps - gaps.mean()) ** 2)))
        good = bool(np.isfinite(b) and b >= g)
        ok &= good
        note = "ok" if good else ("NOT REACHED" if not np.isfinite(b) else "BELOW")
        emit(
            f"  {column} {level:.3f}: logistic {g:.4f}, boosted {b:.4f}, "
            f"gap {b - g:+.4f} (SE {se:.4f}) {note}"
        )
    emit(f"boosted >= logistic at every {column} level: " + ("PASS" if ok else "FAIL"))
    return ok


def split_table(points: pd.DataFrame, model: str, column: str) -> pd.DataFrame:
    """One model's per-third ``column`` (rows: lambda; columns: the thirds)."""
    part = points[points.model == model]
    return part.pivot(index="lambda", columns="split", values=column)
