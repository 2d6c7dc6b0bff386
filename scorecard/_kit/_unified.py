"""The unified (Feldman-Cousins) confidence belt of the non-central chi-square.

``T ~ ncx2(k, lam)`` with ``k > 0`` real and ``lam >= 0``. For each ``lam``
the acceptance region ``A(lam) = [t1(lam), t2(lam)]`` collects the ``t`` of
highest likelihood ratio ``R(t, lam) = f(t; k, lam) / f(t; k, lam_hat(t))``
(``lam_hat`` the maximum-likelihood ``lam >= 0``) until it holds ``1 - alpha``
of the law; the interval for an observed ``t`` is ``{lam: t in A(lam)}``
(Feldman & Cousins 1998). Numerics (docs/methodology.md, section 14):

* The log ratio to the central law is ``L(t, lam) = -lam/2 + log 0F1(;k/2;
  lam t/4)``, written with the exponentially scaled Bessel function so it
  neither overflows nor meets the density's pole at ``t = 0`` (``k < 2``).
  ``log R(t, lam) = L(t, lam) - G(t)`` with ``G(t) = max_lam L(t, lam)``.
* ``lam_hat(t) = 0`` for ``t <= k`` (the score at 0 is ``(t/k - 1)/2`` and
  ``L`` is concave enough there); above, the root of the score
  ``sqrt(t/lam) I_{k/2}(sqrt(lam t)) / I_{k/2-1}(sqrt(lam t)) = 1``, found by
  bisection on ``(0, t)``. ``G`` is tabulated on a grid of ``v = sqrt(t)``
  of step :data:`V_STEP` and interpolated linearly (error below 2e-5 in ``log R``).
* ``R(., lam)`` rises to 1 at ``t_m(lam)`` (where ``lam_hat = lam``) and falls
  after (monotone likelihood ratio), and ``R(0+, lam) = exp(-lam/2)``. The
  region is the level set ``log R >= h`` with ``h`` solved by regula falsi
  (Illinois) so
  that ``F(t2) - F(t1) = 1 - alpha``; when ``[0, t2]`` at ``h = -lam/2``
  holds less than ``1 - alpha``, the region is one-sided, ``[0,
  F^{-1}(1 - alpha)]`` (this is what happens near the null).
* The belt is computed on a grid of ``u = sqrt(lam)`` (step 0.02 near 0,
  growing to 0.25, plus the exact ``lam*`` where the regions turn
  two-sided) and inverted by linear interpolation of ``u`` against
  ``sqrt(t1)`` and ``sqrt(t2)``; it is cached per ``(k, alpha)`` and extended
  on demand up to the largest observed statistic. A non-integer ``k`` not
  yet cached interpolates linearly in ``log k`` between the belts of the
  grid ``exp(0.05 j)`` (weighted results have a different ``k`` per
  feature). Beyond ``lam`` =
  :data:`MAX_U` squared the caller uses the equal-tailed ends (the two
  agree there to well below 1% of the width).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

#: Step of the ``sqrt(t)`` grid on which ``G(t) = max_lam L(t, lam)`` is kept.
V_STEP = 0.01
#: ``sqrt(lam)`` beyond which the belt is not built (equal-tailed ends there).
MAX_U = 300.0
#: Bisection steps of a region end in ``sqrt(t)`` (brackets below 30 wide:
#: ends to 3e-8) and the cap on Illinois steps of the level ``h``.
ROOT_STEPS = 32
ILLINOIS_STEPS = 30
#: Lowest log likelihood ratio searched; the level ``h`` of a 1 - alpha
#: region with alpha >= 1e-6 lies well above it.
H_FLOOR = -40.0


def _log_0f1(b: float, x: FloatArray) -> FloatArray:
    """``log 0F1(; b; x)`` for ``x >= 0``, without overflow."""
    from scipy import special

    x = np.asarray(x, dtype=np.float64)
    out = np.zeros(x.shape)
    small = x < 1e-8
    out[small] = x[small] / b  # first-order series
    big = ~small
    if big.any():
        xb = x[big]
        z = 2.0 * np.sqrt(xb)
        out[big] = (
            special.gammaln(b)
            + (1.0 - b) * 0.5 * np.log(xb)
            + np.log(special.ive(b - 1.0, z))
            + z
        )
    return out


def log_ratio_central(t: FloatArray, k: float, lam: FloatArray) -> FloatArray:
    """``L(t, lam) = log f(t; k, lam) - log f(t; k, 0)`` (broadcasting)."""
    t, lam = np.broadcast_arrays(
        np.asarray(t, dtype=np.float64), np.asarray(lam, dtype=np.float64)
    )
    return np.asarray(
        -0.5 * lam + _log_0f1(0.5 * k, 0.25 * np.maximum(lam, 0) * np.maximum(t, 0))
    )


def lam_hat(t: FloatArray, k: float) -> FloatArray:
    """Maximum-likelihood non-centrality ``argmax_{lam >= 0} f(t; k, lam)``."""
    from scipy import special

    t = np.asarray(t, dtype=np.float64)
    out = np.zeros(t.shape)
    todo = t > k
    if not todo.any():
        return out
    tt = t[todo]
    lo, hi = np.zeros(tt.shape), tt.copy()
    nu = 0.5 * k
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        z = np.sqrt(mid * tt)
        score = np.sqrt(tt / mid) * special.ive(nu, z) / special.ive(nu - 1.0, z)
        up = score > 1.0
        lo, hi = np.where(up, mid, lo), np.where(up, hi, mid)
    out[todo] = 0.5 * (lo + hi)
    return out


class UnifiedBelt:
    """The unified belt of ``ncx2(k, lam)`` at level ``1 - alpha``, grown on demand.

    Attributes ``u`` (``sqrt(lam)``), ``v1``, ``v2`` (``sqrt`` of the region
    ends) are the tabulated belt.
    """

    def __init__(self, k: float, alpha: float) -> None:
        self.k = float(k)
        self.alpha = float(alpha)
        self.v_grid = np.zeros(0)
        self.g_grid = np.zeros(0)
        self.lh_grid = np.zeros(0)
        self.u = np.zeros(0)
        self.v1 = np.zeros(0)
        self.v2 = np.zeros(0)

    # --- G(t) = max_lam L(t, lam) on a sqrt(t) grid -------------------------
    def _ensure_g(self, v_max: float) -> None:
        if self.v_grid.size and self.v_grid[-1] >= v_max:
            return
        n = int(np.ceil(v_max / V_STEP)) + 1
        start = self.v_grid.size
        v = np.arange(start, n) * V_STEP
        t = v * v
        lh = lam_hat(t, self.k)
        g = log_ratio_central(t, self.k, lh)
        self.lh_grid = np.concatenate([self.lh_grid, lh])
        self.v_grid = np.concatenate([self.v_grid, v])
        self.g_grid = np.concatenate([self.g_grid, np.maximum(g, 0.0)])

    def _log_r(self, v: FloatArray, lam: FloatArray) -> FloatArray:
        g = np.interp(v, self.v_grid, self.g_grid)
        return np.minimum(log_ratio_central(v * v, self.k, lam) - g, 0.0)

    # --- the acceptance regions --------------------------------------------
    def _v_mode(self, lam: FloatArray) -> FloatArray:
        """``sqrt(t_m)``: the ``v`` where ``lam_hat(v^2) = lam`` (``sqrt k`` at 0)."""
        lh = self.lh_grid
        # lam_hat is 0 up to v = sqrt(k), then increasing
        first = int(np.searchsorted(self.v_grid, np.sqrt(self.k)))
        vm = np.interp(lam, lh[first:], self.v_grid[first:])
        return np.where(lam > 0, vm, np.sqrt(self.k))

    def _level_root(
        self,
        h: FloatArray,
        lam: FloatArray,
        lo: FloatArray,
        hi: FloatArray,
        left: bool,
    ) -> FloatArray:
        """``v`` in ``[lo, hi]`` with ``log R(v^2, lam) = h`` (one side of the mode)."""
        lo, hi = lo.copy(), hi.copy()
        for _ in range(ROOT_STEPS):
            mid = 0.5 * (lo + hi)
            inside = self._log_r(mid, lam) >= h
            if left:  # R increasing on the left: inside means the root is lower
                lo, hi = np.where(inside, lo, mid), np.where(inside, mid, hi)
            else:
                lo, hi = np.where(inside, mid, lo), np.where(inside, hi, mid)
        return 0.5 * (lo + hi)

    def _one_sided(self, u: FloatArray) -> NDArray[np.bool_]:
        """Whether the region of ``lam = u^2`` is one-sided, ``[0, t2]``."""
        from scipy import special

        lam = u * u
        h_lo = np.maximum(-0.5 * lam, H_FLOOR)
        v_hi = np.sqrt(lam + self.k + 14.0 * np.sqrt(2 * self.k + 4 * lam) + 60.0)
        self._ensure_g(float(v_hi.max()) + 0.5)
        v2 = self._level_root(h_lo, lam, self._v_mode(lam), v_hi, left=False)
        level = 1.0 - self.alpha
        return np.asarray(
            (h_lo == -0.5 * lam) & (special.chndtr(v2 * v2, self.k, lam) < level)
        )

    def _kink(self) -> float:
        """``sqrt(lam*)``: the largest ``u`` whose region is still one-sided."""
        lo, hi = np.zeros(1), np.full(1, 0.5)
        while self._one_sided(hi)[0] and hi[0] < 20:
            lo, hi = hi.copy(), 2 * hi
        for _ in range(40):
            mid = 0.5 * (lo + hi)
            one = self._one_sided(mid)
            lo, hi = np.where(one, mid, lo), np.where(one, hi, mid)
        return float(lo[0])

    def _regions(self, u: FloatArray) -> tuple[FloatArray, FloatArray]:
        from scipy import special

        k, level = self.k, 1.0 - self.alpha
        lam = u * u
        width = np.sqrt(2 * k + 4 * lam)
        t_hi = lam + k + 14.0 * width + 60.0
        v_hi = np.sqrt(t_hi)
        self._ensure_g(float(v_hi.max()) + 0.5)
        vm = self._v_mode(lam)
        zero = np.zeros(lam.shape)

        def cdf(v: FloatArray) -> FloatArray:
            return np.asarray(special.chndtr(v * v, k, lam))

        h_lo = np.maximum(-0.5 * lam, H_FLOOR)
        v2_lo = self._level_root(h_lo, lam, vm, v_hi, left=False)
        # one-sided where [0, t2(-lam/2)] holds less than 1 - alpha
        one = (h_lo == -0.5 * lam) & (cdf(v2_lo) < level)
        v1 = np.zeros(lam.shape)
        v2 = np.sqrt(special.chndtrix(level, k, lam))
        two = ~one
        if two.any():
            lm, vmm, vh = lam[two], vm[two], v_hi[two]
            z0 = zero[two]

            def excess(h: FloatArray) -> FloatArray:
                r1 = np.where(
                    h <= -0.5 * lm, z0, self._level_root(h, lm, z0, vmm, left=True)
                )
                r2 = self._level_root(h, lm, vmm, vh, left=False)
                mass = special.chndtr(r2 * r2, k, lm) - special.chndtr(r1 * r1, k, lm)
                return np.asarray(mass - level)

            # Illinois (modified regula falsi) on h: excess falls from >= 0 at
            # h_lo to -level at h = 0 (the region shrinks to the mode)
            a, b = h_lo[two], z0.copy()
            fa, fb = excess(a), np.full(a.shape, -level)
            h = a.copy()
            for _ in range(ILLINOIS_STEPS):
                gap = fb - fa
                h = np.where(gap != 0, b - fb * (b - a) / np.where(gap != 0, gap, 1), b)
                fh = excess(h)
                same = np.sign(fh) == np.sign(fb)
                fa = np.where(same, 0.5 * fa, fb)
                a = np.where(same, a, b)
                b, fb = h, fh
                if np.all(np.abs(fh) < 1e-11):
                    break
            v1[two] = np.where(
                h <= -0.5 * lm, z0, self._level_root(h, lm, z0, vmm, left=True)
            )
            v2[two] = self._level_root(h, lm, vmm, vh, left=False)
        return v1, v2

    def ensure(self, u_max: float) -> None:
        """Tabulate the belt up to ``sqrt(lam) = u_max`` (at most :data:`MAX_U`)."""
        u_max = min(float(u_max), MAX_U)
        if self.u.size and self.u[-1] >= u_max:
            return
        start = float(self.u[-1]) if self.u.size else None
        grid = []
        x = 0.0
        while x <= u_max + 1e-12:
            if start is None or x > start + 1e-12:
                grid.append(x)
            x += min(0.25, 0.02 + 0.01 * x)
        grid.append(x)  # one point past u_max so the range is covered
        if start is None:  # the exact end of the one-sided regions, so the
            # upper end's kink there is not smeared over a grid step
            grid = sorted({*grid, self._kink()})
        u = np.asarray(grid)
        for chunk in np.array_split(u, max(1, u.size // 400)):
            v1, v2 = self._regions(chunk)
            self.u = np.concatenate([self.u, chunk])
            self.v1 = np.concatenate([self.v1, v1])
            self.v2 = np.concatenate([self.v2, v2])

    def interval(self, t: FloatArray) -> tuple[FloatArray, FloatArray]:
        """``(lam_low, lam_high)`` for statistics ``t`` within the tabulated range.

        Entries with ``sqrt(t)`` above ``MAX_U - 8`` are NaN (the caller fills
        them with the equal-tailed ends).
        """
        t = np.asarray(t, dtype=np.float64)
        v = np.sqrt(np.maximum(t, 0.0))
        finite = np.isfinite(v)
        far = finite & (v > MAX_U - 8.0)
        near = finite & ~far
        if near.any():
            need = float(v[near].max())
            self.ensure(need + 2.5)
            while self.v1[-1] < need + 0.5 and self.u[-1] < MAX_U:
                self.ensure(float(self.u[-1]) + 2.0)
        low = np.full(t.shape, np.nan)
        high = np.full(t.shape, np.nan)
        vv = v[near]
        # lower end: smallest lam whose region reaches t (t2 increasing in lam)
        lo_u = np.interp(vv, self.v2, self.u)
        low[near] = np.where(vv <= self.v2[0], 0.0, lo_u**2)
        # upper end: largest lam whose region starts at or below t
        pos = self.v1 > 0
        last0 = int(np.argmax(pos)) - 1 if pos.any() else self.u.size - 1
        v1, u = self.v1[last0:], self.u[last0:]
        hi_u = np.interp(vv, v1, u)
        high[near] = hi_u**2
        return low, high


_CACHE: dict[tuple[float, float], UnifiedBelt] = {}


def belt(k: float, alpha: float) -> UnifiedBelt:
    """The cached :class:`UnifiedBelt` of ``(k, alpha)``."""
    key = (float(k), float(alpha))
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) > 256:
            _CACHE.clear()
        found = _CACHE[key] = UnifiedBelt(k, alpha)
    return found


#: Step in ``log k`` of the belts that a non-integer ``k`` interpolates
#: between (a belt per distinct ``k`` would cost ~0.3 s each for weighted
#: results, whose ``k = df / c`` differs per feature).
LOG_K_STEP = 0.05


def _ends(t: FloatArray, k: float, alpha: float) -> tuple[FloatArray, FloatArray]:
    """Interval ends for one ``k``.

    Its own belt when ``k`` is an integer (or already cached), else linear
    interpolation in ``log k`` between the two neighbouring grid belts.
    """
    if float(k).is_integer() or (float(k), float(alpha)) in _CACHE:
        return belt(k, alpha).interval(t)
    from scipy import special

    j = np.floor(np.log(k) / LOG_K_STEP)
    k0, k1 = np.exp(j * LOG_K_STEP), np.exp((j + 1) * LOG_K_STEP)
    w = (np.log(k) - np.log(k0)) / LOG_K_STEP
    # the lower end leaves 0 exactly at the central 1 - alpha quantile of k:
    # shift t so that each grid belt's threshold lines up with it
    q = special.chdtri(k, alpha)
    b0, b1 = belt(float(k0), alpha), belt(float(k1), alpha)
    hi0, hi1 = b0.interval(t)[1], b1.interval(t)[1]
    lo0 = b0.interval(t - q + special.chdtri(k0, alpha))[0]
    lo1 = b1.interval(t - q + special.chdtri(k1, alpha))[0]
    return (1 - w) * lo0 + w * lo1, (1 - w) * hi0 + w * hi1


def unified_lambda(
    t: FloatArray, k: FloatArray, alpha: float
) -> tuple[FloatArray, FloatArray]:
    """Unified interval ends in ``lam`` for statistics ``t`` with degrees ``k``.

    NaN where ``t`` is NaN or beyond the tabulated range; 0 where ``k <= 0``.
    """
    t = np.asarray(t, dtype=np.float64)
    k = np.asarray(k, dtype=np.float64)
    low = np.where(np.isnan(t), np.nan, 0.0)
    high = low.copy()
    ok = np.isfinite(t) & (k > 0)
    for kk in np.unique(k[ok]):
        sel = ok & (k == kk)
        lo, hi = _ends(t[sel], float(kk), alpha)
        low[sel], high[sel] = lo, hi
    far = np.isfinite(t) & (k > 0) & np.isnan(low)
    low[np.isinf(t)] = np.nan
    high[np.isinf(t)] = np.nan
    return low, np.where(far, np.nan, high)
