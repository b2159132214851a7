package dev.ravine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * tanh in float32 from additions, multiplications, fused multiply-adds and an exponent built from bits: a vector form
 * and a scalar twin that take the same operations in the same order, so every entry gets the same bits in either,
 * at every width and in every tier of the JIT. (The Vector API's own TANH does not: C2 compiles it to Intel's SVML,
 * while the interpreter and C1 call Math per lane, and the two differ in the last bit of one double in sixty-four.)
 * Within an ulp of Math's tanh rounded to float, and about ten times as fast as a call to it per entry.
 *
 * <p>Below |x| = 0.625: x + x^3 P(x^2), P of degree 4 fitted by least squares to (tanh x - x) / x^3 (relative error
 * 4.5e-9, under float's half ulp). Above: 1 - 2 / (e^{2|x|} + 1) with the sign of x, e^y = 2^k e^r for y = k ln 2 +
 * r, |r| &lt;= ln 2 / 2 (Cody and Waite's two-part ln 2) and e^r by its Taylor series to r^7 (error 5e-9); |x| is
 * capped at 10, where tanh rounds to 1.
 */
final class Tanh32 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float SMALL = 0.625f, CAP = 10f;
    private static final float P0 = -0.33333281279109583f, P1 = 0.13331431610048497f, P2 = -0.05373914391188476f,
            P3 = 0.02063781850935273f, P4 = -0.005703992511993704f;
    private static final float LOG2E = 1.4426950408889634f, LN2_HI = 0.693145751953125f, LN2_LO = 1.4286068203094172e-6f;
    /** 1.5 * 2^23: y + ROUND - ROUND is y rounded to the nearest integer, for |y| &lt; 2^22. */
    private static final float ROUND = 12582912f;
    /** 2^k from shifted = k + ROUND: its bits minus ROUND's plus float's exponent bias, moved to the exponent field. */
    private static final int EXPONENT = 127 - Float.floatToRawIntBits(ROUND);
    private static final float E2 = 1f / 2, E3 = 1f / 6, E4 = 1f / 24, E5 = 1f / 120, E6 = 1f / 720, E7 = 1f / 5040;

    private Tanh32() {
    }

    /** tanh(x), the same bits as a lane of {@link #apply}'s vectors. */
    static float of(float x) {
        float a = Math.abs(x); // tanh is odd: |tanh x| from |x|, then x's sign, which keeps tanh(-0) = -0
        if (a < SMALL) {
            float z = a * a;
            float p = Math.fma(Math.fma(Math.fma(Math.fma(P4, z, P3), z, P2), z, P1), z, P0);
            return Math.copySign(Math.fma(a * z, p, a), x);
        }
        float y = 2 * Math.min(a, CAP);
        float shifted = y * LOG2E + ROUND, k = shifted - ROUND; // k = y log2(e) rounded, also the low bits of shifted
        float r = Math.fma(k, -LN2_LO, Math.fma(k, -LN2_HI, y));
        float e = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(E7, r, E6), r, E5), r, E4), r, E3), r, E2), r, 1f), r, 1f);
        e *= Float.intBitsToFloat((Float.floatToRawIntBits(shifted) + EXPONENT) << 23);
        return Math.copySign(1 - 2 / (e + 1), x);
    }

    /**
     * y = tanh(x) for n entries: whole vectors where this width compares and blends in registers (four lanes or more;
     * see {@link Elementwise32}), the rest by the scalar twin {@link #of(float)}, which gives the same bits. One loop
     * body, no vector passed to a method: C2 would not inline a method this large, and a vector crossing a call
     * is an object on the heap.
     */
    static void apply(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        if (S.length() >= 4) {
            FloatVector p4 = FloatVector.broadcast(S, P4), p3 = FloatVector.broadcast(S, P3), p2 = FloatVector.broadcast(S, P2),
                    p1 = FloatVector.broadcast(S, P1), p0 = FloatVector.broadcast(S, P0), e7 = FloatVector.broadcast(S, E7),
                    e6 = FloatVector.broadcast(S, E6), e5 = FloatVector.broadcast(S, E5), e4 = FloatVector.broadcast(S, E4),
                    e3 = FloatVector.broadcast(S, E3), e2 = FloatVector.broadcast(S, E2), one = FloatVector.broadcast(S, 1f),
                    two = FloatVector.broadcast(S, 2f), lnHi = FloatVector.broadcast(S, -LN2_HI), lnLo = FloatVector.broadcast(S, -LN2_LO);
            for (int bound = S.loopBound(n); i < bound; i += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i), a = v.abs(), z = a.mul(a);
                FloatVector p = p4.fma(z, p3).fma(z, p2).fma(z, p1).fma(z, p0);
                FloatVector small = a.mul(z).fma(p, a);
                FloatVector y = a.min(CAP).mul(2f);
                FloatVector shifted = y.mul(LOG2E).add(ROUND), k = shifted.sub(ROUND);
                FloatVector r = k.fma(lnLo, k.fma(lnHi, y));
                FloatVector e = e7.fma(r, e6).fma(r, e5).fma(r, e4).fma(r, e3).fma(r, e2).fma(r, one).fma(r, one);
                e = e.mul(shifted.reinterpretAsInts().add(EXPONENT).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                FloatVector t = one.sub(two.div(e.add(one))).blend(small, a.lt(SMALL)); // |tanh x|: its sign bit becomes x's
                t.reinterpretAsInts().or(v.reinterpretAsInts().and(0x80000000)).reinterpretAsFloats().intoArray(out, oo + i);
            }
        }
        for (; i < n; i++) out[oo + i] = of(x[xo + i]);
    }
}
