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
 * Softplus, log(1 + e^x) with PyTorch's defaults (beta 1, threshold 20: x itself above 20, and slope 1), and its
 * derivative the sigmoid, in float32 and float64, computed in double (float inputs rounded once at the end): a vector
 * form and a scalar twin that take the same operations in the same order, so every entry gets the same bits in either,
 * in every tier of the JIT, as {@link Elu}. The float64 path elsewhere calls Math's exp and log1p per entry (23 ns an
 * entry at AMD EPYC Zen 5, where tanh's kernel takes 0.4).
 *
 * <p>Both come from u = e^{-|x|}: Softplus is max(x, 0) + log1p(u), the sigmoid u / (1 + u) below 0 and 1 / (1 + u)
 * above, so nothing overflows and the negative side, where Softplus is about e^x, keeps its digits. u + uLo = 2^k e^r
 * as in {@link Logistic64} ({@link ExpReduction}; 2^k in two halves, each a normal double, so that u rounds once into
 * the subnormals), |x| capped at 760, past which u is 0. log1p(u) as fdlibm takes it: 1 + u = 2^j (1 + f) with j = 0
 * and f = u below 1/2, j = 1 and f = (u - 1) / 2 from 1/2 (both exact), then log(1 + f) = 2 atanh(s), s = f / (2 + f),
 * as f - (f^2/2 - s (f^2/2 + R(s^2))) with R the series 2 s^{2k} / (2k + 1), k = 1 to 11 (|s| &lt;= 1/5: its remainder
 * under 0.02 ulps), j ln 2 added as a sum of two doubles and u's rounding uLo as uLo / (1 + u). The sigmoid is a
 * quotient corrected once by its residual, as {@link Logistic64}'s. Within 0.82 ulps of the exact value (97% correctly
 * rounded) and the slope within 0.52 of the sigmoid ({@code SoftplusTest} against mpmath). 2.9 ns an entry forward and
 * 1.7 backward at 512 bits, 5.9 and 3.0 at {@code -XX:UseAVX=2} (AMD EPYC Zen 5).
 */
final class Softplus {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats as many as D's lanes, each converted to a double lane and back. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    /** PyTorch's threshold, above which Softplus is x and its slope 1. */
    static final double THRESHOLD = 20;
    /** |x| past which e^{-|x|} rounds to 0. */
    private static final double CAP = 760;
    /** R's coefficients 2 / (2k + 1), k = 11 down to 1. */
    private static final double[] R = {2.0 / 23, 2.0 / 21, 2.0 / 19, 2.0 / 17, 2.0 / 15, 2.0 / 13, 2.0 / 11, 2.0 / 9, 2.0 / 7,
            2.0 / 5, 2.0 / 3};

    private Softplus() {
    }

    /** Softplus(x), the same bits as a lane of {@link #apply}'s vectors. */
    static double softplus(double x) {
        return twin(false, x, 0);
    }

    /** Softplus(x) in float32: {@link #softplus(double)} of the float, rounded once. */
    static float softplus(float x) {
        return (float) softplus((double) x);
    }

    /** in Softplus'(x), the sigmoid, the same bits as a lane of {@link #scale}'s vectors. */
    static double scale(double x, double in) {
        return twin(true, x, in);
    }

    /** in Softplus'(x) in float32: {@link #scale(double, double)} of the floats, rounded once. */
    static float scale(float x, float in) {
        return (float) scale((double) x, (double) in);
    }

