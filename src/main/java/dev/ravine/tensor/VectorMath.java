package dev.ravine.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products, axpy, the Lanczos step's passes, Gram-Schmidt and a symmetric matrix's rows on double arrays, for the
 * curvature tools' long vectors (one entry per parameter) and the dense eigensolver. Sums are taken in a fixed order
 * of lanes and stretches, so results repeat bit for bit on any thread count. Scalar code where the Vector API is not
 * in use.
 */
public final class VectorMath {
    private VectorMath() {
    }

    /**
     * a . b, summed stretch by stretch in stretch order (so the same sum whatever the thread count), the stretches
     * of a long vector split over the threads.
     */
    public static double dot(double[] a, double[] b) {
        return overStretches(a.length, 1, (from, to) -> dot(a, from, b, from, to - from));
    }

    /**
     * The Lanczos recurrence in one pass: w -= alpha q + beta p, returning q . w after it (the local
     * reorthogonalization's coefficient). Summed as {@link #dot}.
     */
    public static double recurrence(double[] w, double alpha, double[] q, double beta, double[] p) {
        return overStretches(w.length, 2, (from, to) -> Kernels.vector(DType.FLOAT64) ? Vectorized.recurrence(w, alpha, q, beta, p, from, to)
                : scalarRecurrence(w, alpha, q, beta, p, from, to));
    }

