package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.cli.Cli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lookahead by its definition: with alpha = 1 the slow weights follow the fast ones, which is plain training up to
 * rounding; with alpha = 0 they never move, so after a multiple of k steps the weights are the initial ones again.
 * (Against PyTorch: TorchParityTest.)
 */
class LookaheadTest {
    private static final String[] COMMON = {"train", "--data", "breast_cancer", "--model", "mlp:6:tanh", "--epochs", "3", "--batch", "57",
            "--optimizer", "sgd:lr=0.1,momentum=0.9", "--dtype", "float64", "--format", "json", "--out"}; // 455 rows: 8 steps an epoch

    @Test
    void alphaOneIsPlainTrainingAndAlphaZeroGoesBackToTheStart(@TempDir Path tmp) throws Exception {
        Path plain = tmp.resolve("plain"), one = tmp.resolve("one"), zero = tmp.resolve("zero");
        assertEquals(0, Cli.run(with(plain.toString())).exit());
        assertEquals(0, Cli.run(with(one.toString(), "--lookahead", "k=3,alpha=1")).exit());
        assertEquals(0, Cli.run(with(zero.toString(), "--lookahead", "k=4,alpha=0")).exit());
        var a = dev.ravine.tensor.Safetensors.read(plain.resolve(RunFolder.MODEL));
        var b = dev.ravine.tensor.Safetensors.read(one.resolve(RunFolder.MODEL));
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) assertArrayEquals(a.get(name).values(), b.get(name).values(), 1e-12, name); // s + (w - s): w to rounding
        var trajectory = dev.ravine.tensor.Safetensors.read(zero.resolve(RunFolder.TRAJECTORY));
        assertArrayEquals(trajectory.get("epoch.0").values(), trajectory.get("epoch.3").values(), 0, "24 steps, a multiple of 4");
        var settings = RunFolder.JSON.readTree(zero.resolve(RunFolder.RUN).toFile()).get("settings").get("lookahead");
        assertEquals(4, settings.get("k").asInt());
        assertEquals(0.0, settings.get("alpha").asDouble());
    }

    @Test
    void settingsItCannotGoWithAreRefused() {
        Cli.refuses("--lookahead: lbfgs trains full-batch with its own steps; lookahead wraps a minibatch optimizer", "train", "--optimizer", "lbfgs",
                "--lookahead", "--out", Cli.NOWHERE);
        Cli.refuses("--lookahead k=0: Invalid lookahead steps: 0", "train", "--lookahead", "k=0", "--out", Cli.NOWHERE);
        Cli.refuses("--lookahead alpha=1.5: Invalid slow update rate: 1.5", "train", "--lookahead", "alpha=1.5", "--out", Cli.NOWHERE);
        Cli.refuses("--lookahead: the range test measures the loss of plain steps at the rates it sets", "lr-find", "--lookahead");
    }

    private static String[] with(String... more) {
        String[] all = java.util.Arrays.copyOf(COMMON, COMMON.length + more.length);
        System.arraycopy(more, 0, all, COMMON.length, more.length);
        return all;
    }
}
