package dev.ravine.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products, axpy and Gram-Schmidt on double arrays, for the curvature tools' long vectors (one entry per
 * parameter). The
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

    /**
     * One pass of classical Gram-Schmidt: w -= Q (Q^T w) for the first {@code count} vectors of {@code basis}, with
     * the coefficients Q^T w written to {@code h}. The vectors are taken in stretches of {@link #STRETCH} entries,
     * so that w's stretch stays in cache while every basis vector's stretch goes past it: the pass reads the basis
     * twice (dots, then update) and w about once, where a loop of dot and axpy per vector would also read and
     * write all of w once per basis vector.
     */
    public static void orthogonalize(double[][] basis, int count, double[] w, double[] h) {
        int n = w.length, stretches = (n + STRETCH - 1) / STRETCH;
        long work = (long) n * count;
        // each stretch's dots apart, summed below in stretch order: the same sums whatever the thread count
        double[] partial = new double[stretches * count];
        Parallel.forRange(stretches, work, (s0, s1) -> {
            for (int s = s0; s < s1; s++) {
                int from = s * STRETCH, to = Math.min(n, from + STRETCH);
                for (int j = 0; j < count; j++)
                    partial[s * count + j] = Kernels.vector() ? Vectorized.dot(basis[j], w, from, to) : scalarDot(basis[j], w, from, to);
            }
        });
        java.util.Arrays.fill(h, 0, count, 0);
        for (int s = 0; s < stretches; s++) for (int j = 0; j < count; j++) h[j] += partial[s * count + j];
        Parallel.forRange(stretches, work, (s0, s1) -> {
            for (int s = s0; s < s1; s++) {
                int from = s * STRETCH, to = Math.min(n, from + STRETCH);
                for (int j = 0; j < count; j++) {
                    if (Kernels.vector()) Vectorized.axpy(-h[j], basis[j], w, from, to);
                    else for (int i = from; i < to; i++) w[i] -= h[j] * basis[j][i];
                }
            }
        });
    }

    /**
     * out[i] = sum over j &lt; {@code count} of c[i][j] basis[j], for every output i (Ritz vectors from a Lanczos
     * basis). One pass over the basis in stretches, as {@link #orthogonalize}, each basis vector's stretch added to
     * every output's stretch while it is in cache, where an axpy sweep per output reads the whole basis once per
     * output. The same operations in the same order as those sweeps, so the same bits.
     */
    public static void combine(double[][] basis, int count, double[][] c, double[][] out) {
        int n = out.length == 0 ? 0 : out[0].length, stretches = (n + STRETCH - 1) / STRETCH;
        Parallel.forRange(stretches, (long) n * count * out.length, (s0, s1) -> {
            for (int s = s0; s < s1; s++) {
                int from = s * STRETCH, to = Math.min(n, from + STRETCH);
                for (double[] y : out) java.util.Arrays.fill(y, from, to, 0);
                for (int j = 0; j < count; j++)
                    for (int i = 0; i < out.length; i++) {
                        if (Kernels.vector()) Vectorized.axpy(c[i][j], basis[j], out[i], from, to);
                        else for (int e = from; e < to; e++) out[i][e] += c[i][j] * basis[j][e];
                    }
            }
        });
    }

    /** Entries per stretch in {@link #orthogonalize} and {@link #combine}: 16 KB of a vector, well inside any L1 data cache. */
    static final int STRETCH = 2048;

    private static double scalarDot(double[] a, double[] b, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += a[i] * b[i];
        return s;
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
            return dot(a, b, 0, a.length);
        }

        /** The dot product of a[from, to) and b[from, to). */
        static double dot(double[] a, double[] b, int from, int to) {
            DoubleVector acc0 = DoubleVector.zero(S), acc1 = acc0;
            int i = from, l = S.length();
            for (int bound = to - 2 * l; i <= bound; i += 2 * l) { // two vectors a step, both inside
                acc0 = DoubleVector.fromArray(S, a, i).fma(DoubleVector.fromArray(S, b, i), acc0);
                acc1 = DoubleVector.fromArray(S, a, i + l).fma(DoubleVector.fromArray(S, b, i + l), acc1);
            }
            // the lanes summed in a fixed order, without the array toArray() would allocate
            DoubleVector sum = acc0.add(acc1);
            double s = 0;
            for (int lane = 0; lane < l; lane++) s += sum.lane(lane);
            for (; i < to; i++) s += a[i] * b[i];
            return s;
        }

        static void axpy(double alpha, double[] x, double[] y) {
            axpy(alpha, x, y, 0, x.length);
        }

        /** y[from, to) += alpha x[from, to). */
        static void axpy(double alpha, double[] x, double[] y, int from, int to) {
            DoubleVector va = DoubleVector.broadcast(S, alpha);
            int i = from;
            for (int bound = from + S.loopBound(to - from); i < bound; i += S.length())
                DoubleVector.fromArray(S, x, i).fma(va, DoubleVector.fromArray(S, y, i)).intoArray(y, i);
            for (; i < to; i++) y[i] += alpha * x[i];
        }
    }
}
