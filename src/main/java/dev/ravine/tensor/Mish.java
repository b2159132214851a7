package dev.ravine.tensor;

import static dev.ravine.tensor.ExpReduction.BIAS;
import static dev.ravine.tensor.ExpReduction.LN2_HI;
import static dev.ravine.tensor.ExpReduction.LN2_LO;
import static dev.ravine.tensor.ExpReduction.LOG2E;
import static dev.ravine.tensor.ExpReduction.MANTISSA;
import static dev.ravine.tensor.ExpReduction.ROUND;
import static dev.ravine.tensor.ExpReduction.ROUND_BITS;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Mish, x tanh(softplus(x)) (Misra 2019), and its derivative t + x sigmoid(x) (1 - t^2) with t = tanh(softplus(x)), in
 * float32 and float64, computed in double (float inputs rounded once at the end): a vector form and a scalar twin that
 * take the same operations in the same order, so every entry gets the same bits in either, in every tier of the JIT,
 * as {@link Elu}. The float64 path elsewhere calls Math's exp, log1p and tanh per entry, and its derivative all three
 * again with another exp (49 and 60 ns an entry at AMD EPYC Zen 5: a Mish network's step spent most of its time there).
 *
 * <p>With e = e^x, tanh(log(1 + e)) = ((1 + e)^2 - 1) / ((1 + e)^2 + 1) = n / (n + 2), n = e^2 + 2e, a quotient of
 * positive terms: no function but one exponential, and nothing cancels. In u = e^{-|x|}, so that nothing overflows: t =
 * N / (N + 2) with N = u^2 + 2u below 0, and t = N / (N + 2u^2) with N = 1 + 2u above (numerator and denominator
 * divided by e^2), each with its rounding and u's kept in a low part, so that x t = (x N) / D is a quotient corrected
 * once by its residual, as {@link Logistic64}'s. For the slope, 1 - t^2 = s (D + N) / D^2 with D = N + s, s the 2 or
 * 2u^2 added (Math's 1 - t^2 loses up to x ulps as t nears 1), and the sigmoid u / (1 + u) below 0 and 1 / (1 + u)
 * above. u = 2^k e^r as in {@link Logistic64} ({@link ExpReduction}); below -40, where t is u to the last bit, Mish is x
 * u and its derivative (1 + x) u, each with the last half of 2^k applied last, so that it rounds once into the
 * subnormals; above 40 Mish is x. |x| capped at 760, past which u is 0. Mish(-inf) and the derivative at either
 * infinity are NaN, as in PyTorch's form (infinity times 0). Within 0.53 ulps of the exact value where it is normal (99%
 * correctly rounded) and an ulp where it is subnormal, the derivative within 2.6 ulps of its terms ({@code MishTest}
 * against mpmath). 2.7 ns an entry forward and 3.8 backward at 512 bits, 5.3 and 5.5 at {@code -XX:UseAVX=2}.
 */
final class Mish {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats as many as D's lanes, each converted to a double lane and back. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    /** |x| past which e^{-|x|} rounds to 0, and |x| past which t is u (below 0) or 1 (above) to the last bit. */
    private static final double CAP = 760, TAIL = 40;

    private Mish() {
    }

    /** Mish(x), the same bits as a lane of {@link #apply}'s vectors. */
    static double mish(double x) {
        return twin(false, x, 0);
    }

    /** Mish(x) in float32: {@link #mish(double)} of the float, rounded once. */
    static float mish(float x) {
        return (float) mish((double) x);
    }

    /** in Mish'(x), the same bits as a lane of {@link #scale}'s vectors. */
    static double scale(double x, double in) {
        return twin(true, x, in);
    }

    /** in Mish'(x) in float32: {@link #scale(double, double)} of the floats, rounded once. */
    static float scale(float x, float in) {
        return (float) scale((double) x, (double) in);
    }

    /** Mish(x), or with {@code slope} in Mish'(x), by the loop's operations on one lane, in its order. */
    private static double twin(boolean slope, double x, double in) {
        // u + uLo = e^{-|x|} = (scaled + scaledLo) rest, as Logistic64's
        double y = Math.min(Math.abs(x), CAP), shifted = Math.fma(y, -LOG2E, ROUND), k = shifted - ROUND;
        double r1 = Math.fma(k, -LN2_HI, -y), rh = Math.fma(k, -LN2_LO, r1), rl = Math.fma(k, -LN2_LO, r1 - rh);
        double hi = 1 + rh, tail = ((1 - hi) + rh) + Math.fma(rh * rh, ExpReduction.q(rh), Math.fma(rl, rh, rl)), high = hi + tail;
        long kBits = Double.doubleToRawLongBits(shifted) - ROUND_BITS, halfK = kBits >> 1;
        double half = Double.longBitsToDouble((halfK + BIAS) << MANTISSA), rest = Double.longBitsToDouble((kBits - halfK + BIAS) << MANTISSA);
        double scaled = high * half, scaledLo = ((hi - high) + tail) * half, u = scaled * rest, uLo = scaledLo * rest, uu = u + u;
        // t = (n + nLo) / (d + dLo), each sum's rounding and u's kept in its low part (the differences taken are exact)
        boolean negative = x < 0;
        double n = negative ? Math.fma(u, u, uu) : Math.fma(u, 2, 1);
        double nLo = negative ? Math.fma(u, u, uu - n) + uLo * (uu + 2) : (uu - (n - 1)) + (uLo + uLo);
        double d = negative ? n + 2 : Math.fma(uu, u, n);
        double dLo = negative ? (n - (d - 2)) + nLo : (Math.fma(uu, u, n - d) + nLo) + uu * (uLo + uLo);
        double inv = 1 / d, xc = Math.max(x, -CAP);
        if (slope) {
            // t + x sigmoid(x) (1 - t^2), the second term x w 2 (d + n) / ((1 + u) d^2) with w = u below 0 and u^2 above;
            // below -TAIL (1 + x) u, the last half of 2^k last
            double t = n * inv;
            t = Math.fma(Math.fma(-t, d, n) + nLo - t * dLo, inv, t);
            double term = x * (negative ? u : u * u) * (d + n) * 2 / ((1 + u) * d * d), xc1 = xc + 1;
            double s = x < -TAIL ? Math.fma(xc1, scaled, xc1 * scaledLo) * rest : t + term;
            return in * (x == Double.NEGATIVE_INFINITY ? Double.NaN : s);
        }
        // x t = (x n + x nLo) / (d + dLo), corrected as t is; above TAIL x itself (t is 1 to the last bit, and x n may be
        // infinite), at 0 x itself (its sign), below -TAIL x u, the last half of 2^k last
        double xn = x * n, xnLo = Math.fma(x, n, -xn) + x * nLo, m = xn * inv;
        m = Math.fma(Math.fma(-m, d, xn) + xnLo - m * dLo, inv, m);
        if (x == Double.NEGATIVE_INFINITY) return Double.NaN; // -inf times 0
        return x > TAIL || x == 0 ? x : x < -TAIL ? Math.fma(xc, scaled, xc * scaledLo) * rest : m;
    }

    /** out = Mish(x) for n floats: whole vectors where this width has four double lanes or more, the rest by the twin. */
    static void apply(VectorStart start, float[] x, int xo, float[] out, int oo, int n) {
        int i = D.length() >= 4 ? start.run(n, D.loopBound(n), D.length(), m -> vectors(false, x, null, out, null, null, null, xo, 0, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = mish(x[xo + i]);
    }

    /** out = Mish(x) for n doubles, as {@link #apply(VectorStart, float[], int, float[], int, int)}. */
    static void apply(VectorStart start, double[] x, int xo, double[] out, int oo, int n) {
        int i = D.length() >= 4 ? start.run(n, D.loopBound(n), D.length(), m -> vectors(false, null, null, null, x, null, out, xo, 0, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = mish(x[xo + i]);
    }

    /** out = in Mish'(x) for n floats, as {@link #apply(VectorStart, float[], int, float[], int, int)}. */
    static void scale(VectorStart start, float[] x, int xo, float[] in, int io, float[] out, int oo, int n) {
        int i = D.length() >= 4 ? start.run(n, D.loopBound(n), D.length(), m -> vectors(true, x, in, out, null, null, null, xo, io, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = scale(x[xo + i], in[io + i]);
    }

    /** out = in Mish'(x) for n doubles, as {@link #apply(VectorStart, float[], int, float[], int, int)}. */
    static void scale(VectorStart start, double[] x, int xo, double[] in, int io, double[] out, int oo, int n) {
        int i = D.length() >= 4 ? start.run(n, D.loopBound(n), D.length(), m -> vectors(true, null, null, null, x, in, out, xo, io, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = scale(x[xo + i], in[io + i]);
    }

    /**
     * The loop over the first {@code whole} entries, a multiple of D's lanes, of the float arrays or else the double ones,
     * returning {@code whole}: out = Mish(x), or with {@code slope} out = in Mish'(x). One body for both, which share
     * e^{-|x|} and t, and no vector passed to a method: a vector crossing a call is an object on the heap.
     */
    static int vectors(boolean slope, float[] xf, float[] inF, float[] outF, double[] xd, double[] inD, double[] outD, int xo, int io,
                       int oo, int whole) {
        boolean floats = xf != null;
        DoubleVector e12 = DoubleVector.broadcast(D, ExpReduction.E12), e11 = DoubleVector.broadcast(D, ExpReduction.E11),
                e10 = DoubleVector.broadcast(D, ExpReduction.E10), e9 = DoubleVector.broadcast(D, ExpReduction.E9),
                e8 = DoubleVector.broadcast(D, ExpReduction.E8), e7 = DoubleVector.broadcast(D, ExpReduction.E7),
                e6 = DoubleVector.broadcast(D, ExpReduction.E6), e5 = DoubleVector.broadcast(D, ExpReduction.E5),
                e4 = DoubleVector.broadcast(D, ExpReduction.E4), e3 = DoubleVector.broadcast(D, ExpReduction.E3),
                oneHalf = DoubleVector.broadcast(D, 0.5), one = DoubleVector.broadcast(D, 1), two = DoubleVector.broadcast(D, 2),
                round = DoubleVector.broadcast(D, ROUND), minusLog2e = DoubleVector.broadcast(D, -LOG2E),
                lnHi = DoubleVector.broadcast(D, -LN2_HI), lnLo = DoubleVector.broadcast(D, -LN2_LO);
        for (int i = 0; i < whole; i += D.length()) {
            DoubleVector v = floats ? (DoubleVector) FloatVector.fromArray(F, xf, xo + i).convertShape(VectorOperators.F2D, D, 0)
                    : DoubleVector.fromArray(D, xd, xo + i);
            // u = e^{-|x|} = scaled rest, as the twin's scaled and rest
            DoubleVector y = v.abs().min(CAP), shifted = y.fma(minusLog2e, round), k = shifted.sub(round);
            DoubleVector r1 = k.fma(lnHi, y.neg()), rh = k.fma(lnLo, r1), rl = k.fma(lnLo, r1.sub(rh));
            DoubleVector q = rh.fma(e12, e11).fma(rh, e10).fma(rh, e9).fma(rh, e8).fma(rh, e7).fma(rh, e6).fma(rh, e5).fma(rh, e4)
                    .fma(rh, e3).fma(rh, oneHalf);
            DoubleVector hi = one.add(rh), tail = one.sub(hi).add(rh).add(rh.mul(rh).fma(q, rl.fma(rh, rl)));
            LongVector kBits = shifted.reinterpretAsLongs().sub(ROUND_BITS), halfK = kBits.lanewise(VectorOperators.ASHR, 1);
            DoubleVector high = hi.add(tail), half = halfK.add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA).reinterpretAsDoubles();
            DoubleVector rest = kBits.sub(halfK).add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA).reinterpretAsDoubles();
            DoubleVector scaled = high.mul(half), scaledLo = hi.sub(high).add(tail).mul(half), u = scaled.mul(rest), uLo = scaledLo.mul(rest);
            DoubleVector uu = u.add(u);
            // t = (n + nLo) / (d + dLo), as the twin
            VectorMask<Double> negative = v.lt(0), far = v.lt(-TAIL);
            DoubleVector nNeg = u.fma(u, uu), nPos = u.fma(two, one), n = nPos.blend(nNeg, negative);
            DoubleVector nLo = uu.sub(nPos.sub(one)).add(uLo.add(uLo)).blend(u.fma(u, uu.sub(nNeg)).add(uLo.mul(uu.add(two))), negative);
            DoubleVector dNeg = n.add(two), dPos = uu.fma(u, n), d = dPos.blend(dNeg, negative);
            DoubleVector dLo = uu.fma(u, n.sub(dPos)).add(nLo).add(uu.mul(uLo.add(uLo))).blend(n.sub(dNeg.sub(two)).add(nLo), negative);
            DoubleVector inv = one.div(d), xc = v.max(-CAP), result;
            if (slope) {
                DoubleVector g = floats ? (DoubleVector) FloatVector.fromArray(F, inF, io + i).convertShape(VectorOperators.F2D, D, 0)
                        : DoubleVector.fromArray(D, inD, io + i);
                DoubleVector t = n.mul(inv);
                t = t.neg().fma(d, n).add(nLo).sub(t.mul(dLo)).fma(inv, t);
                DoubleVector term = v.mul(u.mul(u).blend(u, negative)).mul(d.add(n)).mul(two).div(one.add(u).mul(d).mul(d)), xc1 = xc.add(one);
                DoubleVector s = t.add(term).blend(xc1.fma(scaled, xc1.mul(scaledLo)).mul(rest), far);
                result = g.mul(s.blend(Double.NaN, v.eq(Double.NEGATIVE_INFINITY)));
            } else {
                DoubleVector xn = v.mul(n), xnLo = v.fma(n, xn.neg()).add(v.mul(nLo)), m = xn.mul(inv);
                m = m.neg().fma(d, xn).add(xnLo).sub(m.mul(dLo)).fma(inv, m);
                result = m.blend(v, v.compare(VectorOperators.GT, TAIL).or(v.eq(0))).blend(xc.fma(scaled, xc.mul(scaledLo)).mul(rest), far)
                        .blend(Double.NaN, v.eq(Double.NEGATIVE_INFINITY));
            }
            if (floats) result.convertShape(VectorOperators.D2F, F, 0).reinterpretAsFloats().intoArray(outF, oo + i);
            else result.intoArray(outD, oo + i);
        }
        return whole;
    }
}
