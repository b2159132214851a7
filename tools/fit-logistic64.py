#!/usr/bin/env python3
"""Fits the two polynomials of the float64 kernels and prints their Java constants.

- T (Logistic64's tanh): tanh x = x + x^3 T(x^2) for |x| < SMALL, where 1 - e^{-2|x|} would cancel too many bits.
- E (ExpReduction, for Logistic64 and Elu): e^r for |r| <= ln 2 / 2, the reduced argument of e^{-y} = 2^k e^r.

Both by Chebyshev interpolation (mpmath's chebyfit, near the minimax polynomial) at 60 digits; printed with the largest
relative error of the polynomial with its coefficients rounded to double, over 20,001 points.
Run with Debian's python3-mpmath: /usr/bin/python3 tools/fit-logistic64.py
"""
import mpmath as mp

mp.mp.dps = 60
SMALL = mp.mpf('0.3')
T_TERMS, E_TERMS = 8, 13
POINTS = 20000


def tanh_rest(z):
    """(tanh x - x) / x^3 at x = sqrt z: -1/3 at 0."""
    if z == 0:
        return mp.mpf(-1) / 3
    x = mp.sqrt(z)
    return (mp.tanh(x) - x) / x ** 3


def rounded(c):
    return [mp.mpf(float(v)) for v in c]


def main():
    t = rounded(mp.chebyfit(tanh_rest, [0, SMALL ** 2], T_TERMS))
    t_error = max(abs((x + x ** 3 * mp.polyval(t, x * x)) / mp.tanh(x) - 1)
                  for x in (SMALL * (i + 1) / POINTS for i in range(POINTS)))
    half = mp.log(2) / 2
    e = rounded(mp.chebyfit(mp.exp, [-half, half], E_TERMS))
    e_error = max(abs(mp.polyval(e, r) / mp.exp(r) - 1) for r in (-half + 2 * half * i / POINTS for i in range(POINTS + 1)))
    print(f"// T of degree {T_TERMS - 1} in x^2, highest first: x + x^3 T(x^2) within {mp.nstr(t_error, 2)} of tanh x, relative, for |x| < {SMALL} (tools/fit-logistic64.py)")
    print("private static final double " + ", ".join(f"T{T_TERMS - 1 - i} = {float(v)!r}" for i, v in enumerate(t)) + ";")
    print(f"// E of degree {E_TERMS - 1}, highest first: within {mp.nstr(e_error, 2)} of e^r, relative, for |r| <= ln 2 / 2 (tools/fit-logistic64.py)")
    print("private static final double " + ", ".join(f"E{E_TERMS - 1 - i} = {float(v)!r}" for i, v in enumerate(e)) + ";")


if __name__ == '__main__':
    main()
