package dev.ravine.tensor;

import static dev.ravine.tensor.ExpReduction.*;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The logistic family of {@link Float64Kernel} (tanh, the sigmoid and SiLU) in float64, as {@link Logistic32} computes
 * it in float32: a vector form and a scalar twin that take the same operations in the same order, so every entry gets
 * the same bits in either, in every tier of the JIT. Within 0.58 ulps of the exact value where it is normal and an ulp
 * where it is subnormal ({@code Logistic64Test} against mpmath: 99% correctly rounded; Math's exp in 1 / (1 + e) 73%,
 * 1.64 ulps at worst), and four to five times as fast as Math's functions (1.6-1.9 ns an entry against 6.4-9.5 in a
 * layer's pass at 512 bits, 2.7-3.5 at 256, AMD EPYC Zen 5), where a float64 tanh network's training step spent an
 * eighth of its time.
 *
 * <p>All come from e = e^{-c|x|}: tanh |x| = (1 - e) / (1 + e) with c = 2, the sigmoid 1 / (1 + e) for x &gt;= 0 and
 * e / (1 + e) below, SiLU x / (1 + e) and x e / (1 + e), with c = 1. e^{-y} = 2^k e^r for -y = k ln 2 + r, |r| &lt;=
 * ln 2 / 2, e^r = 1 + r + r^2 Q(r) ({@link ExpReduction}), the roundings of r and of 1 + r carried along, so that e^r
 * comes as a sum high + low good to about 2^-60. 2^k comes in two halves, each a normal double, so that e rounds once into the
 * subnormals (down to 2^-1074 near x = -744.4); y is capped at 760, past which e and x e round to 0. Each function is
 * then a quotient (n + nLo) / (1 + e + eLo) taken as n / (1 + e) and corrected once by its residual, whose first term a
 * fused multiply-add makes exact. Below |x| = 0.3 tanh is x + x^3 T(x^2), T of degree 7 (3e-18), where 1 - e would
 * cancel ever more of high + low's bits. Both polynomials from {@code tools/fit-logistic64.py}.
 *
 * <p>Only on the vector kernels, which need fused multiply-adds (without them {@code Math.fma} is a slow software
 * routine), and where a vector holds four doubles ({@link Float64Kernel#inUse}); elsewhere float64 keeps Math's
 * functions ({@link Squash}).
 */
final class Logistic64 {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final double SMALL = 0.3, CAP = 760;
    // T of degree 7 in x^2, highest first: x + x^3 T(x^2) within 3.1e-18 of tanh x, relative, for |x| < 0.3 (tools/fit-logistic64.py)
    private static final double T7 = 0.0005109249704674158, T6 = -0.0014445898532447449, T5 = 0.0035912834611108225,
            T4 = -0.008863200177142575, T3 = 0.021869487730074903, T2 = -0.053968253959211114, T1 = 0.13333333333329464,
            T0 = -0.3333333333333333;

    private Logistic64() {
    }

    /** tanh(x), the same bits as a lane of {@link #apply}'s vectors. */
    static double tanh(double x) {
        return twin(Float64Kernel.TANH, x);
    }

    /** The sigmoid 1 / (1 + e^{-x}), the same bits as a lane of {@link #apply}'s vectors. */
    static double sigmoid(double x) {
        return twin(Float64Kernel.SIGMOID, x);
    }

    /** SiLU, x times the sigmoid, the same bits as a lane of {@link #apply}'s vectors. */
    static double silu(double x) {
        return twin(Float64Kernel.SILU, x);
    }

    /** f(x) by the vector loop's operations on one lane, in its order: one body for the three, as the loop's. */
    private static double twin(Float64Kernel f, double x) {
        boolean tanh = f == Float64Kernel.TANH, silu = f == Float64Kernel.SILU;
        if (silu && Double.isInfinite(x)) return x > 0 ? x : Double.NaN; // x sigmoid(x): inf times 1, -inf times 0
        double a = Math.abs(x); // tanh is odd: |tanh x| from |x|, then x's sign, which keeps tanh(-0) = -0
        if (tanh && a < SMALL) {
            double z = a * a;
            double t = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(T7, z, T6), z, T5), z, T4), z, T3), z, T2), z, T1), z, T0);
            return Math.copySign(Math.fma(a * z, t, a), x);
        }
        // e + eLo = e^{-y} = 2^k (high + low): r = rh + rl (-y - k LN2_HI is exact, then one rounding for k LN2_LO), e^r =
        // 1 + rh + rh^2 Q(rh) + rl e^rh (E without its last two terms, e^rh as 1 + rh there) with the roundings of r and of
        // 1 + rh carried in a tail, then added once, and what that addition lost kept as low; 2^k in two halves, each a normal double, so that e rounds
        // once, into the subnormals where it reaches them
        double y = Math.min(tanh ? a * 2 : a, CAP), shifted = Math.fma(y, -LOG2E, ROUND), k = shifted - ROUND;
        double r1 = Math.fma(k, -LN2_HI, -y), rh = Math.fma(k, -LN2_LO, r1), rl = Math.fma(k, -LN2_LO, r1 - rh);
        double q = ExpReduction.q(rh);
        double hi = 1 + rh, tail = ((1 - hi) + rh) + Math.fma(rh * rh, q, Math.fma(rl, rh, rl)), high = hi + tail, low = (hi - high) + tail;
        long kBits = Double.doubleToRawLongBits(shifted) - ROUND_BITS, halfK = kBits >> 1;
        double half = Double.longBitsToDouble((halfK + BIAS) << MANTISSA), rest = Double.longBitsToDouble((kBits - halfK + BIAS) << MANTISSA);
        double scaled = high * half, scaledLo = low * half, e = scaled * rest, eLo = scaledLo * rest;
        // the numerator n + nLo
        double n, nLo;
        if (tanh) { // 1 - e - eLo: 1 - n and its difference from e are exact
            n = 1 - e;
            nLo = ((1 - n) - e) - eLo;
        } else if (silu) {
            // below 0 x e, taken as xs + xsLo from x (at least -CAP, where x e is 0 already) times the normal part of e,
            // then both scaled by the rest (e itself is subnormal below x = -708.4, where x e is not yet)
            double xc = Math.max(x, -CAP), xs = xc * scaled, xsLo = Math.fma(xc, scaled, -xs) + xc * scaledLo;
            n = x < 0 ? xs * rest : x;
            nLo = x < 0 ? xsLo * rest : 0;
        } else {
            n = x < 0 ? e : 1;
            nLo = x < 0 ? eLo : 0;
        }
        // (n + nLo) / (1 + e + eLo): n / (1 + e) corrected once by the residual, its first term exact by a fused
        // multiply-add and 1 + e = d + dLo exactly but for eLo
        double d = 1 + e, dLo = (e - (d - 1)) + eLo;
        double inv = 1 / d, s = n * inv;
        s = Math.fma(Math.fma(-s, d, n) + nLo - s * dLo, inv, s);
        return tanh || silu ? Math.copySign(s, x) : s; // SiLU's sign is x's too, -0 for -0
    }

    /**
     * out = f(x) for n entries: whole vectors where this width has four double lanes or more (compares and blends in
     * registers; see {@link Elementwise32}) and C2 has compiled the vector loop (f's {@link VectorStart}), the rest by
     * the scalar twins, which give the same bits.
     */
    static void apply(Float64Kernel f, double[] x, int xo, double[] out, int oo, int n) {
        int i = D.length() >= 4 ? f.forwardStart.run(n, D.loopBound(n), D.length(), m -> vectors(f, x, xo, out, oo, m)) : 0;
        switch (f) {
            case TANH -> { for (; i < n; i++) out[oo + i] = tanh(x[xo + i]); }
            case SIGMOID -> { for (; i < n; i++) out[oo + i] = sigmoid(x[xo + i]); }
            case SILU -> { for (; i < n; i++) out[oo + i] = silu(x[xo + i]); }
            default -> throw new IllegalArgumentException(f + " is not of the logistic family");
        }
    }

    /**
     * The vector loop over the first {@code whole} entries, a multiple of D's lanes (four or more); returns {@code
     * whole}. One loop body for the three functions, no vector passed to a method: a vector crossing a call is an
     * object on the heap.
     */
    static int vectors(Float64Kernel f, double[] x, int xo, double[] out, int oo, int whole) {
        boolean tanh = f == Float64Kernel.TANH, silu = f == Float64Kernel.SILU;
        double c = tanh ? 2 : 1;
        DoubleVector t5 = DoubleVector.broadcast(D, T5),
                t4 = DoubleVector.broadcast(D, T4), t3 = DoubleVector.broadcast(D, T3), t2 = DoubleVector.broadcast(D, T2),
                t1 = DoubleVector.broadcast(D, T1), t0 = DoubleVector.broadcast(D, T0), e11 = DoubleVector.broadcast(D, E11),
                e10 = DoubleVector.broadcast(D, E10), e9 = DoubleVector.broadcast(D, E9), e8 = DoubleVector.broadcast(D, E8),
                e7 = DoubleVector.broadcast(D, E7), e6 = DoubleVector.broadcast(D, E6), e5 = DoubleVector.broadcast(D, E5),
                e4 = DoubleVector.broadcast(D, E4), e3 = DoubleVector.broadcast(D, E3), oneHalf = DoubleVector.broadcast(D, 0.5),
                one = DoubleVector.broadcast(D, 1), zero = DoubleVector.zero(D), round = DoubleVector.broadcast(D, ROUND),
                minusLog2e = DoubleVector.broadcast(D, -LOG2E), lnHi = DoubleVector.broadcast(D, -LN2_HI),
                lnLo = DoubleVector.broadcast(D, -LN2_LO);
        for (int i = 0; i < whole; i += D.length()) {
            DoubleVector v = DoubleVector.fromArray(D, x, xo + i), a = v.abs(), y = a.mul(c).min(CAP);
            // e + eLo = e^{-y} = 2^k (high + low), as the scalar twins
            DoubleVector shifted = y.fma(minusLog2e, round), k = shifted.sub(round);
            DoubleVector r1 = k.fma(lnHi, y.neg()), rh = k.fma(lnLo, r1), rl = k.fma(lnLo, r1.sub(rh));
            DoubleVector q = rh.fma(E12, E11).fma(rh, e10).fma(rh, e9).fma(rh, e8).fma(rh, e7).fma(rh, e6).fma(rh, e5).fma(rh, e4)
                    .fma(rh, e3).fma(rh, oneHalf);
            DoubleVector hi = one.add(rh), tail = one.sub(hi).add(rh).add(rh.mul(rh).fma(q, rl.fma(rh, rl)));
            DoubleVector high = hi.add(tail), low = hi.sub(high).add(tail);
            LongVector kBits = shifted.reinterpretAsLongs().sub(ROUND_BITS), halfK = kBits.lanewise(VectorOperators.ASHR, 1);
            DoubleVector half = halfK.add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA).reinterpretAsDoubles();
            DoubleVector rest = kBits.sub(halfK).add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA).reinterpretAsDoubles();
            DoubleVector scaled = high.mul(half), scaledLo = low.mul(half), e = scaled.mul(rest), eLo = scaledLo.mul(rest);
            DoubleVector n, nLo;
            if (tanh) {
                n = one.sub(e);
                nLo = one.sub(n).sub(e).sub(eLo);
            } else if (silu) {
                var negative = v.lt(0);
                DoubleVector xc = v.max(-CAP), xs = xc.mul(scaled), xsLo = xc.fma(scaled, xs.neg()).add(xc.mul(scaledLo));
                n = v.blend(xs.mul(rest), negative);
                nLo = zero.blend(xsLo.mul(rest), negative);
            } else {
                var negative = v.lt(0);
                n = one.blend(e, negative);
                nLo = zero.blend(eLo, negative);
            }
            // the quotient (n + nLo) / (1 + e + eLo), corrected as in the scalar twins
            DoubleVector d = one.add(e), dLo = e.sub(d.sub(one)).add(eLo), inv = one.div(d), s = n.mul(inv);
            s = s.neg().fma(d, n).add(nLo).sub(s.mul(dLo)).fma(inv, s);
            if (tanh) {
                DoubleVector z = a.mul(a), t = z.fma(T7, T6).fma(z, t5).fma(z, t4).fma(z, t3).fma(z, t2).fma(z, t1).fma(z, t0);
                s = s.blend(a.mul(z).fma(t, a), a.lt(SMALL)); // |tanh x|: its sign bit becomes x's
            }
            if (tanh || silu) s = s.reinterpretAsLongs().and(Long.MAX_VALUE).or(v.reinterpretAsLongs().and(Long.MIN_VALUE)).reinterpretAsDoubles();
            if (silu) s = s.blend(v, v.eq(Double.POSITIVE_INFINITY)).blend(Double.NaN, v.eq(Double.NEGATIVE_INFINITY));
            s.intoArray(out, oo + i);
        }
        return whole;
    }
}
