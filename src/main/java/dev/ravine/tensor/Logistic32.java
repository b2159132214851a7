package dev.ravine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The logistic family (tanh, the sigmoid and SiLU of {@link Float32Kernel}) in float32 from additions, multiplications,
 * fused multiply-adds, divisions and exponents built from bits: a vector form and a scalar twin that take the same
 * operations in the same order, so every entry gets the same bits in either, at every width and in every tier of the
 * JIT. (The Vector API's own TANH and EXP do not: C2 compiles them to Intel's SVML, while the interpreter and C1
 * call Math per lane, and the two differ in the last bit of one double in sixty-four.) Within an ulp of Math's
 * functions in double rounded to float (SiLU two: its x e carries e's own error whole), subnormal outputs included,
 * and ten times as fast as a call to Math per entry or more.
 *
 * <p>All come from e = e^{-c|x|}, which never overflows: tanh |x| = 1 - 2e / (1 + e) with c = 2, the sigmoid 1 / (1
 * + e) for x &gt;= 0 and e / (1 + e) below, and SiLU x / (1 + e) and x e / (1 + e), with c = 1. e^{-y} = 2^k e^r for
 * -y = k ln 2 + r, |r| &lt;= ln 2 / 2 (Cody and Waite's two-part ln 2), e^r by its Taylor series to r^7 (error
 * 5e-9), and 2^k as two halves, each a normal float, so that their product rounds once into the subnormals as the
 * sigmoid's tail does (down to 2^-149 near x = -103). y is capped at 112, past which e and x e round to 0. Below |x|
 * = 0.625 tanh is x + x^3 P(x^2) instead, P of degree 4 fitted by least squares to (tanh x - x) / x^3 (relative
 * error 4.5e-9, under float's half ulp), where 1 - 2e / (1 + e) would lose bits to cancellation.
 */
final class Logistic32 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float SMALL = 0.625f, CAP = 112f;
    private static final float P0 = -0.33333281279109583f, P1 = 0.13331431610048497f, P2 = -0.05373914391188476f,
            P3 = 0.02063781850935273f, P4 = -0.005703992511993704f;
    private static final float LOG2E = 1.4426950408889634f, LN2_HI = 0.693145751953125f, LN2_LO = 1.4286068203094172e-6f;
    /** 1.5 * 2^23: t + ROUND - ROUND is t rounded to an integer k (|t| &lt; 2^22), and k + ROUND's bits are ROUND's plus k. */
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND), BIAS = 127, MANTISSA = 23;
    private static final float E2 = 1f / 2, E3 = 1f / 6, E4 = 1f / 24, E5 = 1f / 120, E6 = 1f / 720, E7 = 1f / 5040;
    private Logistic32() {
    }

    /** tanh(x), the same bits as a lane of {@link #apply}'s vectors. */
    static float tanh(float x) {
        float a = Math.abs(x); // tanh is odd: |tanh x| from |x|, then x's sign, which keeps tanh(-0) = -0
        if (a < SMALL) {
            float z = a * a;
            float p = Math.fma(Math.fma(Math.fma(Math.fma(P4, z, P3), z, P2), z, P1), z, P0);
            return Math.copySign(Math.fma(a * z, p, a), x);
        }
        float e = expNegative(Math.min(a * 2, CAP));
        return Math.copySign(1 - (e + e) / (1 + e), x);
    }

    /** The sigmoid 1 / (1 + e^{-x}), the same bits as a lane of {@link #apply}'s vectors. */
    static float sigmoid(float x) {
        float e = expNegative(Math.min(Math.abs(x), CAP)), n = x < 0 ? e : 1;
        // n / (1 + e) with 1 + e rounded was up to 2.5 ulps off the exact value; 1 + e = d + lo exactly, and one correction
        // by the residual n - s (d + lo), its first term exact by a fused multiply-add, leaves it within 1.5
        float d = 1 + e, lo = e - (d - 1);
        float inv = 1 / d, s = n * inv;
        return Math.fma(Math.fma(-s, d, n) - s * lo, inv, s);
    }

    /** SiLU, x times the sigmoid, the same bits as a lane of {@link #apply}'s vectors. */
    static float silu(float x) {
        if (Float.isInfinite(x)) return x > 0 ? x : Float.NaN; // x sigmoid(x) in double: inf times 1, -inf times 0
        float y = Math.min(Math.abs(x), CAP), scaled = scaled(y), rest = rest(y);
        float e = scaled * rest, d = 1 + e, lo = e - (d - 1);
        // the sigmoid's correction, with the numerator x e taken exactly as n + nLo below 0: x (at least -CAP, where x e
        // is 0 already) times the normal part of e, its rounding error by a fused multiply-add, then both scaled (e
        // itself is subnormal below x = -87.3, where x e is not yet)
        float xc = Math.max(x, -CAP), xs = xc * scaled;
        float n = x < 0 ? xs * rest : x, nLo = x < 0 ? Math.fma(xc, scaled, -xs) * rest : 0;
        float inv = 1 / d, s = n * inv;
        return Math.copySign(Math.fma(Math.fma(-s, d, n) + nLo - s * lo, inv, s), x); // x's sign, -0 for -0
    }

    /** e^{-y} for y in [0, CAP] (NaN for NaN), as the vector loop computes it: {@link #scaled} times {@link #rest}. */
    private static float expNegative(float y) {
        return scaled(y) * rest(y);
    }

    /** e^{-y} but for a last factor 2^j, j &gt;= -75: a normal float, where e^{-y} may be subnormal (y above 87.3). */
    private static float scaled(float y) {
        float shifted = Math.fma(y, -LOG2E, ROUND), k = shifted - ROUND;
        float r = Math.fma(k, -LN2_LO, Math.fma(k, -LN2_HI, -y));
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(E7, r, E6), r, E5), r, E4), r, E3), r, E2), r, 1f), r, 1f);
        int kBits = Float.floatToRawIntBits(shifted) - ROUND_BITS;
        return p * Float.intBitsToFloat(((kBits >> 1) + BIAS) << MANTISSA);
    }

    /** The last factor of e^{-y}, 2^j: {@link #scaled}'s 2^k split in two halves. */
    private static float rest(float y) {
        int kBits = Float.floatToRawIntBits(Math.fma(y, -LOG2E, ROUND)) - ROUND_BITS;
        return Float.intBitsToFloat((kBits - (kBits >> 1) + BIAS) << MANTISSA);
    }

    /**
     * out = f(x) for n entries: whole vectors where this width compares and blends in registers (four lanes or more;
     * see {@link Elementwise32}) and C2 has compiled the vector loop (f's {@link VectorStart}), the rest by the scalar
     * twins, which give the same bits.
     */
    static void apply(Float32Kernel f, float[] x, int xo, float[] out, int oo, int n) {
        int i = S.length() >= 4 ? f.forwardStart.run(n, S.loopBound(n), S.length(), m -> vectors(f, x, xo, out, oo, m)) : 0;
        switch (f) {
            case TANH -> { for (; i < n; i++) out[oo + i] = tanh(x[xo + i]); }
            case SIGMOID -> { for (; i < n; i++) out[oo + i] = sigmoid(x[xo + i]); }
            case SILU -> { for (; i < n; i++) out[oo + i] = silu(x[xo + i]); }
            default -> throw new IllegalArgumentException(f + " is not of the logistic family");
        }
    }

    /**
     * The vector loop over the first {@code whole} entries, a multiple of the lanes (four or more); returns {@code
     * whole}. One loop body for the three functions, no vector passed to a method: C2 would not inline a method this
     * large, and a vector crossing a call is an object on the heap.
     */
    static int vectors(Float32Kernel f, float[] x, int xo, float[] out, int oo, int whole) {
        boolean tanh = f == Float32Kernel.TANH, silu = f == Float32Kernel.SILU;
        float c = tanh ? 2 : 1;
        FloatVector p4 = FloatVector.broadcast(S, P4), p3 = FloatVector.broadcast(S, P3), p2 = FloatVector.broadcast(S, P2),
                p1 = FloatVector.broadcast(S, P1), p0 = FloatVector.broadcast(S, P0), e7 = FloatVector.broadcast(S, E7),
                e6 = FloatVector.broadcast(S, E6), e5 = FloatVector.broadcast(S, E5), e4 = FloatVector.broadcast(S, E4),
                e3 = FloatVector.broadcast(S, E3), e2 = FloatVector.broadcast(S, E2), one = FloatVector.broadcast(S, 1f),
                zero = FloatVector.zero(S), round = FloatVector.broadcast(S, ROUND), minusLog2e = FloatVector.broadcast(S, -LOG2E),
                lnHi = FloatVector.broadcast(S, -LN2_HI), lnLo = FloatVector.broadcast(S, -LN2_LO);
        for (int i = 0; i < whole; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i), a = v.abs(), y = a.mul(c).min(CAP);
            FloatVector shifted = y.fma(minusLog2e, round), k = shifted.sub(round);
            FloatVector r = k.fma(lnLo, k.fma(lnHi, y.neg()));
            FloatVector p = e7.fma(r, e6).fma(r, e5).fma(r, e4).fma(r, e3).fma(r, e2).fma(r, one).fma(r, one);
            IntVector kBits = shifted.reinterpretAsInts().sub(ROUND_BITS), half = kBits.lanewise(VectorOperators.ASHR, 1);
            FloatVector scaled = p.mul(half.add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA).reinterpretAsFloats());
            FloatVector rest = kBits.sub(half).add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA).reinterpretAsFloats();
            FloatVector e = scaled.mul(rest);
            FloatVector s;
            if (tanh) {
                FloatVector z = a.mul(a), q = p4.fma(z, p3).fma(z, p2).fma(z, p1).fma(z, p0);
                FloatVector small = a.mul(z).fma(q, a);
                FloatVector t = one.sub(e.add(e).div(one.add(e))).blend(small, a.lt(SMALL)); // |tanh x|: its sign bit becomes x's
                s = t.reinterpretAsInts().or(v.reinterpretAsInts().and(0x80000000)).reinterpretAsFloats();
            } else if (silu) {
                var negative = v.lt(0f);
                FloatVector d = one.add(e), lo = e.sub(d.sub(one)), inv = one.div(d), xc = v.max(-CAP), xs = xc.mul(scaled);
                FloatVector num = v.blend(xs.mul(rest), negative);
                FloatVector numLo = zero.blend(xc.fma(scaled, xs.neg()).mul(rest), negative);
                s = num.mul(inv); // corrected as in the scalar twin
                s = s.neg().fma(d, num).add(numLo).sub(s.mul(lo)).fma(inv, s);
                s = s.reinterpretAsInts().and(0x7fffffff).or(v.reinterpretAsInts().and(0x80000000)).reinterpretAsFloats()
                        .blend(v, v.eq(Float.POSITIVE_INFINITY)).blend(Float.NaN, v.eq(Float.NEGATIVE_INFINITY));
            } else {
                FloatVector num = one.blend(e, v.lt(0f)), d = one.add(e), lo = e.sub(d.sub(one)), inv = one.div(d);
                s = num.mul(inv); // corrected as in the scalar twin
                s = s.neg().fma(d, num).sub(s.mul(lo)).fma(inv, s);
            }
            s.intoArray(out, oo + i);
        }
        return whole;
    }
}
