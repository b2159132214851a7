package dev.ravine.experiment;

import dev.ravine.curvature.UnitHealth;
import dev.ravine.data.Dataset;
import dev.ravine.nn.Init;
import dev.ravine.nn.Mlp;
import dev.ravine.nn.MlpSpec;
import dev.ravine.nn.SoftmaxCrossEntropy;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.train.FullBatchObjective;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Hidden units that start identical (the same incoming weights and bias, the same outgoing weights) get identical
 * gradients, so gradient descent keeps them identical forever: the layer acts as one unit. Zero initialization is
 * the extreme case. A tiny random perturbation breaks the symmetry and the units grow apart. The other symmetry
 * does not go away: permuting the hidden units gives the same function and the same loss at another point, and
 * the midpoint of the two points is worse than either, which a convex loss cannot be (shown on a network trained from
 * an ordinary random start). On breast_cancer
 * (standardized), 8 tanh units, {@code STEPS} full-batch gradient steps; "identical" is read from
 * {@link UnitHealth}'s duplicate groups, bit for bit.
 */
public final class Symmetry implements Experiment {
    static final int UNITS = 8, STEPS = 300;
    static final double LR = 0.5;
    private final double perturbation;

    public Symmetry() {
        this(1e-6);
    }

    /** The size of the random perturbation added to identical initial weights. */
    public Symmetry(double perturbation) {
        this.perturbation = perturbation;
    }

    @Override
    public String name() {
        return "symmetry";
    }

    @Override
    public String claim() {
        return "identical or zero initial units stay identical under gradient descent and a tiny perturbation breaks the symmetry; permuting "
                + "hidden units keeps the loss, and averaging two permutations is worse, so the loss is not convex";
    }

    @Override
    public String data() {
        return "breast_cancer";
    }

    @Override
    public Result run(long seed, String data) {
        Dataset d = Experiment.standardizedClassification(name(), data);
        Mlp mlp = new Mlp(MlpSpec.parse("mlp:" + UNITS + ":tanh"), d.features(), d.outputs(), DType.FLOAT64, d.rows());
        FullBatchObjective objective = new FullBatchObjective(mlp.network, new SoftmaxCrossEntropy(), d, null, false);
        int in = d.features(), out = d.outputs(), w1 = mlp.network.parameterOffset(0), b1 = w1 + UNITS * in, w2 = mlp.network.parameterOffset(2);

        Init.HE.apply(mlp, seed);
        double[] identical = objective.parameters();
        for (int u = 1; u < UNITS; u++) { // every unit a copy of unit 0
            System.arraycopy(identical, w1, identical, w1 + u * in, in);
            identical[b1 + u] = identical[b1];
            for (int o = 0; o < out; o++) identical[w2 + o * UNITS + u] = identical[w2 + o * UNITS];
        }
        double[] perturbed = identical.clone();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = w1; i < b1; i++) perturbed[i] += perturbation * (2 * r.nextDouble() - 1);
        double[] zeros = new double[identical.length];
        Init.HE.apply(mlp, seed + 1);
        double[] random = objective.parameters(); // an ordinary start, for the permutation symmetry

