package dev.ravine.tensor;

/**
 * Plain-Java twins of the Vector API kernels, for JVMs without the {@code jdk.incubator.vector} module: the same
 * results up to rounding, several times slower. Row ranges [i0, i1) of the result, like the vector kernels.
 */
final class ScalarKernels {
    private ScalarKernels() {
    }

    /** C[m, n] (+)= op(A) op(B): A stored [k, m] when transA else [m, k]; B stored [n, k] when transB else [k, n]. */
    static void gemm(Tensor a, boolean transA, Tensor b, boolean transB, Tensor c, int m, int n, int k, boolean accumulate, int i0, int i1) {
        double[] row = new double[n];
        for (int i = i0; i < i1; i++) {
            java.util.Arrays.fill(row, 0);
            for (int p = 0; p < k; p++) {
                double aip = transA ? a.get(p * m + i) : a.get(i * k + p);
                if (transB) for (int j = 0; j < n; j++) row[j] += aip * b.get(j * k + p);
                else for (int j = 0; j < n; j++) row[j] += aip * b.get(p * n + j);
            }
            for (int j = 0; j < n; j++) c.set(i * n + j, accumulate ? c.get(i * n + j) + row[j] : row[j]);
        }
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

    static void relu(Tensor x, Tensor y) {
        for (int i = 0, n = x.size(); i < n; i++) y.set(i, Math.max(x.get(i), 0));
    }

    static void reluMask(Tensor x, Tensor in, Tensor out) {
        for (int i = 0, n = x.size(); i < n; i++) out.set(i, x.get(i) > 0 ? in.get(i) : 0);
    }
}
