package dev.ravine.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.cli.Cli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HessianOptionsTest {
    static final Path DIR = Path.of("src/test/resources/golden/curvature");

    private static JsonNode hessian(String... extra) throws Exception {
        String[] base = {"hessian", "--weights", DIR.resolve("small_tanh.safetensors").toString(), "--model", "mlp:64-8-10:tanh",
                "--data", DIR.resolve("digits300.csv").toString(), "--format", "json"};
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra)).toArray(String[]::new);
        Cli r = Cli.run(args);
        assertEquals(0, r.exit(), r::toString);
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void taylorPredictionIsExactToThirdOrder() throws Exception {
        double previous = Double.NaN;
        for (double eps : new double[] {0.4, 0.2, 0.1}) {
            JsonNode t = hessian("--step", Double.toString(eps), "--top", "1").get("taylor");
            double error = Math.abs(t.get("actual").asDouble() - t.get("predicted").asDouble());
            double firstOrderError = Math.abs(t.get("actual").asDouble() - t.get("first_order").asDouble());
            assertTrue(error < firstOrderError, "the curvature term improves the prediction at eps " + eps);
            if (!Double.isNaN(previous)) assertEquals(8, previous / error, 2.5, "halving eps divides the error by about 2^3");
            previous = error;
        }
    }

    @Test
    void lastLayerBlockIsPositiveSemidefinite() throws Exception {
        JsonNode r = hessian("--layer", "1", "--method", "full");
        assertEquals(8 * 10 + 10, r.get("params").asInt());
        assertTrue(r.get("eig_min").asDouble() > -1e-12, "cross-entropy is convex in the last layer: " + r.get("eig_min"));
        JsonNode first = hessian("--layer", "0", "--method", "full");
        assertEquals(64 * 8 + 8, first.get("params").asInt());
        assertTrue(first.get("eig_min").asDouble() < -1e-6, "the first layer's block is not convex");
    }

    @Test
    void threadsChangeNothingButTheSpeed() throws Exception {
        JsonNode one = hessian("--method", "lanczos", "--top", "2", "--threads", "1"), three = hessian("--method", "lanczos", "--top", "2", "--threads", "3");
        assertEquals(one.toString(), three.toString());
        Cli bad = Cli.run("hessian", "--weights", DIR.resolve("small_tanh.safetensors").toString(), "--model", "mlp:64-8-10:tanh",
                "--data", DIR.resolve("digits300.csv").toString(), "--threads", "0");
        assertEquals(2, bad.exit());
        assertEquals("ravine: --threads 0: expected 1 to 256\n", bad.err());
    }
}
