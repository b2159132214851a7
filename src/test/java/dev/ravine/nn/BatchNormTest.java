package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.UserError;
import dev.ravine.autodiff.Network;
import dev.ravine.cli.Cli;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Safetensors;
import dev.ravine.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch norm's derivatives by finite differences in float64, its running statistics, and its weights files. */
class BatchNormTest {
    private static final double H = 1e-6;
    private static final int ROWS = 7;

    /** mlp:5-4-3-3 with batch norm, random weights, running statistics, inputs and targets. */
    private static Mlp model(String act, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Mlp mlp = new Mlp(MlpSpec.parse("mlp:5-4-3-3:" + act), 5, 3, DType.FLOAT64, 8, null, true, true);
        Tensor p = mlp.network.parameters();
        for (int i = 0; i < p.size(); i++) p.set(i, rng.nextDouble(-1, 1));
        for (Mlp.NamedBuffer b : mlp.namedBuffers())
            for (int i = 0; i < b.values().size(); i++)
                b.values().set(i, b.name().endsWith("running_var") ? rng.nextDouble(0.3, 2) : b.name().endsWith("running_mean") ? rng.nextDouble(-0.5, 0.5) : 4);
        Tensor x = mlp.network.input(ROWS);
        for (int i = 0; i < x.size(); i++) x.set(i, rng.nextDouble(-2, 2));
        return mlp;
    }

    private static Tensor targets(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(DType.FLOAT64, ROWS, 1);
        for (int i = 0; i < ROWS; i++) t.set(i, rng.nextInt(3));
        return t;
    }

