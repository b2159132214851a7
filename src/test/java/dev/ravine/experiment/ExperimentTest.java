package dev.ravine.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Experiments write their verdict and numbers, and the verdict follows the numbers: a changed setting flips it. */
class ExperimentTest {
    @Test
    void stabilityHoldsAndWritesItsResult(@TempDir Path tmp) throws Exception {
        Cli list = Cli.run("experiment", "--list");
        assertEquals(0, list.exit(), list::toString);
        assertTrue(list.out().lines().anyMatch(l -> l.split(" ")[0].equals("stability")), list.out());
        Path out = tmp.resolve("stability");
        Cli r = Cli.run("experiment", "stability", "--out", out.toString());
        assertEquals(0, r.exit(), r::toString);
        JsonNode result = new ObjectMapper().readTree(out.resolve("result.json").toFile());
        assertTrue(result.get("verdict").asText().startsWith("holds"), result.toString());
        JsonNode runs = result.get("runs");
        assertEquals(List.of("monotone_decay", "oscillating_decay", "divergence"), List.of(runs.get(0).get("observed").asText(),
                runs.get(1).get("observed").asText(), runs.get(2).get("observed").asText()));
        for (JsonNode run : runs) assertEquals(run.get("predicted_factor").asDouble(), run.get("measured_factor").asDouble(), 1e-12);
        // the same three behaviours along a real network's sharpest direction, at its own lambda_max
        JsonNode network = result.get("network");
        assertTrue(network.get("gradient_norm_at_the_minimum").asDouble() < 1e-4, network.toString());
        JsonNode onNetwork = network.get("runs");
        for (int i = 0; i < 3; i++) {
            assertEquals(runs.get(i).get("observed").asText(), onNetwork.get(i).get("observed").asText());
            assertEquals(onNetwork.get(i).get("predicted_factor").asDouble(), onNetwork.get(i).get("measured_factor").asDouble(), Stability.NETWORK_TOLERANCE);
        }
        // the same numbers as CSV, and the points of both figures (the quadratic's paths and the network's)
        List<String> numbers = Files.readAllLines(out.resolve("numbers.csv"));
        assertEquals("name,value", numbers.get(0));
        assertTrue(numbers.contains("runs[2].observed,divergence"), numbers.toString());
        assertTrue(numbers.contains("network.runs[0].lr_times_lambda,0.5"), numbers.toString());
        List<String> points = Files.readAllLines(out.resolve("figures.csv"));
        assertEquals("figure,series,x,y", points.get(0));
        java.util.Set<String> figures = new java.util.HashSet<>();
        for (int i = 1; i < points.size(); i++) {
            List<String> cells = dev.ravine.data.CsvReader.split(points.get(i), "figures.csv", i + 1);
            assertEquals(4, cells.size(), points.get(i));
            figures.add(cells.get(0));
            if (cells.get(0).equals("1") && cells.get(2).equals("0.0")) assertEquals(1.0, Double.parseDouble(cells.get(3)), 0, "every path starts at |y| = 1");
        }
        assertEquals(java.util.Set.of("1", "2"), figures);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("data:image/png;base64,") && html.contains("Verdict:"), "a report with its figure");
        Cli unknown = Cli.run("experiment", "stabilty");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().startsWith("ravine: --experiment stabilty: unknown experiment (valid: stability"), unknown.err());
    }

    /** At lr lambda = 1.9 the path oscillates and decays: it is not called divergent, and the claimed divergence does not hold. */
    @Test
    @SuppressWarnings("unchecked")
    void aRateBelowTwoOverLambdaIsNotCalledDivergent() {
        Experiment.Result r = new Stability(10, new double[] {0.5, 1.5, 1.9}).run(0);
        assertEquals("oscillating_decay", ((List<Map<String, Object>>) r.numbers().get("runs")).get(2).get("observed"));
        assertTrue(r.verdict().startsWith("holds"), "1.9 is predicted to decay, and does: " + r.verdict());
        assertEquals(Stability.Behaviour.OSCILLATING_DECAY, Stability.behaviour(new double[] {1, -0.9, 0.81}));
        assertEquals(Stability.Behaviour.DIVERGENCE, Stability.behaviour(new double[] {1, -1.2, 1.44}));
        assertEquals(Stability.Behaviour.MONOTONE_DECAY, Stability.behaviour(new double[] {1, 0.5, 0.25}));
        // exactly at 2/lambda the path neither decays nor grows: it flips at one size, and is called that
        Experiment.Result edge = new Stability(10, new double[] {2.0}).run(0);
        assertEquals("steady_oscillation", ((List<Map<String, Object>>) edge.numbers().get("runs")).get(0).get("observed"));
    }

    @Test
    void softmaxRegressionIsConvexAndAHiddenLayerIsNot() {
        Experiment.Result r = Experiments.named("convexity").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        for (double v : (double[]) r.numbers().get("no_hidden_layer_lowest_relative_eigenvalue")) assertTrue(v >= Convexity.NEGATIVE, "PSD: " + v);
        assertTrue(java.util.Arrays.stream((double[]) r.numbers().get("one_hidden_layer_lowest_relative_eigenvalue")).anyMatch(v -> v < -1e-3));
    }

    @Test
    @SuppressWarnings("unchecked")
    void momentumReachesItsTerminalVelocityAndCrossesTheRavineFirst() {
        Experiment.Result r = Experiments.named("momentum").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        // the 200th step from rest: lr g (1 + alpha + ... + alpha^199)
        double expected = 0.01 * (1 - Math.pow(0.9, Momentum.CONSTANT_STEPS)) / (1 - 0.9);
        assertEquals(expected, (double) r.numbers().get("measured_step_after_" + Momentum.CONSTANT_STEPS), 1e-14);
        Map<String, Map<String, Object>> ravine = (Map<String, Map<String, Object>>) r.numbers().get("ravine");
        // plain GD on the slow axis: f = 0.5 (1 - lr)^(2k) x0^2 beside a y term that is gone long before, so it arrives at
        // the first k with (1 - lr)^(2k) < 1e-8 (1 + kappa)
        double lr = 1.3 / 100;
        int k = (int) Math.ceil(Math.log(1e-8 * 101) / (2 * Math.log(1 - lr)));
        assertEquals(k, (int) ravine.get("gradient descent").get("steps_to_arrive"), 1.0, "plain descent's arrival, from its rate");
        Experiment.Result none = new Momentum(0, 100).run(0);
        assertTrue(none.verdict().startsWith("does not hold"), "alpha = 0 is plain descent: " + none.verdict());
    }

    @Test
    @SuppressWarnings("unchecked")
    void identicalUnitsStayIdenticalAndAPerturbationSeparatesThem() {
        Experiment.Result r = Experiments.named("symmetry").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        assertEquals(Symmetry.UNITS, ((Map<String, Object>) r.numbers().get("identical")).get("largest_group_of_identical_units"));
        double trained = (double) r.numbers().get("trained_loss"); // the same sum in another order: equal to rounding
        assertEquals(trained, (double) r.numbers().get("permuted_loss"), 1e-12 * trained);
        Experiment.Result unperturbed = new Symmetry(0).run(0);
        assertTrue(unperturbed.verdict().startsWith("does not hold") && unperturbed.verdict().contains("stayed identical"), unperturbed.verdict());
    }

    @Test
    @SuppressWarnings("unchecked")
    void rescalingKeepsTheLossAndChangesTheSharpnessOnlyForRelu() {
        Experiment.Result r = Experiments.named("rescaling").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        for (Map<String, Object> f : (List<Map<String, Object>>) r.numbers().get("factors"))
            if ((double) f.get("k") == 4) assertTrue((double) f.get("sharpness_over_unscaled") > 1.5, f.toString());
        Experiment.Result tanh = new Rescaling("tanh", new double[] {0.5, 1, 2}).run(0);
        assertTrue(tanh.verdict().startsWith("does not hold") && tanh.verdict().contains("another function"), tanh.verdict());
    }

    @Test
    @SuppressWarnings("unchecked")
    void constantRatesStallAtTheNoiseFloorAndRobbinsMonroRatesConverge() {
        Experiment.Result r = Experiments.named("robbins-monro").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        assertEquals(0.1 / 1.9, (double) r.numbers().get("predicted_noise_floor"), 1e-15);
        // the average of t iterates on a unit-curvature quadratic has variance sigma^2 / t per coordinate
        double averaged = (double) ((Map<String, Map<String, Object>>) r.numbers().get("runs")).get("constant lr = 0.1, iterates averaged")
                .get("mean_x_squared_over_last_tenth");
        assertEquals(1.0 / RobbinsMonro.STEPS, averaged, 0.5 / RobbinsMonro.STEPS);
        Experiment.Result quiet = new RobbinsMonro(0, 0.1).run(0);
        assertTrue(quiet.verdict().startsWith("does not hold"), "without noise a constant rate converges: " + quiet.verdict());
    }

    /** At lr = 0.2 the edge 2/lr = 10 is far above anything the network reaches in 1000 steps: not called an edge of stability. */
    @Test
    void theEdgeOfStabilityIsFoundOnlyWhere2OverLrIsWithinReach() {
        Experiment.Result r = Experiments.named("edge-of-stability").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        Experiment.Result low = new EdgeOfStability(0.2).run(0);
        assertTrue(low.verdict().startsWith("does not hold") && low.verdict().contains("never reached"), low.verdict());
    }

    /** Full-batch Adam at lr 0.01 settles at 38/lr; at 0.001 its edge, 38,000, is out of reach in 1,000 steps. */
    @Test
    void adamsPreconditionedSharpnessSettlesAt38OverLr() {
        Experiment.Result r = Experiments.named("adaptive-edge-of-stability").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        assertEquals(3800, (double) r.numbers().get("edge"), 1e-9);
        Experiment.Result low = EdgeOfStability.adaptive(0.001).run(0);
        assertTrue(low.verdict().startsWith("does not hold") && low.verdict().contains("never reached"), low.verdict());
    }

    @Test
    void gradientDescentStartsInASaddleRegionAndLeavesIt() {
        Experiment.Result r = Experiments.named("saddles").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        Experiment.Result convex = new Saddles("mlp:30-2:identity").run(0);
        assertTrue(convex.verdict().startsWith("does not hold"), "softmax regression has no saddle: " + convex.verdict());
        for (double m : (double[]) convex.numbers().get("negative_share_of_spectral_mass")) assertTrue(m < 1e-6, "convex: " + m);
    }

    @Test
    @SuppressWarnings("unchecked")
    void standardizingConditionsTheProblemOnlyWhereTheScalesDiffer() {
        Experiment.Result r = Experiments.named("normalization").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        Map<String, Object> raw = (Map<String, Object>) r.numbers().get("raw"), std = (Map<String, Object>) r.numbers().get("standardized");
        assertEquals((double) raw.get("optimum_loss"), (double) std.get("optimum_loss"), 1e-9, "an affine change of variables keeps the optimum");
        // the condition number is that of [X 1]^T [X 1] (the MSE Hessian up to its factor): standardizing the columns of X changes it
        assertTrue((double) raw.get("condition_number") > 1e3 * (double) std.get("condition_number"), r.numbers().toString());
        Experiment.Result scaled = new Normalization(true).run(0);
        assertTrue(scaled.verdict().startsWith("does not hold"), "features already on one scale: " + scaled.verdict());
        double[][] a = {{4, 1}, {2, 3}};
        double[] x = Normalization.solve(a, new double[] {1, 2});
        assertEquals(0.1, x[0], 1e-15);
        assertEquals(0.6, x[1], 1e-15);
    }

    @Test
    @SuppressWarnings("unchecked")
    void newtonFallsIntoTheSaddleAndSaddleFreeNewtonLeavesIt() {
        Experiment.Result r = Experiments.named("newton-saddle").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        // saddle-free Newton on x^2 - y^2 from (1, y0): x goes to 0 and y doubles each step, so after 10 steps y = 0.1 * 2^10
        Map<String, Object> free = ((Map<String, Map<String, Object>>) r.numbers().get("runs")).get("saddle-free Newton");
        assertEquals(0.1 * Math.pow(2, NewtonSaddle.STEPS), (double) free.get("final_y"), 1e-9);
        Experiment.Result onTheLine = new NewtonSaddle(0).run(0);
        assertTrue(onTheLine.verdict().startsWith("does not hold") && onTheLine.verdict().contains("did not escape"), onTheLine.verdict());
    }

    @Test
    void sigmoidGradientsVanishWithDepthAndReluOnesDoNot() {
        Experiment.Result r = Experiments.named("vanishing").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        double[] sig = (double[]) r.numbers().get("sigmoid_layer_gradient_norms");
        assertTrue(sig[0] < sig[Vanishing.DEPTH], "the first layer's below the last one's");
        assertEquals(1, (double) r.numbers().get("deep_linear_orthogonal_gain"), 1e-12, "orthogonal layers keep the norm");
        Experiment.Result relu = new Vanishing("relu").run(0);
        assertTrue(relu.verdict().startsWith("does not hold"), "ReLU against itself: " + relu.verdict());
    }

    @Test
    @SuppressWarnings("unchecked")
    void heInitializationKeepsTheSignalThatXavierAndTorchsDefaultShrink() {
        Experiment.Result r = Experiments.named("initialization").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        Map<String, Map<String, Object>> runs = (Map<String, Map<String, Object>>) r.numbers().get("runs");
        double[] xavier = (double[]) runs.get("xavier").get("predicted"), torch = (double[]) runs.get("torch").get("predicted");
        // digits' 64 inputs into 256 units: Xavier's first layer keeps (64 * 2/320)/2 = 0.2, each 256 -> 256 one 1/2
        assertEquals(xavier[0] * 0.2 * Math.pow(0.5, Initialization.DEPTH - 1), xavier[Initialization.DEPTH], 1e-15);
        // PyTorch's default: q' = q/6 + 1/(6 fan_in), whose fixed point is 1/(5 fan_in)
        assertEquals(1.0 / (5 * Initialization.WIDTH), torch[Initialization.DEPTH], 2e-6);
        double[] he = (double[]) runs.get("he").get("mean_squares");
        assertEquals(Initialization.DEPTH + 1, he.length);
        assertTrue((double) runs.get("he").get("measured_over_predicted_geometric_mean") > 1 / Initialization.MATCH, runs.get("he").toString());
        // tanh passes a small signal whole where ReLU halves it: the recursion's 1/2 is off by about 2 for Xavier's and PyTorch's
        Experiment.Result tanh = new Initialization("tanh").run(0);
        assertTrue(tanh.verdict().startsWith("does not hold") && tanh.verdict().contains("xavier's layers keep"), tanh.verdict());
    }

    @Test
    @SuppressWarnings("unchecked")
    void newtonConvergesQuadraticallyAndGradientDescentLinearly() {
        Experiment.Result r = Experiments.named("convergence-order").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        Map<String, Object> newton = (Map<String, Object>) r.numbers().get("newton");
        double[] norms = (double[]) newton.get("gradient_norms");
        int steps = (int) newton.get("steps_to_converge");
        assertEquals(norms.length - 1, steps, "Newton stops at its first norm below the level");
        // the digits double: |g_k+1| = C |g_k|^2 with the same C over the last two steps (45 here) while |g| falls 5e5-fold
        double early = norms[steps - 1] / (norms[steps - 2] * norms[steps - 2]), late = norms[steps] / (norms[steps - 1] * norms[steps - 1]);
        assertTrue(late / early > 0.5 && late / early < 2, early + " then " + late + ": " + java.util.Arrays.toString(norms));
        Map<String, Object> descent = (Map<String, Object>) r.numbers().get("gradient_descent"), h = (Map<String, Object>) r.numbers().get("hessian_at_solution");
        double kappa = (double) h.get("kappa");
        assertEquals((kappa - 1) / (kappa + 1), (double) descent.get("bound"), 1e-15);
        assertEquals(2 / ((double) h.get("lambda_max") + (double) h.get("lambda_min")), (double) descent.get("lr"), 1e-12);
        // the orders: the estimate is the ratio of successive log-reductions
        // (none at the ends, nor where the next norm is below the level, which rounding sets)
        double[] p = ConvergenceOrder.orders(List.of(1e-1, 1e-2, 1e-5, 1e-8, 1e-16));
        assertEquals(3, p[1], 1e-12);
        assertEquals(1, p[2], 1e-12);
        assertTrue(Double.isNaN(p[0]) && Double.isNaN(p[3]) && Double.isNaN(p[4]), java.util.Arrays.toString(p));
        // a fixed Levenberg damping solves only part of each step's model: linear again
        Experiment.Result damped = new ConvergenceOrder(1).run(0);
        assertTrue(damped.verdict().startsWith("does not hold") && damped.verdict().contains("order estimate"), damped.verdict());
    }

    @Test
    @SuppressWarnings("unchecked")
    void runsFromOneStartAreLinearlyConnectedAndRunsFromTwoAreNot() {
        Experiment.Result r = Experiments.named("mode-connectivity").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        Map<String, Object> same = (Map<String, Object>) r.numbers().get("same_start"), other = (Map<String, Object>) r.numbers().get("different_starts");
        double[] line = (double[]) same.get("train_loss"), across = (double[]) other.get("train_loss");
        // the barrier: the highest loss on the line less the mean of its ends (ravine interpolate's)
        double highest = java.util.Arrays.stream(line).max().orElseThrow();
        assertEquals(highest - (line[0] + line[line.length - 1]) / 2, (double) same.get("barrier"), 1e-15);
        assertEquals(line[0], across[0], 0, "both lines start at run A");
        assertTrue((double) other.get("barrier") > 100 * (double) same.get("barrier"), r.numbers().toString());
        Experiment.Result apart = new ModeConnectivity(false).run(0);
        assertTrue(apart.verdict().startsWith("does not hold") && apart.verdict().contains("is not below"), apart.verdict());
    }

    @Test
    @SuppressWarnings("unchecked")
    void naturalGradientStepsIgnoreTheCoordinatesWhereGradientStepsSlowDown() {
        Experiment.Result r = Experiments.named("natural-gradient").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        Map<String, Object> ngd = (Map<String, Object>) r.numbers().get("natural_gradient"), gd = (Map<String, Object>) r.numbers().get("gradient_descent");
        double[] loss = (double[]) ngd.get("loss"), rescaled = (double[]) ngd.get("loss_rescaled");
        assertEquals(loss[0], rescaled[0], 0, "the same function at the start");
        // least squares' Fisher is its Hessian: each step at rate 0.5 cuts the excess loss to (1 - 0.5)^2 = 1/4, in either coordinates
        for (double[] l : new double[][] {loss, rescaled})
            for (int k = 0; k + 2 < 6; k++) assertEquals(0.25, (l[k + 1] - l[k + 2]) / (l[k] - l[k + 1]), 1e-6, "step " + k);
        assertTrue((double) gd.get("lr_rescaled") < 1e-3 * (double) gd.get("lr"), "the rescaled Hessian's lambda_max is far larger: " + gd);
        Experiment.Result same = new NaturalGradientInvariance(1, null).run(0);
        assertTrue(same.verdict().startsWith("does not hold") && same.verdict().contains("not slower"), same.verdict());
    }

    @Test
    void theNoiseScaleGrowsAsTheLossFalls() {
        Experiment.Result r = Experiments.named("noise-scale").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        double[] noise = (double[]) r.numbers().get("noise_scale_by_epoch"), loss = (double[]) r.numbers().get("train_loss_by_epoch");
        assertEquals(NoiseScaleGrowth.EPOCHS, noise.length);
        assertEquals(noise[noise.length - 1] / noise[0], (double) r.numbers().get("growth"), 1e-12);
        assertTrue(loss[loss.length - 1] < 0.1 * loss[0], "trained: " + loss[0] + " -> " + loss[loss.length - 1]);
        // ranks, ties averaged: a series against its reverse is -1, against itself 1, a constant one has none
        assertEquals(-1, NoiseScaleGrowth.spearman(new double[] {1, 2, 2, 5}, new double[] {9, 4, 4, 0}), 1e-15);
        assertEquals(1, NoiseScaleGrowth.spearman(new double[] {3, 1, 2}, new double[] {30, 10, 20}), 1e-15);
        assertTrue(Double.isNaN(NoiseScaleGrowth.spearman(new double[] {1, 2, 3}, new double[] {5, 5, 5})));
        Experiment.Result still = new NoiseScaleGrowth("sgd:lr=0").run(0);
        assertTrue(still.verdict().startsWith("does not hold") && still.verdict().contains("not 2 times higher"), still.verdict());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theScaledNetworkClassifiesAsTheAverageOfThinnedOnesDoes() {
        Experiment.Result r = Experiments.named("dropout-averaging").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        Map<String, Double> accuracy = (Map<String, Double>) r.numbers().get("validation_accuracy");
        double[] each = (double[]) r.numbers().get("thinned_validation_accuracies");
        assertEquals(DropoutAveraging.MASKS, each.length);
        assertEquals(java.util.Arrays.stream(each).average().orElseThrow(), accuracy.get("one_thinned_mean"), 1e-12);
        assertTrue(java.util.Arrays.stream(each).distinct().count() > 1, "every thinned network draws its own masks");
        Experiment.Result slight = new DropoutAveraging(0.01).run(0);
        assertTrue(slight.verdict().startsWith("does not hold") && slight.verdict().contains("not a point below"), slight.verdict());
    }

    @Test
    void theLineFromInitToSolutionHasNoBumpAndTheLineBetweenSolutionsDoes() {
        Experiment.Result r = Experiments.named("interpolation").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        double[] loss = (double[]) r.numbers().get("train_loss");
        for (int i = 0; i + 1 < loss.length; i++) assertTrue(loss[i + 1] <= loss[i] * (1 + LineInterpolation.BUMP), "monotone at point " + i);
        Experiment.Result between = new LineInterpolation(true).run(0);
        assertTrue(between.verdict().startsWith("does not hold") && between.verdict().contains("climbs"), between.verdict());
        double[] b = (double[]) between.numbers().get("train_loss");
        assertTrue(b[b.length / 2] > Math.max(b[0], b[b.length - 1]), "a barrier in the middle");
    }

    /**
     * On the aligned ravine the adaptive methods beat gradient descent and lose that lead when it is turned; with no
     * turn (angle 0 both times) nothing is lost, and the claim is not called. Gradient descent's count is checked
     * against its closed form: the kappa-direction error falls by |1 - lr kappa| a step, the other by 1 - lr.
     */
    @Test
    @SuppressWarnings("unchecked")
    void adaptiveMethodsFixOnlyTheAlignedRavine() {
        Experiment.Result r = Experiments.named("axis-alignment").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        Map<String, Map<String, Map<String, Object>>> runs = (Map<String, Map<String, Map<String, Object>>>) r.numbers().get("runs");
        double lr = 1.9 / 101, a = 1 - lr, b = Math.abs(1 - lr * 100);
        int k = 0; // f_k / f_0 = (a^2k + 100 b^2k) / 101, from (u, v) = (1, 1)
        while ((Math.pow(a, 2 * k) + 100 * Math.pow(b, 2 * k)) / 101 >= AxisAlignment.ARRIVED) k++;
        Map<String, Map<String, Object>> gd = runs.values().iterator().next();
        assertEquals(k, (int) gd.get("aligned").get("steps_to_arrive"), 1.0);
        assertEquals(k, (int) gd.get("turned").get("steps_to_arrive"), 1.0);
        Experiment.Result unturned = new AxisAlignment(100, 0).run(0);
        assertTrue(unturned.verdict().startsWith("does not hold") && unturned.verdict().contains("not even twice"), unturned.verdict());
    }

    /**
     * Without noise the descent converges to the saddle; with noise each run leaves, a fixed number of steps later
     * for each tenfold smaller noise. In a bowl (the quadratic 0.5 (x^2 + y^2)) noise does not make it leave: not called.
     */
    @Test
    @SuppressWarnings("unchecked")
    void gradientNoiseEscapesTheSaddleThatPlainDescentConvergesTo() {
        Experiment.Result r = Experiments.named("saddle-escape").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        Map<String, Object> plain = (Map<String, Object>) r.numbers().get("without_noise");
        assertEquals(0.0, (double) plain.get("y"), 0, "on the attracting line y never moves");
        assertEquals(Math.log(10) / Math.log(1.2), (double) r.numbers().get("predicted_steps_per_decade"), 1e-12);
        Experiment.Result bowl = new SaddleEscape("quadratic:kappa=1").run(0);
        assertTrue(bowl.verdict().startsWith("does not hold") && bowl.verdict().contains("did not leave"), bowl.verdict());
    }

    /**
     * On the slope AdaGrad covers lr sum 1/sqrt(t) (checked here against 2 lr sqrt(T), its integral's bound) and RMSProp
     * at least lr T; on the network AdaGrad's effective rate falls while RMSProp's rises. With alpha = 0.99999 RMSProp's
     * average remembers every step of the run and its rate falls as well: not called.
     */
    @Test
    @SuppressWarnings("unchecked")
    void adagradsEffectiveRateFallsWhereRmspropsDoesNot() {
        Experiment.Result r = Experiments.named("adagrad-decay").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        Map<String, Object> slope = (Map<String, Object>) r.numbers().get("slope");
        double t = AdagradDecay.SLOPE_STEPS, lr = AdagradDecay.RATE, covered = (double) slope.get("adagrad_distance");
        // sum_{t <= T} 1/sqrt(t) lies between 2 sqrt(T + 1) - 2 and 2 sqrt(T) - 1
        assertTrue(covered > lr * (2 * Math.sqrt(t + 1) - 2) && covered < lr * (2 * Math.sqrt(t) - 1), "adagrad covered " + covered);
        Experiment.Result longMemory = new AdagradDecay(0.99999).run(0);
        assertTrue(longMemory.verdict().startsWith("does not hold") && longMemory.verdict().contains("RMSProp's median effective rate fell"),
                longMemory.verdict());
    }

    /**
     * After the gradients fall a hundredfold Adam's effective rate climbs (to sqrt of its second moment's decay, with
     * v read against beta2^s v0 + (1 - beta2^s) g^2) and Yogi's hardly moves; with no fall there is nothing to hold
     * back: not called.
     */
    @Test
    @SuppressWarnings("unchecked")
    void yogiHoldsBackTheRateAdamLetsClimb() {
        Experiment.Result r = Experiments.named("yogi").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        Map<String, Object> adam = (Map<String, Object>) r.numbers().get("adam");
        double v0 = (double) adam.get("v_at_switch");
        assertEquals(1 - Math.pow(0.999, 1000), v0, 1e-12, "1,000 gradients of 1 from v = 0");
        Experiment.Result steady = new YogiIncrease(1).run(0);
        assertTrue(steady.verdict().startsWith("does not hold") && steady.verdict().contains("Adam's effective rate rose only"), steady.verdict());
    }

    /**
     * Adam with beta2 = 0.99 ends at the worst point of Reddi et al.'s problem and AMSGrad at the best; where the second
     * moment remembers a hundred periods (beta2 = 0.9999) Adam converges as well, and the claim is not called. Staying
     * at +1 costs twice the mean gradient a step, 20/101, against which Adam's regret is read.
     */
    @Test
    @SuppressWarnings("unchecked")
    void adamDriftsToTheWorstPointWhereAmsGradConverges() {
        Experiment.Result r = Experiments.named("amsgrad").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        assertEquals(20.0 / 101, (double) r.numbers().get("average_regret_at_the_worst_point"), 1e-15);
        Map<String, Map<String, Object>> runs = (Map<String, Map<String, Object>>) r.numbers().get("runs");
        double adam = (double) runs.get("adam").get("average_regret"), ams = (double) runs.get("adam, amsgrad=true").get("average_regret");
        assertTrue(adam > 20.0 / 101 && ams < adam / 2, adam + " against " + ams);
        Experiment.Result longMemory = new AmsGrad(0.5, 0.9999).run(0);
        assertTrue(longMemory.verdict().startsWith("does not hold") && longMemory.verdict().contains("Adam ended at"), longMemory.verdict());
    }

    /** A step landing on the cliff's wall is thrown far, and clipping bounds every step by lr times the clip norm; a gentle slope throws nothing. */
    @Test
    void clippingSavesTheRunThatTheCliffThrows() {
        Experiment.Result r = Experiments.named("cliff").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        assertTrue((double) r.numbers().get("clipped_longest_step") <= Cliff.LR * Cliff.CLIP + 1e-12, r.numbers().toString());
        assertTrue((int) r.numbers().get("unclipped_runs_thrown") > 0);
        Experiment.Result gentle = new Cliff(1).run(0);
        assertTrue(gentle.verdict().startsWith("does not hold") && gentle.verdict().contains("no unclipped run was thrown"), gentle.verdict());
    }

    /** Squared error on sigmoid outputs stalls at lr 0.1 with two sigmoid layers; one layer at lr 1 learns with either loss. */
    @Test
    void sigmoidOutputsWithSquaredErrorStall() {
        Experiment.Result r = Experiments.named("plateau").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        double[] mse = (double[]) r.numbers().get("sigmoid_mse_val_accuracy");
        assertEquals(Plateau.EPOCHS, mse.length);
        for (double acc : mse) assertTrue(acc < Plateau.LEARNED, "on the plateau throughout: " + acc);
        Experiment.Result learns = new Plateau("mlp:32:sigmoid", 1.0).run(0);
        assertTrue(learns.verdict().startsWith("does not hold") && learns.verdict().contains("learned too"), learns.verdict());
    }

    /** The bands share out every eigenvalue; a ReLU network's many inactive directions put more than a few in the small band. */
    @Test
    @SuppressWarnings("unchecked")
    void aTrainedTanhNetworkHasTheLeCunProfile() {
        Experiment.Result r = Experiments.named("spectrum-profile").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        Map<String, Object> trained = (Map<String, Object>) r.numbers().get("trained");
        int sum = (int) trained.get("large") + (int) trained.get("medium") + (int) trained.get("small") + (int) trained.get("null");
        assertEquals((int) r.numbers().get("parameters"), sum);
        assertEquals(sum, (int) java.util.Arrays.stream((double[]) trained.get("count_by_decade_of_abs_lambda_over_lambda_max")).sum());
        Experiment.Result relu = new SpectrumProfile("mlp:16:relu").run(0);
        assertTrue(relu.verdict().startsWith("does not hold") && relu.verdict().contains("small, not a few"), relu.verdict());
    }

    /** Plain SGD at lr 0.01 ends above every other method on every seed; at lr 0.1 it beats AdaGrad and Adam at their defaults. */
    @Test
    @SuppressWarnings("unchecked")
    void everyMethodBeatsPlainSgdAtItsDefaults() {
        Experiment.Result r = Experiments.named("optimizers").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        Map<String, Map<String, Object>> methods = (Map<String, Map<String, Object>>) r.numbers().get("methods");
        assertEquals(1 + OptimizerComparison.OTHERS.size(), methods.size());
        Experiment.Result fast = new OptimizerComparison("sgd:lr=0.1").run(0);
        assertTrue(fast.verdict().startsWith("does not hold") && fast.verdict().contains("adagrad ended no lower"), fast.verdict());
    }

    /**
     * Trained, batch norm's spectrum has the smaller outliers; at initialization there are none to remove. The largest
     * eigenvalue without batch norm is checked against Lanczos on the same network, independently of the dense solver.
     */
    @Test
    @SuppressWarnings("unchecked")
    void batchNormRemovesTheOutliersTrainingGrows() {
        Experiment.Result r = Experiments.named("batchnorm").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        Map<String, Object> plain = (Map<String, Object>) r.numbers().get("without_batchnorm");
        assertEquals(2 / (double) plain.get("lambda_max"), (double) plain.get("max_stable_lr"), 1e-12);
        Experiment.Result atInit = new BatchNormSpectrum(0).run(0);
        assertTrue(atInit.verdict().startsWith("does not hold"), atInit.verdict());
    }

    /** At lr 0.3 on raw pixels the units die and the loss sits at chance; at 0.01 and below none die. */
    @Test
    @SuppressWarnings("unchecked")
    void aLargeLearningRateKillsReluUnits() {
        Experiment.Result r = Experiments.named("dead-units").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        Map<String, Map<String, Object>> rates = (Map<String, Map<String, Object>>) r.numbers().get("rates");
        double[] dead = (double[]) rates.get("0.3").get("dead_share_by_epoch");
        for (int e = 1; e < dead.length; e++) assertTrue(dead[e] >= dead[e - 1] - 1e-12 || dead[e - 1] < 0.5, "dead units stay dead: " + e);
        double[] loss = (double[]) rates.get("0.3").get("train_loss_by_epoch");
        assertEquals(Math.log(10), loss[loss.length - 1], 0.05, "at chance");
        Experiment.Result gentle = new DeadUnits(0.001, 0.003, 0.01).run(0);
        assertTrue(gentle.verdict().startsWith("does not hold") && gentle.verdict().contains("only"), gentle.verdict());
    }

    /**
     * The run with early stopping follows the whole run epoch for epoch, so the weights it keeps have the whole run's
     * validation loss at that epoch, to the bit; a small network at a small rate is still improving when it ends.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aLargeNetworkOverfitsAndEarlyStoppingKeepsItsBestEpoch() {
        Experiment.Result r = Experiments.named("early-stopping").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        double[] val = (double[]) r.numbers().get("val_loss");
        Map<String, Object> early = (Map<String, Object>) r.numbers().get("early_stopping");
        int kept = (int) early.get("restored_epoch");
        assertEquals(val[kept - 1], (double) early.get("restored_val_loss"), 0);
        assertEquals(kept + EarlyStoppingExperiment.PATIENCE, (int) early.get("epochs_run"));
        int lowest = (int) r.numbers().get("lowest_val_loss_epoch");
        for (double v : val) assertTrue(v >= val[lowest - 1]);
        Experiment.Result small = new EarlyStoppingExperiment("mlp:2:tanh", "sgd:lr=0.001", 15).run(0);
        assertTrue(small.verdict().startsWith("does not hold") && small.verdict().contains("not well before the end"), small.verdict());
    }

    /** The smoothed run's gap ends near log(91) for eps 0.1 over 10 classes; a smoothing of 1e-6 puts the optimum past where training gets. */
    @Test
    void labelSmoothingBoundsTheLogitGap() {
        Experiment.Result r = Experiments.named("label-smoothing").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        assertEquals(Math.log(0.91 / 0.01), (double) r.numbers().get("optimal_gap_with_smoothing"), 1e-12);
        double[] smoothed = (double[]) r.numbers().get("smoothed_gap_by_epoch"), plain = (double[]) r.numbers().get("plain_gap_by_epoch");
        assertEquals(smoothed[0], plain[0], 0, "the same initialization");
        Experiment.Result tiny = new LabelSmoothing("mlp:128:relu", 1e-6).run(0);
        assertTrue(tiny.verdict().startsWith("does not hold"), tiny.verdict());
    }

    /** Moved targets drag squared error's fit on clean rows and not Huber's; unmoved (shift 0), the two agree and the claim has nothing to show. */
    @Test
    @SuppressWarnings("unchecked")
    void huberKeepsOutliersFromDraggingTheFit() {
        Experiment.Result r = Experiments.named("outliers").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        assertEquals(35, (int) r.numbers().get("corrupted_targets"), "a tenth of diabetes' 353 training rows");
        Map<String, Map<String, Map<String, Object>>> runs = (Map<String, Map<String, Map<String, Object>>>) r.numbers().get("runs");
        assertEquals(List.of("mse", "huber"), List.copyOf(runs.get("clean").keySet()));
        Experiment.Result unmoved = new Outliers(0).run(0);
        assertTrue(unmoved.verdict().startsWith("does not hold"), unmoved.verdict());
    }

    /**
     * The rates against their bounds, kappa against the eigenvalues of 2/n A'A assembled from the standardized
     * rows (A: the features and a column of ones) by EJML; steps 0.8 times the best fall short of the bounds.
     */
    @Test
    @SuppressWarnings("unchecked")
    void conditionNumberSetsTheRates() {
        Experiment.Result r = Experiments.named("condition-number").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        var d = dev.ravine.data.Datasets.load("diabetes", null, dev.ravine.data.Task.REGRESSION, dev.ravine.tensor.DType.FLOAT64).data();
        dev.ravine.data.Standardization.fit(d.x()).apply(d.x());
        int n = d.rows(), p = d.features() + 1;
        var a = new org.ejml.data.DMatrixRMaj(n, p);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p - 1; j++) a.set(i, j, d.x().get(i, j));
            a.set(i, p - 1, 1);
        }
        var h = new org.ejml.data.DMatrixRMaj(p, p);
        org.ejml.dense.row.CommonOps_DDRM.multTransA(2.0 / n, a, a, h);
        var eig = org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(p, false, true);
        assertTrue(eig.decompose(h));
        double lo = Double.MAX_VALUE, hi = 0;
        for (int k = 0; k < p; k++) {
            lo = Math.min(lo, eig.getEigenvalue(k).getReal());
            hi = Math.max(hi, eig.getEigenvalue(k).getReal());
        }
        assertEquals(hi / lo, (double) r.numbers().get("condition_number"), 1e-9 * hi / lo);
        assertEquals(p, (int) r.numbers().get("parameters"));
        Map<String, Object> gd = (Map<String, Object>) r.numbers().get("gradient_descent");
        double kappa = hi / lo;
        assertEquals((kappa - 1) / (kappa + 1), (double) gd.get("rate_bound"), 1e-12);
        assertEquals((double) gd.get("rate_bound"), (double) gd.get("measured_rate"), 1e-6, "the extreme eigenvalues set the rate exactly");
        Map<String, Object> cg = (Map<String, Object>) r.numbers().get("conjugate_gradients");
        assertTrue((int) cg.get("steps") <= p && (int) ((Map<String, Object>) r.numbers().get("heavy_ball")).get("steps") < (int) gd.get("steps"));
        // ravine's nonlinear cg takes linear CG's steps on a quadratic (its line search lands on each line's minimum) until the
        // last, where the search stops at a point the Wolfe conditions accept
        double[] linear = (double[]) cg.get("relative_error");
        double[] nonlinear = (double[]) ((Map<String, Object>) r.numbers().get("cg_minimizer")).get("relative_error");
        for (int k = 1; k < p - 1; k++) assertEquals(linear[k], nonlinear[k], 1e-6 * linear[k], "step " + k);
        assertTrue(nonlinear[p] < 1e-4 * nonlinear[p - 2], java.util.Arrays.toString(nonlinear));
        // exact line searches: per step no worse than the best fixed step's bound, and still thousands of steps, as kappa sets
        Map<String, Object> exact = (Map<String, Object>) r.numbers().get("exact_line_search");
        assertTrue((double) exact.get("measured_rate") <= (double) gd.get("rate_bound"), exact.toString());
        assertTrue((int) exact.get("steps") >= (int) gd.get("steps") / 2, exact + " against " + gd);
        Experiment.Result slow = new ConditionNumber(0.8).run(0);
        assertTrue(slow.verdict().startsWith("does not hold"), slow.verdict());
    }

    /**
     * Trained with and without --l2, the optimum's eigencomponents scale by lambda/(lambda + alpha); the weights'
     * Hessian block has the eigenvalues condition-number finds (without the bias's); a tiny alpha decays nothing.
     */
    @Test
    @SuppressWarnings("unchecked")
    void weightDecayShrinksFlatDirections() {
        Experiment.Result r = Experiments.named("weight-decay").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        double[] lambda = (double[]) r.numbers().get("eigenvalues"), measured = (double[]) r.numbers().get("measured_scale");
        for (int k = 0; k < lambda.length; k++) assertEquals(lambda[k] / (lambda[k] + 0.1), measured[k], 1e-6, "component " + k);
        Experiment.Result rates = Experiments.named("condition-number").run(0);
        assertEquals((double) rates.numbers().get("lambda_max"), lambda[lambda.length - 1], 1e-9);
        assertEquals((double) rates.numbers().get("lambda_min"), lambda[0], 1e-9);
        Map<String, Double> norms = (Map<String, Double>) r.numbers().get("weight_norm");
        assertTrue(norms.get("with_l2") < norms.get("without_l2"));
        Experiment.Result tiny = new WeightDecay(1e-4).run(0);
        assertTrue(tiny.verdict().startsWith("does not hold"), tiny.verdict());
    }

    /** With dropout 0.5 the network overfits later and less; with 0.01 it is the same run, near enough, and the claim has nothing to show. */
    @Test
    @SuppressWarnings("unchecked")
    void dropoutDelaysAndReducesOverfitting() {
        Experiment.Result r = Experiments.named("dropout").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        Map<String, double[]> val = (Map<String, double[]>) r.numbers().get("val_loss");
        Map<String, Double> last = (Map<String, Double>) r.numbers().get("last_val_loss");
        assertEquals(val.get("with_dropout")[99], last.get("with_dropout"), 0);
        Experiment.Result tiny = new DropoutExperiment(0.01).run(0);
        assertTrue(tiny.verdict().startsWith("does not hold"), tiny.verdict());
    }

    /** Batch and rate scaled by 4 and 16 track batch 32 at lr 0.02; from lr 0.2 the scaled rates leave the small-rate regime (3.2 diverges). */
    @Test
    @SuppressWarnings("unchecked")
    void batchAndRateScaleTogether() {
        Experiment.Result r = Experiments.named("linear-scaling").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        Map<String, Object> k16 = (Map<String, Object>) r.numbers().get("k16");
        assertEquals(512, (int) k16.get("batch"));
        assertEquals(0.32, (double) k16.get("scaled_lr"), 1e-15);
        Experiment.Result large = new LinearScaling(0.2).run(0);
        assertTrue(large.verdict().startsWith("does not hold") && large.verdict().contains("strayed"), large.verdict());
    }

    /** Batch norm trains at several times the plain network's largest rate; on a ladder of small rates both train and the claim has nothing to show. */
    @Test
    @SuppressWarnings("unchecked")
    void batchNormTrainsAtHigherRates() {
        Experiment.Result r = Experiments.named("batchnorm-rates").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        Map<String, double[]> accuracy = (Map<String, double[]>) r.numbers().get("val_accuracy");
        Map<String, Double> largest = (Map<String, Double>) r.numbers().get("largest_rate_that_trains");
        double[] rates = (double[]) r.numbers().get("rates"), plain = accuracy.get("without_batchnorm");
        for (int i = 0; i < rates.length; i++) assertEquals(rates[i] <= largest.get("without_batchnorm"), plain[i] >= 0.9, "lr " + rates[i]);
        Experiment.Result small = new BatchNormRates(new double[] {0.05, 0.1, 0.25}).run(0);
        assertTrue(small.verdict().startsWith("does not hold"), small.verdict());
    }

    /** 'all' runs each into its own folder and lists every claim with its verdict; it takes no --data, each experiment having its own. */
    @Test
    void allRunsEachAndListsTheVerdicts(@TempDir Path tmp) throws Exception {
        List<Experiment> two = List.of(Experiments.named("stability"), Experiments.named("momentum"));
        List<String> told = new java.util.ArrayList<>();
        var outcomes = Experiments.runAllInto(two, 0, tmp, o -> told.add(o.experiment().name()));
        assertEquals(List.of("stability", "momentum"), told);
        List<String> csv = Files.readAllLines(tmp.resolve("verdicts.csv"));
        assertEquals("experiment,holds,verdict", csv.get(0));
        assertEquals(3, csv.size());
        for (var o : outcomes) {
            assertTrue(o.holds(), o.result().verdict());
            assertTrue(Files.isRegularFile(tmp.resolve(o.experiment().name()).resolve("result.json")));
            assertTrue(csv.stream().anyMatch(l -> l.startsWith(o.experiment().name() + ",true,")), csv.toString());
        }
        String index = Files.readString(tmp.resolve("index.html"));
        assertTrue(index.contains("2 of 2 claims hold") && index.contains("<a href=\"momentum/report.html\">momentum</a>"), index);
        Cli.refuses("--data digits: each experiment of 'all' runs on its own data", "experiment", "all", "--data", "digits", "--out", Cli.NOWHERE);
    }

    /** At the loss both runs reach SAM's point is flatter; with a radius of 0.001 SAM is plain SGD and the claim has nothing to show. */
    @Test
    @SuppressWarnings("unchecked")
    void samStandsAtFlatterPointsAtTheSameLoss() {
        Experiment.Result r = Experiments.named("sharpness-aware").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        Map<String, double[]> loss = (Map<String, double[]>) r.numbers().get("training_loss_by_epoch"),
                sharpness = (Map<String, double[]>) r.numbers().get("lambda_max_by_epoch");
        double[] plain = loss.get("without_sam"), aware = loss.get("with_sam");
        assertEquals(plain[0], aware[0], 0, "the same initialization");
        assertEquals(sharpness.get("without_sam")[0], sharpness.get("with_sam")[0], 0);
        assertEquals(Math.max(plain[plain.length - 1], aware[aware.length - 1]), (double) r.numbers().get("matched_training_loss"), 0);
        Map<String, Integer> reached = (Map<String, Integer>) r.numbers().get("epoch_reaching_matched_loss");
        Map<String, Double> at = (Map<String, Double>) r.numbers().get("lambda_max_at_matched_loss");
        for (String run : List.of("without_sam", "with_sam")) { // interpolated between the epochs around the crossing
            double[] s = sharpness.get(run);
            int e = reached.get(run);
            assertTrue(at.get(run) >= Math.min(s[e - 1], s[e]) && at.get(run) <= Math.max(s[e - 1], s[e]), run);
        }
        Experiment.Result tiny = new SharpnessAware("mlp:128:relu", "sgd:lr=0.1", 0.001).run(0);
        assertTrue(tiny.verdict().startsWith("does not hold"), tiny.verdict());
    }

    /** With pixels in [0, 1] the gradient goes into the top-10 eigenspace; standardized, it does not. */
    @Test
    void theGradientLivesInTheTopEigenspace() {
        Experiment.Result r = Experiments.named("gradient-subspace").run(0);
        assertTrue(r.verdict().startsWith("holds"), r.verdict());
        assertEquals(10.0 / (int) r.numbers().get("parameters"), (double) r.numbers().get("random_subspace_share"), 1e-15);
        Experiment.Result standardized = new GradientSubspace(dev.ravine.data.Scaling.ON).run(0);
        assertTrue(standardized.verdict().startsWith("does not hold"), standardized.verdict());
    }

    /**
     * --data runs an experiment on another data set and records it; an experiment on a test function refuses data, a
     * classifier's experiment refuses a regression set, and a full spectrum too large to compute is refused by name.
     */
    @Test
    void experimentsRunOnTheDataTheUserNames(@TempDir Path tmp) throws Exception {
        Cli digits = Cli.run("experiment", "convexity", "--data", "digits", "--out", tmp.resolve("c").toString());
        assertEquals(0, digits.exit(), digits::toString);
        JsonNode result = new ObjectMapper().readTree(tmp.resolve("c/result.json").toFile());
        assertEquals("digits", result.get("data").asText());
        assertTrue(result.get("verdict").asText().startsWith("holds"), result.toString());
        Cli onFunction = Cli.run("experiment", "momentum", "--data", "digits", "--out", tmp.resolve("m").toString());
        assertEquals(2, onFunction.exit());
        assertEquals("ravine: --data digits: experiment momentum runs on a test function and takes no data\n", onFunction.err());
        Cli regression = Cli.run("experiment", "saddles", "--data", "diabetes", "--out", tmp.resolve("s").toString());
        assertEquals(2, regression.exit());
        assertTrue(regression.err().startsWith("ravine: --data diabetes: experiment saddles trains a classifier"), regression.err());
        StringBuilder csv = new StringBuilder();
        for (int j = 0; j < 400; j++) csv.append('f').append(j).append(',');
        csv.append("label\n");
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 400; j++) csv.append(random.nextInt(5)).append(',');
            csv.append(i % 2).append('\n');
        }
        Path wide = tmp.resolve("wide.csv");
        Files.writeString(wide, csv);
        Cli tooBig = Cli.run("experiment", "spectrum-profile", "--data", wide.toString(), "--out", tmp.resolve("p").toString());
        assertEquals(2, tooBig.exit());
        assertTrue(tooBig.err().contains("6450 parameters (at most 5000"), tooBig.err());
        assertTrue(!Files.exists(tmp.resolve("p")), "no partial output");
        StringBuilder tall = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 7000; i++) tall.append(random.nextDouble()).append(',').append(random.nextDouble()).append(',').append(i % 2).append('\n');
        Path many = tmp.resolve("tall.csv");
        Files.writeString(many, tall);
        Cli notFullBatch = Cli.run("experiment", "edge-of-stability", "--data", many.toString(), "--out", tmp.resolve("e").toString());
        assertEquals(2, notFullBatch.exit());
        assertTrue(notFullBatch.err().contains("full-batch steps of at most 5000 rows, and this data set trains on 5600"), notFullBatch.err());
    }
}
