package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.nn.Activation;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the float32 kernels ({@link Logistic32}, {@link Gelu32}, {@link SiluSlope32}) share: which activations take
 * them, the passes of such an activation the same bits on one thread and two, and the same bits in a JVM that only
 * interprets.
 */
class Float32KernelTest {
    @AfterEach
    void restore() {
        Kernels.useDefault();
        Parallel.setThreads(1);
    }

    /** f's scalar twin. */
    static float scalar(Float32Kernel f, float x) {
        return f == Float32Kernel.GELU ? Gelu32.gelu(x) : Logistic32Test.scalar(f, x);
    }

    /** f over all of x by its vector loop wherever it can go, however far the probes have got. */
    static void viaVectors(Float32Kernel f, float[] x, float[] y) {
        if (f == Float32Kernel.GELU) Gelu32Test.viaVectors(x, 0, y, 0, x.length);
        else Logistic32Test.viaVectors(f, x, 0, y, 0, x.length);
    }

    /** tanh and the sigmoid by being squashing functions, SiLU and GELU by name. */
    @Test
    void whichActivationsTakeTheKernels() {
        for (Activation a : Activation.values()) {
            Float32Kernel expected = switch (a) {
                case TANH -> Float32Kernel.TANH;
                case SIGMOID -> Float32Kernel.SIGMOID;
                case SILU -> Float32Kernel.SILU;
                case GELU -> Float32Kernel.GELU;
                default -> null;
            };
            assertEquals(expected, a.float32Kernel(), a.label);
        }
    }

    /**
     * An activation's forward pass ({@link Ops#map}) through its kernel, and GELU's backward pass ({@link Ops#mapScale})
     * through its own, split over two threads or not; on the scalar kernels, Math's functions in double.
     */
    @ParameterizedTest
    @EnumSource(Float32Kernel.class)
    void anActivationsPassesAreTheKernelsOnAnyThreadCount(Float32Kernel f) {
        Activation a = switch (f) {
            case TANH -> Activation.TANH;
            case SIGMOID -> Activation.SIGMOID;
            case SILU -> Activation.SILU;
            case GELU -> Activation.GELU;
        };
        SplittableRandom rng = new SplittableRandom(4);
        for (boolean vector : new boolean[] {true, false})
            for (int n : new int[] {7, 4_099, 300_007}) {
                Kernels.useVector(vector);
                float[] x = Logistic32Test.inputs(n, rng);
                Tensor in = tensor(x), g = tensor(Logistic32Test.inputs(n, rng));
                Tensor[] y = new Tensor[2], gx = new Tensor[2];
                for (int threads = 1; threads <= 2; threads++) {
                    Parallel.setThreads(threads);
                    y[threads - 1] = Tensor.zeros(DType.FLOAT32, 1, n);
                    gx[threads - 1] = Tensor.zeros(DType.FLOAT32, 1, n);
                    Ops.map(a, in, y[threads - 1]);
                    Ops.mapScale(a, in, y[threads - 1], g, gx[threads - 1]);
                }
                for (int i = 0; i < n; i++) {
                    float expected = vector ? scalar(f, x[i]) : (float) a.apply(x[i]);
                    float yi = (float) y[0].get(i), gi = (float) g.get(i);
                    float gradient = vector && f == Float32Kernel.GELU ? Gelu32.scale(x[i], yi, gi) : (float) (gi * a.derivative(x[i], yi));
                    for (int t = 0; t < 2; t++) {
                        String at = f + " vector=" + vector + " threads=" + (t + 1) + " at " + i;
                        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits((float) y[t].get(i)), at);
                        assertEquals(Float.floatToIntBits(gradient), Float.floatToIntBits((float) gx[t].get(i)), "the gradient, " + at);
                    }
                }
            }
    }

    private static Tensor tensor(float[] x) {
        Tensor t = Tensor.zeros(DType.FLOAT32, 1, x.length);
        for (int i = 0; i < x.length; i++) t.set(i, x[i]);
        return t;
    }

    /**
     * Each kernel's probes find its vector loop compiled, by a probe's speed long before the count that takes it as
     * compiled anyway, in a JVM given the launcher's compile thresholds (read from the {@code ravine} script, so a
     * kernel it leaves out fails here). Without them C2's thresholds grow with its queue, and a JVM as busy as the
     * tests' can take 35,000 calls to compile a loop. Where the loops cannot run (fewer than four lanes), no probes.
     */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theProbesFindTheLoopsCompiledUnderTheLaunchersThresholds() throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-XX:CompileCommand=CompileThresholdScaling,dev\\.ravine\\.tensor\\.[^\\s)]+")
                .matcher(java.nio.file.Files.readString(java.nio.file.Path.of("ravine")));
        java.util.List<String> options = new java.util.ArrayList<>(java.util.List.of("-XX:CompileCommand=quiet"));
        while (m.find()) options.add(m.group());
        for (String kernel : new String[] {"Logistic32", "Gelu32", "SiluSlope32"})
            assertTrue(options.stream().anyMatch(o -> o.contains("." + kernel + "::")), "the launcher's threshold for " + kernel + ": " + options);
        java.util.List<String> command = dev.ravine.ChildJvm.command(options.toArray(String[]::new));
        command.add(VectorStartCheck.class.getName());
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(100, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0, "the child JVM: " + out);
        java.util.List<String> lines = out.lines().toList();
        assertEquals(6, lines.size(), out);
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f[1].equals("true")) {
                assertEquals("true", f[2], "taken as compiled: " + line);
                assertTrue(Integer.parseInt(f[3]) < VectorStart.PROBES_AT_MOST, "by a probe's speed: " + line);
            } else assertEquals("0", f[3], "no probes where the loop cannot run: " + line);
        }
    }

    /**
     * The same bits in a JVM that only interprets (-Xint), where every Vector API operation runs as the API's plain Java
     * (Math per lane for its own transcendental functions), as here after a few thousand calls, which C2 compiles.
     */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theInterpreterGivesTheSameBits() throws Exception {
        java.util.List<String> command = dev.ravine.ChildJvm.command("-Xint");
        command.add(Float32KernelHash.class.getName());
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(100, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0, "the -Xint JVM: " + out);
        assertEquals(Long.toString(Float32KernelHash.of(3000)), out);
    }
}
