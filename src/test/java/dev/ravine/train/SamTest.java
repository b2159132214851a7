package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.ravine.cli.Cli;
import dev.ravine.optim.Sam;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sharpness-aware minimization by its definition: the ascent reaches the edge of the rho-ball (ASAM's ball in its
 * weight-scaled norm) along the gradient, and a radius of 0 is plain training bit for bit, dropout and batch norm
 * included, which holds only if the second pass keeps the first pass's dropout masks and leaves the running
 * statistics alone. (The steps against PyTorch: TorchParityTest and TorchBatchNormTest.)
 */
class SamTest {
    @Test
    void theAscentReachesTheEdgeOfTheBallAlongTheGradient() {
        SplittableRandom random = new SplittableRandom(3);
        Tensor w = Tensor.zeros(DType.FLOAT64, 1, 50), g = Tensor.zeros(DType.FLOAT64, 1, 50);
        for (int i = 0; i < 50; i++) {
            w.set(i, random.nextGaussian());
            g.set(i, random.nextGaussian());
        }
        for (boolean adaptive : new boolean[] {false, true}) {
            Tensor moved = Tensor.zeros(DType.FLOAT64, 1, 50);
            w.copyTo(moved);
            new Sam(0.3, adaptive).ascend(moved, g);
            double norm = 0, along = 0, gNorm = 0;
            for (int i = 0; i < 50; i++) {
                double scale = adaptive ? Math.abs(w.get(i)) : 1, e = (moved.get(i) - w.get(i)) / scale, t = scale * g.get(i);
                norm += e * e;
                along += e * t;
                gNorm += t * t;
            }
            assertEquals(0.3, Math.sqrt(norm), 1e-12, "radius, adaptive " + adaptive);
            assertEquals(1, along / Math.sqrt(norm * gNorm), 1e-12, "parallel to the (scaled) gradient, adaptive " + adaptive);
        }
    }

    @Test
    void aRadiusOfZeroIsPlainTrainingWithDropoutAndBatchNorm(@TempDir Path tmp) throws Exception {
        String[] common = {"train", "--data", "digits", "--model", "mlp:16-12:relu", "--epochs", "2", "--dropout", "0.3", "--batchnorm",
                "--optimizer", "sgd:lr=0.05,momentum=0.9", "--format", "json", "--out"};
        Path plain = tmp.resolve("plain"), zero = tmp.resolve("zero"), sam = tmp.resolve("sam");
        assertEquals(0, Cli.run(with(common, plain.toString())).exit());
        assertEquals(0, Cli.run(with(common, zero.toString(), "--sam", "rho=0")).exit());
        assertEquals(0, Cli.run(with(common, sam.toString(), "--sam")).exit());
        byte[] a = Files.readAllBytes(plain.resolve(RunFolder.MODEL));
        assertArrayEquals(a, Files.readAllBytes(zero.resolve(RunFolder.MODEL)), "rho=0: the same weights and running statistics");
        assertNotEquals(java.util.Arrays.hashCode(a), java.util.Arrays.hashCode(Files.readAllBytes(sam.resolve(RunFolder.MODEL))), "rho=0.05 moves");
        var settings = RunFolder.JSON.readTree(sam.resolve(RunFolder.RUN).toFile()).get("settings").get("sam");
        assertEquals(0.05, settings.get("rho").asDouble());
        assertEquals(false, settings.get("adaptive").asBoolean());
    }

    @Test
    void settingsItCannotGoWithAreRefused() {
        Cli.refuses("--sam: lbfgs trains full-batch with its own steps; sharpness-aware steps go with a first-order minibatch optimizer", "train",
                "--optimizer", "lbfgs", "--sam", "--out", Cli.NOWHERE);
        Cli.refuses("--sam: kfac preconditions with curvature it observes at the weights; sharpness-aware steps go with a first-order minibatch "
                + "optimizer", "train", "--optimizer", "kfac", "--sam", "--out", Cli.NOWHERE);
        Cli.refuses("--sam: the range test measures the loss of plain steps at the rates it sets", "lr-find", "--sam", "rho=0.1");
        Cli.refuses("--sam rho=-1: Invalid rho, should be non-negative: -1.0", "train", "--sam", "rho=-1", "--out", Cli.NOWHERE);
        Cli.refuses("--sam radius=1: unknown key 'radius' for sam (valid: rho, adaptive)", "train", "--sam", "radius=1", "--out", Cli.NOWHERE);
    }

    private static String[] with(String[] common, String... more) {
        String[] all = java.util.Arrays.copyOf(common, common.length + more.length);
        System.arraycopy(more, 0, all, common.length, more.length);
        return all;
    }
}
