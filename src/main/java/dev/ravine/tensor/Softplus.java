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
 * Softplus, log(1 + e^z) / beta with z = beta x (PyTorch's defaults beta 1 and threshold 20: x itself where z passes the
 * threshold, and slope 1), and its derivative the sigmoid of z, in float32 and float64, computed in double (float inputs
 * rounded once at the end; z = beta x rounded once, as PyTorch's formula has it, and the division by beta): a vector
 * form and a scalar twin that take the same operations in the same order, so every entry gets the same bits in either,
 * in every tier of the JIT, as {@link Elu}. The float64 path elsewhere calls Math's exp and log1p per entry (23 ns an
 * entry at AMD EPYC Zen 5, where tanh's kernel takes 0.4).
 *
 * <p>Both come from u = e^{-|z|}: Softplus(z) is max(z, 0) + log1p(u), the sigmoid u / (1 + u) below 0 and 1 / (1 + u)
 * above, so nothing overflows and the negative side, where Softplus is about e^z, keeps its digits. u + uLo = 2^k e^r
 * as in {@link Logistic64} ({@link ExpReduction}; 2^k in two halves, each a normal double, so that u rounds once into
 * the subnormals), |z| capped at 760, past which u is 0. log1p(u) as fdlibm takes it: 1 + u = 2^j (1 + f) with j = 0
 * and f = u below 1/2, j = 1 and f = (u - 1) / 2 from 1/2 (both exact), then log(1 + f) = 2 atanh(s), s = f / (2 + f),
 * as f - (f^2/2 - s (f^2/2 + R(s^2))) with R the series 2 s^{2k} / (2k + 1), k = 1 to 11 (|s| &lt;= 1/5: its remainder
 * under 0.02 ulps), j ln 2 added as a sum of two doubles and u's rounding uLo as uLo / (1 + u). The sigmoid is a
 * quotient corrected once by its residual, as {@link Logistic64}'s. Within 0.82 ulps of the exact value (97% correctly
 * rounded) and the slope within 0.52 of the sigmoid, 0.7 in its two lowest binades ({@code SoftplusTest} against
 * mpmath); with another beta, the same of Softplus(z) before the division by beta rounds it once more. 2.9 ns an
 * entry forward and 1.7 backward at 512 bits, 5.9 and 3.0 at {@code -XX:UseAVX=2} (AMD EPYC Zen 5).
 */
final class Softplus {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats as many as D's lanes, each converted to a double lane and back. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    /** PyTorch's defaults: beta, and the threshold above which beta x makes Softplus x and its slope 1. */
    static final double BETA = 1, THRESHOLD = 20;
    /** |z| past which e^{-|z|} rounds to 0. */
    private static final double CAP = 760;
    /** R's coefficients 2 / (2k + 1), k = 11 down to 1. */
    private static final double[] R = {2.0 / 23, 2.0 / 21, 2.0 / 19, 2.0 / 17, 2.0 / 15, 2.0 / 13, 2.0 / 11, 2.0 / 9, 2.0 / 7,
            2.0 / 5, 2.0 / 3};

    private Softplus() {
    }

    /** Softplus(x) with this beta and threshold, the same bits as a lane of {@link #apply}'s vectors. */
    static double softplus(double beta, double threshold, double x) {
        return twin(beta, threshold, false, x, 0);
    }

    /** {@link #softplus(double, double, double)} in float32: of the float, rounded once. */
    static float softplus(double beta, double threshold, float x) {
        return (float) softplus(beta, threshold, (double) x);
    }

    /** in Softplus'(x), the sigmoid of beta x, the same bits as a lane of {@link #scale}'s vectors. */
    static double scale(double beta, double threshold, double x, double in) {
        return twin(beta, threshold, true, x, in);
    }

    /** {@link #scale(double, double, double, double)} in float32: of the floats, rounded once. */
    static float scale(double beta, double threshold, float x, float in) {
        return (float) scale(beta, threshold, (double) x, (double) in);
    }

