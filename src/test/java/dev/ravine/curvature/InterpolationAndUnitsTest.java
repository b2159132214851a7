package dev.ravine.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.cli.Cli;
import dev.ravine.nn.Mlp;
import dev.ravine.nn.MlpSpec;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Safetensors;
import dev.ravine.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterpolationAndUnitsTest {
    static final Path DIR = Path.of("src/test/resources/golden/curvature");

    @Test
    void interpolationLossesMatchPyTorch() throws Exception {
        JsonNode rows = new ObjectMapper().readTree(DIR.resolve("interpolation.json").toFile());
        StringBuilder alphas = new StringBuilder();
        for (JsonNode r : rows) alphas.append(alphas.isEmpty() ? "" : ",").append(r.get(0).asText());
        Cli r = Cli.run("interpolate", "--from", DIR.resolve("mlp2410_init.safetensors").toString(),
                "--to", DIR.resolve("mlp2410_trained.safetensors").toString(), "--model", "mlp:64-32-10:relu",
                "--data", DIR.resolve("digits300.csv").toString(), "--alphas", alphas.toString());
        assertEquals(0, r.exit(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertEquals("alpha,loss,accuracy", lines.get(0));
        assertEquals(rows.size(), lines.size() - 1);
        for (int i = 0; i < rows.size(); i++) {
            String[] f = lines.get(i + 1).split(",");
            assertEquals(rows.get(i).get(0).asDouble(), Double.parseDouble(f[0]), 0);
            assertEquals(rows.get(i).get(1).asDouble(), Double.parseDouble(f[1]), 1e-9, "loss at alpha " + f[0]);
            assertEquals(rows.get(i).get(2).asDouble(), Double.parseDouble(f[2]), 1e-12, "accuracy at alpha " + f[0]);
        }
    }

    @Test
    void deadSaturatedAndDuplicatedUnitsAreFound(@TempDir Path tmp) throws Exception {
        Path data = Files.writeString(tmp.resolve("d.csv"), "a,b,y\n0.5,-1,0\n1,2,1\n-2,0.5,0\n0.1,0.2,1\n");
        // relu layer of 4: unit 1 never fires (negative weights on these rows, bias -10); units 2 and 3 identical
        double[][] w0 = {{1, 0.5}, {-1, -1}, {0.3, -0.7}, {0.3, -0.7}}, w1 = {{0.2, 0.4, 0.5, 0.5}, {-0.1, 0.3, -0.6, -0.6}};
        double[] b0 = {0.1, -10, 0.2, 0.2}, b1 = {0, 0};
        Path relu = save(tmp.resolve("relu.safetensors"), "mlp:2-4-2:relu", w0, b0, w1, b1);
        JsonNode layer = units(relu, "mlp:2-4-2:relu", data);
        assertEquals("[1]", layer.get("dead").toString());
        assertEquals("[[2,3]]", layer.get("duplicates").toString());
        assertEquals("[]", layer.get("saturated").toString());
        // tanh: unit 0's weights are huge, so it sits at +-1 on every row
        double[][] big = {{80, 60}, {-1, -1}, {0.3, -0.7}, {0.2, 0.1}};
        Path tanh = save(tmp.resolve("tanh.safetensors"), "mlp:2-4-2:tanh", big, b0, w1, b1);
        JsonNode t = units(tanh, "mlp:2-4-2:tanh", data);
        assertEquals("[0,1]", t.get("saturated").toString(), "unit 1 saturates too: bias -10");
        assertEquals("[]", t.get("dead").toString(), "only ReLU units can be dead");
    }

    private static JsonNode units(Path weights, String model, Path data) throws Exception {
        Cli r = Cli.run("units", "--weights", weights.toString(), "--model", model, "--data", data.toString(), "--task", "classification", "--format", "json");
        assertEquals(0, r.exit(), r::toString);
        return new ObjectMapper().readTree(r.out()).get("layers").get(0);
    }

    private static Path save(Path file, String spec, double[][] w0, double[] b0, double[][] w1, double[] b1) throws Exception {
        Mlp m = new Mlp(MlpSpec.parse(spec), 2, 2, DType.FLOAT64, 4);
        List<Mlp.NamedParameter> p = m.namedParameters();
        fill(p.get(0).values(), w0);
        for (int i = 0; i < b0.length; i++) p.get(1).values().set(i, b0[i]);
        fill(p.get(2).values(), w1);
        for (int i = 0; i < b1.length; i++) p.get(3).values().set(i, b1[i]);
        Safetensors.write(file, m.tensors(), DType.FLOAT64, Map.of());
        return file;
    }

    private static void fill(Tensor t, double[][] rows) {
        for (int i = 0; i < rows.length; i++) for (int j = 0; j < rows[i].length; j++) t.set(i, j, rows[i][j]);
    }

    /**
     * Linear mode connectivity (Frankle et al. 2020): two runs from the same initial weights, seeing the data in other
     * orders, end in one basin (no barrier on the line between them); runs from different initial weights do not.
     */
    @org.junit.jupiter.api.Test
    void runsFromOneInitialisationAreLinearlyConnected(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path a = tmp.resolve("a"), b = tmp.resolve("b"), c = tmp.resolve("c");
        for (String[] args : new String[][] {{"--seed", "1", "--out", a.toString()}, {"--seed", "2", "--init", a.resolve("init.safetensors").toString(),
                "--out", b.toString()}, {"--seed", "3", "--out", c.toString()}}) {
            java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("train", "--epochs", "10"));
            all.addAll(java.util.List.of(args));
            dev.ravine.cli.Cli r = dev.ravine.cli.Cli.run(all.toArray(String[]::new));
            assertEquals(0, r.exit(), r::toString);
        }
        double same = barrier(a, b), different = barrier(a, c);
        org.junit.jupiter.api.Assertions.assertTrue(same < 0.05, "one basin from one initialisation: barrier " + same);
        org.junit.jupiter.api.Assertions.assertTrue(different > 5 * same && different > 0.1, "a barrier between basins: " + different + " against " + same);
    }

    private static double barrier(java.nio.file.Path from, java.nio.file.Path to) {
        dev.ravine.cli.Cli r = dev.ravine.cli.Cli.run("interpolate", "--from", from.toString(), "--to", to.toString(), "--points", "21");
        assertEquals(0, r.exit(), r::toString);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("loss barrier ([0-9.eE+-]+)").matcher(r.err());
        org.junit.jupiter.api.Assertions.assertTrue(m.find(), r.err());
        return Double.parseDouble(m.group(1));
    }
}
