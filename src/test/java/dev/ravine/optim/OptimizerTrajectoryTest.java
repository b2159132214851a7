package dev.ravine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.cli.Cli;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer through the same check: {@code ravine optimize} must retrace {@code torch.optim}'s path on the
 * 2-D test functions step by step (relative error 1e-12, measured about 1e-15; 1e-8 for L-BFGS), for the table in
 * {@code src/test/resources/golden/generate.py}; L-BFGS iteration by iteration (PyTorch stepped with max_iter=1).
 * A guard makes sure no optimizer is left out of the table.
 */
class OptimizerTrajectoryTest {
    static final int CASES = 40;

    static List<JsonNode> golden() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        new ObjectMapper().readTree(Path.of("src/test/resources/golden/trajectories.json").toFile()).forEach(out::add);
        return out;
    }

    static Stream<Arguments> cases() throws Exception {
        return golden().stream().map(c -> Arguments.of(c.get("optimizer").asText() + " on " + c.get("function").asText(), c));
    }

    @Test
    void everyOptimizerIsInTheTable() throws Exception {
        List<JsonNode> cases = golden();
        assertEquals(CASES, cases.size(), "golden cases");
        Set<String> covered = new HashSet<>();
        for (JsonNode c : cases) covered.add(Spec.parse("--optimizer", c.get("optimizer").asText()).name());
        for (Optimizers.Entry<?> e : Optimizers.ALL)
            if (!e.name().equals("kfac")) // PyTorch has no K-FAC to compare with; KfacTest checks it against its formula
                assertTrue(covered.contains(e.name()), e.name() + " has no golden trajectory");
        assertTrue(covered.contains("lbfgs"), "lbfgs has no golden trajectory"); // the only minimizer PyTorch has
    }

    /** ASGD's running average of the iterates, the state PyTorch keeps as {@code ax}, after the last step of each case. */
    @Test
    void asgdAveragesTheIteratesAsPyTorchDoes() throws Exception {
        int checked = 0;
        for (JsonNode c : golden()) {
            if (!c.has("ax")) continue;
            var f = dev.ravine.lab.TestFunction.parse(c.get("function").asText());
            Optimizer opt = Optimizers.parse(c.get("optimizer").asText());
            var p = dev.ravine.tensor.Tensor.of(new double[] {c.get("start").get(0).asDouble(), c.get("start").get(1).asDouble()}, 1, 2);
            var g = dev.ravine.tensor.Tensor.zeros(p.dtype, 1, 2);
            double[] grad = new double[2];
            for (int k = 0; k < c.get("steps").asInt(); k++) {
                f.gradient(p.get(0), p.get(1), grad);
                g.set(0, grad[0]);
                g.set(1, grad[1]);
                opt.step(p, g, opt.learningRate());
            }
            var ax = opt.state().get("ax");
            for (int j = 0; j < 2; j++) assertEquals(c.get("ax").get(j).asDouble(), ax.get(j), 1e-12 * Math.max(1, Math.abs(ax.get(j))));
            checked++;
        }
        assertEquals(2, checked, "the golden ASGD cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void trajectoryMatchesTorchOptim(String name, JsonNode c) {
        JsonNode start = c.get("start");
        Cli r = Cli.run("optimize", "--function", c.get("function").asText(), "--optimizer", c.get("optimizer").asText(),
                "--start", start.get(0).asText() + "," + start.get(1).asText(), "--steps", c.get("steps").asText());
        assertEquals(0, r.exit(), r::toString);
        List<String> rows = r.out().lines().toList();
        assertEquals("step,x,y,f,evals", rows.get(0));
        JsonNode points = c.get("points");
        boolean firstOrder = !Minimizers.isMinimizer(c.get("optimizer").asText());
        // Line searches amplify the last-bit differences between autograd's gradients and the analytic ones
        // (measured up to 6e-9 on plain L-BFGS's wild Rosenbrock path); first-order paths stay within ~1e-15.
        double tolerance = firstOrder ? 1e-12 : 1e-8;
        assertEquals(points.size(), rows.size() - 1, "rows for steps 0..N");
        for (int k = 0; k < points.size(); k++) {
            String[] f = rows.get(k + 1).split(",");
            assertEquals(k, Integer.parseInt(f[0]));
            if (firstOrder) assertEquals(k, Long.parseLong(f[4]), "one evaluation per step");
            for (int j = 0; j < 3; j++) {
                double expected = points.get(k).get(j).asDouble(), actual = Double.parseDouble(f[j + 1]);
                assertEquals(expected, actual, tolerance * Math.max(1, Math.abs(expected)), name + " step " + k + " column " + j);
            }
        }
    }
}
