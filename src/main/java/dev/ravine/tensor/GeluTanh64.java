package dev.ravine.tensor;

import static dev.ravine.tensor.ExpReduction.BIAS;
import static dev.ravine.tensor.ExpReduction.LN2_HI;
import static dev.ravine.tensor.ExpReduction.LN2_LO;
import static dev.ravine.tensor.ExpReduction.LOG2E;
import static dev.ravine.tensor.ExpReduction.MANTISSA;
import static dev.ravine.tensor.ExpReduction.ROUND;
import static dev.ravine.tensor.ExpReduction.ROUND_BITS;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * GELU's tanh form, {@code GELU(approximate='tanh')}: x (1 + tanh(u)) / 2 with u = beta (x + kappa x^3) (PyTorch's
 * constants), and its derivative, in float64: a vector form and a scalar twin that take the same operations in the same
 * order, so every entry gets the same bits in either, in every tier of the JIT, as {@link Softplus}. Within 0.55 ulps
 * of the exact value (99.8% correctly rounded), the derivative within 3.5 ulps of its two terms' sum ({@code
 * GeluTanhTest} against mpmath); {@link GeluTanh32} takes float32 with fewer operations.
 *
 * <p>(1 + tanh(u)) / 2 is the sigmoid of z = 2u, so the function is x / (1 + e) above 0 and x e / (1 + e) below, with
 * e = e^{-|z|}, as {@link Logistic64}'s SiLU with z in place of x: nothing cancels on the negative side, where PyTorch's
 * 1 + tanh(u) in double keeps no digit below x = -7.6. z is taken as a sum of two doubles (x^3, kappa x^3 and the sum by
 * fused multiply-adds and Knuth's two-sum), its low part joining the reduced argument of e^{-|z|} ({@link
 * ExpReduction}; 2^k in two halves, each a normal double, so that x e rounds once into the subnormals); |x| is capped at
 * 30 for z, past which |z| passes 760, where e and x e round to 0. The derivative sigma(z) + x z' e / (1 + e)^2, z' = 2
 * beta (1 + 3 kappa x^2), takes e again from x, not from the forward pass's y. At +inf the function is +inf, at -inf
 * NaN, and the derivative NaN at both, as PyTorch's. 3.7 ns an entry either pass at 512 bits (Intel Xeon), where
 * Math's tanh entry by entry took 11 forward.
 */
final class GeluTanh64 {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** PyTorch's constants: M_SQRT2 M_2_SQRTPI / 2 = sqrt(2/pi), multiplied out as it does, and kappa. */
    static final double BETA = 1.4142135623730951 * 1.1283791670955126 * 0.5, KAPPA = 0.044715;
    /** 2 beta, exact; |x| at which z is capped (|z| is 1,974 there), and |z| past which e^{-|z|} rounds to 0. */
    private static final double TWO_BETA = 2 * BETA, X_CAP = 30, CAP = 760;

    private GeluTanh64() {
    }

    /** GELU's tanh form at x, the same bits as a lane of {@link #apply}'s vectors. */
    static double gelu(double x) {
        return twin(false, x, 0);
    }

    /** in times the derivative at x, the same bits as a lane of {@link #scale}'s vectors. */
    static double scale(double x, double in) {
        return twin(true, x, in);
    }

