package dev.ravine.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The L1/L2 penalty's pass over float32 weights, a vector at a time: g += a sign(w) + b w in float, rounded as the
 * plain loop rounds it, and sum |w| and sum w^2 (each square in float, as there) in double lanes (the plain loop's sums were two dependent chains of
 * double additions, about two cycles a weight). The floats are read a half-width vector at a time and widened to the
 * doubles' full width; with two double lanes (128-bit vectors) that half-width vector would be 64 bits wide, which
 * the JIT leaves unvectorized, so the caller keeps the plain loop there.
 */
public final class PenaltyKernels {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));

    private PenaltyKernels() {
    }

    /** Whether the vectors are wide enough for {@link #l1l2}: four double lanes or more. */
    public static boolean fits() {
        return D.length() >= 4;
    }

    /** g[from, to) += a sign(w) + b w; {sum |w|, sum w^2} over w[from, to) into {@code sums}. */
    public static void l1l2(float[] w, float[] g, int from, int to, float a, float b, double[] sums) {
        FloatVector va = FloatVector.broadcast(F, a), vb = FloatVector.broadcast(F, b), one = FloatVector.broadcast(F, 1), zero = FloatVector.zero(F);
        DoubleVector abs = DoubleVector.zero(D), squares = DoubleVector.zero(D);
        int i = from;
        for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
            FloatVector wv = FloatVector.fromArray(F, w, i);
            FloatVector sign = zero.blend(one, wv.compare(VectorOperators.GT, 0)).blend(one.neg(), wv.compare(VectorOperators.LT, 0));
            FloatVector.fromArray(F, g, i).add(va.mul(sign).add(vb.mul(wv))).intoArray(g, i);
            abs = abs.add(((DoubleVector) wv.convertShape(VectorOperators.F2D, D, 0)).abs());
            squares = squares.add((DoubleVector) wv.mul(wv).convertShape(VectorOperators.F2D, D, 0)); // squared in float, as the plain loop
        }
        double absSum = abs.reduceLanes(VectorOperators.ADD), squareSum = squares.reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) {
            g[i] += a * Math.signum(w[i]) + b * w[i];
            absSum += Math.abs(w[i]);
            squareSum += w[i] * w[i];
        }
        sums[0] = absSum;
        sums[1] = squareSum;
    }
}