    /** The gradient of {@code training} passes against central differences of the loss, for every parameter. */
    private static void checkGradient(Network net, Tensor targets, boolean training, String what) {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        net.lossAndGradient(targets, loss, training);
        double[] g = net.gradients().toDoubleArray();
        Tensor p = net.parameters();
        for (int i = 0; i < p.size(); i++) {
            double saved = p.get(i);
            p.set(i, saved + H);
            double up = net.lossAndGradient(targets, loss, training);
            p.set(i, saved - H);
            double down = net.lossAndGradient(targets, loss, training);
            p.set(i, saved);
            assertEquals((up - down) / (2 * H), g[i], 1e-7, what + ": d loss / d theta[" + i + "]");
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesInTrainingAndEvaluationMode() {
        for (String act : new String[] {"tanh", "sigmoid", "gelu"}) {
            Mlp mlp = model(act, 3);
            checkGradient(mlp.network, targets(4), true, act + " training pass (batch statistics)");
            checkGradient(mlp.network, targets(4), false, act + " inference pass (running statistics)");
        }
    }

    /** H v by the R-operator against central differences of the gradient, with the statistics of {@code batch}. */
    @Test
    void hessianVectorProductsMatchFiniteDifferencesOfTheGradientInBothModes() {
        for (boolean batch : new boolean[] {true, false}) {
            Mlp mlp = model("tanh", 5);
            mlp.batchNormWithBatchStatistics(batch);
            Network net = mlp.network;
            Tensor targets = targets(6);
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
            Tensor before = Tensor.zeros(DType.FLOAT64, 1, net.buffers().size());
            net.buffers().copyTo(before);
            SplittableRandom rng = new SplittableRandom(7);
            int n = net.parameterCount();
            Tensor v = Tensor.zeros(DType.FLOAT64, 1, n), w = Tensor.zeros(DType.FLOAT64, 1, n);
            for (int i = 0; i < n; i++) {
                v.set(i, rng.nextDouble(-1, 1));
                w.set(i, rng.nextDouble(-1, 1));
            }
            Tensor hv = Tensor.zeros(DType.FLOAT64, 1, n), hw = Tensor.zeros(DType.FLOAT64, 1, n);
            net.hessianVector(targets, loss, v, hv);
            net.hessianVector(targets, loss, w, hw);
            Tensor p = net.parameters();
            double[] base = p.toDoubleArray();
            for (int i = 0; i < n; i++) p.set(i, base[i] + H * v.get(i));
            net.lossAndGradient(targets, loss, false);
            double[] up = net.gradients().toDoubleArray();
            for (int i = 0; i < n; i++) p.set(i, base[i] - H * v.get(i));
            net.lossAndGradient(targets, loss, false);
            double[] down = net.gradients().toDoubleArray();
            for (int i = 0; i < n; i++) p.set(i, base[i]);
            String mode = batch ? "batch statistics" : "running statistics";
            for (int i = 0; i < n; i++) assertEquals((up[i] - down[i]) / (2 * H), hv.get(i), 1e-6, mode + ": (H v)[" + i + "]");
            double wHv = 0, vHw = 0;
            for (int i = 0; i < n; i++) {
                wHv += w.get(i) * hv.get(i);
                vHw += v.get(i) * hw.get(i);
            }
            assertEquals(wHv, vHw, 1e-12 * Math.max(1, Math.abs(wHv)), mode + ": the Hessian is symmetric");
            for (int i = 0; i < before.size(); i++) assertEquals(before.get(i), net.buffers().get(i), 0, mode + ": analysis leaves the statistics alone");
        }
    }

    @Test
    void aTrainingPassMovesTheRunningStatisticsAsBatchNorm1dDoes() {
        BatchNormLayer bn = new BatchNormLayer(2);
        Tensor state = Tensor.zeros(DType.FLOAT64, 1, 5);
        bn.bindBuffers(new Tensor[] {state.view(0, 1, 2), state.view(2, 1, 2), state.view(4, 1, 1)});
        assertEquals(List.of(0.0, 0.0, 1.0, 1.0, 0.0), java.util.Arrays.stream(state.toDoubleArray()).boxed().toList(), "mean 0, variance 1, no batches");
        Tensor gamma = Tensor.of(new double[] {2, 1}, 1, 2), beta = Tensor.of(new double[] {0.5, 0}, 1, 2);
        Tensor x = Tensor.of(new double[] {1, 10, 2, 20, 6, 30}, 3, 2), y = Tensor.zeros(DType.FLOAT64, 3, 2);
        bn.forward(new Tensor[] {gamma, beta}, x, y, true);
        // column 0: mean 3, biased variance 14/3, unbiased 7
        assertEquals(0.1 * 3, state.get(0), 1e-15);
        assertEquals(0.9 + 0.1 * 7, state.get(2), 1e-15);
        assertEquals(0.9 + 0.1 * 100, state.get(3), 1e-13);
        assertEquals(1, state.get(4));
        assertEquals(2 * (1 - 3) / Math.sqrt(14.0 / 3 + BatchNormLayer.EPS) + 0.5, y.get(0, 0), 1e-15, "normalized by the biased variance");
        bn.forward(new Tensor[] {gamma, beta}, x, y, false);
        assertEquals(2 * (1 - 0.3) / Math.sqrt(1.6 + BatchNormLayer.EPS) + 0.5, y.get(0, 0), 1e-15, "inference: the running statistics");
        assertEquals(1, state.get(4), "inference counts no batch");
        Tensor one = Tensor.of(new double[] {1, 2}, 1, 2), out = Tensor.zeros(DType.FLOAT64, 1, 2);
        assertThrows(IllegalArgumentException.class, () -> bn.forward(new Tensor[] {gamma, beta}, one, out, true), "one row has no variance");
    }

    /**
     * In float32 the vector kernels ({@code BatchNormKernels}) give the plain loops' outputs, running statistics and
     * gradients to the last bit: the same double operations in the same order, feature by feature. Widths with and
     * without a partial vector at the end, and 2 to 128 rows.
     */
    @Test
    void float32PassesAreThePlainLoopsToTheLastBit() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.ravine.tensor.Kernels.vector() && dev.ravine.tensor.BatchNormKernels.fits(),
                "vectors of four doubles or more");
        SplittableRandom rng = new SplittableRandom(5);
        for (int width : new int[] {3, 13, 64, 257})
            for (int rows : new int[] {2, 9, 128}) {
                Tensor gamma = Tensor.zeros(DType.FLOAT32, 1, width), beta = Tensor.zeros(DType.FLOAT32, 1, width);
                Tensor x = Tensor.zeros(DType.FLOAT32, rows, width), gy = Tensor.zeros(DType.FLOAT32, rows, width);
                for (int j = 0; j < width; j++) {
                    gamma.set(j, rng.nextDouble(0.5, 2));
                    beta.set(j, rng.nextDouble(-1, 1));
                }
                for (int i = 0; i < x.size(); i++) {
                    x.set(i, rng.nextDouble(-3, 5));
                    gy.set(i, rng.nextDouble(-1, 1) * 1e-2);
                }
                double[][] got = new double[2][];
                for (int pass = 0; pass < 2; pass++) {
                    dev.ravine.tensor.Kernels.useVector(pass == 0);
                    try {
                        BatchNormLayer bn = new BatchNormLayer(width);
                        Tensor state = Tensor.zeros(DType.FLOAT64, 1, 2 * width + 1);
                        bn.bindBuffers(new Tensor[] {state.view(0, 1, width), state.view(width, 1, width), state.view(2 * width, 1, 1)});
                        Tensor y = Tensor.zeros(DType.FLOAT32, rows, width), gx = Tensor.zeros(DType.FLOAT32, rows, width);
                        Tensor[] g = {Tensor.zeros(DType.FLOAT32, 1, width), Tensor.zeros(DType.FLOAT32, 1, width)};
                        bn.forward(new Tensor[] {gamma, beta}, x, y, true);
                        bn.backward(new Tensor[] {gamma, beta}, x, y, gy, gx, g);
                        // every float output exactly as a double, and the running statistics
                        got[pass] = java.util.stream.Stream.of(y, gx, g[0], g[1], state).flatMapToDouble(t -> java.util.Arrays.stream(t.toDoubleArray()))
                                .toArray();
                    } finally {
                        dev.ravine.tensor.Kernels.useDefault();
                    }
                }
                org.junit.jupiter.api.Assertions.assertArrayEquals(got[1], got[0], "width " + width + ", rows " + rows);
            }
    }

