package dev.ravine.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Experiments write their verdict and numbers, and the verdict follows the numbers: a changed setting flips it. */
class ExperimentTest {
    @Test
    void stabilityHoldsAndWritesItsResult(@TempDir Path tmp) throws Exception {
        Cli list = Cli.run("experiment", "--list");
        assertEquals(0, list.exit(), list::toString);
        assertTrue(list.out().lines().anyMatch(l -> l.split(" ")[0].equals("stability")), list.out());
        Path out = tmp.resolve("stability");
        Cli r = Cli.run("experiment", "stability", "--out", out.toString());
        assertEquals(0, r.exit(), r::toString);
        JsonNode result = new ObjectMapper().readTree(out.resolve("result.json").toFile());
        assertTrue(result.get("verdict").asText().startsWith("holds"), result.toString());
        JsonNode runs = result.get("runs");
        assertEquals(List.of("monotone_decay", "oscillating_decay", "divergence"), List.of(runs.get(0).get("observed").asText(),
                runs.get(1).get("observed").asText(), runs.get(2).get("observed").asText()));
        for (JsonNode run : runs) assertEquals(run.get("predicted_factor").asDouble(), run.get("measured_factor").asDouble(), 1e-12);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("data:image/png;base64,") && html.contains("Verdict:"), "a report with its figure");
        Cli unknown = Cli.run("experiment", "stabilty");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().startsWith("ravine: --experiment stabilty: unknown experiment (valid: stability"), unknown.err());
    }

    /** At lr lambda = 1.9 the path oscillates and decays: it is not called divergent, and the claimed divergence does not hold. */
    @Test
    @SuppressWarnings("unchecked")
    void aRateBelowTwoOverLambdaIsNotCalledDivergent() {
        Experiment.Result r = new Stability(10, new double[] {0.5, 1.5, 1.9}).run(0);
        assertEquals("oscillating_decay", ((List<Map<String, Object>>) r.numbers().get("runs")).get(2).get("observed"));
        assertTrue(r.verdict().startsWith("holds"), "1.9 is predicted to decay, and does: " + r.verdict());
        assertEquals(Stability.Behaviour.OSCILLATING_DECAY, Stability.behaviour(new double[] {1, -0.9, 0.81}));
        assertEquals(Stability.Behaviour.DIVERGENCE, Stability.behaviour(new double[] {1, -1.2, 1.44}));
        assertEquals(Stability.Behaviour.MONOTONE_DECAY, Stability.behaviour(new double[] {1, 0.5, 0.25}));
        // exactly at 2/lambda the path neither decays nor grows: it flips at one size, and is called that
        Experiment.Result edge = new Stability(10, new double[] {2.0}).run(0);
        assertEquals("steady_oscillation", ((List<Map<String, Object>>) edge.numbers().get("runs")).get(0).get("observed"));
    }

    @Test
    void softmaxRegressionIsConvexAndAHiddenLayerIsNot() {
        Experiment.Result r = Experiments.named("convexity").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        for (double v : (double[]) r.numbers().get("no_hidden_layer_lowest_relative_eigenvalue")) assertTrue(v >= Convexity.NEGATIVE, "PSD: " + v);
        assertTrue(java.util.Arrays.stream((double[]) r.numbers().get("one_hidden_layer_lowest_relative_eigenvalue")).anyMatch(v -> v < -1e-3));
    }
}
