package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.tensor.Parallel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A training step (gathering the minibatch, forward, loss, backward, the update split by tensors) allocates nothing
 * once warm, on one thread or two, and still nothing where the compiler declines to inline the kernels' callees.
 */
class NoAllocationTest {
    @AfterEach
    void oneThread() {
        Parallel.setThreads(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void trainingStepsDoNotAllocate(int threads) {
        // the promise is the vector kernels'; the plain-Java fallback (RAVINE_KERNELS=scalar) is there to be right
        Assumptions.assumeTrue(dev.ravine.tensor.Kernels.vector(), "scalar kernels");
        long perStep = StepAllocation.bytesPerStep(StepAllocation.kinds().getFirst(), threads); // float32 Adam
        assertTrue(perStep < 64, threads + " thread(s): " + perStep + " bytes allocated per step");
    }

    /**
     * C2 inlines a callee that was already compiled on its own only while that code is small (InlineSmallCode), so
     * whether a helper in a kernel is inlined depends on which was compiled first: a race that one machine or run of
     * the suite wins and another loses. A vector passed to or returned from a helper left out of line is an object on
     * the heap. Here, in a JVM with this one's options and InlineSmallCode=100, every such call is left out of line:
     * a kernel that passes vectors between methods allocates at every step, on every machine.
     */
    @Test
    void trainingStepsDoNotAllocateWhenCalleesStayOutOfLine(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(dev.ravine.tensor.Kernels.vector(), "scalar kernels");
        List<String> command = dev.ravine.ChildJvm.command("-XX:InlineSmallCode=100");
        command.add(StepAllocation.class.getName());
        Path log = tmp.resolve("log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(100, TimeUnit.SECONDS), "the steps finished");
        String out = java.nio.file.Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        List<String> measured = out.lines().filter(line -> line.matches("[a-z0-9-]+ \\d+")).toList();
        assertEquals(StepAllocation.kinds().size(), measured.size(), out);
        for (String line : measured)
            assertTrue(Long.parseLong(line.split(" ")[1]) < 64, "bytes allocated per step with callees out of line: " + line + "\n" + out);
    }
}
