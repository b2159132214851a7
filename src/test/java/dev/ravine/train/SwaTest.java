package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.cli.Cli;
import dev.ravine.tensor.Safetensors;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stochastic weight averaging by its definition: the saved model is the mean of the weights after each epoch past
 * {@code start}, as the run's trajectory keeps them, and run.json says how many and what the average scores; the
 * settings it cannot go with are refused by name. (Its rates and average against PyTorch's: TorchParityTest; with
 * batch norm's statistics recomputed for the average: TorchBatchNormTest.)
 */
class SwaTest {
    @Test
    void theSavedModelIsTheMeanOfTheEpochsAfterStart(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Cli r = Cli.run("train", "--data", "breast_cancer", "--model", "mlp:8:tanh", "--dtype", "float64", "--epochs", "6", "--swa",
                "start=2,lr=0.01,anneal_epochs=2", "--out", run.toString());
        assertEquals(0, r.exit(), r::toString);
        Map<String, Safetensors.Entry> epochs = Safetensors.read(run.resolve(RunFolder.TRAJECTORY));
        double[] mean = null;
        for (int e = 3; e <= 6; e++) {
            double[] w = epochs.get("epoch." + e).values();
            if (mean == null) mean = new double[w.length];
            for (int i = 0; i < w.length; i++) mean[i] += w[i] / 4;
        }
        Map<String, Safetensors.Entry> saved = Safetensors.read(run.resolve(RunFolder.MODEL));
        int at = 0;
        for (String name : new String[] {"0.weight", "0.bias", "2.weight", "2.bias"})
            for (double v : saved.get(name).values()) assertEquals(mean[at++], v, 1e-12, name);
        assertEquals(mean.length, at, "every parameter");
        var json = RunFolder.JSON.readTree(run.resolve(RunFolder.RUN).toFile());
        assertEquals(4, json.get("swa").get("averaged_epochs").asInt());
        var e = RunFolder.JSON.readTree(Cli.run("evaluate", run.toString(), "--format", "json").out());
        assertEquals(e.get("loss").asDouble(), json.get("swa").get("val_loss").asDouble(), 0, "the saved model's validation loss");
        assertEquals("start=2,lr=0.01,anneal_epochs=2", "start=" + json.get("settings").get("swa").get("start").asInt() + ",lr="
                + json.get("settings").get("swa").get("lr").asDouble() + ",anneal_epochs=" + json.get("settings").get("swa").get("anneal_epochs").asInt());
    }

    @Test
    void settingsItCannotGoWithAreRefused() {
        Cli.refuses("--swa: start=3 leaves no epoch to average of the 3", "train", "--swa", "start=3,lr=0.01", "--epochs", "3", "--out", Cli.NOWHERE);
        Cli.refuses("--swa: the saved model is the weights' average, not an epoch's that early stopping would keep", "train", "--swa",
                "start=1,lr=0.01", "--early-stop", "--out", Cli.NOWHERE);
        Cli.refuses("--swa start=1: lr is required, e.g. start=20,lr=0.05", "train", "--swa", "start=1", "--out", Cli.NOWHERE);
        Cli.refuses("--swa start=1,lr=0.01,anneal_epochs=-1: anneal_epochs must be equal or greater than 0", "train", "--swa",
                "start=1,lr=0.01,anneal_epochs=-1", "--out", Cli.NOWHERE);
    }
}