        LineChart spread = new LineChart("Hidden units growing apart", "gradient step", "largest distance between two units' incoming weights",
                "Identical units get identical gradients and stay at distance 0 (not drawn on the log axis); a perturbation of " + perturbation
                        + " grows into distinct features.").logY();
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("units", UNITS);
        numbers.put("steps", STEPS);
        numbers.put("perturbation", perturbation);
        int[] groups = new int[4];
        double[] startDistance = new double[4], endDistance = new double[4];
        double[][] starts = {zeros, identical, perturbed, random};
        String[] labels = {"zeros", "identical", "perturbed", "random"};
        double[] trained = null;
        for (int s = 0; s < starts.length; s++) {
            double[] w = starts[s].clone(), g = new double[w.length], step = new double[STEPS + 1], dist = new double[STEPS + 1];
            for (int k = 0; k <= STEPS; k++) {
                step[k] = k;
                dist[k] = largestDistance(w, w1, in);
                if (k == STEPS) break;
                objective.valueAndGradient(w, g);
                for (int i = 0; i < w.length; i++) w[i] -= LR * g[i];
            }
            objective.load(w);
            UnitHealth.Hidden h = UnitHealth.of(mlp.network, d).layers().get(0);
            int largest = h.duplicates().stream().mapToInt(List::size).max().orElse(1);
            groups[s] = largest;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("largest_group_of_identical_units", largest);
            m.put("largest_distance_between_units_at_start", dist[0]);
            m.put("largest_distance_between_units", dist[STEPS]);
            startDistance[s] = dist[0];
            endDistance[s] = dist[STEPS];
            m.put("loss", objective.valueAndGradient(w, g));
            numbers.put(labels[s], m);
            if (s == 1 || s == 2) spread.add(labels[s], step, dist);
            if (s == 3) trained = w;
        }
        // the permutation symmetry, on the network trained from an ordinary start: reverse the hidden units
        double[] permuted = trained.clone();
        for (int u = 0; u < UNITS; u++) {
            int v = UNITS - 1 - u;
            System.arraycopy(trained, w1 + v * in, permuted, w1 + u * in, in);
            permuted[b1 + u] = trained[b1 + v];
            for (int o = 0; o < out; o++) permuted[w2 + o * UNITS + u] = trained[w2 + o * UNITS + v];
        }
        double[] g = new double[trained.length];
        double end = objective.valueAndGradient(trained, g), other = objective.valueAndGradient(permuted, g);
        double[] mid = new double[trained.length];
        for (int i = 0; i < mid.length; i++) mid[i] = 0.5 * (trained[i] + permuted[i]);
        double midpoint = objective.valueAndGradient(mid, g);
        numbers.put("trained_loss", end);
        numbers.put("permuted_loss", other);
        numbers.put("midpoint_loss", midpoint);

        List<String> wrong = new java.util.ArrayList<>();
        if (groups[0] != UNITS) wrong.add("zero-initialized units came apart (largest identical group " + groups[0] + " of " + UNITS + ")");
        if (groups[1] != UNITS) wrong.add("identical units came apart (largest identical group " + groups[1] + " of " + UNITS + ")");
        if (groups[2] != 1) wrong.add("the perturbed units stayed identical (a group of " + groups[2] + ")");
        else if (!(endDistance[2] > 10 * startDistance[2]))
            wrong.add(String.format(Locale.ROOT, "the perturbed units did not grow apart (%.3g at the start, %.3g at the end)", startDistance[2], endDistance[2]));
        if (Math.abs(other - end) > 1e-12 * Math.abs(end)) wrong.add(String.format(Locale.ROOT, "the permuted network's loss %.15g differs from %.15g", other, end));
        if (!(midpoint > Math.max(end, other) * (1 + 1e-6))) wrong.add(String.format(Locale.ROOT, "the midpoint's loss %.6g is not above the ends' %.6g",
                midpoint, end));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "zero and identical units stay %d identical units after %d steps, a "
                + "perturbation of %.0e grows %.0f-fold, the permuted network has the same loss %.6f, and their midpoint's loss is %.6f", UNITS, STEPS,
                perturbation, endDistance[2] / startDistance[2], end, midpoint));
        return new Result(verdict, numbers, List.of(spread));
    }

    /** The largest Euclidean distance between two hidden units' incoming weight vectors. */
    private static double largestDistance(double[] w, int w1, int in) {
        double best = 0;
        for (int u = 0; u < UNITS; u++)
            for (int v = u + 1; v < UNITS; v++) {
                double s = 0;
                for (int j = 0; j < in; j++) {
                    double e = w[w1 + u * in + j] - w[w1 + v * in + j];
                    s += e * e;
                }
                best = Math.max(best, Math.sqrt(s));
            }
        return best;
    }
}
