package dev.ravine.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.cli.Cli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code ravine hessian} against {@code torch.autograd.functional.hessian} + {@code eigvalsh} in float64, from PyTorch
 * weights files and CSV data ({@code src/test/resources/golden/generate.py}): loss and gradient norm to 1e-9, every
 * eigenvalue of a 610-parameter network to 1e-8, trace and share of negative eigenvalues; the top and bottom five
 * of a 2,410-parameter network at initialization and near a minimum by Lanczos to 1e-6.
 */
class TorchHessianTest {
    static final Path DIR = Path.of("src/test/resources/golden/curvature");

    private static JsonNode run(JsonNode c, String method) throws Exception {
        Cli r = Cli.run("hessian", "--weights", DIR.resolve(c.get("name").asText() + ".safetensors").toString(),
                "--model", c.get("model").asText(), "--data", DIR.resolve("digits300.csv").toString(),
                "--method", method, "--format", "json", "--trace");
        assertEquals(0, r.exit(), r::toString);
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void withoutTraceLanczosWritesTheTraceAsNull() throws Exception {
        Cli r = Cli.run("hessian", "--weights", DIR.resolve("mlp2410_init.safetensors").toString(), "--model", "mlp:64-32-10:relu",
                "--data", DIR.resolve("digits300.csv").toString(), "--method", "lanczos", "--format", "json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertTrue(j.has("trace") && j.get("trace").isNull(), r::toString);
    }

    @Test
    void spectraMatchPyTorch() throws Exception {
        JsonNode cases = new ObjectMapper().readTree(DIR.resolve("cases.json").toFile());
        assertEquals(3, cases.size());
        for (JsonNode c : cases) {
            boolean full = c.has("eigenvalues");
            JsonNode r = run(c, full ? "full" : "lanczos");
            String name = c.get("name").asText();
            assertEquals(c.get("params").asInt(), r.get("params").asInt());
            assertEquals(c.get("loss").asDouble(), r.get("loss").asDouble(), 1e-9, name + " loss");
            assertEquals(c.get("grad_norm").asDouble(), r.get("grad_norm").asDouble(), 1e-9, name + " grad_norm");
            double tolerance = full ? 1e-8 : 1e-6;
            for (int i = 0; i < 5; i++) {
                assertEquals(c.get("top").get(i).asDouble(), r.get("top").get(i).asDouble(), tolerance, name + " top " + i);
                assertEquals(c.get("bottom").get(i).asDouble(), r.get("bottom").get(i).asDouble(), tolerance, name + " bottom " + i);
            }
            assertEquals(2 / c.get("top").get(0).asDouble(), r.get("max_stable_lr").asDouble(), 1e-6, name + " max_stable_lr");
            // the contract's keys are there whatever the method, null where undefined
            for (String key : new String[] {"params", "loss", "grad_norm", "eig_max", "eig_min", "top", "bottom", "trace", "condition_number", "max_stable_lr"})
                assertTrue(r.has(key), name + " has " + key);
            double low = c.get("bottom").get(0).asDouble();
            if (low > 0) assertEquals(c.get("top").get(0).asDouble() / low, r.get("condition_number").asDouble(), 1e-6 * r.get("condition_number").asDouble());
            else assertTrue(r.get("condition_number").isNull(), name + ": an indefinite Hessian has no condition number");
            assertTrue(r.get("trace").isNumber(), name + ": --trace");
            if (full) {
                JsonNode ev = c.get("eigenvalues");
                assertEquals(ev.size(), r.get("eigenvalues").size());
                for (int i = 0; i < ev.size(); i++)
                    assertEquals(ev.get(i).asDouble(), r.get("eigenvalues").get(i).asDouble(), 1e-8, name + " eigenvalue " + i);
                assertEquals(c.get("trace").asDouble(), r.get("trace").asDouble(), 1e-8, name + " trace");
                assertEquals(c.get("negative_fraction").asDouble(), r.get("negative_fraction").asDouble(), 0, name + " negative_fraction");
            }
        }
    }
}
