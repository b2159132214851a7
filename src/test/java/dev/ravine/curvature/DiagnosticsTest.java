package dev.ravine.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagnosticsTest {
    @Test
    void diagnoseAddsLayerFiguresAndTheStabilityEdge(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Cli r = Cli.run("train", "--data", "breast_cancer", "--model", "mlp:8-8:relu", "--optimizer", "sgd:lr=0.2", "--dtype", "float64",
                "--epochs", "4", "--diagnose", "2", "--out", run.toString(), "--format", "json");
        assertEquals(0, r.exit(), r::toString);
        List<JsonNode> epochs = r.out().lines().map(l -> {
            try {
                return new ObjectMapper().readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        for (JsonNode e : epochs) {
            for (String k : List.of("grad_norm_0", "grad_norm_1", "grad_norm_2", "dead_units_0", "dead_units_1")) assertTrue(e.has(k), k);
            assertTrue(e.get("dead_units_0").isInt());
            assertEquals(e.get("epoch").asInt() % 2 == 0, e.has("eig_max"), "eig_max every 2 epochs");
        }
        JsonNode last = epochs.get(3);
        assertEquals(0.2 * last.get("eig_max").asDouble() / 2, last.get("lr_eig_max_over_2").asDouble(), 1e-12);
        Cli h = Cli.run("hessian", run.toString(), "--method", "lanczos", "--top", "1", "--format", "json");
        double top = new ObjectMapper().readTree(h.out()).get("eig_max").asDouble();
        assertEquals(top, last.get("eig_max").asDouble(), 1e-3 * top, "the same eigenvalue as ravine hessian on the final weights");
        String header = Files.readAllLines(run.resolve("metrics.csv")).get(0);
        assertTrue(header.endsWith("grad_norm_0,grad_norm_1,grad_norm_2,dead_units_0,dead_units_1,eig_max,lr_eig_max_over_2"), header);
    }
}
