package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.cli.Cli;
import dev.ravine.tensor.Safetensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Batch norm against PyTorch's {@code nn.BatchNorm1d} ({@code src/test/resources/golden/generate.py batchnorm}):
 * {@code ravine train --batchnorm} from a PyTorch init whose scale, shift and running statistics are not the
 * defaults ends at PyTorch's weights, running statistics and {@code num_batches_tracked} (1e-9 in float64, 2e-3
 * in float32; SGD with momentum, Adam, full-batch L-BFGS), and {@code ravine hessian --method full} gives the
 * spectrum of {@code torch.autograd.functional.hessian} in both modes to 1e-8.
 *
 * <p>One exception, in float32 with Adam: batch norm subtracts the mean, so the bias of the Linear layer before it
 * has a gradient of exactly zero, which float32 computes as rounding noise of order 1e-9, different in each
 * library. Adam divides by its own running size (plus eps 1e-8), so that noise moves the bias by up to lr a step,
 * and the running mean with it, while the function is unchanged (the bias cancels in (Wx + b - mean)). Those two
 * tensors are held to lr x steps there; every other tensor to 2e-3.
 */
class TorchBatchNormTest {
    static final Path DIR = Path.of("src/test/resources/golden/batchnorm");

    static Stream<Arguments> trainingCases() throws Exception {
        JsonNode all = new ObjectMapper().readTree(DIR.resolve("train.json").toFile());
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : all) for (String dtype : new String[] {"float64", "float32"}) out.add(Arguments.of(c.get("name").asText(), dtype, c));
        if (out.size() != 10) throw new AssertionError("expected 5 batch-norm training cases in two dtypes, found " + out.size());
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("trainingCases")
    void trainingEndsAtPyTorchsWeightsAndRunningStatistics(String name, String dtype, JsonNode c, @TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run");
        List<String> args = new ArrayList<>(List.of("train", "--batchnorm", "--data", DIR.resolve(name + ".csv").toString(), "--model",
                c.get("model").asText(), "--optimizer", c.get("optimizer").asText(), "--init", DIR.resolve(name + ".init.safetensors").toString(),
                "--epochs", c.get("epochs").asText(), "--batch", c.get("batch").asText(), "--shuffle", "off", "--standardize", "off",
                "--val", "0", "--dtype", dtype, "--out", out.toString(), "--format", "json"));
        if (c.has("swa")) args.addAll(List.of("--swa", c.get("swa").asText())); // the average, its statistics by update_bn
        if (c.has("sam")) args.addAll(List.of("--sam", c.get("sam").asText())); // the second pass leaves the running statistics alone
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);
        boolean fullBatch = c.get("optimizer").asText().startsWith("lbfgs");
        double tolerance = dtype.equals("float64") ? 1e-9 : fullBatch ? 2e-2 : 2e-3;
        Map<String, Safetensors.Entry> expected = Safetensors.read(DIR.resolve(name + "." + dtype + ".safetensors"));
        Map<String, Safetensors.Entry> actual = Safetensors.read(out.resolve("model.safetensors"));
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "state_dict names, in state_dict order");
        int steps = c.get("epochs").asInt() * (c.get("rows").asInt() + c.get("batch").asInt() - 1) / c.get("batch").asInt();
        boolean adam32 = dtype.equals("float32") && c.get("optimizer").asText().startsWith("adam");
        for (var e : expected.entrySet()) {
            String tensor = e.getKey();
            Safetensors.Entry a = actual.get(tensor);
            assertEquals(e.getValue().integral(), a.integral(), tensor + ": I64 exactly for the counter");
            assertEquals(e.getValue().dtype(), a.dtype(), tensor + " saved in the training dtype");
            int layer = Integer.parseInt(tensor.substring(0, tensor.indexOf('.')));
            boolean noiseDriven = adam32 && (tensor.endsWith(".running_mean") || tensor.endsWith(".bias") && expected.containsKey((layer + 1) + ".running_mean"));
            double bound = e.getValue().integral() ? 0 : noiseDriven ? learningRate(c) * steps : tolerance;
            for (int i = 0; i < a.values().length; i++)
                assertEquals(e.getValue().values()[i], a.values()[i], bound, name + " " + dtype + " " + tensor + "[" + i + "]");
        }
        String[] lines = r.out().strip().split("\n");
        JsonNode losses = c.get("train_loss").get(dtype);
        for (int epoch = 0; epoch < lines.length; epoch++) {
            double lossTolerance = dtype.equals("float64") ? 1e-12 : fullBatch ? 1e-3 : 1e-5;
            double want = losses.get(epoch).asDouble();
            assertEquals(want, new ObjectMapper().readTree(lines[epoch]).get("train_loss").asDouble(), lossTolerance * Math.max(1, Math.abs(want)),
                    name + " epoch " + (epoch + 1));
        }
    }

    private static double learningRate(JsonNode c) {
        return Double.parseDouble(c.get("optimizer").asText().replaceAll(".*lr=([0-9.eE-]+).*", "$1"));
    }

    @Test
    void hessianSpectraInBothModesMatchPyTorch() throws Exception {
        JsonNode cases = new ObjectMapper().readTree(DIR.resolve("hessian.json").toFile());
        assertEquals(4, cases.size());
        for (JsonNode c : cases) {
            String name = c.get("name").asText() + " " + c.get("bn_mode").asText();
            Cli r = Cli.run("hessian", "--weights", DIR.resolve(c.get("name").asText() + ".safetensors").toString(), "--model", c.get("model").asText(),
                    "--data", DIR.resolve("digits120.csv").toString(), "--bn-mode", c.get("bn_mode").asText(), "--method", "full", "--trace",
                    "--format", "json");
            assertEquals(0, r.exit(), r::toString);
            JsonNode h = new ObjectMapper().readTree(r.out());
            assertEquals(c.get("params").asInt(), h.get("params").asInt(), name);
            assertEquals(c.get("bn_mode").asText(), h.get("bn_mode").asText(), name);
            assertEquals(c.get("loss").asDouble(), h.get("loss").asDouble(), 1e-9, name + " loss");
            assertEquals(c.get("grad_norm").asDouble(), h.get("grad_norm").asDouble(), 1e-9, name + " grad_norm");
            JsonNode ev = c.get("eigenvalues");
            assertEquals(ev.size(), h.get("eigenvalues").size());
            for (int i = 0; i < ev.size(); i++)
                assertEquals(ev.get(i).asDouble(), h.get("eigenvalues").get(i).asDouble(), 1e-8, name + " eigenvalue " + i);
            assertEquals(c.get("trace").asDouble(), h.get("trace").asDouble(), 1e-8, name + " trace");
        }
    }
}
