package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * float32 tanh's own kernel: within an ulp of Math's tanh rounded to float over its whole range and at the special
 * values, its vectors the same bits as its scalar twin at every length around the vectors (whatever the JIT made of
 * either), and the forward pass of a tanh activation the same bits on one thread and two.
 */
class Tanh32Test {
    @AfterEach
    void restore() {
        Kernels.useDefault();
        Parallel.setThreads(1);
    }

    static float[] inputs(int n, SplittableRandom rng) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++)
            x[i] = switch (i % 4) {
                case 0 -> (float) ((rng.nextDouble() * 2 - 1) * 0.7); // around the polynomial's end, 0.625
                case 1 -> (float) ((rng.nextDouble() * 2 - 1) * 12);
                case 2 -> (float) ((rng.nextDouble() * 2 - 1) * 1e-3);
                default -> Float.intBitsToFloat(rng.nextInt()); // every exponent, infinities and NaNs among them
            };
        float[] special = {0f, -0f, 0.625f, -0.625f, Math.nextDown(0.625f), 10f, -10f, 9.5f, 1e30f, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL};
        System.arraycopy(special, 0, x, 0, Math.min(n, special.length));
        return x;
    }

    @Test
    void withinAnUlpOfMathsAndTheVectorsAreTheScalarTwin() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int n : new int[] {1, 3, 4, 5, 15, 16, 17, 31, 33, 100, 1 << 18}) {
            float[] x = inputs(n, rng), y = new float[n + 2];
            Tanh32.apply(x, 0, y, 1, n);
            for (int i = 0; i < n; i++) {
                float math = (float) Math.tanh(x[i]), ours = y[i + 1];
                assertEquals(Float.floatToRawIntBits(Tanh32.of(x[i])), Float.floatToRawIntBits(ours), "n=" + n + " the scalar twin at x=" + x[i]);
                if (Float.isNaN(math)) {
                    assertTrue(Float.isNaN(ours), "NaN at " + i);
                    continue;
                }
                assertEquals(math, ours, Math.ulp(math), "n=" + n + " x=" + x[i]);
                assertEquals(Math.copySign(1f, math), Math.copySign(1f, ours), "the sign at x=" + x[i]);
            }
            assertEquals(0f, y[0]);
            assertEquals(0f, y[n + 1], "nothing written past the end");
        }
    }

    /** A tanh activation's forward pass ({@link Ops#map}) through the kernel, split over two threads or not. */
    @Test
    void aTanhActivationsForwardPassIsTheKernelsOnAnyThreadCount() {
        Pointwise tanh = new Pointwise() {
            public double apply(double x) { return Math.tanh(x); }
            public double derivative(double x, double y) { return 1 - y * y; }
            public double second(double x, double y) { return -2 * y * (1 - y * y); }
            public Squash squash() { return Squash.TANH; }
        };
        SplittableRandom rng = new SplittableRandom(4);
        for (boolean vector : new boolean[] {true, false})
            for (int n : new int[] {7, 4_099, 300_007}) {
                Kernels.useVector(vector);
                float[] x = inputs(n, rng);
                Tensor in = Tensor.zeros(DType.FLOAT32, 1, n), one = Tensor.zeros(DType.FLOAT32, 1, n), two = Tensor.zeros(DType.FLOAT32, 1, n);
                for (int i = 0; i < n; i++) in.set(i, x[i]);
                Parallel.setThreads(1);
                Ops.map(tanh, in, one);
                Parallel.setThreads(2);
                Ops.map(tanh, in, two);
                for (int i = 0; i < n; i++) {
                    float expected = vector ? Tanh32.of(x[i]) : (float) Math.tanh(x[i]); // the scalar kernels keep Math's
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits((float) one.get(i)), "vector=" + vector + " at " + i);
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits((float) two.get(i)), "two threads, vector=" + vector + " at " + i);
                }
            }
    }

    /**
     * The same bits in a JVM that only interprets (-Xint), where every Vector API operation runs as the API's plain Java
     * (Math per lane for its own transcendental functions), as here after a few thousand calls, which C2 compiles.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void theInterpreterGivesTheSameBits() throws Exception {
        java.util.List<String> command = dev.ravine.ChildJvm.command("-Xint");
        command.add(Tanh32Hash.class.getName());
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(100, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0, "the -Xint JVM: " + out);
        assertEquals(Long.toString(Tanh32Hash.of(3000)), out);
    }
}
