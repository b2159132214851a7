package dev.ravine.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
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
     * {@code buffer} where it is an array of n entries (a caller's from its last call, whose values it no longer
     * reads), else a new one: a tracker's vectors of the parameters' length, made anew each measurement, keep the
     * young generation's collector copying megabytes.
     */
    public static double[] reuse(double[] buffer, int n) {
        return buffer != null && buffer.length == n ? buffer : new double[n];
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
        orthogonalize(of(basis), count, w, h);
    }

    /**
     * As {@link #orthogonalize(double[][], int, double[], double[])} against a basis kept in float32, each entry
     * widened to double as it is read: half the bytes a pass reads, where a pass over a few dozen basis vectors of
     * megabytes each is bound by memory.
     */
    public static void orthogonalize(float[][] basis, int count, double[] w, double[] h) {
        orthogonalize(of(basis), count, w, h);
    }

    private static void orthogonalize(Stretches basis, int count, double[] w, double[] h) {
        int n = w.length, stretches = (n + STRETCH - 1) / STRETCH;
        long work = (long) n * count;
        // each stretch's dots apart, summed below in stretch order: the same sums whatever the thread count
        double[] partial = new double[stretches * count];
        forStretches(n, work, (from, to) -> {
            for (int j = 0, s = from / STRETCH; j < count; j++)
                partial[s * count + j] = basis.dot(j, from, w, to - from);
        });
        java.util.Arrays.fill(h, 0, count, 0);
        for (int s = 0; s < stretches; s++) for (int j = 0; j < count; j++) h[j] += partial[s * count + j];
        forStretches(n, work, (from, to) -> {
            for (int j = 0; j < count; j++) basis.axpy(-h[j], j, from, w, to - from);
        });
    }

    /**
     * out[i] = sum over j &lt; {@code count} of c[i][j] basis[j], for every output i (Ritz vectors from a Lanczos
     * basis). One pass over the basis in stretches, as {@link #orthogonalize}, each basis vector's stretch added to
     * every output's stretch while it is in cache, where an axpy sweep per output reads the whole basis once per
     * output. The same operations in the same order as those sweeps, so the same bits.
     */
    public static void combine(double[][] basis, int count, double[][] c, double[][] out) {
        combine(of(basis), count, c, out);
    }

    /** As {@link #combine(double[][], int, double[][], double[][])}, from a basis kept in float32. */
    public static void combine(float[][] basis, int count, double[][] c, double[][] out) {
        combine(of(basis), count, c, out);
    }

    private static void combine(Stretches basis, int count, double[][] c, double[][] out) {
        int n = out.length == 0 ? 0 : out[0].length;
        forStretches(n, (long) n * count * out.length, (from, to) -> {
            for (int i = 0; i < out.length; i += 4) basis.combine(count, c, out, i, Math.min(out.length, i + 4), from, to);
        });
    }

    /** out = the sum of {@code vectors}, added in order (as axpy sweeps with 1 from zero), split over the threads. */
    public static void sum(double[][] vectors, double[] out) {
        forStretches(out.length, (long) out.length * vectors.length, (from, to) -> {
            java.util.Arrays.fill(out, from, to, 0);
            for (double[] v : vectors) for (int i = from; i < to; i++) out[i] += v[i];
        });
    }

    /**
     * out = c a rounded to float32, the same values into {@code rounded} (out may be a): a vector kept in float32 and
     * used in double arithmetic then holds the same numbers in both. Split over the threads.
     */
    public static void scaleRounded(double[] a, double c, double[] out, float[] rounded) {
        forStretches(a.length, a.length, (from, to) -> {
            if (Kernels.vector(DType.FLOAT64)) Vectorized.scaleRounded(a, c, out, rounded, from, to);
            else for (int i = from; i < to; i++) out[i] = rounded[i] = (float) (a[i] * c);
        });
    }

    /** A basis read a stretch at a time, whatever precision it is kept in: what Gram-Schmidt and the Ritz vectors need of it. */
    private interface Stretches {
        /** basis[j][from, from + n) . w[from, from + n). */
        double dot(int j, int from, double[] w, int n);

        /** y[from, from + n) += alpha basis[j][from, from + n). */
        void axpy(double alpha, int j, int from, double[] y, int n);

        /** basis[j][i], widened. */
        double entry(int j, int i);

        /**
         * The vector part of {@link #combine(int, double[][], double[][], int, int, int, int)}, returning where the
         * rest starts ({@code from} where the Vector API is not in use).
         */
        int combineVectors(int count, double[][] c, double[][] out, int i0, int i1, int from, int to);

        /**
         * out[i][from, to) = sum over j &lt; count of c[i][j] basis[j][from, to), for outputs i0 &lt;= i &lt; i1 (at most
         * four): each entry summed in registers in j order with the operations {@link #axpy} would use from zero, so
         * the same bits as an axpy per basis vector, where those read and write every output once per basis vector.
         */
        default void combine(int count, double[][] c, double[][] out, int i0, int i1, int from, int to) {
            for (int i = combineVectors(count, c, out, i0, i1, from, to); i < to; i++)
                for (int o = i0; o < i1; o++) {
                    double y = 0;
                    for (int j = 0; j < count; j++) y += c[o][j] * entry(j, i);
                    out[o][i] = y;
                }
        }
    }

    private static Stretches of(double[][] basis) {
        return new Stretches() {
            public double dot(int j, int from, double[] w, int n) {
                return VectorMath.dot(basis[j], from, w, from, n);
            }

            public void axpy(double alpha, int j, int from, double[] y, int n) {
                VectorMath.axpy(alpha, basis[j], from, y, from, n);
            }

            public double entry(int j, int i) {
                return basis[j][i];
            }

            public int combineVectors(int count, double[][] c, double[][] out, int i0, int i1, int from, int to) {
                return Kernels.vector(DType.FLOAT64) ? Vectorized.combine(basis, count, c, out, i0, i1, from, to) : from;
            }
        };
    }

    private static Stretches of(float[][] basis) {
        return new Stretches() {
            public double dot(int j, int from, double[] w, int n) {
                if (Kernels.vector(DType.FLOAT64)) return Vectorized.dot(basis[j], from, w, n);
                double s = 0;
                for (int i = from; i < from + n; i++) s += basis[j][i] * w[i];
                return s;
            }

            public void axpy(double alpha, int j, int from, double[] y, int n) {
                if (Kernels.vector(DType.FLOAT64)) Vectorized.axpy(alpha, basis[j], from, y, n);
                else for (int i = from; i < from + n; i++) y[i] += alpha * basis[j][i];
            }

            public double entry(int j, int i) {
                return basis[j][i];
            }

            public int combineVectors(int count, double[][] c, double[][] out, int i0, int i1, int from, int to) {
                return Kernels.vector(DType.FLOAT64) ? Vectorized.combine(basis, count, c, out, i0, i1, from, to) : from;
            }
        };
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

        /**
         * Floats a half-width vector at a time, widened to the doubles' full width (64-bit float vectors where doubles
         * have two lanes, which C2 compiles as well).
         */
        private static final VectorSpecies<Float> HALF = VectorSpecies.of(float.class, VectorShape.forBitSize(S.vectorBitSize() / 2));

        /** a[from, from + n) . b[from, from + n), each float widened; lanes summed in a fixed order. */
        static double dot(float[] a, int from, double[] b, int n) {
            DoubleVector acc0 = DoubleVector.zero(S), acc1 = acc0;
            int i = from, end = from + n, l = S.length();
            for (int bound = end - 2 * l; i <= bound; i += 2 * l) {
                acc0 = ((DoubleVector) FloatVector.fromArray(HALF, a, i).convertShape(VectorOperators.F2D, S, 0)).fma(DoubleVector.fromArray(S, b, i), acc0);
                acc1 = ((DoubleVector) FloatVector.fromArray(HALF, a, i + l).convertShape(VectorOperators.F2D, S, 0))
                        .fma(DoubleVector.fromArray(S, b, i + l), acc1);
            }
            DoubleVector acc = acc0.add(acc1);
            double s = 0;
            for (int lane = 0; lane < l; lane++) s += acc.lane(lane); // in a fixed order
            for (; i < end; i++) s += a[i] * b[i];
            return s;
        }

        /** y[from, from + n) += alpha x[from, from + n), each float widened. */
        static void axpy(double alpha, float[] x, int from, double[] y, int n) {
            DoubleVector va = DoubleVector.broadcast(S, alpha);
            int i = from, end = from + n;
            for (int bound = from + S.loopBound(n); i < bound; i += S.length())
                ((DoubleVector) FloatVector.fromArray(HALF, x, i).convertShape(VectorOperators.F2D, S, 0)).fma(va, DoubleVector.fromArray(S, y, i)).intoArray(y, i);
            for (; i < end; i++) y[i] += alpha * x[i];
        }

        /** out[from, to) = rounded[from, to) = c a[from, to) rounded to float32 (C2 leaves the plain loop's conversions scalar). */
        static void scaleRounded(double[] a, double c, double[] out, float[] rounded, int from, int to) {
            DoubleVector vc = DoubleVector.broadcast(S, c);
            int i = from;
            for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
                FloatVector f = (FloatVector) DoubleVector.fromArray(S, a, i).mul(vc).convertShape(VectorOperators.D2F, HALF, 0);
                f.intoArray(rounded, i);
                ((DoubleVector) f.convertShape(VectorOperators.F2D, S, 0)).intoArray(out, i);
            }
            for (; i < to; i++) out[i] = rounded[i] = (float) (a[i] * c);
        }

        /**
         * The vector part of {@link Stretches#combine} over [from, to) for outputs i0..i1 (up to four, each a register
         * of sums), returning where the scalar tail starts. The same fma per entry and basis vector as {@link #axpy}.
         */
        static int combine(double[][] basis, int count, double[][] c, double[][] out, int i0, int i1, int from, int to) {
            int outputs = i1 - i0, i = from;
            double[] c0 = c[i0], c1 = c[Math.min(i0 + 1, i1 - 1)], c2 = c[Math.min(i0 + 2, i1 - 1)], c3 = c[Math.min(i0 + 3, i1 - 1)];
            for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
                DoubleVector y0 = DoubleVector.zero(S), y1 = y0, y2 = y0, y3 = y0;
                for (int j = 0; j < count; j++) {
                    DoubleVector b = DoubleVector.fromArray(S, basis[j], i);
                    y0 = b.fma(DoubleVector.broadcast(S, c0[j]), y0);
                    y1 = b.fma(DoubleVector.broadcast(S, c1[j]), y1);
                    y2 = b.fma(DoubleVector.broadcast(S, c2[j]), y2);
                    y3 = b.fma(DoubleVector.broadcast(S, c3[j]), y3);
                }
                // a block of fewer than four outputs repeats the last one's coefficients, and stores only its own
                if (outputs > 3) y3.intoArray(out[i0 + 3], i);
                if (outputs > 2) y2.intoArray(out[i0 + 2], i);
                if (outputs > 1) y1.intoArray(out[i0 + 1], i);
                y0.intoArray(out[i0], i);
            }
            return i;
        }

        /**
         * As {@link #combine(double[][], int, double[][], double[][], int, int, int, int)}, each float widened: the
         * same loop with another load (a vector passed to a shared helper would be a heap object; see the notes above).
         */
        static int combine(float[][] basis, int count, double[][] c, double[][] out, int i0, int i1, int from, int to) {
            int outputs = i1 - i0, i = from;
            double[] c0 = c[i0], c1 = c[Math.min(i0 + 1, i1 - 1)], c2 = c[Math.min(i0 + 2, i1 - 1)], c3 = c[Math.min(i0 + 3, i1 - 1)];
            for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
                DoubleVector y0 = DoubleVector.zero(S), y1 = y0, y2 = y0, y3 = y0;
                for (int j = 0; j < count; j++) {
                    DoubleVector b = (DoubleVector) FloatVector.fromArray(HALF, basis[j], i).convertShape(VectorOperators.F2D, S, 0);
                    y0 = b.fma(DoubleVector.broadcast(S, c0[j]), y0);
                    y1 = b.fma(DoubleVector.broadcast(S, c1[j]), y1);
                    y2 = b.fma(DoubleVector.broadcast(S, c2[j]), y2);
                    y3 = b.fma(DoubleVector.broadcast(S, c3[j]), y3);
                }
                if (outputs > 3) y3.intoArray(out[i0 + 3], i);
                if (outputs > 2) y2.intoArray(out[i0 + 2], i);
                if (outputs > 1) y1.intoArray(out[i0 + 1], i);
                y0.intoArray(out[i0], i);
            }
            return i;
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
