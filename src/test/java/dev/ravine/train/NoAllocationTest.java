package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A training step (gathering the minibatch, forward, loss, backward, the update split by tensors) allocates nothing
 * once warm, on one thread or two, and still nothing where the compiler declines to inline the kernels' callees.
 * Each measurement runs in a JVM of its own: what the JIT makes of a kernel depends on what the process ran before
 * it, and a test suite's history is no user's.
 */
class NoAllocationTest {
    /**
     * C2 inlines a callee that was already compiled on its own only while that code is small (InlineSmallCode), so
     * whether a helper in a kernel is inlined depends on which was compiled first: a race that one machine or run of
     * the suite wins and another loses. A vector passed to or returned from a helper left out of line is an object on
     * the heap. With InlineSmallCode=100 every such call is left out of line: a kernel that passes vectors between
     * methods allocates at every step, on every machine.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "-XX:InlineSmallCode=100"})
    void trainingStepsDoNotAllocate(String option, @TempDir Path tmp) throws Exception {
        // the promise is the vector kernels'; the plain-Java fallback (RAVINE_KERNELS=scalar) is there to be right
        Assumptions.assumeTrue(dev.ravine.tensor.Kernels.vector(), "scalar kernels");
        // small TLABs of a fixed size: the allocation profile a failure prints samples at each new one
        List<String> command = dev.ravine.ChildJvm.command("-XX:-ResizeTLAB", "-XX:TLABSize=4k");
        if (!option.isEmpty()) command.add(command.indexOf("-cp"), option);
        command.add(StepAllocation.class.getName());
        Path log = tmp.resolve("log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = p.waitFor(100, TimeUnit.SECONDS);
        if (!finished) p.destroyForcibly().waitFor();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(finished, "the steps did not finish in 100 s:\n" + out);
        assertEquals(0, p.exitValue(), out);
        List<String> measured = out.lines().filter(line -> line.matches("[a-z0-9-]+ \\d+")).toList();
        assertEquals(StepAllocation.kinds().size() + 1, measured.size(), out);
        for (String line : measured)
            assertTrue(Long.parseLong(line.split(" ")[1]) < 64, "bytes allocated per step " + option + ": " + line + "\n" + out);
    }
}
