package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.cli.Cli;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ROC AUC as scikit-learn's {@code roc_auc_score} gives it, and the expected calibration error by its definition:
 * on small cases against scikit-learn's figures, and on a trained run against the pairwise definition computed here
 * from {@code predict}'s probabilities.
 */
class RocAucCalibrationTest {
    /**
     * roc_auc_score([0,0,1,1], [0.1,0.4,0.35,0.8]) = 0.75 (its documentation's example); with a tie between a
     * positive and a negative row, [0,1,0,1] and [0.5,0.5,0.2,0.9], 0.875; and for three classes, y = [0,1,2,2,1,0,2,1]
     * with the probabilities below, multi_class='ovr' gives 0.9166666666666667, 0.8, 0.9666666666666667 and their
     * mean 0.8944444444444445.
     */
    @Test
    void aucIsScikitLearns() {
        assertEquals(0.75, RocAuc.binary(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}), 1e-15);
        assertEquals(0.875, RocAuc.binary(new double[] {0.5, 0.5, 0.2, 0.9}, new boolean[] {false, true, false, true}), 1e-15);
        assertTrue(Double.isNaN(RocAuc.binary(new double[] {0.1, 0.2}, new boolean[] {true, true})), "no negatives: undefined");
        double[][] p = {{0.7, 0.2, 0.1}, {0.3, 0.4, 0.3}, {0.2, 0.2, 0.6}, {0.1, 0.5, 0.4}, {0.3, 0.3, 0.4}, {0.5, 0.25, 0.25}, {0.2, 0.2, 0.6},
                {0.6, 0.3, 0.1}};
        int[] truth = {0, 1, 2, 2, 1, 0, 2, 1}, predicted = new int[truth.length];
        RocAuc auc = RocAuc.of(new ClassProbabilities(p, truth, predicted));
        assertArrayEquals(new double[] {0.9166666666666667, 0.8, 0.9666666666666667}, auc.byClass(), 1e-15);
        assertEquals(0.8944444444444445, auc.macro(), 1e-15);
    }

    /** Two bins: (0.6, 0.667] holds rows at 0.65 (one right of two) and (0.933, 1] rows at 0.95 (both right). */
    @Test
    void calibrationErrorIsGuosDefinition() {
        double[][] p = {{0.65, 0.35}, {0.35, 0.65}, {0.95, 0.05}, {0.05, 0.95}};
        int[] truth = {0, 0, 0, 1}, predicted = {0, 1, 0, 1};
        // bin of 0.65: accuracy 1/2, confidence 0.65; bin of 0.95: accuracy 1, confidence 0.95
        Calibration c = Calibration.of(new ClassProbabilities(p, truth, predicted));
        assertEquals(0.5 * 0.15 + 0.5 * 0.05, c.expectedError(), 1e-15);
        assertEquals(List.of(new Calibration.Bin(9, 2, 0.65, 0.5), new Calibration.Bin(14, 2, 0.95, 1)), c.bins());
        double[][] exact = {{1, 0}, {0, 1}};
        assertEquals(0, Calibration.of(new ClassProbabilities(exact, new int[] {0, 1}, new int[] {0, 1})).expectedError(), 0, "sure and right");
    }

    @Test
    void evaluateReportsThemForATrainedRun(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run"), csv = Path.of("src/main/resources/dev/ravine/data/digits.csv");
        assertEquals(0, Cli.run("train", "--epochs", "2", "--out", run.toString()).exit());
        JsonNode e = new ObjectMapper().readTree(Cli.run("evaluate", run.toString(), "--data", csv.toString(), "--format", "json").out());
        List<String> rows = Cli.run("predict", run.toString(), "--data", csv.toString()).out().lines().skip(1).toList();
        List<String> labels = java.nio.file.Files.readAllLines(csv).stream().skip(1).toList();
        int n = rows.size(), k = 10;
        double[][] p = new double[n][k];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            String[] cells = rows.get(i).split(",");
            for (int j = 0; j < k; j++) p[i][j] = Double.parseDouble(cells[j + 1]);
            String[] line = labels.get(i).split(",");
            truth[i] = (int) Double.parseDouble(line[line.length - 1]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) { // P(a positive row scores above a negative one), ties half, over every pair
            double wins = 0;
            long pairs = 0;
            for (int a = 0; a < n; a++) {
                if (truth[a] != j) continue;
                for (int b = 0; b < n; b++) {
                    if (truth[b] == j) continue;
                    wins += p[a][j] > p[b][j] ? 1 : p[a][j] == p[b][j] ? 0.5 : 0;
                    pairs++;
                }
            }
            assertEquals(wins / pairs, e.get("roc_auc_by_class").get(j).asDouble(), 1e-12, "class " + j);
            sum += wins / pairs;
        }
        assertEquals(sum / k, e.get("roc_auc").asDouble(), 1e-12);
        assertTrue(e.get("ece").asDouble() > 0 && e.get("ece").asDouble() < 1, e.toString());
        // run.json keeps the same figures on the validation rows, as evaluate gives them there
        JsonNode saved = new ObjectMapper().readTree(run.resolve("run.json").toFile()).get("confusion");
        JsonNode onValidation = new ObjectMapper().readTree(Cli.run("evaluate", run.toString(), "--format", "json").out());
        assertEquals(onValidation.get("roc_auc").asDouble(), saved.get("roc_auc").asDouble(), 0);
        assertEquals(onValidation.get("ece").asDouble(), saved.get("ece").asDouble(), 0);
        // the reliability diagram's bins hold every validation row, and their gaps weighted by rows are the error
        long binned = 0;
        double ece = 0;
        for (JsonNode bin : saved.get("reliability")) binned += bin.get("rows").asLong();
        for (JsonNode bin : saved.get("reliability"))
            ece += Math.abs(bin.get("accuracy").asDouble() - bin.get("confidence").asDouble()) * bin.get("rows").asLong() / binned;
        assertEquals(saved.get("rows").asLong(), binned);
        assertEquals(saved.get("ece").asDouble(), ece, 1e-15);
        assertTrue(java.nio.file.Files.readString(run.resolve("report.html")).contains("Reliability on the validation rows"));
        Path svg = tmp.resolve("reliability.svg");
        assertEquals(0, Cli.run("evaluate", run.toString(), "--plot", svg.toString()).exit());
        assertTrue(java.nio.file.Files.readString(svg).contains("<svg"), "the diagram drawn");
        Path regression = tmp.resolve("diabetes");
        assertEquals(0, Cli.run("train", "--data", "diabetes", "--epochs", "1", "--out", regression.toString()).exit());
        Cli refused = Cli.run("evaluate", regression.toString(), "--plot", tmp.resolve("r.png").toString());
        assertEquals(2, refused.exit());
        assertTrue(refused.err().contains("the reliability diagram is a classifier's"), refused.err());
    }
}