    /** Softplus(x), or with {@code slope} in Softplus'(x), by the loop's operations on one lane, in its order. */
    private static double twin(boolean slope, double x, double in) {
        // u + uLo = e^{-|x|} = 2^k e^r, as Logistic64's, the halves of 2^k applied one after the other
        double y = Math.min(Math.abs(x), CAP), shifted = Math.fma(y, -LOG2E, ROUND), k = shifted - ROUND;
        double r1 = Math.fma(k, -LN2_HI, -y), rh = Math.fma(k, -LN2_LO, r1), rl = Math.fma(k, -LN2_LO, r1 - rh);
        double hi = 1 + rh, tail = ((1 - hi) + rh) + Math.fma(rh * rh, ExpReduction.q(rh), Math.fma(rl, rh, rl)), high = hi + tail;
        long kBits = Double.doubleToRawLongBits(shifted) - ROUND_BITS, halfK = kBits >> 1;
        double half = Double.longBitsToDouble((halfK + BIAS) << MANTISSA), rest = Double.longBitsToDouble((kBits - halfK + BIAS) << MANTISSA);
        double u = high * half * rest, uLo = ((hi - high) + tail) * half * rest;
        if (slope) {
            // (n + nLo) / (1 + u + uLo), n = u below 0 and 1 above: n / d corrected once by its residual, as Logistic64's
            double n = x < 0 ? u : 1, nLo = x < 0 ? uLo : 0, d = 1 + u, dLo = (u - (d - 1)) + uLo, inv = 1 / d, s = n * inv;
            s = Math.fma(Math.fma(-s, d, n) + nLo - s * dLo, inv, s);
            return x > THRESHOLD ? in : in * s;
        }
        // log1p(u + uLo) = j ln 2 + log(1 + f) + uLo / (1 + u), the last as uLo (1 - u / 2), good to an eighth of itself
        double big = u >= 0.5 ? 1 : 0, f = u >= 0.5 ? (u - 1) * 0.5 : u;
        double s = f / (2 + f), z = s * s, r = R[0];
        for (int j = 1; j < R.length; j++) r = Math.fma(r, z, R[j]);
        double hfsq = 0.5 * f * f, a = Math.fma(big, LN2_HI, f), aLo = Math.fma(big, LN2_HI, -a) + f;
        double b = (aLo + Math.fma(big, LN2_LO, Math.fma(uLo * -0.5, u, uLo))) - (hfsq - s * (hfsq + r * z));
        return x > THRESHOLD ? x : Math.max(x, 0) + (a + b);
    }

