package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the kernels with scalar twins ({@link Float32Kernel}'s and {@link Float64Kernel}'s) share, checked in child JVMs:
 * their starts find the vector loops compiled under the launcher's compile thresholds, and an interpreting JVM gives
 * the same bits.
 */
class TwinKernelsTest {
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
        for (String kernel : new String[] {"Logistic32", "Logistic64", "Gelu32", "Gelu64", "SiluSlope32", "SiluSlope64", "Elu", "LeakyRelu", "Softplus", "Mish", "GeluTanh32", "GeluTanh64"})
            assertTrue(options.stream().anyMatch(o -> o.contains("." + kernel + "::")), "the launcher's threshold for " + kernel + ": " + options);
        java.util.List<String> command = dev.ravine.ChildJvm.command(options.toArray(String[]::new));
        command.add(VectorStartCheck.class.getName());
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(100, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0, "the child JVM: " + out);
        java.util.List<String> lines = out.lines().toList();
        long loops = java.util.Arrays.stream(Float32Kernel.values()).filter(Float32Kernel::scales).count() + Float32Kernel.values().length
                + java.util.Arrays.stream(Float64Kernel.values()).filter(Float64Kernel::scales).count() + Float64Kernel.values().length;
        assertEquals(loops, lines.size(), out);
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
        command.add(KernelHash.class.getName());
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(100, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0, "the -Xint JVM: " + out);
        assertEquals(Long.toString(KernelHash.of(3000)), out);
    }
}
