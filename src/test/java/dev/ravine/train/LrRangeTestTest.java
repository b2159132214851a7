package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.cli.Cli;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The learning-rate range test: its rates, its smoothing, where it stops, and the rate it suggests. */
class LrRangeTestTest {
    @Test
    void theSuggestionIsTheSteepestFallAgainstTheLogOfTheRate() {
        // smoothed loss = 2 - tanh(2 (log10 lr + 3)): steepest at lr = 1e-3, rates 1e-6 .. 1 in 61 steps (10 a decade)
        List<LrRangeTest.Point> points = new ArrayList<>();
        for (int k = 0; k <= 60; k++) {
            double lr = Math.pow(10, -6 + k / 10.0), f = 2 - Math.tanh(2 * (Math.log10(lr) + 3));
            points.add(new LrRangeTest.Point(k + 1, lr, f, f));
        }
        assertEquals(1e-3, LrRangeTest.suggestion(points), 1e-15);
        // the first ten points and the last are skipped: a fall only there is no suggestion
        List<LrRangeTest.Point> early = new ArrayList<>();
        for (int k = 0; k < 30; k++) early.add(new LrRangeTest.Point(k + 1, Math.pow(10, -8 + k / 5.0), k < 5 ? 5 - k : 0.5, k < 5 ? 5 - k : 0.5));
        assertEquals(early.get(10).lr(), LrRangeTest.suggestion(early), 0, "flat after the skipped points: the first one left");
        assertNull(LrRangeTest.suggestion(early.subList(0, 12)), "fewer than two points left");
    }

    @Test
    void ratesGrowEvenlyInLogTheLossIsSmoothedAndADivergenceStopsTheTest() {
        Cli r = Cli.run("lr-find", "--optimizer", "sgd", "--min-lr", "1e-4", "--max-lr", "1", "--steps", "41", "--threads", "1", "--format", "csv");
        assertEquals(0, r.exit(), r::toString);
        List<String> rows = r.out().lines().toList();
        assertEquals("step,lr,loss,smoothed_loss", rows.get(0));
        assertEquals(42, rows.size(), "sgd on digits does not diverge below lr 1");
        double average = 0;
        for (int k = 0; k < 41; k++) {
            String[] f = rows.get(k + 1).split(",");
            assertEquals(k + 1, Integer.parseInt(f[0]));
            assertEquals(1e-4 * Math.pow(1e4, k / 40.0), Double.parseDouble(f[1]), 1e-15 * Double.parseDouble(f[1]));
            average = 0.98 * average + 0.02 * Double.parseDouble(f[2]);
            assertEquals(average / (1 - Math.pow(0.98, k + 1)), Double.parseDouble(f[3]), 1e-12);
        }
        assertEquals(r.out(), Cli.run("lr-find", "--optimizer", "sgd", "--min-lr", "1e-4", "--max-lr", "1", "--steps", "41", "--threads", "2",
                "--format", "csv").out(), "the same steps on any thread count");

        Cli wild = Cli.run("lr-find", "--optimizer", "sgd", "--min-lr", "1e-3", "--max-lr", "1e4", "--steps", "80", "--format", "csv");
        List<String> w = wild.out().lines().skip(1).toList();
        assertTrue(w.size() < 80, "a rate far past 2/lambda_max diverges: " + w.size() + " steps");
        double lowest = Double.POSITIVE_INFINITY;
        for (int k = 0; k < w.size() - 1; k++) lowest = Math.min(lowest, Double.parseDouble(w.get(k).split(",")[3]));
        double lastSmoothed = Double.parseDouble(w.getLast().split(",")[3]);
        assertTrue(lastSmoothed > 4 * lowest || w.size() < 80 && !Double.isFinite(lastSmoothed), "stopped at " + lastSmoothed + " against " + lowest);
        assertTrue(Cli.run("lr-find", "--optimizer", "sgd", "--min-lr", "1e-3", "--max-lr", "1e4", "--steps", "80").out()
                .contains("diverged at lr"), "the text says so");
    }

    @Test
    void aLossThatIsNotFiniteAtTheStartEndsTheTestAtOnce(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path run = tmp.resolve("run"), huge = tmp.resolve("huge.safetensors");
        assertEquals(0, Cli.run("train", "--model", "mlp:8:relu", "--epochs", "0", "--out", run.toString()).exit());
        List<dev.ravine.tensor.Safetensors.Named> scaled = new ArrayList<>();
        dev.ravine.tensor.Safetensors.read(run.resolve("model.safetensors")).forEach((name, e) -> {
            dev.ravine.tensor.Tensor t = dev.ravine.tensor.Tensor.zeros(dev.ravine.tensor.DType.FLOAT32, 1, e.values().length);
            for (int i = 0; i < e.values().length; i++) t.set(i, e.values()[i] * 1e37);
            scaled.add(new dev.ravine.tensor.Safetensors.Named(name, e.shape(), t));
        });
        dev.ravine.tensor.Safetensors.write(huge, scaled, dev.ravine.tensor.DType.FLOAT32, java.util.Map.of());
        Cli r = Cli.run("lr-find", "--model", "mlp:8:relu", "--init", huge.toString(), "--format", "json");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("{\"suggested_lr\":null,\"stopped_early\":true,\"points\":[]}\n", r.out());
        assertEquals("the loss was not finite at the first step, at the initial weights\n",
                Cli.run("lr-find", "--model", "mlp:8:relu", "--init", huge.toString()).out());
    }

    @Test
    void theSharpnessBesideItIsHessiansAtTheInitialWeights(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.nio.file.Path run = tmp.resolve("run");
        assertEquals(0, Cli.run("train", "--optimizer", "sgd", "--epochs", "0", "--out", run.toString()).exit());
        double hessian = json.readTree(Cli.run("hessian", run.toString(), "--method", "lanczos", "--top", "1", "--format", "json").out()).get("eig_max").asDouble();
        var r = json.readTree(Cli.run("lr-find", "--optimizer", "sgd", "--steps", "20", "--sharpness", "--format", "json").out());
        assertEquals(hessian, r.get("eig_max").asDouble(), 1e-4 * hessian, "the same rows (1,437 of digits), in float32 against float64");
        assertEquals(2 / r.get("eig_max").asDouble(), r.get("max_stable_lr").asDouble(), 0);
    }

    @Test
    void mistakesAreOneLine() {
        String[][] cases = {
                {"--optimizer", "lbfgs", "--optimizer lbfgs: the range test steps a minibatch optimizer at rates it sets; lbfgs chooses its own steps"},
                {"--optimizer", "rprop", "--optimizer rprop: the range test steps a minibatch optimizer at rates it sets; rprop takes the rate only as its first step sizes and adapts them itself"},
                {"--schedule", "cosine:t_max=3", "--schedule cosine:t_max=3: the range test sets the learning rate itself"},
                {"--min-lr", "0", "--min-lr 0: expected a positive number"},
                {"--max-lr", "1e-9", "--max-lr 1e-9: expected a number above --min-lr 1.0E-8"},
                {"--steps", "1", "--steps 1: expected 2 to 1000000"},
        };
        for (String[] c : cases) {
            Cli r = Cli.run("lr-find", c[0], c[1]);
            assertEquals(2, r.exit(), r::toString);
            assertEquals("ravine: " + c[2] + "\n", r.err());
        }
    }
}
