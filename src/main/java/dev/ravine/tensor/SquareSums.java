package dev.ravine.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of squares of float32 values in double, a vector at a time: each value widened to double before it is
 * squared, as {@code (double) a * a}, and summed in double lanes (the gradient norm of {@code clip_grad_norm_}). As
 * in {@link PenaltyKernels}, the floats are read a half-width vector at a time, so with two double lanes (128-bit
 * vectors) the caller keeps its plain loop.
 */
public final class SquareSums {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));

    private SquareSums() {
    }

    /** Whether the vectors are wide enough for {@link #of}: four double lanes or more. */
    public static boolean fits() {
        return D.length() >= 4;
    }

    /** sum over a[from, from + n) of a[i]^2, in double. */
    public static double of(float[] a, int from, int n) {
        DoubleVector s0 = DoubleVector.zero(D), s1 = DoubleVector.zero(D); // two, so that the additions do not all wait on one
        int i = from, end = from + n, step = F.length();
        for (; i + 2 * step <= end; i += 2 * step) {
            DoubleVector x0 = (DoubleVector) FloatVector.fromArray(F, a, i).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector x1 = (DoubleVector) FloatVector.fromArray(F, a, i + step).convertShape(VectorOperators.F2D, D, 0);
            s0 = x0.fma(x0, s0);
            s1 = x1.fma(x1, s1);
        }
        double s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < end; i++) s += (double) a[i] * a[i];
        return s;
    }
}