    /** The function, or with {@code slope} in times its derivative, by the loop's operations on one lane, in its order. */
    private static double twin(boolean slope, double x, double in) {
        // z = 2 beta (x + kappa x^3) as zh + zl: x^3 = c + cLo, kappa x^3 = m + mLo, x + m = s + sLo by two-sum
        double xc = Math.min(Math.max(x, -X_CAP), X_CAP), p = xc * xc, pLo = Math.fma(xc, xc, -p);
        double c = p * xc, cLo = Math.fma(p, xc, -c) + pLo * xc, m = KAPPA * c, mLo = Math.fma(KAPPA, c, -m) + KAPPA * cLo;
        double s = xc + m, sb = s - xc, sLo = ((xc - (s - sb)) + (m - sb)) + mLo;
        double zh = TWO_BETA * s, zl = Math.fma(TWO_BETA, s, -zh) + TWO_BETA * sLo;
        // e + eLo = e^{-|z|} = 2^k (high + low) as Logistic64's, |z|'s low part subtracted from r's
        double y = Math.min(Math.abs(zh), CAP), yLo = x < 0 ? -zl : zl, shifted = Math.fma(y, -LOG2E, ROUND), k = shifted - ROUND;
        double r1 = Math.fma(k, -LN2_HI, -y), rh = Math.fma(k, -LN2_LO, r1), rl = Math.fma(k, -LN2_LO, r1 - rh) - yLo;
        // e^{rh + rl} = 1 + rh + rh^2 Q(rh) + rl e^rh: rl holds |z|'s low part, up to 2^-45, too large for e^rh as 1 + rh
        // there (as Logistic64 takes it)
        double q2 = rh * rh, eq = ExpReduction.q(rh), mh = Math.fma(q2, eq, rh);
        double hi = 1 + rh, tail = ((1 - hi) + rh) + Math.fma(q2, eq, Math.fma(rl, mh, rl)), high = hi + tail, low = (hi - high) + tail;
        long kBits = Double.doubleToRawLongBits(shifted) - ROUND_BITS, halfK = kBits >> 1;
        double half = Double.longBitsToDouble((halfK + BIAS) << MANTISSA), rest = Double.longBitsToDouble((kBits - halfK + BIAS) << MANTISSA);
        double scaled = high * half, scaledLo = low * half, e = scaled * rest, eLo = scaledLo * rest;
        double d = 1 + e, dLo = (e - (d - 1)) + eLo, inv = 1 / d;
        // the numerator n + nLo: the sigmoid's (e below 0, else 1), or the function's (x e below 0, from x times the normal
        // part of e, then scaled by the rest, so that it rounds once where it is subnormal; else x)
        double n, nLo;
        if (slope) {
            n = x < 0 ? e : 1;
            nLo = x < 0 ? eLo : 0;
        } else {
            double xn = Math.max(x, -X_CAP), xs = xn * scaled, xsLo = Math.fma(xn, scaled, -xs) + xn * scaledLo;
            n = x < 0 ? xs * rest : x;
            nLo = x < 0 ? xsLo * rest : 0;
        }
        // n / (1 + e) corrected once by its residual, as Logistic64's
        double q = n * inv;
        q = Math.fma(Math.fma(-q, d, n) + nLo - q * dLo, inv, q);
        if (Double.isInfinite(x)) return slope || x < 0 ? Double.NaN : x; // PyTorch's: inf times 0 in the tanh form
        if (!slope) return Math.copySign(q, x); // x's sign, -0 for -0
        // sigma(z) + x z' sigma(z) (1 - sigma(z)), the last two e / (1 + e)^2 on either side, e's normal part first and
        // its rest in the sum's one rounding (x z' e is subnormal from x = -21.3, where x z' is ~2,000)
        double xz = xc * (TWO_BETA * Math.fma(3 * KAPPA, p, 1));
        return in * Math.fma(xz * scaled * inv * inv, rest, q);
    }

