package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.cli.Cli;
import dev.ravine.tensor.Safetensors;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A NaN or infinite loss ends the run with one line; the folder stays valid with the last good weights. */
class DivergenceTest {
    @Test
    void aDivergingRunStopsAndKeepsItsLastGoodWeights(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Cli r = Cli.run("train", "--data", "breast_cancer", "--optimizer", "sgd:lr=1000", "--epochs", "5", "--out", run.toString());
        assertEquals(2, r.exit(), r::toString);
        String line = r.err().lines().filter(l -> l.startsWith("ravine: ")).findFirst().orElseThrow();
        assertTrue(line.startsWith("ravine: the loss became NaN at epoch 1, step ") && line.contains("last finite loss")
                && line.endsWith("kept the weights of its initialization; run saved to " + run), line);
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("ravine: ")).count());
        JsonNode diverged = new ObjectMapper().readTree(run.resolve("run.json").toFile()).get("diverged");
        assertEquals(1, diverged.get("epoch").asInt());
        assertEquals(0, diverged.get("kept_epoch").asInt());
        Map<String, Safetensors.Entry> init = Safetensors.read(run.resolve("init.safetensors")), model = Safetensors.read(run.resolve("model.safetensors"));
        for (String name : init.keySet()) assertArrayEquals(init.get(name).values(), model.get(name).values(), 0, name);
        Cli e = Cli.run("evaluate", run.toString(), "--format", "json");
        assertEquals(0, e.exit(), e::toString);
        assertTrue(Double.isFinite(new ObjectMapper().readTree(e.out()).get("loss").asDouble()), "the saved model is usable");
    }

    @Test
    void skippingLeavesOutTheBadStepsAndCountsThem(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Cli r = Cli.run("train", "--data", "breast_cancer", "--optimizer", "sgd:lr=1000", "--epochs", "3", "--on-nan", "skip",
                "--format", "json", "--out", run.toString());
        JsonNode first = new ObjectMapper().readTree(r.out().lines().findFirst().orElseThrow());
        assertTrue(first.get("skipped_steps").asInt() > 0, first.toString());
        assertTrue(Double.isFinite(first.get("train_loss").asDouble()), "the mean is over the steps taken");
        Cli bad = Cli.run("train", "--on-nan", "ignore", "--out", tmp.resolve("b").toString());
        assertEquals(2, bad.exit());
        assertEquals("ravine: --on-nan ignore: expected stop or skip\n", bad.err());
    }
}
