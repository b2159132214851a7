#!/usr/bin/env python3
"""Fits the polynomial of Gelu64's upper normal tail and prints its Java constants.

Q(t) = P(X > t) for a standard normal X is written e^{-t^2/2} u P(u - 1/2) with u = 1 / (1 + t / 4), as Gelu32 writes
it in float32: u P is Q's Mills ratio over sqrt(2 pi), smooth on [0, CAP]. P has TERMS coefficients, from mpmath's
chebyfit (near the minimax polynomial) at 50 digits; in u - 1/2 rather than u, where the coefficients of a polynomial
this long would cancel each other (in u: coefficients up to 3.9 for values under 0.5, 8 ulps in double's Horner sum).
Printed with the largest relative error of P with its coefficients rounded to double, and of its Horner sum taken in
double with one rounding a step (as fused multiply-adds round), over POINTS + 1 points of t.
Run with Debian's python3-mpmath: /usr/bin/python3 tools/fit-gelu64.py
"""
import mpmath as mp

mp.mp.dps = 50
CAP = mp.mpf('38.6')  # x Q(x) underflows to -0 in double past x = -38.58
TERMS = 24
POINTS = 3000


def mills(t):
    """Q(t) e^{t^2 / 2} = erfcx(t / sqrt 2) / 2."""
    t = mp.mpf(t)
    return mp.erfc(t / mp.sqrt(2)) * mp.exp(t * t / 2) / 2


def ratio(v):
    """Q e^{t^2 / 2} / u at u = v + 1/2."""
    u = mp.mpf(v) + mp.mpf(1) / 2
    return mills(4 * (1 / u - 1)) / u


def main():
    u_min = 1 / (1 + CAP / 4)
    p = [float(c) for c in mp.chebyfit(ratio, [u_min - mp.mpf(1) / 2, mp.mpf(1) / 2], TERMS)]
    fit = horner = mp.mpf(0)
    for i in range(POINTS + 1):
        t = mp.mpf(float(CAP * i / POINTS))
        u = mp.mpf(float(1 / mp.mpf(float(t / 4 + 1))))  # 1 / fma(t, 1/4, 1), rounded twice
        v = mp.mpf(float(u - mp.mpf(1) / 2))
        exact = ratio(v)
        fit = max(fit, abs(mp.polyval([mp.mpf(c) for c in p], v) / exact - 1))
        s = mp.mpf(p[0])
        for c in p[1:]:
            s = mp.mpf(float(s * v + c))  # a fused multiply-add: one rounding
        horner = max(horner, abs(s / exact - 1))
    print(f"// P of degree {TERMS - 1} in u - 1/2, highest first: relative error {mp.nstr(fit, 2)} with its coefficients in "
          f"double, {mp.nstr(horner / mp.mpf(2) ** -53, 3)} ulps in double's Horner sum (tools/fit-gelu64.py)")
    print("private static final double[] P = {" + ", ".join(repr(c) for c in p) + "};")


if __name__ == '__main__':
    main()