    /** out = GELU's tanh form of x for n entries: whole vectors where this width has four double lanes or more, the rest by the twin. */
    static void apply(VectorStart start, double[] x, int xo, double[] out, int oo, int n) {
        int i = D.length() >= 4 ? start.run(n, D.loopBound(n), D.length(), m -> forward(x, xo, out, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = gelu(x[xo + i]);
    }

    /** out = in times the derivative at x for n entries, as {@link #apply}. */
    static void scale(VectorStart start, double[] x, int xo, double[] in, int io, double[] out, int oo, int n) {
        int i = D.length() >= 4 ? start.run(n, D.loopBound(n), D.length(), m -> slope(x, xo, in, io, out, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = scale(x[xo + i], in[io + i]);
    }

    /** The forward loop over the first {@code whole} entries ({@link #vectors}); returns {@code whole}. */
    static int forward(double[] x, int xo, double[] out, int oo, int whole) {
        return vectors(false, x, xo, null, 0, out, oo, whole);
    }

    /** The derivative's loop over the first {@code whole} entries ({@link #vectors}); returns {@code whole}. */
    static int slope(double[] x, int xo, double[] in, int io, double[] out, int oo, int whole) {
        return vectors(true, x, xo, in, io, out, oo, whole);
    }

    /**
     * The loop over the first {@code whole} entries, a multiple of D's lanes, returning {@code whole}: out = the function
     * of x, or with {@code slope} out = in times its derivative. One body for both, which share z and e, and no vector
     * passed to a method: a vector crossing a call is an object on the heap.
     */
    private static int vectors(boolean slope, double[] x, int xo, double[] in, int io, double[] out, int oo, int whole) {
        DoubleVector e12 = DoubleVector.broadcast(D, ExpReduction.E12), e11 = DoubleVector.broadcast(D, ExpReduction.E11),
                e10 = DoubleVector.broadcast(D, ExpReduction.E10), e9 = DoubleVector.broadcast(D, ExpReduction.E9),
                e8 = DoubleVector.broadcast(D, ExpReduction.E8), e7 = DoubleVector.broadcast(D, ExpReduction.E7),
                e6 = DoubleVector.broadcast(D, ExpReduction.E6), e5 = DoubleVector.broadcast(D, ExpReduction.E5),
                e4 = DoubleVector.broadcast(D, ExpReduction.E4), e3 = DoubleVector.broadcast(D, ExpReduction.E3),
                oneHalf = DoubleVector.broadcast(D, 0.5), one = DoubleVector.broadcast(D, 1), zero = DoubleVector.zero(D),
                round = DoubleVector.broadcast(D, ROUND), minusLog2e = DoubleVector.broadcast(D, -LOG2E),
                lnHi = DoubleVector.broadcast(D, -LN2_HI), lnLo = DoubleVector.broadcast(D, -LN2_LO),
                kappa = DoubleVector.broadcast(D, KAPPA), twoBeta = DoubleVector.broadcast(D, TWO_BETA),
                threeKappa = DoubleVector.broadcast(D, 3 * KAPPA);
        for (int i = 0; i < whole; i += D.length()) {
            DoubleVector v = DoubleVector.fromArray(D, x, xo + i);
            VectorMask<Double> negative = v.lt(0);
            // z = zh + zl, as the twin's
            DoubleVector xc = v.max(-X_CAP).min(X_CAP), p = xc.mul(xc), pLo = xc.fma(xc, p.neg());
            DoubleVector c = p.mul(xc), cLo = p.fma(xc, c.neg()).add(pLo.mul(xc));
            DoubleVector m = kappa.mul(c), mLo = kappa.fma(c, m.neg()).add(kappa.mul(cLo));
            DoubleVector s = xc.add(m), sb = s.sub(xc), sLo = xc.sub(s.sub(sb)).add(m.sub(sb)).add(mLo);
            DoubleVector zh = twoBeta.mul(s), zl = twoBeta.fma(s, zh.neg()).add(twoBeta.mul(sLo));
            // e + eLo = e^{-|z|}, as the twin's
            DoubleVector a = zh.abs().min(CAP), aLo = zl.blend(zl.neg(), negative), shifted = a.fma(minusLog2e, round), k = shifted.sub(round);
            DoubleVector r1 = k.fma(lnHi, a.neg()), rh = k.fma(lnLo, r1), rl = k.fma(lnLo, r1.sub(rh)).sub(aLo);
            DoubleVector q = rh.fma(e12, e11).fma(rh, e10).fma(rh, e9).fma(rh, e8).fma(rh, e7).fma(rh, e6).fma(rh, e5).fma(rh, e4)
                    .fma(rh, e3).fma(rh, oneHalf);
            DoubleVector q2 = rh.mul(rh), mh = q2.fma(q, rh);
            DoubleVector hi = one.add(rh), tail = one.sub(hi).add(rh).add(q2.fma(q, rl.fma(mh, rl))), high = hi.add(tail), low = hi.sub(high).add(tail);
            LongVector kBits = shifted.reinterpretAsLongs().sub(ROUND_BITS), halfK = kBits.lanewise(VectorOperators.ASHR, 1);
            DoubleVector half = halfK.add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA).reinterpretAsDoubles();
            DoubleVector rest = kBits.sub(halfK).add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA).reinterpretAsDoubles();
            DoubleVector scaled = high.mul(half), scaledLo = low.mul(half), e = scaled.mul(rest), eLo = scaledLo.mul(rest);
            DoubleVector d = one.add(e), dLo = e.sub(d.sub(one)).add(eLo), inv = one.div(d), n, nLo;
            if (slope) {
                n = one.blend(e, negative);
                nLo = zero.blend(eLo, negative);
            } else {
                DoubleVector xn = v.max(-X_CAP), xs = xn.mul(scaled), xsLo = xn.fma(scaled, xs.neg()).add(xn.mul(scaledLo));
                n = v.blend(xs.mul(rest), negative);
                nLo = zero.blend(xsLo.mul(rest), negative);
            }
            // n / (1 + e) corrected once, as the twin's
            DoubleVector quotient = n.mul(inv), y;
            quotient = quotient.neg().fma(d, n).add(nLo).sub(quotient.mul(dLo)).fma(inv, quotient);
            if (slope) {
                DoubleVector xz = xc.mul(twoBeta.mul(threeKappa.fma(p, one)));
                y = DoubleVector.fromArray(D, in, io + i).mul(xz.mul(scaled).mul(inv).mul(inv).fma(rest, quotient))
                        .blend(Double.NaN, v.abs().eq(Double.POSITIVE_INFINITY));
            } else {
                y = quotient.reinterpretAsLongs().and(Long.MAX_VALUE).or(v.reinterpretAsLongs().and(Long.MIN_VALUE)).reinterpretAsDoubles()
                        .blend(v, v.eq(Double.POSITIVE_INFINITY)).blend(Double.NaN, v.eq(Double.NEGATIVE_INFINITY));
            }
            y.intoArray(out, oo + i);
        }
        return whole;
    }
}