    /** w -= c q in one pass, returning |w|^2 after it. Summed as {@link #dot}. */
    public static double subtractAndSquare(double[] w, double c, double[] q) {
        return overStretches(w.length, 1, (from, to) -> Kernels.vector(DType.FLOAT64) ? Vectorized.subtractAndSquare(w, c, q, from, to)
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
        axpy(alpha, x, 0, y, 0, x.length);
    }

    /** a[ao, ao + n) . b[bo, bo + n), in one thread. */
    public static double dot(double[] a, int ao, double[] b, int bo, int n) {
        if (Kernels.vector(DType.FLOAT64)) return Vectorized.dot(a, ao, b, bo, n);
        double s = 0;
        for (int i = 0; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    /** y[yo, yo + n) += alpha x[xo, xo + n), in one thread. */
    public static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) {
        if (Kernels.vector(DType.FLOAT64)) Vectorized.axpy(alpha, x, xo, y, yo, n);
        else for (int i = 0; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }

    /**
     * Four stored rows of a symmetric matrix-vector product, over columns [from, to): for k &lt; 4, with row k's entry
     * for column s at a[ao + k stride + s], y[s] += xk a[.., s] for every s, and dots[k] = the row's stretch . x. A
     * row of the upper triangle holds both a row and a column of the matrix, so y = A x reads each stored entry once
     * (half the matrix); four rows at a time share each load and store of x and y between four entries of a.
     */
    public static void symmetricRows(double[] a, int ao, int stride, double[] x, double[] y, int from, int to, double x0, double x1, double x2,
                                     double x3, double[] dots) {
        if (Kernels.vector(DType.FLOAT64)) Vectorized.symmetricRows(a, ao, stride, x, y, from, to, x0, x1, x2, x3, dots);
        else symmetricColumns(a, ao, stride, x, y, from, to, x0, x1, x2, x3, 0, 0, 0, 0, dots);
    }

    /** {@link #symmetricRows} over columns [from, to) one at a time, its dot products starting from s0..s3. */
    private static void symmetricColumns(double[] a, int ao, int stride, double[] x, double[] y, int from, int to, double x0, double x1, double x2,
                                         double x3, double s0, double s1, double s2, double s3, double[] dots) {
        for (int s = from; s < to; s++) {
            double a0 = a[ao + s], a1 = a[ao + stride + s], a2 = a[ao + 2 * stride + s], a3 = a[ao + 3 * stride + s], xs = x[s];
            s0 += a0 * xs;
            s1 += a1 * xs;
            s2 += a2 * xs;
            s3 += a3 * xs;
            y[s] += x0 * a0 + x1 * a1 + x2 * a2 + x3 * a3;
        }
        dots[0] = s0;
        dots[1] = s1;
        dots[2] = s2;
        dots[3] = s3;
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
                partial[s * count + j] = dot(basis[j], from, w, from, to - from);
        });
        java.util.Arrays.fill(h, 0, count, 0);
        for (int s = 0; s < stretches; s++) for (int j = 0; j < count; j++) h[j] += partial[s * count + j];
        forStretches(n, work, (from, to) -> {
            for (int j = 0; j < count; j++) axpy(-h[j], basis[j], from, w, from, to - from);
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
                for (int i = 0; i < out.length; i++) axpy(c[i][j], basis[j], from, out[i], from, to - from);
        });
    }

    /** Entries per stretch in {@link #orthogonalize} and {@link #combine}: 16 KB of a vector, well inside any L1 data cache. */
    static final int STRETCH = 2048;

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

        /** w[from, to) -= alpha q + beta p, then q . w over it, summed as {@link #dot(double[], int, double[], int, int)}. */
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

        /** w[from, to) -= c q, then |w|^2 over it, summed as {@link #dot(double[], int, double[], int, int)}. */
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

        /** a[ao, ao + n) . b[bo, bo + n), lanes summed in a fixed order. */
        static double dot(double[] a, int ao, double[] b, int bo, int n) {
            DoubleVector acc0 = DoubleVector.zero(S), acc1 = acc0;
            int i = 0, l = S.length();
            for (int bound = n - 2 * l; i <= bound; i += 2 * l) {
                acc0 = DoubleVector.fromArray(S, a, ao + i).fma(DoubleVector.fromArray(S, b, bo + i), acc0);
                acc1 = DoubleVector.fromArray(S, a, ao + i + l).fma(DoubleVector.fromArray(S, b, bo + i + l), acc1);
            }
            DoubleVector acc = acc0.add(acc1);
            double s = 0;
            for (int lane = 0; lane < l; lane++) s += acc.lane(lane); // in a fixed order
            for (; i < n; i++) s += a[ao + i] * b[bo + i];
            return s;
        }

        /** y[yo, yo + n) += alpha x[xo, xo + n). */
        static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) {
            DoubleVector va = DoubleVector.broadcast(S, alpha);
            int i = 0;
            for (int bound = S.loopBound(n); i < bound; i += S.length())
                DoubleVector.fromArray(S, x, xo + i).fma(va, DoubleVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
            for (; i < n; i++) y[yo + i] += alpha * x[xo + i];
        }

        /** As {@link VectorMath#symmetricRows}; each row's lanes summed in a fixed order. */
        static void symmetricRows(double[] a, int ao, int stride, double[] x, double[] y, int from, int to, double x0, double x1, double x2,
                                  double x3, double[] dots) {
            DoubleVector v0 = DoubleVector.broadcast(S, x0), v1 = DoubleVector.broadcast(S, x1), v2 = DoubleVector.broadcast(S, x2),
                    v3 = DoubleVector.broadcast(S, x3);
            DoubleVector acc0 = DoubleVector.zero(S), acc1 = acc0, acc2 = acc0, acc3 = acc0;
            int s = from, o1 = ao + stride, o2 = o1 + stride, o3 = o2 + stride;
            for (int bound = from + S.loopBound(to - from); s < bound; s += S.length()) {
                DoubleVector xs = DoubleVector.fromArray(S, x, s);
                DoubleVector a0 = DoubleVector.fromArray(S, a, ao + s), a1 = DoubleVector.fromArray(S, a, o1 + s);
                DoubleVector a2 = DoubleVector.fromArray(S, a, o2 + s), a3 = DoubleVector.fromArray(S, a, o3 + s);
                acc0 = a0.fma(xs, acc0);
                acc1 = a1.fma(xs, acc1);
                acc2 = a2.fma(xs, acc2);
                acc3 = a3.fma(xs, acc3);
                a3.fma(v3, a2.fma(v2, a1.fma(v1, a0.fma(v0, DoubleVector.fromArray(S, y, s))))).intoArray(y, s);
            }
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int lane = 0; lane < S.length(); lane++) { // in a fixed order
                s0 += acc0.lane(lane);
                s1 += acc1.lane(lane);
                s2 += acc2.lane(lane);
                s3 += acc3.lane(lane);
            }
            symmetricColumns(a, ao, stride, x, y, s, to, x0, x1, x2, x3, s0, s1, s2, s3, dots); // the tail
        }
    }
}
