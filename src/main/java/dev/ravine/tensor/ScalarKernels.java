package dev.ravine.tensor;

/**
 * Plain-Java twins of the Vector API kernels, for JVMs without the {@code jdk.incubator.vector} module: the same
 * results up to rounding, several times slower. Row ranges [i0, i1) of the result, like the vector kernels.
 */
final class ScalarKernels {
    private ScalarKernels() {
    }

    /** Rows of C a pass over op(B) serves: each entry of B read once per ROWS rows instead of once per row. */
    private static final int ROWS = 4;
    /** Per-thread buffers: ROWS rows of accumulators, and op(B) widened to double, one array a row. */
    private static final ThreadLocal<double[][]> BUFFERS = ThreadLocal.withInitial(() -> new double[ROWS][0]), COPIES =
            ThreadLocal.withInitial(() -> new double[1][0]);

    /**
     * C[m, n] (+)= op(A) op(B): A stored [k, m] when transA else [m, k]; B stored [n, k] when transB else [k, n].
     * Each C[i, j] is the sum over p in order of double products A[i, p] B[p, j], added to C last when
     * accumulating, whatever the transposes, the rows given or the thread. op(B) is first copied out in double,
     * one array per k-value, so the inner loop runs along contiguous doubles rather than reading a transposed B
     * with a stride of k through Tensor's dtype test at every multiply-add; and ROWS rows of C share each pass
     * over it. Every array in that loop is indexed by the same j: then C2 compiles it to SIMD code (with B in one
     * flat array, read at p * n + j, it did not, unable to rule out that a row of accumulators aliases B).
     */
    static void gemm(Tensor a, boolean transA, Tensor b, boolean transB, Tensor c, int m, int n, int k, boolean accumulate, int i0, int i1) {
        double[][] buf = BUFFERS.get(), bb = COPIES.get();
        for (int r = 0; r < ROWS; r++) if (buf[r].length < n) buf[r] = new double[n];
        if (bb.length < k || bb[0].length < n) {
            bb = new double[Math.max(k, bb.length)][Math.max(n, bb[0].length)];
            COPIES.set(bb);
        }
        for (int p = 0; p < k; p++)
            for (int j = 0; j < n; j++) bb[p][j] = transB ? b.get(j * k + p) : b.get(p * n + j);
        double[] r0 = buf[0], r1 = buf[1], r2 = buf[2], r3 = buf[3];
        for (int i = i0; i < i1; i += ROWS) {
            int rows = Math.min(ROWS, i1 - i);
            for (int r = 0; r < rows; r++) java.util.Arrays.fill(buf[r], 0, n, 0);
            for (int p = 0; p < k; p++) {
                double[] bp = bb[p];
                if (rows == ROWS) {
                    double a0 = entry(a, transA, m, k, i, p), a1 = entry(a, transA, m, k, i + 1, p), a2 = entry(a, transA, m, k, i + 2, p),
                            a3 = entry(a, transA, m, k, i + 3, p);
                    for (int j = 0; j < n; j++) {
                        double bj = bp[j];
                        r0[j] += a0 * bj;
                        r1[j] += a1 * bj;
                        r2[j] += a2 * bj;
                        r3[j] += a3 * bj;
                    }
                } else {
                    for (int r = 0; r < rows; r++) {
                        double ar = entry(a, transA, m, k, i + r, p);
                        double[] row = buf[r];
                        for (int j = 0; j < n; j++) row[j] += ar * bp[j];
                    }
                }
            }
            for (int r = 0; r < rows; r++) {
                double[] row = buf[r];
                int at = (i + r) * n;
                for (int j = 0; j < n; j++) c.set(at + j, accumulate ? c.get(at + j) + row[j] : row[j]);
            }
        }
    }

    /** op(A)[i, p]. */
    private static double entry(Tensor a, boolean transA, int m, int k, int i, int p) {
        return transA ? a.get(p * m + i) : a.get(i * k + p);
    }

    static void addRowVector(Tensor y, Tensor bias) {
        int n = y.cols;
        for (int i = 0, rows = y.rows(); i < rows; i++)
            for (int j = 0; j < n; j++) y.set(i * n + j, y.get(i * n + j) + bias.get(j));
    }

    static void sumRows(Tensor g, Tensor out, boolean accumulate) {
        int n = g.cols;
        if (!accumulate) out.fill(0);
        for (int i = 0, rows = g.rows(); i < rows; i++)
            for (int j = 0; j < n; j++) out.set(j, out.get(j) + g.get(i * n + j));
    }

    static void gatherRows(Tensor src, int[] index, int at, Tensor dst, int to, int count) {
        int w = src.cols;
        for (int i = 0; i < count; i++) {
            int from = src.offset + index[at + i] * w, into = dst.offset + (to + i) * w;
            if (src.f != null) System.arraycopy(src.f, from, dst.f, into, w);
            else System.arraycopy(src.d, from, dst.d, into, w);
        }
    }

    static void relu(Tensor x, Tensor y) {
        for (int i = 0, n = x.size(); i < n; i++) y.set(i, Math.max(x.get(i), 0));
    }

    static void reluMask(Tensor x, Tensor in, Tensor out) {
        for (int i = 0, n = x.size(); i < n; i++) out.set(i, x.get(i) > 0 ? in.get(i) : 0);
    }

    static void squashScale(Squash f, Tensor y, Tensor in, Tensor out) {
        for (int i = 0, n = y.size(); i < n; i++) out.set(i, in.get(i) * f.derivative(y.get(i)));
    }

    static void squashR(Squash f, Tensor y, Tensor rx, Tensor gy, Tensor rgy, Tensor rgx) {
        for (int i = 0, n = y.size(); i < n; i++) {
            double yi = y.get(i), curvature = rx == null ? 0 : f.second(yi) * rx.get(i) * gy.get(i);
            rgx.set(i, curvature + f.derivative(yi) * rgy.get(i));
        }
    }
}
