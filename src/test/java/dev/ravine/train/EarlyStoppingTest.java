package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.cli.Cli;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EarlyStoppingTest {
    @Test
    void patienceCountsEpochsWithoutAnImprovementLargerThanMinDelta() {
        EarlyStopping.Watch w = new EarlyStopping(2, 0.1, true).watch();
        Tensor weights = Tensor.zeros(DType.FLOAT64, 1, 1);
        double[] losses = {1.0, 0.95, 0.85, 0.8, 0.79}; // 0.95: not by more than 0.1; 0.85: yes; then two without
        boolean[] stops = {false, false, false, false, true};
        for (int e = 1; e <= losses.length; e++) {
            weights.set(0, e);
            assertEquals(stops[e - 1], w.stopAfter(e, losses[e - 1], weights), "after epoch " + e);
        }
        EarlyStopping.Outcome o = w.finish(10);
        assertEquals(3, o.bestEpoch());
        assertEquals(0.85, o.bestValLoss());
        assertTrue(o.stoppedEarly() && o.restoredBest());
        assertEquals(3, weights.get(0), "the best epoch's weights are back");
        EarlyStopping.Watch last = new EarlyStopping(1, 0, false).watch();
        last.stopAfter(1, 1.0, weights);
        assertTrue(last.stopAfter(2, 2.0, weights));
        assertFalse(last.finish(2).restoredBest());
    }

    @Test
    void aRunStopsEarlyAndSavesItsBestEpoch(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Cli r = Cli.run("train", "--data", "breast_cancer", "--model", "mlp:32:tanh", "--optimizer", "adam:lr=0.05", "--epochs", "200",
                "--early-stop", "patience=5,min_delta=0.0001", "--format", "json", "--out", run.toString());
        assertEquals(0, r.exit(), r::toString);
        JsonNode stop = new ObjectMapper().readTree(run.resolve("run.json").toFile()).get("early_stop");
        assertTrue(stop.get("stopped_early").asBoolean() && stop.get("epochs_run").asInt() < 200, stop.toString());
        assertEquals(stop.get("epochs_run").asInt(), r.out().strip().split("\n").length, "one JSON line per epoch run");
        Cli e = Cli.run("evaluate", run.toString(), "--format", "json");
        assertEquals(0, e.exit(), e::toString);
        assertEquals(stop.get("best_val_loss").asDouble(), new ObjectMapper().readTree(e.out()).get("loss").asDouble(), 1e-6,
                "the saved model is the best epoch's");
    }

    @Test
    void mistakesAreOneLine(@TempDir Path tmp) {
        Cli noSplit = Cli.run("train", "--data", "breast_cancer", "--val", "0", "--early-stop", "--out", tmp.resolve("a").toString());
        assertEquals(2, noSplit.exit());
        assertEquals("ravine: --early-stop: early stopping watches the validation loss, so it needs a validation split (a validation share above 0)\n", noSplit.err());
        Cli badKey = Cli.run("train", "--data", "breast_cancer", "--early-stop", "patient=3", "--out", tmp.resolve("b").toString());
        assertEquals(2, badKey.exit());
        assertTrue(badKey.err().startsWith("ravine: --early-stop patient=3: unknown key 'patient'"), badKey.err());
        Cli badValue = Cli.run("train", "--data", "breast_cancer", "--early-stop", "patience=0", "--out", tmp.resolve("c").toString());
        assertEquals(2, badValue.exit());
        assertEquals("ravine: --early-stop patience=0: patience must be 1 or more, got 0\n", badValue.err());
    }
}