    /**
     * Softplus(x), or with {@code slope} in Softplus'(x), by the loop's operations on one lane, in its order. With beta
     * 1, z = x and the division leaves the sum as it is: the loop skips both.
     */
    private static double twin(double beta, double threshold, boolean slope, double x, double in) {
        double z = beta * x;
        // u + uLo = e^{-|z|} = 2^k e^r, as Logistic64's, the halves of 2^k applied one after the other
        double y = Math.min(Math.abs(z), CAP), shifted = Math.fma(y, -LOG2E, ROUND), k = shifted - ROUND;
        double r1 = Math.fma(k, -LN2_HI, -y), rh = Math.fma(k, -LN2_LO, r1), rl = Math.fma(k, -LN2_LO, r1 - rh);
        double hi = 1 + rh, tail = ((1 - hi) + rh) + Math.fma(rh * rh, ExpReduction.q(rh), Math.fma(rl, rh, rl)), high = hi + tail;
        long kBits = Double.doubleToRawLongBits(shifted) - ROUND_BITS, halfK = kBits >> 1;
        double half = Double.longBitsToDouble((halfK + BIAS) << MANTISSA), rest = Double.longBitsToDouble((kBits - halfK + BIAS) << MANTISSA);
        double u = high * half * rest, uLo = ((hi - high) + tail) * half * rest;
        if (slope) {
            // (n + nLo) / (1 + u + uLo), n = u below 0 and 1 above: n / d corrected once by its residual, as Logistic64's
            double n = z < 0 ? u : 1, nLo = z < 0 ? uLo : 0, d = 1 + u, dLo = (u - (d - 1)) + uLo, inv = 1 / d, s = n * inv;
            s = Math.fma(Math.fma(-s, d, n) + nLo - s * dLo, inv, s);
            return z > threshold ? in : in * s;
        }
        // log1p(u + uLo) = j ln 2 + log(1 + f) + uLo / (1 + u), the last as uLo (1 - u / 2), good to an eighth of itself
        double big = u >= 0.5 ? 1 : 0, f = u >= 0.5 ? (u - 1) * 0.5 : u;
        double s = f / (2 + f), s2 = s * s, r = R[0];
        for (int j = 1; j < R.length; j++) r = Math.fma(r, s2, R[j]);
        double hfsq = 0.5 * f * f, a = Math.fma(big, LN2_HI, f), aLo = Math.fma(big, LN2_HI, -a) + f;
        double b = (aLo + Math.fma(big, LN2_LO, Math.fma(uLo * -0.5, u, uLo))) - (hfsq - s * (hfsq + r * s2));
        return z > threshold ? x : (Math.max(z, 0) + (a + b)) / beta;
    }