    @Test
    void weightsFilesCarryTheStatisticsUnderNnSequentialNamesAndRefuseBadOnes(@TempDir Path tmp) throws Exception {
        Mlp mlp = model("relu", 9);
        Path file = tmp.resolve("bn.safetensors");
        Safetensors.write(file, mlp.tensors(), DType.FLOAT32, Map.of());
        Map<String, Safetensors.Entry> read = Safetensors.read(file);
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked",
                "3.weight", "3.bias", "4.weight", "4.bias", "4.running_mean", "4.running_var", "4.num_batches_tracked", "6.weight", "6.bias"),
                List.copyOf(read.keySet()));
        assertTrue(read.get("1.num_batches_tracked").integral());
        assertEquals(0, read.get("1.num_batches_tracked").shape().length, "a 0-dimensional counter, as PyTorch saves it");
        assertTrue(Mlp.holdsBatchNorm(read));
        Mlp back = new Mlp(MlpSpec.parse("mlp:5-4-3-3:relu"), 5, 3, DType.FLOAT64, 8, null, true, false);
        back.load(read, file);
        for (int i = 0; i < back.network.buffers().size(); i++)
            assertEquals((float) mlp.network.buffers().get(i), back.network.buffers().get(i), 0);

        read.put("4.running_var", new Safetensors.Entry(DType.FLOAT32, new long[] {3}, new double[] {1, -0.5, 1}, false));
        UserError negative = assertThrows(UserError.class, () -> back.load(read, file));
        assertTrue(negative.getMessage().contains("'4.running_var' holds -0.5"), negative.getMessage());
        read.remove("4.running_var");
        UserError missing = assertThrows(UserError.class, () -> back.load(read, file));
        assertTrue(missing.getMessage().contains("no tensor '4.running_var'"), missing.getMessage());
        Mlp plain = new Mlp(MlpSpec.parse("mlp:5-4-3-3:relu"), 5, 3, DType.FLOAT64, 8);
        UserError unexpected = assertThrows(UserError.class, () -> plain.load(Safetensors.read(file), file));
        assertTrue(unexpected.getMessage().contains("unexpected tensor '1.weight'"), unexpected.getMessage());
    }

    @Test
    void aRunCountsItsOwnStepsAndEvaluatesWithTheRunningStatistics(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Cli r = Cli.run("train", "--batchnorm", "--epochs", "2", "--batch", "100", "--format", "json", "--out", run.toString());
        assertEquals(0, r.exit(), r::toString);
        // digits: 1438 training rows in 15 minibatches an epoch; the rehearsal before training counts none
        Map<String, Safetensors.Entry> saved = Safetensors.read(run.resolve("model.safetensors"));
        assertEquals(30, saved.get("1.num_batches_tracked").values()[0]);
        assertEquals(0, Safetensors.read(run.resolve("init.safetensors")).get("1.num_batches_tracked").values()[0]);
        String[] lines = r.out().strip().split("\n");
        JsonNode last = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertTrue(last.get("val_accuracy").asDouble() > 0.8, last::toString);
        Cli e = Cli.run("evaluate", run.toString(), "--format", "json");
        assertEquals(0, e.exit(), e::toString);
        assertEquals(last.get("val_loss").asDouble(), new ObjectMapper().readTree(e.out()).get("loss").asDouble(), 1e-6,
                "evaluate normalizes with the saved running statistics, as the epoch's validation did");
        assertTrue(new ObjectMapper().readTree(Files.readString(run.resolve("run.json"))).get("settings").get("batchnorm").asBoolean());
        Cli units = Cli.run("units", run.toString(), "--format", "json");
        assertEquals(0, units.exit(), units::toString);
        assertEquals(1, new ObjectMapper().readTree(units.out()).get("layers").size());
        for (String mode : new String[] {"train", "eval"}) {
            Cli h = Cli.run("hessian", run.toString(), "--bn-mode", mode, "--top", "1", "--format", "json");
            assertEquals(0, h.exit(), h::toString);
        }
    }

    @Test
    void mistakesAreOneLineErrors() {
        Cli one = Cli.run("train", "--batchnorm", "--batch", "1", "--epochs", "1");
        assertEquals(2, one.exit(), one::toString);
        assertTrue(one.err().startsWith("ravine: --batch 1: batch norm"), one.err());
        // digits: 1438 training rows; 1438 = 479 * 3 + 1 leaves a last minibatch of one row
        Cli ragged = Cli.run("train", "--batchnorm", "--batch", "479", "--epochs", "1");
        assertEquals(2, ragged.exit(), ragged::toString);
        assertTrue(ragged.err().contains("last minibatch of each epoch would hold 1"), ragged.err());
        Cli newton = Cli.run("train", "--batchnorm", "--optimizer", "newton", "--epochs", "1");
        assertEquals(2, newton.exit(), newton::toString);
        assertTrue(newton.err().startsWith("ravine: --batchnorm: newton"), newton.err());
        Cli mode = Cli.run("hessian", "--bn-mode", "batch", "--weights", "x", "--model", "mlp:4:relu", "--data", "digits");
        assertEquals(2, mode.exit(), mode::toString);
        assertTrue(mode.err().contains("--bn-mode batch: expected train or eval"), mode.err());
    }
}
