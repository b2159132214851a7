package dev.ravine.curvature;

import dev.ravine.nn.BatchNormMode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.cli.Cli;
import dev.ravine.tensor.Safetensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PruningTest {
    static final Path DIR = Path.of("src/test/resources/golden/curvature");

    @Test
    void obdRemovesTheLeastSalientWeightsAndKeepsBiases() {
        ModelOnData m = ModelOnData.of(DIR.resolve("small_tanh.safetensors"), "mlp:64-8-10:tanh", DIR.resolve("digits300.csv").toString(), null, "auto", false, BatchNormMode.EVAL);
        List<Integer> entries = Pruning.weightEntries(m);
        assertEquals(64 * 8 + 8 * 10, entries.size());
        double[] diag = Pruning.diagonal(m.gaussNewton(), 0, 0); // exact: 610 parameters
        double[] pruned = Pruning.prune(m, "obd", 0.25, 0, 0);
        int zeroed = 0;
        double maxRemoved = 0, minKept = Double.POSITIVE_INFINITY;
        for (int i = 0; i < pruned.length; i++) {
            boolean weight = entries.contains(i);
            if (!weight) {
                assertEquals(m.weights[i], pruned[i], 0, "biases are kept");
                continue;
            }
            double saliency = 0.5 * diag[i] * m.weights[i] * m.weights[i];
            assertTrue(diag[i] >= -1e-15, "the Gauss-Newton diagonal is never negative");
            if (pruned[i] == 0) {
                zeroed++;
                maxRemoved = Math.max(maxRemoved, saliency);
            } else {
                minKept = Math.min(minKept, saliency);
            }
        }
        assertEquals(Math.round(0.25 * entries.size()), zeroed);
        assertTrue(maxRemoved <= minKept, "every removed weight is less salient than every kept one");
    }

    @Test
    void stochasticDiagonalConvergesToTheExactOne() {
        double[][] a = new double[30][30];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(4);
        for (int i = 0; i < 30; i++)
            for (int j = 0; j <= i; j++) a[i][j] = a[j][i] = rng.nextDouble(-1, 1) + (i == j ? 3 : 0);
        // Pruning.diagonal is exact below its limit; call the estimator through a 2,500-dimensional embedding
        int n = Pruning.EXACT_DIAGONAL_LIMIT + 500;
        LinearOperator big = LinearOperator.of(n, (v, out) -> {
            java.util.Arrays.fill(out, 0);
            for (int i = 0; i < 30; i++) for (int j = 0; j < 30; j++) out[i] += a[i][j] * v[j];
        });
        double[] estimate = Pruning.diagonal(big, 4000, 1);
        for (int i = 0; i < 30; i++) assertEquals(a[i][i], estimate[i], 0.15, "diagonal entry " + i);
        assertEquals(0, estimate[100], 0, "zero rows stay zero");
    }

    @Test
    void pruneCommandReportsAndSaves(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run"), out = tmp.resolve("pruned.safetensors");
        assertEquals(0, Cli.run("train", "--data", "breast_cancer", "--model", "mlp:8:tanh", "--epochs", "5", "--out", run.toString()).exit());
        Cli r = Cli.run("prune", run.toString(), "--method", "magnitude", "--fraction", "0.5", "--out", out.toString(), "--format", "json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(Math.round(0.5 * (30 * 8 + 8 * 2)), j.get("pruned").asInt());
        assertTrue(j.get("before").has("accuracy") && j.get("after").has("loss"));
        Map<String, Safetensors.Entry> w = Safetensors.read(out);
        long zeros = java.util.Arrays.stream(w.get("0.weight").values()).filter(v -> v == 0).count()
                + java.util.Arrays.stream(w.get("2.weight").values()).filter(v -> v == 0).count();
        assertEquals(j.get("pruned").asInt(), zeros);
        Cli none = Cli.run("prune", run.toString(), "--fraction", "0", "--format", "json");
        JsonNode n = new ObjectMapper().readTree(none.out());
        assertEquals(n.get("before").get("loss").asDouble(), n.get("after").get("loss").asDouble(), 0);
        assertEquals(2, Cli.run("prune", run.toString(), "--fraction", "1.5").exit());
    }
}