    /**
     * out = Softplus(x) with this beta and threshold for n floats: whole vectors where this width has four double lanes
     * or more, the rest by the twin.
     */
    static void apply(VectorStart start, double beta, double threshold, float[] x, int xo, float[] out, int oo, int n) {
        int i = D.length() >= 4
                ? start.run(n, D.loopBound(n), D.length(), m -> vectors(beta, threshold, false, x, null, out, null, null, null, xo, 0, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = softplus(beta, threshold, x[xo + i]);
    }

    /** The same for n doubles, as {@link #apply(VectorStart, double, double, float[], int, float[], int, int)}. */
    static void apply(VectorStart start, double beta, double threshold, double[] x, int xo, double[] out, int oo, int n) {
        int i = D.length() >= 4
                ? start.run(n, D.loopBound(n), D.length(), m -> vectors(beta, threshold, false, null, null, null, x, null, out, xo, 0, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = softplus(beta, threshold, x[xo + i]);
    }

    /** out = in Softplus'(x) for n floats, as {@link #apply(VectorStart, double, double, float[], int, float[], int, int)}. */
    static void scale(VectorStart start, double beta, double threshold, float[] x, int xo, float[] in, int io, float[] out, int oo, int n) {
        int i = D.length() >= 4
                ? start.run(n, D.loopBound(n), D.length(), m -> vectors(beta, threshold, true, x, in, out, null, null, null, xo, io, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = scale(beta, threshold, x[xo + i], in[io + i]);
    }

    /** out = in Softplus'(x) for n doubles, as {@link #apply(VectorStart, double, double, float[], int, float[], int, int)}. */
    static void scale(VectorStart start, double beta, double threshold, double[] x, int xo, double[] in, int io, double[] out, int oo, int n) {
        int i = D.length() >= 4
                ? start.run(n, D.loopBound(n), D.length(), m -> vectors(beta, threshold, true, null, null, null, x, in, out, xo, io, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = scale(beta, threshold, x[xo + i], in[io + i]);
    }

    /**
     * The loop over the first {@code whole} entries, a multiple of D's lanes, of the float arrays or else the double ones,
     * returning {@code whole}: out = Softplus(x), or with {@code slope} out = in Softplus'(x). One body for both, which
     * share e^{-|z|}, and no vector passed to a method: a vector crossing a call is an object on the heap.
     */
    static int vectors(double beta, double threshold, boolean slope, float[] xf, float[] inF, float[] outF, double[] xd, double[] inD, double[] outD, int xo, int io,
                       int oo, int whole) {
        boolean floats = xf != null, unit = beta == 1; // z = x, and the division by 1 changes nothing
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
                    : DoubleVector.fromArray(D, xd, xo + i), z = unit ? v : v.mul(beta);
            // u + uLo = e^{-|z|}, as the twin's
            DoubleVector y = z.abs().min(CAP), shifted = y.fma(minusLog2e, round), k = shifted.sub(round);
            DoubleVector r1 = k.fma(lnHi, y.neg()), rh = k.fma(lnLo, r1), rl = k.fma(lnLo, r1.sub(rh));
            DoubleVector q = rh.fma(e12, e11).fma(rh, e10).fma(rh, e9).fma(rh, e8).fma(rh, e7).fma(rh, e6).fma(rh, e5).fma(rh, e4)
                    .fma(rh, e3).fma(rh, oneHalf);
            DoubleVector hi = one.add(rh), tail = one.sub(hi).add(rh).add(rh.mul(rh).fma(q, rl.fma(rh, rl)));
            LongVector kBits = shifted.reinterpretAsLongs().sub(ROUND_BITS), halfK = kBits.lanewise(VectorOperators.ASHR, 1);
            DoubleVector half = halfK.add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA).reinterpretAsDoubles();
            DoubleVector rest = kBits.sub(halfK).add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA).reinterpretAsDoubles();
            DoubleVector high = hi.add(tail), u = high.mul(half).mul(rest), uLo = hi.sub(high).add(tail).mul(half).mul(rest), result;
            VectorMask<Double> above = z.compare(VectorOperators.GT, threshold);
            if (slope) {
                DoubleVector g = floats ? (DoubleVector) FloatVector.fromArray(F, inF, io + i).convertShape(VectorOperators.F2D, D, 0)
                        : DoubleVector.fromArray(D, inD, io + i);
                VectorMask<Double> negative = z.lt(0);
                DoubleVector n = one.blend(u, negative), nLo = zero.blend(uLo, negative), d = one.add(u);
                DoubleVector dLo = u.sub(d.sub(one)).add(uLo), inv = one.div(d), s = n.mul(inv);
                s = s.neg().fma(d, n).add(nLo).sub(s.mul(dLo)).fma(inv, s);
                result = g.mul(s).blend(g, above);
            } else {
                VectorMask<Double> big = u.compare(VectorOperators.GE, 0.5);
                DoubleVector f = u.blend(u.sub(one).mul(oneHalf), big), s = f.div(two.add(f)), s2 = s.mul(s);
                DoubleVector r = c0.fma(s2, c1).fma(s2, c2).fma(s2, c3).fma(s2, c4).fma(s2, c5).fma(s2, c6).fma(s2, c7).fma(s2, c8)
                        .fma(s2, c9).fma(s2, c10);
                DoubleVector bigs = zero.blend(one, big), hfsq = oneHalf.mul(f).mul(f);
                DoubleVector a = bigs.fma(ln2Hi, f), aLo = bigs.fma(ln2Hi, a.neg()).add(f);
                DoubleVector b = aLo.add(bigs.fma(ln2Lo, uLo.mul(-0.5).fma(u, uLo)))
                        .sub(hfsq.sub(s.mul(hfsq.add(r.mul(s2)))));
                result = z.max(zero).add(a.add(b));
                if (!unit) result = result.div(beta);
                result = result.blend(v, above);
            }
            if (floats) result.convertShape(VectorOperators.D2F, F, 0).reinterpretAsFloats().intoArray(outF, oo + i);
            else result.intoArray(outD, oo + i);
        }
        return whole;
    }
}
