package dev.ravine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix products on float arrays, row range [i0, i1) of the result, so callers can split rows between threads.
 * Arrays are row-major; each operand is given as (array, offset). C is written (or added to, when
 * {@code accumulate}), A and B are not modified.
 *
 * <p>Gemm64 is generated from this file by {@code tools/gen-kernels.sh}: edit this one.
 */
final class Gemm32 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Per-thread room for one vector's lanes, so the dot products allocate nothing. */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[S.length()]);

    private Gemm32() {
    }

    /**
     * C[m, n] (+)= A[m, k] B[n, k]^T: each entry is a dot product of two contiguous rows. The lanes are summed in
     * a fixed order: {@code reduceLanes(ADD)} may order them differently from one JIT tier to the next, which would
     * make a run's last bits depend on timing.
     */
    static void nt(float[] a, int ao, float[] b, int bo, float[] c, int co, int n, int k, boolean accumulate, int i0, int i1) {
        int bound = S.loopBound(k);
        float[] lanes = LANES.get();
        for (int i = i0; i < i1; i++) {
            int ai = ao + i * k;
            int ci = co + i * n;
            for (int j = 0; j < n; j++) {
                int bj = bo + j * k;
                FloatVector acc = FloatVector.zero(S);
                int p = 0;
                for (; p < bound; p += S.length())
                    acc = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bj + p), acc);
                acc.intoArray(lanes, 0);
                float sum = 0;
                for (float lane : lanes) sum += lane;
                for (; p < k; p++) sum += a[ai + p] * b[bj + p];
                c[ci + j] = accumulate ? c[ci + j] + sum : sum;
            }
        }
    }

    /** C[m, n] (+)= A[m, k] B[k, n]: row i of C gathers rows of B scaled by row i of A. */
    static void nn(float[] a, int ao, float[] b, int bo, float[] c, int co, int n, int k, boolean accumulate, int i0, int i1) {
        for (int i = i0; i < i1; i++) {
            int ci = co + i * n;
            if (!accumulate) java.util.Arrays.fill(c, ci, ci + n, 0f);
            for (int p = 0; p < k; p++) axpy(a[ao + i * k + p], b, bo + p * n, c, ci, n);
        }
    }

    /** C[m, n] (+)= A[k, m]^T B[k, n]: row i of C gathers rows of B scaled by column i of A. */
    static void tn(float[] a, int ao, int m, float[] b, int bo, float[] c, int co, int n, int k, boolean accumulate, int i0, int i1) {
        for (int i = i0; i < i1; i++) {
            int ci = co + i * n;
            if (!accumulate) java.util.Arrays.fill(c, ci, ci + n, 0f);
            for (int p = 0; p < k; p++) axpy(a[ao + p * m + i], b, bo + p * n, c, ci, n);
        }
    }

    /** y[yo .. yo+n) += alpha x[xo .. xo+n). */
    private static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector va = FloatVector.broadcast(S, alpha);
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += S.length())
            FloatVector.fromArray(S, x, xo + j).fma(va, FloatVector.fromArray(S, y, yo + j)).intoArray(y, yo + j);
        for (; j < n; j++) y[yo + j] += alpha * x[xo + j];
    }
}
