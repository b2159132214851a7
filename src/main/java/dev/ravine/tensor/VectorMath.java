package dev.ravine.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products and axpy on double arrays, for the curvature tools' long vectors (one entry per parameter). The
 * dot product sums its lanes in a fixed order, so results repeat bit for bit. Scalar code where the Vector API is
 * not in use.
 */
public final class VectorMath {
    private VectorMath() {
    }

    public static double dot(double[] a, double[] b) {
        return Kernels.vector() ? Vectorized.dot(a, b) : scalarDot(a, b);
    }

    /** y += alpha x. */
    public static void axpy(double alpha, double[] x, double[] y) {
        if (Kernels.vector()) Vectorized.axpy(alpha, x, y);
        else for (int i = 0; i < x.length; i++) y[i] += alpha * x[i];
    }

    private static double scalarDot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** Kept apart so that the scalar path never loads a Vector API class. */
    private static final class Vectorized {
        private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

        static double dot(double[] a, double[] b) {
            DoubleVector acc0 = DoubleVector.zero(S), acc1 = acc0;
            int i = 0, l = S.length();
            for (int bound = a.length - 2 * l; i <= bound; i += 2 * l) { // two vectors a step, both inside
                acc0 = DoubleVector.fromArray(S, a, i).fma(DoubleVector.fromArray(S, b, i), acc0);
                acc1 = DoubleVector.fromArray(S, a, i + l).fma(DoubleVector.fromArray(S, b, i + l), acc1);
            }
            double[] lanes = acc0.add(acc1).toArray();
            double s = 0;
            for (double v : lanes) s += v;
            for (; i < a.length; i++) s += a[i] * b[i];
            return s;
        }

        static void axpy(double alpha, double[] x, double[] y) {
            DoubleVector va = DoubleVector.broadcast(S, alpha);
            int i = 0;
            for (int bound = S.loopBound(x.length); i < bound; i += S.length())
                DoubleVector.fromArray(S, x, i).fma(va, DoubleVector.fromArray(S, y, i)).intoArray(y, i);
            for (; i < x.length; i++) y[i] += alpha * x[i];
        }
    }
}
