package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VectorMathTest {
    @AfterEach
    void restore() {
        Kernels.useDefault();
    }

    @Test
    void dotAndAxpyMatchPlainLoopsAtEveryLength() {
        SplittableRandom rng = new SplittableRandom(3);
        for (boolean vector : new boolean[] {true, false}) {
            Kernels.useVector(vector);
            for (int n = 0; n <= 70; n++) {
                double[] a = new double[n], b = new double[n], y = new double[n], expected = new double[n];
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    a[i] = rng.nextDouble(-1, 1);
                    b[i] = rng.nextDouble(-1, 1);
                    y[i] = expected[i] = rng.nextDouble(-1, 1);
                    dot += a[i] * b[i];
                    expected[i] += 0.75 * a[i];
                }
                assertEquals(dot, VectorMath.dot(a, b), 1e-13, "dot of length " + n);
                VectorMath.axpy(0.75, a, y);
                for (int i = 0; i < n; i++) assertEquals(expected[i], y[i], 1e-15, "axpy of length " + n);
            }
        }
    }

    /**
     * Against a basis kept in float64 or in float32 (its values widened: the coefficients and the update are those of
     * the widened basis, which is orthonormal only to float32's rounding).
     */
    @Test
    void gramSchmidtRemovesEveryBasisDirection() {
        SplittableRandom rng = new SplittableRandom(4);
        for (boolean vector : new boolean[] {true, false})
            for (boolean single : new boolean[] {false, true}) {
            Kernels.useVector(vector);
            for (int n : new int[] {1, 7, VectorMath.STRETCH - 1, VectorMath.STRETCH + 5, 3 * VectorMath.STRETCH}) {
                int count = Math.min(n, 5);
                double[][] q = new double[count + 1][]; // one spare slot: only the first count are used
                for (int j = 0; j < count; j++) { // an orthonormal basis by modified Gram-Schmidt, in plain loops
                    double[] v = new double[n];
                    for (int i = 0; i < n; i++) v[i] = rng.nextDouble(-1, 1);
                    for (int p = 0; p < j; p++) {
                        double d = 0;
                        for (int i = 0; i < n; i++) d += v[i] * q[p][i];
                        for (int i = 0; i < n; i++) v[i] -= d * q[p][i];
                    }
                    double norm = 0;
                    for (double x : v) norm += x * x;
                    for (int i = 0; i < n; i++) v[i] /= Math.sqrt(norm);
                    q[j] = v;
                }
                double[] w = new double[n], original = new double[n], h = new double[count + 1];
                for (int i = 0; i < n; i++) original[i] = w[i] = rng.nextDouble(-1, 1);
                h[count] = 42; // past count: left alone
                if (single) VectorMath.orthogonalize(rounded(q, count), count, w, h);
                else VectorMath.orthogonalize(q, count, w, h);
                assertEquals(42, h[count]);
                for (int j = 0; j < count; j++) {
                    double want = 0, left = 0;
                    for (int i = 0; i < n; i++) {
                        want += q[j][i] * original[i];
                        left += q[j][i] * w[i];
                    }
                    assertEquals(want, h[j], 1e-12, "coefficient " + j + " at length " + n);
                    assertEquals(0, left, single ? 1e-6 : 1e-12, "what is left of direction " + j + " at length " + n);
                }
                for (int i = 0; i < n; i++) {
                    double want = original[i];
                    for (int j = 0; j < count; j++) want -= h[j] * q[j][i];
                    assertEquals(want, w[i], 1e-13, "w[" + i + "] at length " + n);
                }
            }
        }
    }

    private static double[][] copy(double[][] q) {
        double[][] c = new double[q.length][];
        for (int j = 0; j < q.length; j++) c[j] = q[j].clone();
        return c;
    }

    /** The first {@code count} vectors of q rounded to float32, and q's entries replaced by the rounded values. */
    private static float[][] rounded(double[][] q, int count) {
        float[][] f = new float[count][];
        for (int j = 0; j < count; j++) {
            f[j] = new float[q[j].length];
            for (int i = 0; i < f[j].length; i++) q[j][i] = f[j][i] = (float) q[j][i];
        }
        return f;
    }

    /** Split over threads by stretches, with each stretch's dots summed in stretch order: the same bits on 1 or 2 threads. */
    @Test
    void gramSchmidtIsTheSameOnEveryThreadCount() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 40 * VectorMath.STRETCH + 3, count = 6;
        double[][] q = new double[count][n];
        double[] w = new double[n];
        for (double[] v : q) for (int i = 0; i < n; i++) v[i] = rng.nextDouble(-1, 1);
        for (int i = 0; i < n; i++) w[i] = rng.nextDouble(-1, 1);
        try {
            float[][] f = rounded(copy(q), count);
            for (boolean single : new boolean[] {false, true}) {
                double[][] results = new double[2][], coefficients = new double[2][];
                for (int threads = 1; threads <= 2; threads++) {
                    Parallel.setThreads(threads);
                    results[threads - 1] = w.clone();
                    coefficients[threads - 1] = new double[count];
                    if (single) VectorMath.orthogonalize(f, count, results[threads - 1], coefficients[threads - 1]);
                    else VectorMath.orthogonalize(q, count, results[threads - 1], coefficients[threads - 1]);
                }
                org.junit.jupiter.api.Assertions.assertArrayEquals(coefficients[0], coefficients[1]);
                org.junit.jupiter.api.Assertions.assertArrayEquals(results[0], results[1]);
            }
        } finally {
            Parallel.setThreads(1);
        }
    }

    /**
     * Ritz vectors in one pass: the same bits as an axpy sweep per output, on 1 or 3 threads and with plain loops, for
     * 1 to 6 outputs (in blocks of four), from a basis kept in float64 or float32.
     */
    @Test
    void combineIsOneAxpySweepPerOutput() {
        SplittableRandom rng = new SplittableRandom(6);
        try {
            for (boolean vector : new boolean[] {true, false}) {
                Kernels.useVector(vector);
                for (int n : new int[] {0, 5, VectorMath.STRETCH + 3, 9 * VectorMath.STRETCH + 7})
                    for (int outputs : new int[] {1, 3, 6}) {
                    int count = 4;
                    double[][] basis = new double[count + 1][n], c = new double[outputs][count + 1]; // a spare vector: left out
                    for (double[] v : basis) for (int i = 0; i < n; i++) v[i] = rng.nextDouble(-1, 1);
                    for (double[] row : c) for (int j = 0; j <= count; j++) row[j] = rng.nextDouble(-1, 1);
                    double[][] widened = copy(basis);
                    float[][] single = rounded(widened, count + 1); // widened now holds the float32 values
                    for (int threads : new int[] {1, 3}) {
                        Parallel.setThreads(threads);
                        for (boolean kept32 : new boolean[] {false, true}) {
                            double[][] out = new double[outputs][n], from = kept32 ? widened : basis;
                            for (double[] y : out) java.util.Arrays.fill(y, 7); // overwritten, not added to
                            if (kept32) VectorMath.combine(single, count, c, out);
                            else VectorMath.combine(basis, count, c, out);
                            for (int i = 0; i < outputs; i++) {
                                double[] want = new double[n];
                                for (int j = 0; j < count; j++) VectorMath.axpy(c[i][j], from[j], want);
                                org.junit.jupiter.api.Assertions.assertArrayEquals(want, out[i],
                                        "output " + i + " of " + outputs + " at length " + n + ", " + threads + " threads, float32 " + kept32);
                            }
                        }
                    }
                }
            }
        } finally {
            Parallel.setThreads(1);
        }
    }

    /**
     * The Lanczos step's fused passes (the recurrence with the local reorthogonalization's dot, the subtraction with
     * the norm, the scaling), the elementwise product and the dot product: what plain loops give, at lengths around
     * a stretch, and the same bits on 1 or 3 threads.
     */
    @Test
    void lanczosPassesMatchPlainLoopsOnEveryThreadCount() {
        SplittableRandom rng = new SplittableRandom(7);
        try {
            for (boolean vector : new boolean[] {true, false}) {
                Kernels.useVector(vector);
                for (int n : new int[] {0, 1, 7, VectorMath.STRETCH - 1, VectorMath.STRETCH + 3, 9 * VectorMath.STRETCH + 7}) {
                    double[] w = new double[n], q = new double[n], p = new double[n];
                    for (int i = 0; i < n; i++) {
                        w[i] = rng.nextDouble(-1, 1);
                        q[i] = rng.nextDouble(-1, 1);
                        p[i] = rng.nextDouble(-1, 1);
                    }
                    double alpha = rng.nextDouble(-2, 2), beta = rng.nextDouble(0, 2), c = rng.nextDouble(-1, 1);
                    double[] w1 = new double[n], w2 = new double[n], scaled = new double[n];
                    double dot = 0, again = 0, squares = 0;
                    for (int i = 0; i < n; i++) {
                        dot += w[i] * q[i];
                        w1[i] = w[i] - alpha * q[i] - beta * p[i];
                        again += q[i] * w1[i];
                        w2[i] = w1[i] - c * q[i];
                        squares += w2[i] * w2[i];
                        scaled[i] = 0.375 * w[i];
                    }
                    double[][] outs = new double[2][];
                    double[][] sums = new double[2][];
                    for (int threads : new int[] {1, 3}) {
                        Parallel.setThreads(threads);
                        double[] x = w.clone(), y = new double[n];
                        double d = VectorMath.dot(w, q), a = VectorMath.recurrence(x, alpha, q, beta, p);
                        String at = " at length " + n + ", " + threads + " threads, vector " + vector;
                        for (int i = 0; i < n; i++) assertEquals(w1[i], x[i], 1e-14, "recurrence" + at);
                        double s = VectorMath.subtractAndSquare(x, c, q);
                        for (int i = 0; i < n; i++) assertEquals(w2[i], x[i], 1e-14, "subtraction" + at);
                        VectorMath.scale(w, 0.375, y);
                        org.junit.jupiter.api.Assertions.assertArrayEquals(scaled, y, "scale" + at);
                        VectorMath.multiply(w, q, y);
                        for (int i = 0; i < n; i++) assertEquals(w[i] * q[i], y[i], 0, "multiply" + at);
                        float[] kept = new float[n];
                        double[] rounded = w.clone();
                        VectorMath.scaleRounded(rounded, 0.375, rounded, kept);
                        for (int i = 0; i < n; i++) {
                            assertEquals((float) (0.375 * w[i]), kept[i], 0, "scaleRounded's floats" + at);
                            assertEquals(kept[i], rounded[i], 0, "scaleRounded's doubles" + at);
                        }
                        VectorMath.sum(new double[][] {w, q, p}, y);
                        for (int i = 0; i < n; i++) assertEquals(w[i] + q[i] + p[i], y[i], 0, "sum" + at);
                        assertEquals(dot, d, 1e-13 * (n + 1), "dot" + at);
                        assertEquals(again, a, 1e-13 * (n + 1), "recurrence's dot" + at);
                        assertEquals(squares, s, 1e-14 * squares + 1e-300, "squares" + at);
                        outs[threads == 1 ? 0 : 1] = x;
                        sums[threads == 1 ? 0 : 1] = new double[] {d, a, s};
                    }
                    org.junit.jupiter.api.Assertions.assertArrayEquals(outs[0], outs[1], "the same bits on 1 and 3 threads at length " + n);
                    org.junit.jupiter.api.Assertions.assertArrayEquals(sums[0], sums[1], "the same sums on 1 and 3 threads at length " + n);
                }
            }
        } finally {
            Parallel.setThreads(1);
        }
    }
}
