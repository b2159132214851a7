package dev.ravine.tensor;

import static dev.ravine.tensor.ExpReduction.BIAS;
import static dev.ravine.tensor.ExpReduction.LN2_HI;
import static dev.ravine.tensor.ExpReduction.LN2_LO;
import static dev.ravine.tensor.ExpReduction.LOG2E;
import static dev.ravine.tensor.ExpReduction.MANTISSA;
import static dev.ravine.tensor.ExpReduction.ROUND;
import static dev.ravine.tensor.ExpReduction.ROUND_BITS;
import static dev.ravine.tensor.ExpReduction.T2;
import static dev.ravine.tensor.ExpReduction.T3;
import static dev.ravine.tensor.ExpReduction.T4;
import static dev.ravine.tensor.ExpReduction.T5;
import static dev.ravine.tensor.ExpReduction.T6;
import static dev.ravine.tensor.ExpReduction.T7;
import static dev.ravine.tensor.ExpReduction.T8;
import static dev.ravine.tensor.ExpReduction.T9;
import static dev.ravine.tensor.ExpReduction.taylor9;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * GELU, x Phi(x) with Phi the standard normal distribution (PyTorch's exact form), and its derivative Phi(x) + x phi(x)
 * in float32: a vector form and a scalar twin that take the same operations in the same order (so every entry gets
 * the same bits in either, at every width and in every tier of the JIT, as in {@link Logistic32}), computed in double
 * from the float inputs and rounded once. Six to seven times as fast as erf and exp from Math per entry at 512 bits.
 *
 * <p>Phi comes from the upper tail Q(t) = P(X &gt; t) at t = |x|: Phi(x) = Q(t) below 0 and 1 - Q(t) above, so the
 * negative side, where GELU is x Q(|x|) and tiny, loses nothing to cancellation (1 + erf(x / sqrt 2) in double, as
 * PyTorch and the float64 path compute it, is off by a float ulp or more below x = -6 and 0 below -8.3; the true
 * value underflows float only below -14.36). Q(t) = e^{-t^2/2} u P(u) with u = 1 / (1 + t / 4), P of degree 11
 * fitted for the least relative error over t in [0, CAP] (2.1e-10; {@code tools/fit-gelu32.py}), and e^{-h} = 2^k
 * e^r for -h = k ln 2 + r, |r| &lt;= ln 2 / 2 (Cody and Waite's two-part ln 2), e^r by its Taylor series to r^9
 * (error 7e-12), 2^k as two halves, each a normal double, so that e^{-t^2/2} rounds once into the subnormals where
 * it reaches them (the derivative's, below). t^2 / 2 is exact in double for a float t. So GELU is within 3e-10 of the
 * exact value before the one rounding to float: within half an ulp and a thousandth, and +-0 where it is under the
 * least normal float, from x = -13.15 ({@link FlushToZero}). Past CAP = 14.5 t is capped (and x at -CAP on the negative
 * side, where GELU rounds to -0 from -14.36 on); GELU(+inf) = +inf, GELU(-inf) = NaN, as in double.
 *
 * <p>The derivative takes Phi(x) = y / x from the forward pass's y (1/2 at 0), as the float64 path does, and x phi(x)
 * from the same exponential, t capped at PDF_CAP, where it underflows double (as Math's exp does): within an ulp of
 * the float64 path's whatever the gradient it scales, and +-0 under the least normal float as the value is.
 */
final class Gelu32 {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats as many as D's lanes, each converted to a double lane and back. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    /** |x| past which GELU is capped, and past which e^{-x^2/2} underflows double: phi(x) and x phi(x) are 0. */
    private static final double CAP = 14.5, PDF_CAP = 38.7, INV_SQRT_2PI = 0.3989422804014327;
    // P of degree 11, highest first; largest relative error of u P(u) 2.09e-10 (tools/fit-gelu32.py)
    private static final double P11 = -0.008162859116567516, P10 = 0.04135487741058191, P9 = -0.06655223490407719,
            P8 = 0.011821095872253521, P7 = 0.04763492481123001, P6 = -0.031332275299807116, P5 = 0.07883938281358367,
            P4 = 0.049264177687054406, P3 = 0.08470014263453499, P2 = 0.09290880377926314, P1 = 0.0997906287597744,
            P0 = 0.09973333544789968;
    private Gelu32() {
    }

    /** GELU(x), the same bits as a lane of {@link #apply}'s vectors. */
    static float gelu(float x) {
        double xd = x, t = Math.min(Math.abs(xd), CAP), u = 1 / Math.fma(t, 0.25, 1);
        double p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(
                P11, u, P10), u, P9), u, P8), u, P7), u, P6), u, P5), u, P4), u, P3), u, P2), u, P1), u, P0);
        double q = u * p * scaled(t) * rest(t);
        double y = Math.max(xd, -CAP) * (xd < 0 ? q : 1 - q);
        return xd == Double.NEGATIVE_INFINITY ? Float.NaN : FlushToZero.toFloat(y);
    }

    /** in GELU'(x) given y = GELU(x), the same bits as a lane of {@link #scale}'s vectors. */
    static float scale(float x, float y, float in) {
        double xd = x, t = Math.min(Math.abs(xd), PDF_CAP), phi = scaled(t) * rest(t) * INV_SQRT_2PI;
        return FlushToZero.toFloat(in * Math.fma(xd, phi, xd == 0 ? 0.5 : y / xd));
    }

    /** e^{-t^2/2} = 2^k e^r but for a last factor 2^j ({@link #rest}), t at most PDF_CAP: e^r 2^{k - j}, a normal double. */
    private static double scaled(double t) {
        double h = t * t * 0.5, shifted = Math.fma(h, -LOG2E, ROUND), k = shifted - ROUND;
        double r = Math.fma(k, -LN2_LO, Math.fma(k, -LN2_HI, -h));
        double p = taylor9(r);
        long kBits = Double.doubleToRawLongBits(shifted) - ROUND_BITS;
        return p * Double.longBitsToDouble(((kBits >> 1) + BIAS) << MANTISSA);
    }

    /** The last factor of e^{-t^2/2}, 2^j: {@link #scaled}'s 2^k split in two halves, so that their product rounds once. */
    private static double rest(double t) {
        long kBits = Double.doubleToRawLongBits(Math.fma(t * t * 0.5, -LOG2E, ROUND)) - ROUND_BITS;
        return Double.longBitsToDouble((kBits - (kBits >> 1) + BIAS) << MANTISSA);
    }

    /**
     * out = GELU(x) for n entries: whole vectors where this width has four double lanes or more (compares and blends
     * in registers; see {@link Elementwise32}) and C2 has compiled the loop ({@link VectorStart}), the rest by the
     * scalar twin, which gives the same bits.
     */
    static void apply(float[] x, int xo, float[] out, int oo, int n) {
        int i = D.length() >= 4 ? Float32Kernel.GELU.forwardStart.run(n, D.loopBound(n), D.length(), m -> forward(x, xo, out, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = gelu(x[xo + i]);
    }

    /** out = in GELU'(x) for n entries, given y = GELU(x): vectors and twin as in {@link #apply}. */
    static void scale(float[] x, int xo, float[] y, int yo, float[] in, int io, float[] out, int oo, int n) {
        int i = D.length() >= 4 ? Float32Kernel.GELU.scaleStart.run(n, D.loopBound(n), D.length(), m -> derivative(x, xo, y, yo, in, io, out, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = scale(x[xo + i], y[yo + i], in[io + i]);
    }

    /** The forward loop over the first {@code whole} entries ({@link #vectors}); returns {@code whole}. */
    static int forward(float[] x, int xo, float[] out, int oo, int whole) {
        return vectors(false, x, xo, null, 0, null, 0, out, oo, whole);
    }

    /** The derivative's loop over the first {@code whole} entries ({@link #vectors}); returns {@code whole}. */
    static int derivative(float[] x, int xo, float[] y, int yo, float[] in, int io, float[] out, int oo, int whole) {
        return vectors(true, x, xo, y, yo, in, io, out, oo, whole);
    }

    /**
     * The loop over the first {@code whole} entries, a multiple of D's lanes, returning {@code whole}: out = GELU(x),
     * or with {@code slope} out = in GELU'(x) given y. One loop body for both, which share the exponential (C2 unswitches
     * the loop on {@code slope}), and no vector passed to a method: a vector crossing a call is an object on the heap.
     */
    private static int vectors(boolean slope, float[] x, int xo, float[] y, int yo, float[] in, int io, float[] out, int oo, int whole) {
        DoubleVector p9 = DoubleVector.broadcast(D, P9), p8 = DoubleVector.broadcast(D, P8), p7 = DoubleVector.broadcast(D, P7),
                p6 = DoubleVector.broadcast(D, P6), p5 = DoubleVector.broadcast(D, P5), p4 = DoubleVector.broadcast(D, P4),
                p3 = DoubleVector.broadcast(D, P3), p2 = DoubleVector.broadcast(D, P2), p1 = DoubleVector.broadcast(D, P1),
                p0 = DoubleVector.broadcast(D, P0), e7 = DoubleVector.broadcast(D, T7), e6 = DoubleVector.broadcast(D, T6),
                e5 = DoubleVector.broadcast(D, T5), e4 = DoubleVector.broadcast(D, T4), e3 = DoubleVector.broadcast(D, T3),
                e2 = DoubleVector.broadcast(D, T2), one = DoubleVector.broadcast(D, 1), round = DoubleVector.broadcast(D, ROUND),
                minusLog2e = DoubleVector.broadcast(D, -LOG2E), lnHi = DoubleVector.broadcast(D, -LN2_HI),
                lnLo = DoubleVector.broadcast(D, -LN2_LO), oneHalf = DoubleVector.broadcast(D, 0.5);
        for (int i = 0; i < whole; i += D.length()) {
            DoubleVector v = (DoubleVector) FloatVector.fromArray(F, x, xo + i).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector t = v.abs().min(slope ? PDF_CAP : CAP);
            // e^{-t^2/2} = 2^k e^r, as scaled and rest
            DoubleVector h = t.mul(t).mul(0.5), shifted = h.fma(minusLog2e, round), k = shifted.sub(round);
            DoubleVector r = k.fma(lnLo, k.fma(lnHi, h.neg()));
            DoubleVector e = r.fma(T9, T8).fma(r, e7).fma(r, e6).fma(r, e5).fma(r, e4).fma(r, e3).fma(r, e2).fma(r, one).fma(r, one);
            LongVector kBits = shifted.reinterpretAsLongs().sub(ROUND_BITS), half = kBits.lanewise(VectorOperators.ASHR, 1);
            DoubleVector scaled = e.mul(half.add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA).reinterpretAsDoubles());
            DoubleVector rest = kBits.sub(half).add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA).reinterpretAsDoubles();
            DoubleVector result;
            if (slope) {
                DoubleVector yv = (DoubleVector) FloatVector.fromArray(F, y, yo + i).convertShape(VectorOperators.F2D, D, 0);
                DoubleVector g = (DoubleVector) FloatVector.fromArray(F, in, io + i).convertShape(VectorOperators.F2D, D, 0);
                DoubleVector phi = scaled.mul(rest).mul(INV_SQRT_2PI);
                result = g.mul(v.fma(phi, yv.div(v).blend(oneHalf, v.eq(0))));
            } else {
                DoubleVector u = one.div(t.fma(0.25, 1));
                DoubleVector p = u.fma(P11, P10).fma(u, p9).fma(u, p8).fma(u, p7).fma(u, p6).fma(u, p5).fma(u, p4).fma(u, p3)
                        .fma(u, p2).fma(u, p1).fma(u, p0);
                DoubleVector q = u.mul(p).mul(scaled).mul(rest);
                result = v.max(-CAP).mul(one.sub(q).blend(q, v.lt(0))).blend(Double.NaN, v.eq(Double.NEGATIVE_INFINITY));
            }
            result.blend(result.mul(0), result.abs().lt(Float.MIN_NORMAL)).convertShape(VectorOperators.D2F, F, 0).reinterpretAsFloats()
                    .intoArray(out, oo + i);
        }
        return whole;
    }
}