    /** out = Softplus(x) for n floats: whole vectors where this width has four double lanes or more, the rest by the twin. */
    static void apply(VectorStart start, float[] x, int xo, float[] out, int oo, int n) {
        int i = D.length() >= 4 ? start.run(n, D.loopBound(n), D.length(), m -> vectors(false, x, null, out, null, null, null, xo, 0, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = softplus(x[xo + i]);
    }

    /** out = Softplus(x) for n doubles, as {@link #apply(VectorStart, float[], int, float[], int, int)}. */
    static void apply(VectorStart start, double[] x, int xo, double[] out, int oo, int n) {
        int i = D.length() >= 4 ? start.run(n, D.loopBound(n), D.length(), m -> vectors(false, null, null, null, x, null, out, xo, 0, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = softplus(x[xo + i]);
    }

    /** out = in Softplus'(x) for n floats, as {@link #apply(VectorStart, float[], int, float[], int, int)}. */
    static void scale(VectorStart start, float[] x, int xo, float[] in, int io, float[] out, int oo, int n) {
        int i = D.length() >= 4 ? start.run(n, D.loopBound(n), D.length(), m -> vectors(true, x, in, out, null, null, null, xo, io, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = scale(x[xo + i], in[io + i]);
    }

    /** out = in Softplus'(x) for n doubles, as {@link #apply(VectorStart, float[], int, float[], int, int)}. */
    static void scale(VectorStart start, double[] x, int xo, double[] in, int io, double[] out, int oo, int n) {
        int i = D.length() >= 4 ? start.run(n, D.loopBound(n), D.length(), m -> vectors(true, null, null, null, x, in, out, xo, io, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = scale(x[xo + i], in[io + i]);
    }

    /**
     * The loop over the first {@code whole} entries, a multiple of D's lanes, of the float arrays or else the double ones,
     * returning {@code whole}: out = Softplus(x), or with {@code slope} out = in Softplus'(x). One body for both, which
     * share e^{-|x|}, and no vector passed to a method: a vector crossing a call is an object on the heap.
     */
    static int vectors(boolean slope, float[] xf, float[] inF, float[] outF, double[] xd, double[] inD, double[] outD, int xo, int io,
                       int oo, int whole) {
        boolean floats = xf != null;
        DoubleVector e12 = DoubleVector.broadcast(D, ExpReduction.E12), e11 = DoubleVector.broadcast(D, ExpReduction.E11),
                e10 = DoubleVector.broadcast(D, ExpReduction.E10), e9 = DoubleVector.broadcast(D, ExpReduction.E9),
                e8 = DoubleVector.broadcast(D, ExpReduction.E8), e7 = DoubleVector.broadcast(D, ExpReduction.E7),
                e6 = DoubleVector.broadcast(D, ExpReduction.E6), e5 = DoubleVector.broadcast(D, ExpReduction.E5),
                e4 = DoubleVector.broadcast(D, ExpReduction.E4), e3 = DoubleVector.broadcast(D, ExpReduction.E3),
                oneHalf = DoubleVector.broadcast(D, 0.5), one = DoubleVector.broadcast(D, 1), zero = DoubleVector.zero(D),
                two = DoubleVector.broadcast(D, 2), round = DoubleVector.broadcast(D, ROUND),
                minusLog2e = DoubleVector.broadcast(D, -LOG2E), lnHi = DoubleVector.broadcast(D, -LN2_HI),
                lnLo = DoubleVector.broadcast(D, -LN2_LO);
        // R's coefficients as vectors, its series written out: a vector carried round an inner loop may be boxed by C2
        DoubleVector c0 = DoubleVector.broadcast(D, R[0]), c1 = DoubleVector.broadcast(D, R[1]), c2 = DoubleVector.broadcast(D, R[2]),
                c3 = DoubleVector.broadcast(D, R[3]), c4 = DoubleVector.broadcast(D, R[4]), c5 = DoubleVector.broadcast(D, R[5]),
                c6 = DoubleVector.broadcast(D, R[6]), c7 = DoubleVector.broadcast(D, R[7]), c8 = DoubleVector.broadcast(D, R[8]),
                c9 = DoubleVector.broadcast(D, R[9]), c10 = DoubleVector.broadcast(D, R[10]), ln2Hi = DoubleVector.broadcast(D, LN2_HI),
                ln2Lo = DoubleVector.broadcast(D, LN2_LO);
        for (int i = 0; i < whole; i += D.length()) {
            DoubleVector v = floats ? (DoubleVector) FloatVector.fromArray(F, xf, xo + i).convertShape(VectorOperators.F2D, D, 0)
                    : DoubleVector.fromArray(D, xd, xo + i);
            // u + uLo = e^{-|x|}, as the twin's
            DoubleVector y = v.abs().min(CAP), shifted = y.fma(minusLog2e, round), k = shifted.sub(round);
            DoubleVector r1 = k.fma(lnHi, y.neg()), rh = k.fma(lnLo, r1), rl = k.fma(lnLo, r1.sub(rh));
            DoubleVector q = rh.fma(e12, e11).fma(rh, e10).fma(rh, e9).fma(rh, e8).fma(rh, e7).fma(rh, e6).fma(rh, e5).fma(rh, e4)
                    .fma(rh, e3).fma(rh, oneHalf);
            DoubleVector hi = one.add(rh), tail = one.sub(hi).add(rh).add(rh.mul(rh).fma(q, rl.fma(rh, rl)));
            LongVector kBits = shifted.reinterpretAsLongs().sub(ROUND_BITS), halfK = kBits.lanewise(VectorOperators.ASHR, 1);
            DoubleVector half = halfK.add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA).reinterpretAsDoubles();
            DoubleVector rest = kBits.sub(halfK).add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA).reinterpretAsDoubles();
            DoubleVector high = hi.add(tail), u = high.mul(half).mul(rest), uLo = hi.sub(high).add(tail).mul(half).mul(rest), result;
            VectorMask<Double> above = v.compare(VectorOperators.GT, THRESHOLD);
            if (slope) {
                DoubleVector g = floats ? (DoubleVector) FloatVector.fromArray(F, inF, io + i).convertShape(VectorOperators.F2D, D, 0)
                        : DoubleVector.fromArray(D, inD, io + i);
                VectorMask<Double> negative = v.lt(0);
                DoubleVector n = one.blend(u, negative), nLo = zero.blend(uLo, negative), d = one.add(u);
                DoubleVector dLo = u.sub(d.sub(one)).add(uLo), inv = one.div(d), s = n.mul(inv);
                s = s.neg().fma(d, n).add(nLo).sub(s.mul(dLo)).fma(inv, s);
                result = g.mul(s).blend(g, above);
            } else {
                VectorMask<Double> big = u.compare(VectorOperators.GE, 0.5);
                DoubleVector f = u.blend(u.sub(one).mul(oneHalf), big), s = f.div(two.add(f)), z = s.mul(s);
                DoubleVector r = c0.fma(z, c1).fma(z, c2).fma(z, c3).fma(z, c4).fma(z, c5).fma(z, c6).fma(z, c7).fma(z, c8)
                        .fma(z, c9).fma(z, c10);
                DoubleVector bigs = zero.blend(one, big), hfsq = oneHalf.mul(f).mul(f);
                DoubleVector a = bigs.fma(ln2Hi, f), aLo = bigs.fma(ln2Hi, a.neg()).add(f);
                DoubleVector b = aLo.add(bigs.fma(ln2Lo, uLo.mul(-0.5).fma(u, uLo)))
                        .sub(hfsq.sub(s.mul(hfsq.add(r.mul(z)))));
                result = v.max(zero).add(a.add(b)).blend(v, above);
            }
            if (floats) result.convertShape(VectorOperators.D2F, F, 0).reinterpretAsFloats().intoArray(outF, oo + i);
            else result.intoArray(outD, oo + i);
        }
        return whole;
    }
}
