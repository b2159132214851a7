package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.cli.Cli;
import dev.ravine.tensor.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ravine train} from a PyTorch initialization, rows in file order, no standardization and no validation
 * split, must end at PyTorch's weights: to 1e-9 in float64, to 1e-3 in float32, with each epoch's mean minibatch
 * loss alike. The cases (SGD with Nesterov momentum on ReLU, Adam and AMSGrad on tanh, dampened momentum on a
 * sigmoid regression, centered RMSProp with a per-epoch step schedule and norm clipping on ELU, AdamW with a
 * per-step cosine schedule and value clipping on GELU, Nesterov SGD under onecycle with its momentum cycling,
 * full-batch L-BFGS with a strong Wolfe search; ragged last
 * batches) come from
 * {@code src/test/resources/golden/generate.py}.
 */
class TorchParityTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden/parity");

    static Stream<Arguments> cases() throws Exception {
        JsonNode all = new ObjectMapper().readTree(GOLDEN.resolve("cases.json").toFile());
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : all) for (String dtype : new String[] {"float64", "float32"}) out.add(Arguments.of(c.get("name").asText(), dtype, c));
        if (out.size() != 62) throw new AssertionError("expected 31 golden cases in two dtypes, found " + out.size());
        return out.stream();
    }

    @org.junit.jupiter.api.Test
    void scalarKernelsReachTheSameWeights(@TempDir Path tmp) throws Exception {
        JsonNode all = new ObjectMapper().readTree(GOLDEN.resolve("cases.json").toFile());
        dev.ravine.tensor.Kernels.useVector(false);
        try {
            for (String dtype : new String[] {"float64", "float32"}) trainingEndsAtPyTorchsWeights(all.get(0).get("name").asText(), dtype, all.get(0), tmp.resolve(dtype));
        } finally {
            dev.ravine.tensor.Kernels.useDefault();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void trainingEndsAtPyTorchsWeights(String name, String dtype, JsonNode c, @TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run");
        List<String> args = new ArrayList<>(List.of("train", "--data", GOLDEN.resolve(name + ".csv").toString(), "--task", c.get("task").asText(),
                "--model", c.get("model").asText(), "--optimizer", c.get("optimizer").asText(),
                "--init", GOLDEN.resolve(name + ".init.safetensors").toString(),
                "--epochs", c.get("epochs").asText(), "--batch", c.get("batch").asText(),
                "--shuffle", "off", "--standardize", "off", "--val", "0", "--dtype", dtype, "--threads", "2",
                "--out", out.toString(), "--format", "json"));
        for (String key : new String[] {"schedule", "schedule_unit", "clip_norm", "clip_value", "l1", "l2", "loss", "swa", "sam", "lookahead"})
            if (c.has(key)) args.addAll(List.of("--" + key.replace('_', '-'), c.get(key).asText()));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);

        // In float32, PyTorch's L-BFGS does its vector algebra (two-loop recursion, line search) in float32 and
        // ravine in double; over dozens of iterations the paths drift apart by more than an SGD step would.
        boolean fullBatch = c.get("optimizer").asText().startsWith("lbfgs");
        double tolerance = dtype.equals("float64") ? 1e-9 : fullBatch ? 2e-2 : 1e-3;
        Map<String, Safetensors.Entry> expected = Safetensors.read(GOLDEN.resolve(name + "." + dtype + ".safetensors"));
        Map<String, Safetensors.Entry> actual = Safetensors.read(out.resolve("model.safetensors"));
        assertEquals(expected.keySet(), actual.keySet());
        for (var e : expected.entrySet()) {
            Safetensors.Entry a = actual.get(e.getKey());
            assertEquals(e.getValue().dtype(), a.dtype(), e.getKey() + " saved in the training dtype");
            for (int i = 0; i < a.values().length; i++)
                assertEquals(e.getValue().values()[i], a.values()[i], tolerance, name + " " + dtype + " " + e.getKey() + "[" + i + "]");
        }
        String[] lines = r.out().strip().split("\n");
        JsonNode losses = c.get("train_loss").get(dtype);
        assertEquals(losses.size(), lines.length, "one JSON line per epoch");
        for (int epoch = 0; epoch < lines.length; epoch++) {
            JsonNode line = new ObjectMapper().readTree(lines[epoch]);
            double lossTolerance = dtype.equals("float64") ? 1e-12 : fullBatch ? 1e-3 : 1e-5;
            double expectedLoss = losses.get(epoch).asDouble();
            assertEquals(expectedLoss, line.get("train_loss").asDouble(), lossTolerance * Math.max(1, Math.abs(expectedLoss)),
                    name + " epoch " + (epoch + 1) + " train_loss (the data loss alone)");
            assertEquals(c.has("penalty"), line.has("penalty"), name + ": a penalty column exactly when there is a penalty");
            if (c.has("penalty")) {
                double expectedPenalty = c.get("penalty").get(dtype).get(epoch).asDouble();
                assertEquals(expectedPenalty, line.get("penalty").asDouble(), lossTolerance * Math.max(1, expectedPenalty),
                        name + " epoch " + (epoch + 1) + " penalty");
            }
        }
        assertEquals(Files.size(expected.isEmpty() ? out : out.resolve("init.safetensors")) > 0, true);
    }
}
