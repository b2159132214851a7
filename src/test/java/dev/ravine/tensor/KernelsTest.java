package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.ChildJvm;
import dev.ravine.cli.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernels in use are the ones asked for: the widths profile (pom.xml) runs the suite with JVM flags for each
 * vector width and says through ravine.expect.* what they must have given, so a flag that silently did not take
 * fails here instead of leaving a width untested.
 */
class KernelsTest {
    @Test
    void theFlagsOfThisRunTookEffect() {
        String bits = System.getProperty("ravine.expect.bits");
        if (bits != null) assertEquals(Integer.parseInt(bits), FloatVector.SPECIES_PREFERRED.vectorBitSize(), "preferred vector width");
        String registers = System.getProperty("ravine.expect.registers");
        boolean x86 = System.getProperty("os.arch").equals("amd64") || System.getProperty("os.arch").equals("x86_64");
        if (registers != null && x86) assertEquals(Integer.parseInt(registers), TileShape.vectorRegisters(), "vector registers");
        if ("scalar".equals(System.getenv("RAVINE_KERNELS"))) {
            assertFalse(Kernels.vector(), "RAVINE_KERNELS=scalar");
            assertTrue(Kernels.describe().startsWith("scalar"), Kernels.describe());
        }
    }

    @Test
    void theTileFitsTheRegisterFile() {
        TileShape tile = TileShape.inUse();
        assertTrue(tile.registers() <= TileShape.vectorRegisters(), tile + " needs " + tile.registers() + " registers");
        assertEquals(tile.rows(), PackedGemm32.MR);
        assertEquals(tile.vectors() * FloatVector.SPECIES_PREFERRED.length(), PackedGemm32.NR);
        Kernels.useVector(true);
        try {
            String text = Kernels.describe();
            assertTrue(text.contains(FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit") && text.contains("tile " + tile), text);
        } finally {
            Kernels.useDefault();
        }
    }

    /**
     * 64-bit vectors (-XX:MaxVectorSize=8) hold one double, which C2 compiles no vector code for: float64 work takes the
     * plain-Java kernels there (float32, two lanes, stays on the Vector API), and a float64 spectrum is the one computed
     * here, to 1e-9.
     */
    @Test
    void float64TakesThePlainKernelsWhereAVectorHoldsOneDouble(@TempDir Path tmp) throws Exception {
        assumeTrue(Kernels.vector(), "the Vector API kernels are in use");
        assertTrue(Kernels.vector(DType.FLOAT32) && Kernels.vector(DType.FLOAT64) == FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 128);
        String version = child("--version");
        assertTrue(version.contains("64-bit vectors (2 floats, 1 double)") && version.contains("float64 on the plain-Java kernels"), version);
        String run = tmp.resolve("run").toString();
        Cli t = Cli.run("train", "--data", "breast_cancer", "--model", "mlp:4:tanh", "--epochs", "2", "--out", run);
        assertEquals(0, t.exit(), t::toString);
        Cli here = Cli.run("hessian", run, "--method", "full", "--top", "2", "--format", "json");
        assertEquals(0, here.exit(), here::toString);
        ObjectMapper json = new ObjectMapper();
        JsonNode expected = json.readTree(here.out()), actual = json.readTree(child("hessian", run, "--method", "full", "--top", "2", "--format", "json"));
        for (String key : List.of("loss", "grad_norm", "eig_max", "eig_min", "trace")) {
            double e = expected.get(key).asDouble();
            assertEquals(e, actual.get(key).asDouble(), 1e-9 * Math.max(1, Math.abs(e)), key);
        }
    }

    /**
     * A JIT without fused multiply-adds (-XX:-UseFMA, as on a CPU without FMA) would run every vector fma in the Vector
     * API's Java fallback: the plain-Java kernels run instead, and train as they do here.
     */
    @Test
    void withoutFusedMultiplyAddsThePlainKernelsRun(@TempDir Path tmp) throws Exception {
        assumeTrue(!"scalar".equals(System.getenv("RAVINE_KERNELS")), "the kernels are not asked for by name");
        assertTrue(childWith("-XX:-UseFMA", "--version").contains("kernels: scalar (no fused multiply-add"), "--version without FMA");
        String[] train = {"train", "--data", "breast_cancer", "--model", "mlp:4:tanh", "--epochs", "2", "--format", "json", "--out"};
        String there = childWith("-XX:-UseFMA", concat(train, tmp.resolve("there").toString()));
        Kernels.useVector(false);
        Cli here;
        try {
            here = Cli.run(concat(train, tmp.resolve("here").toString()));
        } finally {
            Kernels.useDefault();
        }
        assertEquals(0, here.exit(), here::toString);
        assertEquals(lastEpoch(here.out()), lastEpoch(there), "the last epoch's figures");
    }

    /** The last JSON line of a training run, up to its timings. */
    private static String lastEpoch(String out) {
        return out.strip().lines().reduce((a, b) -> b).orElseThrow().replaceAll("\"seconds\".*", "");
    }

    private static String[] concat(String[] head, String last) {
        String[] all = java.util.Arrays.copyOf(head, head.length + 1);
        all[head.length] = last;
        return all;
    }

    /** What ravine prints on a JVM with 64-bit vectors. */
    private static String child(String... args) throws Exception {
        return childWith("-XX:MaxVectorSize=8", args);
    }

    /** What ravine prints on a JVM with one more flag. */
    private static String childWith(String flag, String... args) throws Exception {
        List<String> command = ChildJvm.command(flag);
        command.add("dev.ravine.cli.Main");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "ravine " + String.join(" ", args) + " with " + flag + ": " + out);
        return out;
    }

    @Test
    void tileShapesFollowTheRegisterFileUnlessOverridden() {
        assertEquals(TileShape.T8X2, TileShape.choose(null, 32));
        assertEquals(TileShape.T6X2, TileShape.choose("", 16));
        assertEquals(TileShape.T4X3, TileShape.choose("4x3", 32));
        for (TileShape t : TileShape.values()) assertTrue(t.registers() <= 32);
        assertTrue(TileShape.T4X2.registers() <= 16 && TileShape.T6X2.registers() <= 16 && TileShape.T4X3.registers() <= 16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TileShape.choose("9x9", 16));
        assertEquals("RAVINE_TILE=9x9: not a tile shape (8x2, 6x2, 4x3 or 4x2)", e.getMessage());
    }
}
