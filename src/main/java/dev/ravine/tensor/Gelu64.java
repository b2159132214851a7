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
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * GELU, x Phi(x) with Phi the standard normal distribution, and its derivative Phi(x) + x phi(x) in float64, as
 * {@link Gelu32} computes them in float32: a vector form and a scalar twin that take the same operations in the same
 * order, so every entry gets the same bits in either, in every tier of the JIT. The float64 path elsewhere computes
 * GELU as PyTorch writes it, x (1 + erf(x / sqrt 2)) / 2, with an erf whose centre's coefficients each entry looks up
 * (11 ns an entry at AMD EPYC Zen 5); a lookup per lane is a gather per coefficient, little faster in a vector.
 *
 * <p>Phi comes from the upper tail Q(t) = P(X &gt; t) at t = |x|: Phi(x) = Q(t) below 0 and 1 - Q(t) above, so the
 * negative side, where GELU is x Q(|x|) and small, loses nothing to cancellation (1 + erf(x / sqrt 2) is off by ~200
 * ulps at x = -3 and gives 0 below x = -8.3). Q(t) = e^{-t^2/2} u P(u - 1/2) with u = 1 / (1 + t / 4), P of degree 23
 * ({@code tools/fit-gelu64.py}: 7.6e-17 relative, 2.1 ulps in double's Horner sum), u's rounding corrected by the
 * slope of u P (uncorrected it moved Q by 2.4 ulps near 0), and e^{-t^2/2} with t^2 / 2 as a sum of two doubles (its
 * rounding error, from a fused multiply-add, joins the reduced argument): e^{-h} = 2^k e^r ({@link ExpReduction}), 2^k
 * as two halves, each a normal double, so that it rounds once into the subnormals. t is capped at CAP, where GELU(-t)
 * and t phi(t) round to 0; GELU(+inf) = +inf, GELU(-inf) = NaN, as in PyTorch's form. Within 4 ulps of the exact value
 * ({@code Gelu64Test} against mpmath), where PyTorch's form is near half an ulp above 0 and loses all its digits below
 * -8.3. 2.7 ns an entry forward and 1.2 backward at 512 bits, 6.1 and 2.2 at {@code -XX:UseAVX=2} (AMD EPYC Zen 5),
 * against 9 for the erf path's either pass.
 *
 * <p>The derivative takes Phi(x) = y / x from the forward pass's y (1/2 at 0), as the float64 path does, and x phi(x)
 * from the same exponential. Only where a vector holds four doubles or more ({@link Float64Kernel#inUse}).
 */
final class Gelu64 {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** |x| past which GELU(-|x|) and |x| phi(x) round to 0 in double. */
    private static final double CAP = 38.6, INV_SQRT_2PI = 0.3989422804014327;
    // P of degree 23 in u - 1/2, highest first: relative error 7.6e-17 with its coefficients in double, 2.06 ulps in
    // double's Horner sum (tools/fit-gelu64.py)
    private static final double[] P = {0.0015257410170355147, -0.0026489013195087757, -0.0010056703668164621,
            0.005146270787122252, -0.001741816729263205, -0.005598229721361127, 0.005078382544238789, 0.004453374188011626,
            -0.008368677263147262, -0.00257924472491776, 0.012124528342334781, 0.0007338660674300794, -0.017994080289236297,
            -0.0004885141024567088, 0.02958015175049997, 0.008534035989798452, -0.0521861906442093, -0.05567507787816306,
            0.06032151173383525, 0.24158629956374433, 0.37304371591931434, 0.38713740074221453, 0.30394832098594604,
            0.18882128260393788};

    private Gelu64() {
    }

    /** GELU(x), the same bits as a lane of {@link #apply}'s vectors. */
    static double gelu(double x) {
        double t = Math.min(Math.abs(x), CAP), d = Math.fma(t, 0.25, 1), u = 1 / d, w = u - 0.5, p = P[0];
        for (int k = 1; k < P.length; k++) p = Math.fma(p, w, P[k]);
        // M = u P(u - 1/2) at the rounded u, moved to the exact one: u (1 + rho) with rho = 1 - u (d + dLo), d + dLo = 1 +
        // t / 4 exactly, and dM/du = 4 d^2 (1 / sqrt(2 pi) - t M)
        double up = u * p, rho = Math.fma(-u, d, 1) - u * Math.fma(t, 0.25, 1 - d);
        double mills = Math.fma(rho * d * 4, Math.fma(-t, up, INV_SQRT_2PI), up);
        // Q(t) = tail rest; x tail before rest, so that x Q(t) rounds once where it is subnormal, x at least -CAP, where it
        // rounds to -0 (t being capped there)
        double tail = mills * scaled(t), rest = rest(t);
        if (x == Double.NEGATIVE_INFINITY) return Double.NaN; // -inf times 0, as in PyTorch's form
        return x < 0 ? Math.max(x, -CAP) * tail * rest : x * (1 - tail * rest);
    }

    /** in GELU'(x) given y = GELU(x), the same bits as a lane of {@link #scale}'s vectors. */
    static double scale(double x, double y, double in) {
        double t = Math.min(Math.abs(x), CAP), phi = scaled(t) * rest(t) * INV_SQRT_2PI;
        return in * Math.fma(x, phi, x == 0 ? 0.5 : y / x);
    }

    /**
     * e^{-t^2/2} = 2^k e^r but for a last factor 2^j ({@link #rest}): e^r 2^{k - j}, a normal double, the same bits as
     * the loop's.
     */
    private static double scaled(double t) {
        double s = t * t, h = s * 0.5, hLo = Math.fma(t, t, -s) * 0.5;
        double shifted = Math.fma(h, -LOG2E, ROUND), k = shifted - ROUND;
        double r1 = Math.fma(k, -LN2_HI, -h), rh = Math.fma(k, -LN2_LO, r1), rl = Math.fma(k, -LN2_LO, r1 - rh) - hLo;
        // e^{rh + rl} - 1 = mh + rl (1 + mh), mh = e^rh - 1: rl holds t^2 / 2's rounding, up to 2^-44, too large for e^rh
        // as 1 + rh there (as Logistic64 takes it)
        double mh = Math.fma(rh * rh, ExpReduction.q(rh), rh), m = mh + Math.fma(rl, mh, rl);
        long kBits = Double.doubleToRawLongBits(shifted) - ROUND_BITS;
        return (1 + m) * Double.longBitsToDouble(((kBits >> 1) + BIAS) << MANTISSA);
    }

    /** The last factor of e^{-t^2/2}, 2^j: {@link #scaled}'s 2^k split in two halves, so that their product rounds once. */
    private static double rest(double t) {
        long kBits = Double.doubleToRawLongBits(Math.fma(t * t * 0.5, -LOG2E, ROUND)) - ROUND_BITS;
        return Double.longBitsToDouble((kBits - (kBits >> 1) + BIAS) << MANTISSA);
    }

    /** out = GELU(x) for n entries: whole vectors where this width has four double lanes or more, the rest by the twin. */
    static void apply(VectorStart start, double[] x, int xo, double[] out, int oo, int n) {
        int i = D.length() >= 4 ? start.run(n, D.loopBound(n), D.length(), m -> vectors(false, x, xo, null, 0, null, 0, out, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = gelu(x[xo + i]);
    }

    /** out = in GELU'(x) for n entries, given y = GELU(x): vectors and twin as in {@link #apply}. */
    static void scale(VectorStart start, double[] x, int xo, double[] y, int yo, double[] in, int io, double[] out, int oo, int n) {
        int i = D.length() >= 4 ? start.run(n, D.loopBound(n), D.length(), m -> vectors(true, x, xo, y, yo, in, io, out, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = scale(x[xo + i], y[yo + i], in[io + i]);
    }

    /**
     * The loop over the first {@code whole} entries, a multiple of D's lanes, returning {@code whole}: out = GELU(x), or
     * with {@code slope} out = in GELU'(x) given y. One body for both, which share the exponential, and no vector passed
     * to a method: a vector crossing a call is an object on the heap.
     */
    static int vectors(boolean slope, double[] x, int xo, double[] y, int yo, double[] in, int io, double[] out, int oo, int whole) {
        DoubleVector e12 = DoubleVector.broadcast(D, ExpReduction.E12), e11 = DoubleVector.broadcast(D, ExpReduction.E11),
                e10 = DoubleVector.broadcast(D, ExpReduction.E10), e9 = DoubleVector.broadcast(D, ExpReduction.E9),
                e8 = DoubleVector.broadcast(D, ExpReduction.E8), e7 = DoubleVector.broadcast(D, ExpReduction.E7),
                e6 = DoubleVector.broadcast(D, ExpReduction.E6), e5 = DoubleVector.broadcast(D, ExpReduction.E5),
                e4 = DoubleVector.broadcast(D, ExpReduction.E4), e3 = DoubleVector.broadcast(D, ExpReduction.E3),
                half = DoubleVector.broadcast(D, 0.5), one = DoubleVector.broadcast(D, 1), round = DoubleVector.broadcast(D, ROUND),
                minusLog2e = DoubleVector.broadcast(D, -LOG2E), lnHi = DoubleVector.broadcast(D, -LN2_HI),
                lnLo = DoubleVector.broadcast(D, -LN2_LO);
        for (int i = 0; i < whole; i += D.length()) {
            DoubleVector v = DoubleVector.fromArray(D, x, xo + i), t = v.abs().min(CAP);
            // e^{-t^2/2} = scaled rest, as the twin's scaled and rest
            DoubleVector s = t.mul(t), h = s.mul(half), hLo = t.fma(t, s.neg()).mul(half);
            DoubleVector shifted = h.fma(minusLog2e, round), k = shifted.sub(round);
            DoubleVector r1 = k.fma(lnHi, h.neg()), rh = k.fma(lnLo, r1), rl = k.fma(lnLo, r1.sub(rh)).sub(hLo);
            DoubleVector q = rh.fma(e12, e11).fma(rh, e10).fma(rh, e9).fma(rh, e8).fma(rh, e7).fma(rh, e6).fma(rh, e5).fma(rh, e4)
                    .fma(rh, e3).fma(rh, half);
            DoubleVector mh = rh.mul(rh).fma(q, rh), m = mh.add(rl.fma(mh, rl));
            LongVector kBits = shifted.reinterpretAsLongs().sub(ROUND_BITS), halfK = kBits.lanewise(VectorOperators.ASHR, 1);
            DoubleVector scaled = one.add(m).mul(halfK.add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA).reinterpretAsDoubles());
            DoubleVector rest = kBits.sub(halfK).add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA).reinterpretAsDoubles();
            DoubleVector result;
            if (slope) {
                DoubleVector ratio = DoubleVector.fromArray(D, y, yo + i).div(v).blend(half, v.eq(0));
                result = DoubleVector.fromArray(D, in, io + i).mul(v.fma(scaled.mul(rest).mul(INV_SQRT_2PI), ratio));
            } else {
                DoubleVector d = t.fma(0.25, 1), u = one.div(d), w = u.sub(half), p = DoubleVector.broadcast(D, P[0]);
                for (int j = 1; j < P.length; j++) p = p.fma(w, DoubleVector.broadcast(D, P[j]));
                DoubleVector up = u.mul(p), rho = u.neg().fma(d, one).sub(u.mul(t.fma(DoubleVector.broadcast(D, 0.25), one.sub(d))));
                DoubleVector tail = rho.mul(d).mul(4).fma(t.neg().fma(up, DoubleVector.broadcast(D, INV_SQRT_2PI)), up).mul(scaled);
                result = v.mul(one.sub(tail.mul(rest))).blend(v.max(-CAP).mul(tail).mul(rest), v.lt(0))
                        .blend(Double.NaN, v.eq(Double.NEGATIVE_INFINITY));
            }
            result.intoArray(out, oo + i);
        }
        return whole;
    }
}
