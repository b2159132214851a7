package dev.ravine.tensor;

import static dev.ravine.tensor.ExpReduction.*;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * ELU (Clevert et al. 2015: x from 0 up, alpha (e^x - 1) below, alpha 1 by PyTorch's default) and SELU (Klambauer et
 * al. 2017: lambda x from 0 up, lambda alpha (e^x - 1) below, with their self-normalizing constants), in float32 and float64,
 * computed in double (from float inputs, rounded once to float): a vector form and a scalar twin that take the same
 * operations in the same order, so every entry gets the same bits in either, in every tier of the JIT, as {@link
 * Logistic64}. Math's expm1 is a call per entry to FdLibm's Java, 7-12 ns (an eighth of a float32 ELU network's training
 * run went there); the loop takes 1.0 ns an entry at 512 bits, 1.7-2.0 with AVX2's 256, and the twin 4 (AMD EPYC Zen 5).
 * ELU's backward pass is the float64 path's in (y + alpha) below 0, in float32 in double lanes rounded once; SELU's takes
 * lambda alpha e^x from x, as PyTorch does, in both dtypes.
 *
 * <p>e^x - 1 for y = -x = -k ln 2 - r, |r| &lt;= ln 2 / 2 ({@link ExpReduction}), as 2^k (1 + m) - 1 with m = e^r - 1
 * = r + r^2 Q(r), kept as a sum m + mLo with the roundings of r and of that sum: e = fma(2^k, m, 2^k - 1), where
 * 2^k - 1 is exact (so no cancellation near 0, where k = 0), then corrected once by its own rounding error (exact by a
 * fused multiply-add, as 2^k - 1 - e is by Sterbenz's lemma) and 2^k mLo. y is capped at 40, past which e^x - 1 is -1
 * in double. Within 0.55 ulps of the exact value in double but for 37.1 &lt; y &lt; 37.8, where 2^k - 1 = 2^-54 - 1
 * rounds and an ulp may go ({@code EluTest} against mpmath); in float32, correctly rounded but for the double rounding
 * of values within 2^-29 of a tie. SELU multiplies that sum, e plus its correction, by lambda alpha with the product's
 * rounding kept, so that it rounds once (within 0.6 ulps), and x by lambda; ELU with another alpha multiplies the sum
 * by alpha the same way (alpha 1 leaves e + c, the same bits). SELU's slope below 0, lambda alpha e^x,
 * takes e^x = 2^k e^r as {@link Logistic64} does, y capped at 760 and 2^k in two halves, the last applied last, so that
 * it rounds once into the subnormals.
 */
final class Elu {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats as many as D's lanes, each converted to a double lane and back. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final double CAP = 40, SLOPE_CAP = 760;
    /** ELU's alpha by PyTorch's default. */
    static final double ALPHA = 1;
    /** SELU's lambda, and lambda alpha rounded once, as PyTorch's negcoef (the constants as PyTorch writes them). */
    static final double SELU_SCALE = 1.0507009873554804934193349852946, SELU_NEGATIVE = SELU_SCALE * 1.6732632423543772848170429916717;

    private Elu() {
    }

    /**
     * scale x from 0 up (-0 included), negative (e^x - 1) below: ELU(x) with scale 1 and negative alpha, SELU(x) with
     * lambda and lambda alpha; the same bits as a lane of {@link #apply}'s vectors.
     */
    static double elu(double scale, double negative, double x) {
        return x >= 0 ? scale * x : negative(x, negative);
    }

    /**
     * e^x - 1 for x below 0 as the loop computes it, e plus its correction c, times the factor with the product's
     * rounding kept, so that it rounds once (a factor of 1 gives e + c). A product that rounds to zero (a factor below 1
     * at a subnormal x) stays -0, as PyTorch's alpha (e^x - 1) does: adding the low part, +0, would make it +0.
     */
    private static double negative(double x, double factor) {
        double y = Math.min(-x, CAP), shifted = Math.fma(y, -LOG2E, ROUND), k = shifted - ROUND; // NaN stays NaN
        double r1 = Math.fma(k, -LN2_HI, -y), rh = Math.fma(k, -LN2_LO, r1), rl = Math.fma(k, -LN2_LO, r1 - rh);
        double q = ExpReduction.q(rh);
        double t = Math.fma(rh * rh, q, Math.fma(rl, rh, rl)), m = rh + t, mLo = (rh - m) + t; // e^{rh + rl} - 1, rl e^rh as rl (1 + rh)
        double p = Double.longBitsToDouble((Double.doubleToRawLongBits(shifted) - ROUND_BITS + BIAS) << MANTISSA); // 2^k
        double e = Math.fma(p, m, p - 1), c = Math.fma(p, m, (p - 1) - e) + p * mLo;
        if (factor == 1) return e + c; // the product's form gives the same bits, in a fifth more time
        double se = factor * e;
        return se == 0 ? se : se + (Math.fma(factor, e, -se) + factor * c);
    }

    /** {@link #elu(double, double, double)} in float32: of the float, rounded once. */
    static float elu(double scale, double negative, float x) {
        return (float) elu(scale, negative, (double) x);
    }

    /**
     * in SELU'(x): in lambda above 0, in lambda alpha e^x from 0 down (PyTorch's slope at 0), the same bits as a lane of
     * {@link #seluSlopes}.
     */
    static double seluScale(double x, double in) {
        double y = Math.min(-x, SLOPE_CAP), shifted = Math.fma(y, -LOG2E, ROUND), k = shifted - ROUND; // NaN stays NaN
        double r1 = Math.fma(k, -LN2_HI, -y), rh = Math.fma(k, -LN2_LO, r1), rl = Math.fma(k, -LN2_LO, r1 - rh);
        double hi = 1 + rh, tail = ((1 - hi) + rh) + Math.fma(rh * rh, ExpReduction.q(rh), Math.fma(rl, rh, rl));
        long kBits = Double.doubleToRawLongBits(shifted) - ROUND_BITS, halfK = kBits >> 1;
        double half = Double.longBitsToDouble((halfK + BIAS) << MANTISSA), rest = Double.longBitsToDouble((kBits - halfK + BIAS) << MANTISSA);
        return in * (x > 0 ? SELU_SCALE : SELU_NEGATIVE * (hi + tail) * half * rest);
    }

    /** in SELU'(x) in float32: {@link #seluScale(double, double)} of the floats, rounded once. */
    static float seluScale(float x, float in) {
        return (float) seluScale((double) x, (double) in);
    }

    /**
     * out = scale x from 0 up, negative (e^x - 1) below ({@link #elu(double, double, double)}), for n floats: whole
     * vectors where this width has four double lanes or more, the rest by the twin.
     */
    static void apply(VectorStart start, double scale, double negative, float[] x, int xo, float[] out, int oo, int n) {
        int i = D.length() >= 4 ? start.run(n, D.loopBound(n), D.length(), m -> vectors(scale, negative, x, xo, out, oo, null, 0, null, 0, m)) : 0;
        for (; i < n; i++) out[oo + i] = elu(scale, negative, x[xo + i]);
    }

    /** The same for n doubles, as {@link #apply(VectorStart, double, double, float[], int, float[], int, int)}. */
    static void apply(VectorStart start, double scale, double negative, double[] x, int xo, double[] out, int oo, int n) {
        int i = D.length() >= 4 ? start.run(n, D.loopBound(n), D.length(), m -> vectors(scale, negative, null, 0, null, 0, x, xo, out, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = elu(scale, negative, x[xo + i]);
    }

    /** out = in SELU'(x) for n floats, as {@link #apply(VectorStart, double, double, float[], int, float[], int, int)}. */
    static void seluScale(VectorStart start, float[] x, int xo, float[] in, int io, float[] out, int oo, int n) {
        int i = D.length() >= 4 ? start.run(n, D.loopBound(n), D.length(), m -> seluSlopes(x, in, out, null, null, null, xo, io, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = seluScale(x[xo + i], in[io + i]);
    }

    /** out = in SELU'(x) for n doubles, as {@link #apply(VectorStart, double, double, float[], int, float[], int, int)}. */
    static void seluScale(VectorStart start, double[] x, int xo, double[] in, int io, double[] out, int oo, int n) {
        int i = D.length() >= 4 ? start.run(n, D.loopBound(n), D.length(), m -> seluSlopes(null, null, null, x, in, out, xo, io, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = seluScale(x[xo + i], in[io + i]);
    }

    /**
     * in ELU'(x) in float32 given y = ELU(x) with this alpha: in above 0, in (y + alpha) in double rounded once below, as
     * the float64 path computes it; the same bits as a lane of {@link #slopes}.
     */
    static float scale(double alpha, float x, float y, float in) {
        return x > 0 ? in : (float) (in * ((double) y + alpha));
    }

    /** out = in ELU'(x) for n floats given y, as {@link #apply(VectorStart, double, double, float[], int, float[], int, int)}. */
    static void scale(VectorStart start, double alpha, float[] x, int xo, float[] y, int yo, float[] in, int io, float[] out, int oo, int n) {
        int i = D.length() >= 4 ? start.run(n, D.loopBound(n), D.length(), m -> slopes(alpha, x, xo, y, yo, in, io, out, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = scale(alpha, x[xo + i], y[yo + i], in[io + i]);
    }

    /**
     * in ELU'(x) in float64 given y = ELU(x) with this alpha: in above 0, in (y + alpha) below, the float64 path's bits
     * and a lane of {@link #slopes64}'s.
     */
    static double scale(double alpha, double x, double y, double in) {
        return x > 0 ? in : in * (y + alpha);
    }

    /** out = in ELU'(x) for n doubles given y, as {@link #apply(VectorStart, double, double, float[], int, float[], int, int)}. */
    static void scale(VectorStart start, double alpha, double[] x, int xo, double[] y, int yo, double[] in, int io, double[] out, int oo, int n) {
        int i = D.length() >= 4 ? start.run(n, D.loopBound(n), D.length(), m -> slopes64(alpha, x, xo, y, yo, in, io, out, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = scale(alpha, x[xo + i], y[yo + i], in[io + i]);
    }

    /** {@link #slopes} in float64; returns {@code whole}. */
    static int slopes64(double alpha, double[] x, int xo, double[] y, int yo, double[] in, int io, double[] out, int oo, int whole) {
        for (int i = 0; i < whole; i += D.length()) {
            DoubleVector g = DoubleVector.fromArray(D, in, io + i);
            g.mul(DoubleVector.fromArray(D, y, yo + i).add(alpha)).blend(g, DoubleVector.fromArray(D, x, xo + i).compare(VectorOperators.GT, 0))
                    .intoArray(out, oo + i);
        }
        return whole;
    }

    /** The derivative's loop over the first {@code whole} entries, a multiple of D's lanes; returns {@code whole}. */
    static int slopes(double alpha, float[] x, int xo, float[] y, int yo, float[] in, int io, float[] out, int oo, int whole) {
        for (int i = 0; i < whole; i += D.length()) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i), g = FloatVector.fromArray(F, in, io + i);
            DoubleVector yd = (DoubleVector) FloatVector.fromArray(F, y, yo + i).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector gd = (DoubleVector) g.convertShape(VectorOperators.F2D, D, 0);
            gd.mul(yd.add(alpha)).convertShape(VectorOperators.D2F, F, 0).reinterpretAsFloats()
                    .blend(g, xv.compare(VectorOperators.GT, 0)).intoArray(out, oo + i);
        }
        return whole;
    }

    /**
     * SELU's derivative's loop over the first {@code whole} entries, a multiple of D's lanes, of the float arrays or else
     * the double ones; returns {@code whole}.
     */
    static int seluSlopes(float[] xf, float[] inF, float[] outF, double[] xd, double[] inD, double[] outD, int xo, int io, int oo,
                          int whole) {
        boolean floats = xf != null;
        DoubleVector e11 = DoubleVector.broadcast(D, E11), e10 = DoubleVector.broadcast(D, E10), e9 = DoubleVector.broadcast(D, E9),
                e8 = DoubleVector.broadcast(D, E8), e7 = DoubleVector.broadcast(D, E7), e6 = DoubleVector.broadcast(D, E6),
                e5 = DoubleVector.broadcast(D, E5), e4 = DoubleVector.broadcast(D, E4), e3 = DoubleVector.broadcast(D, E3),
                oneHalf = DoubleVector.broadcast(D, 0.5), one = DoubleVector.broadcast(D, 1), round = DoubleVector.broadcast(D, ROUND),
                minusLog2e = DoubleVector.broadcast(D, -LOG2E), lnHi = DoubleVector.broadcast(D, -LN2_HI),
                lnLo = DoubleVector.broadcast(D, -LN2_LO), scale = DoubleVector.broadcast(D, SELU_SCALE);
        for (int i = 0; i < whole; i += D.length()) {
            DoubleVector v = floats ? (DoubleVector) FloatVector.fromArray(F, xf, xo + i).convertShape(VectorOperators.F2D, D, 0)
                    : DoubleVector.fromArray(D, xd, xo + i);
            DoubleVector g = floats ? (DoubleVector) FloatVector.fromArray(F, inF, io + i).convertShape(VectorOperators.F2D, D, 0)
                    : DoubleVector.fromArray(D, inD, io + i);
            // e^x = 2^k e^r, as the twin
            DoubleVector y = v.neg().min(SLOPE_CAP), shifted = y.fma(minusLog2e, round), k = shifted.sub(round);
            DoubleVector r1 = k.fma(lnHi, y.neg()), rh = k.fma(lnLo, r1), rl = k.fma(lnLo, r1.sub(rh));
            DoubleVector q = rh.fma(E12, E11).fma(rh, e10).fma(rh, e9).fma(rh, e8).fma(rh, e7).fma(rh, e6).fma(rh, e5).fma(rh, e4)
                    .fma(rh, e3).fma(rh, oneHalf);
            DoubleVector hi = one.add(rh), tail = one.sub(hi).add(rh).add(rh.mul(rh).fma(q, rl.fma(rh, rl)));
            LongVector kBits = shifted.reinterpretAsLongs().sub(ROUND_BITS), halfK = kBits.lanewise(VectorOperators.ASHR, 1);
            DoubleVector half = halfK.add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA).reinterpretAsDoubles();
            DoubleVector rest = kBits.sub(halfK).add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA).reinterpretAsDoubles();
            DoubleVector slope = hi.add(tail).mul(SELU_NEGATIVE).mul(half).mul(rest).blend(scale, v.compare(VectorOperators.GT, 0));
            DoubleVector result = g.mul(slope);
            if (floats) result.convertShape(VectorOperators.D2F, F, 0).reinterpretAsFloats().intoArray(outF, oo + i);
            else result.intoArray(outD, oo + i);
        }
        return whole;
    }

    /**
     * The vector loop over the first {@code whole} entries, a multiple of D's lanes, of the float arrays or else the
     * double ones: scale x from 0 up, negative (e^x - 1) below; returns {@code whole}. One body for both dtypes, no
     * vector passed to a method: a vector crossing a call is an object on the heap.
     */
    static int vectors(double scale, double negative, float[] xf, int xfo, float[] outF, int ofo, double[] xd, int xdo, double[] outD, int odo, int whole) {
        boolean floats = xf != null, unit = negative == 1, shrinks = negative < 1; // only a factor below 1 rounds e to 0
        DoubleVector e11 = DoubleVector.broadcast(D, E11), e10 = DoubleVector.broadcast(D, E10), e9 = DoubleVector.broadcast(D, E9),
                e8 = DoubleVector.broadcast(D, E8), e7 = DoubleVector.broadcast(D, E7), e6 = DoubleVector.broadcast(D, E6),
                e5 = DoubleVector.broadcast(D, E5), e4 = DoubleVector.broadcast(D, E4), e3 = DoubleVector.broadcast(D, E3),
                half = DoubleVector.broadcast(D, 0.5), one = DoubleVector.broadcast(D, 1), round = DoubleVector.broadcast(D, ROUND),
                minusLog2e = DoubleVector.broadcast(D, -LOG2E), lnHi = DoubleVector.broadcast(D, -LN2_HI),
                lnLo = DoubleVector.broadcast(D, -LN2_LO), factor = DoubleVector.broadcast(D, negative);
        for (int i = 0; i < whole; i += D.length()) {
            DoubleVector v = floats ? (DoubleVector) FloatVector.fromArray(F, xf, xfo + i).convertShape(VectorOperators.F2D, D, 0)
                    : DoubleVector.fromArray(D, xd, xdo + i);
            DoubleVector y = v.neg().min(CAP), shifted = y.fma(minusLog2e, round), k = shifted.sub(round);
            DoubleVector r1 = k.fma(lnHi, y.neg()), rh = k.fma(lnLo, r1), rl = k.fma(lnLo, r1.sub(rh));
            DoubleVector q = rh.fma(E12, E11).fma(rh, e10).fma(rh, e9).fma(rh, e8).fma(rh, e7).fma(rh, e6).fma(rh, e5).fma(rh, e4)
                    .fma(rh, e3).fma(rh, half);
            DoubleVector t = rh.mul(rh).fma(q, rl.fma(rh, rl)), m = rh.add(t), mLo = rh.sub(m).add(t);
            LongVector kBits = shifted.reinterpretAsLongs().sub(ROUND_BITS);
            DoubleVector p = kBits.add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA).reinterpretAsDoubles(), pm1 = p.sub(one);
            DoubleVector e = p.fma(m, pm1), c = p.fma(m, pm1.sub(e)).add(p.mul(mLo)), result;
            if (unit) result = e.add(c);
            else {
                DoubleVector se = e.mul(factor);
                result = se.add(e.fma(factor, se.neg()).add(c.mul(factor)));
                if (shrinks) result = result.blend(se, se.compare(VectorOperators.EQ, 0));
            }
            result = result.blend(v.mul(scale), v.compare(VectorOperators.GE, 0));
            if (floats) result.convertShape(VectorOperators.D2F, F, 0).reinterpretAsFloats().intoArray(outF, ofo + i);
            else result.intoArray(outD, odo + i);
        }
        return whole;
    }
}
