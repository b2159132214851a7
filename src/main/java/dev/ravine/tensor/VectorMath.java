package dev.ravine.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products, axpy, the Lanczos step's passes and Gram-Schmidt on double arrays, for the curvature tools' long
 * vectors (one entry per parameter). Sums are taken in a fixed order of lanes and stretches, so results repeat bit
 * for bit on any thread count. Scalar code where the Vector API is not in use.
 */
public final class VectorMath {
    private VectorMath() {
    }

    /**
     * a . b, summed stretch by stretch in stretch order (so the same sum whatever the thread count), the stretches
     * of a long vector split over the threads.
     */
    public static double dot(double[] a, double[] b) {
        return overStretches(a.length, 1, (from, to) -> Kernels.vector() ? Vectorized.dot(a, b, from, to) : scalarDot(a, b, from, to));
    }

    /**
     * The Lanczos recurrence in one pass: w -= alpha q + beta p, returning q . w after it (the local
     * reorthogonalization's coefficient). Summed as {@link #dot}.
     */
    public static double recurrence(double[] w, double alpha, double[] q, double beta, double[] p) {
        return overStretches(w.length, 2, (from, to) -> Kernels.vector() ? Vectorized.recurrence(w, alpha, q, beta, p, from, to)
                : scalarRecurrence(w, alpha, q, beta, p, from, to));
    }

    /** w -= c q in one pass, returning |w|^2 after it. Summed as {@link #dot}. */
    public static double subtractAndSquare(double[] w, double c, double[] q) {
        return overStretches(w.length, 1, (from, to) -> Kernels.vector() ? Vectorized.subtractAndSquare(w, c, q, from, to)
                : scalarSubtractAndSquare(w, c, q, from, to));
    }

    /** out = c a (out may be a), split over the threads. */
    public static void scale(double[] a, double c, double[] out) {
        forStretches(a.length, a.length, (from, to) -> {
            for (int i = from; i < to; i++) out[i] = a[i] * c;
        });
    }

    /**
     * out[i] = a[i] b[i] (out may be a or b), split over the threads as {@link #dot}: each thread writes the stretches
     * it reads in the next split pass.
     */
    public static void multiply(double[] a, double[] b, double[] out) {
        forStretches(a.length, a.length, (from, to) -> {
            for (int i = from; i < to; i++) out[i] = a[i] * b[i];
        });
    }

    /** A pass over entries [from, to) that returns its share of a sum. */
    @FunctionalInterface
    private interface StretchSum {
        double run(int from, int to);
    }

    /**
     * The sum of {@code body} over the stretches of [0, n), each stretch's share apart and added in stretch order;
     * {@code passes} multiply-adds an entry size the work for {@link Parallel}.
     */
    private static double overStretches(int n, int passes, StretchSum body) {
        if (n <= STRETCH) return body.run(0, n);
        double[] partial = new double[(n + STRETCH - 1) / STRETCH];
        forStretches(n, (long) n * passes, (from, to) -> partial[from / STRETCH] = body.run(from, to));
        double sum = 0;
        for (double x : partial) sum += x;
        return sum;
    }

