#!/usr/bin/env python3
"""Fits the polynomial of Gelu32's upper normal tail and prints its Java constants.

Q(t) = P(X > t) for a standard normal X is written e^{-t^2/2} u P(u) with u = 1 / (1 + t / 4): u P(u) is Q's Mills
ratio over sqrt(2 pi), smooth on [0, CAP] and near 1 / (t sqrt(2 pi)) at large t, where u is near 4 / t. P, of degree
DEGREE, is fitted for the least largest relative error (Lawson's iteration of weighted least squares, in double, on
Chebyshev points of u in [1 / (1 + CAP / 4), 1]; the reference from mpmath at 40 digits).
Run with Debian's python3-numpy and python3-mpmath: /usr/bin/python3 tools/fit-gelu32.py
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 40
CAP = 14.5  # GELU(-CAP) is under half float's least subnormal: x Q(x) underflows to -0 past x = -14.36
DEGREE = 11
POINTS, ROUNDS = 4000, 200


def mills(t):
    """Q(t) e^{t^2 / 2} = erfcx(t / sqrt 2) / 2."""
    t = mp.mpf(t)
    return mp.erfc(t / mp.sqrt(2)) * mp.exp(t * t / 2) / 2


def fit():
    u_min = 1 / (1 + CAP / 4)
    k = np.arange(POINTS)
    u = (u_min + 1) / 2 + (1 - u_min) / 2 * np.cos(np.pi * (k + 0.5) / POINTS)
    t = 4 * (1 / u - 1)
    f = np.array([float(mills(ti) / mp.mpf(ui)) for ti, ui in zip(t, u)])
    v = np.vander(u, DEGREE + 1, increasing=True)
    weights, best = np.full(POINTS, 1 / POINTS), None
    for _ in range(ROUNDS):
        w = np.sqrt(weights) / f
        c, *_ = np.linalg.lstsq(v * w[:, None], f * w, rcond=None)
        error = np.abs(v @ c / f - 1)
        if best is None or error.max() < best[1]:
            best = (c, error.max())
        weights = weights * error
        weights /= weights.sum()
    return best


def main():
    c, error = fit()
    print(f"// P of degree {DEGREE}, highest first; largest relative error of u P(u) {error:.2e} (tools/fit-gelu32.py)")
    print("private static final double[] P = {" + ", ".join(repr(float(x)) for x in c[::-1]) + "};")


if __name__ == '__main__':
    main()