    /**
     * Runs {@code body} on each stretch [from, to) of [0, n), the stretches split over the threads in contiguous
     * runs (so each thread meets the same stretches in every pass over vectors of one length); {@code work} is for
     * {@link Parallel}.
     */
    private static void forStretches(int n, long work, Parallel.Range body) {
        Parallel.forRange((n + STRETCH - 1) / STRETCH, work, (s0, s1) -> {
            for (int s = s0; s < s1; s++) body.run(s * STRETCH, Math.min(n, (s + 1) * STRETCH));
        });
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
        forStretches(n, work, (from, to) -> {
            for (int j = 0, s = from / STRETCH; j < count; j++)
                partial[s * count + j] = Kernels.vector() ? Vectorized.dot(basis[j], w, from, to) : scalarDot(basis[j], w, from, to);
        });
        java.util.Arrays.fill(h, 0, count, 0);
        for (int s = 0; s < stretches; s++) for (int j = 0; j < count; j++) h[j] += partial[s * count + j];
        forStretches(n, work, (from, to) -> {
            for (int j = 0; j < count; j++) {
                if (Kernels.vector()) Vectorized.axpy(-h[j], basis[j], w, from, to);
                else for (int i = from; i < to; i++) w[i] -= h[j] * basis[j][i];
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
        int n = out.length == 0 ? 0 : out[0].length;
        forStretches(n, (long) n * count * out.length, (from, to) -> {
            for (double[] y : out) java.util.Arrays.fill(y, from, to, 0);
            for (int j = 0; j < count; j++)
                for (int i = 0; i < out.length; i++) {
                    if (Kernels.vector()) Vectorized.axpy(c[i][j], basis[j], out[i], from, to);
                    else for (int e = from; e < to; e++) out[i][e] += c[i][j] * basis[j][e];
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

    private static double scalarRecurrence(double[] w, double alpha, double[] q, double beta, double[] p, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            w[i] = w[i] - alpha * q[i] - beta * p[i];
            s += q[i] * w[i];
        }
        return s;
    }

    private static double scalarSubtractAndSquare(double[] w, double c, double[] q, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            w[i] -= c * q[i];
            s += w[i] * w[i];
        }
        return s;
    }

    /**
     * Kept apart so that the scalar path never loads a Vector API class. Vectors never cross a method boundary here
     * (the reason is in {@link Elementwise32}'s notes), so each sum over the lanes is written out where it ends a loop.
     */
    private static final class Vectorized {
        private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

        /** The dot product of a[from, to) and b[from, to). */
        static double dot(double[] a, double[] b, int from, int to) {
            DoubleVector acc0 = DoubleVector.zero(S), acc1 = acc0;
            int i = from, l = S.length();
            for (int bound = to - 2 * l; i <= bound; i += 2 * l) { // two vectors a step, both inside
                acc0 = DoubleVector.fromArray(S, a, i).fma(DoubleVector.fromArray(S, b, i), acc0);
                acc1 = DoubleVector.fromArray(S, a, i + l).fma(DoubleVector.fromArray(S, b, i + l), acc1);
            }
            DoubleVector acc = acc0.add(acc1);
            double s = 0;
            for (int lane = 0; lane < l; lane++) s += acc.lane(lane); // in a fixed order
            for (; i < to; i++) s += a[i] * b[i];
            return s;
        }

        /** w[from, to) -= alpha q + beta p, then q . w over it, summed as {@link #dot(double[], double[], int, int)}. */
        static double recurrence(double[] w, double alpha, double[] q, double beta, double[] p, int from, int to) {
            DoubleVector na = DoubleVector.broadcast(S, -alpha), nb = DoubleVector.broadcast(S, -beta), acc0 = DoubleVector.zero(S), acc1 = acc0;
            int i = from, l = S.length();
            for (int bound = to - 2 * l; i <= bound; i += 2 * l) {
                DoubleVector q0 = DoubleVector.fromArray(S, q, i), q1 = DoubleVector.fromArray(S, q, i + l);
                DoubleVector w0 = DoubleVector.fromArray(S, p, i).fma(nb, q0.fma(na, DoubleVector.fromArray(S, w, i)));
                DoubleVector w1 = DoubleVector.fromArray(S, p, i + l).fma(nb, q1.fma(na, DoubleVector.fromArray(S, w, i + l)));
                w0.intoArray(w, i);
                w1.intoArray(w, i + l);
                acc0 = q0.fma(w0, acc0);
                acc1 = q1.fma(w1, acc1);
            }
            DoubleVector acc = acc0.add(acc1);
            double s = 0;
            for (int lane = 0; lane < l; lane++) s += acc.lane(lane); // in a fixed order
            for (; i < to; i++) {
                w[i] = w[i] - alpha * q[i] - beta * p[i];
                s += q[i] * w[i];
            }
            return s;
        }

        /** w[from, to) -= c q, then |w|^2 over it, summed as {@link #dot(double[], double[], int, int)}. */
        static double subtractAndSquare(double[] w, double c, double[] q, int from, int to) {
            DoubleVector nc = DoubleVector.broadcast(S, -c), acc0 = DoubleVector.zero(S), acc1 = acc0;
            int i = from, l = S.length();
            for (int bound = to - 2 * l; i <= bound; i += 2 * l) {
                DoubleVector w0 = DoubleVector.fromArray(S, q, i).fma(nc, DoubleVector.fromArray(S, w, i));
                DoubleVector w1 = DoubleVector.fromArray(S, q, i + l).fma(nc, DoubleVector.fromArray(S, w, i + l));
                w0.intoArray(w, i);
                w1.intoArray(w, i + l);
                acc0 = w0.fma(w0, acc0);
                acc1 = w1.fma(w1, acc1);
            }
            DoubleVector acc = acc0.add(acc1);
            double s = 0;
            for (int lane = 0; lane < l; lane++) s += acc.lane(lane); // in a fixed order
            for (; i < to; i++) {
                w[i] -= c * q[i];
                s += w[i] * w[i];
            }
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
