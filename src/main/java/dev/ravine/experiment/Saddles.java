package dev.ravine.experiment;

import dev.ravine.curvature.LinearOperator;
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

/**
 * Dauphin et al. (2014): in a network's loss the critical points met early in training are saddles, not minima.
 * Every network has one at zero weights; from a small initialization near it, full-batch gradient descent on
 * breast_cancer (standardized) starts where negative eigenvalues carry a large share of the Hessian's spectrum
 * (sum of |lambda| over the negative ones, against all), and leaves that region as the loss falls. The full
 * spectrum of the exact Hessian every {@code EVERY} steps, beside the gradient norm; the count of eigenvalues below
 * -1e-3 lambda_max is reported too. A model without a hidden layer has a convex loss and no negative curvature.
 */
public final class Saddles implements Experiment {
    static final int STEPS = 600, EVERY = 50;
    static final double LR = 0.5, INIT_SCALE = 0.05;
    /** Below -this x lambda_max an eigenvalue is negative curvature that matters, not the near-zero bulk. */
    static final double NEGATIVE = 1e-3;
    /** A saddle region: negative eigenvalues carry at least this share of sum |lambda|. */
    static final double SADDLE = 0.2;
    private final String model;

    public Saddles() {
        this("mlp:16:tanh");
    }

    public Saddles(String model) {
        this.model = model;
    }

    @Override
    public String name() {
        return "saddles";
    }

    @Override
    public String claim() {
        return "early in training gradient descent passes a saddle: negative eigenvalues carry much of the Hessian's spectrum near the "
                + "small initial weights, and that share falls as the loss does";
    }

    @Override
    public String data() {
        return "breast_cancer";
    }

    @Override
    public Result run(long seed, String data) {
        Dataset d = Experiment.standardizedClassification(name(), data);
        Mlp mlp = new Mlp(MlpSpec.parse(model), d.features(), d.outputs(), DType.FLOAT64, d.rows());
        Init.HE.apply(mlp, seed);
        FullBatchObjective objective = new FullBatchObjective(mlp.network, new SoftmaxCrossEntropy(), d, null, false);
        double[] w = objective.parameters(), g = new double[w.length];
        for (int i = 0; i < w.length; i++) w[i] *= INIT_SCALE; // close to the saddle every network has at zero
        int points = STEPS / EVERY + 1;
        double[] step = new double[points], share = new double[points], gradNorm = new double[points], loss = new double[points],
                lowest = new double[points], mass = new double[points];
        for (int k = 0, p = 0; k <= STEPS; k++) {
            double f = objective.valueAndGradient(w, g);
            if (k % EVERY == 0) {
                double[] ev = Experiment.everyEigenvalue(name(), data, LinearOperator.hessian(objective, w));
                double top = Math.max(Math.abs(ev[0]), Math.abs(ev[ev.length - 1]));
                int negative = 0;
                double below = 0, all = 0;
                for (double v : ev) {
                    if (v < -NEGATIVE * top) negative++;
                    if (v < 0) below -= v;
                    all += Math.abs(v);
                }
                mass[p] = below / all;
                step[p] = k;
                share[p] = negative / (double) ev.length;
                lowest[p] = ev[0] / top;
                double gg = 0;
                for (double v : g) gg += v * v;
                gradNorm[p] = Math.sqrt(gg);
                loss[p++] = f;
            }
            if (k < STEPS) for (int i = 0; i < w.length; i++) w[i] -= LR * g[i];
        }
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("model", model);
        numbers.put("parameters", w.length);
        numbers.put("steps", step);
        numbers.put("loss", loss);
        numbers.put("gradient_norm", gradNorm);
        numbers.put("negative_eigenvalue_share", share);
        numbers.put("negative_share_of_spectral_mass", mass);
        numbers.put("lowest_eigenvalue_over_largest", lowest);
        List<String> wrong = new java.util.ArrayList<>();
        if (!(mass[0] > SADDLE)) wrong.add(String.format(Locale.ROOT, "at the start negative eigenvalues carry only %.1f%% of the spectrum", 100 * mass[0]));
        if (!(mass[points - 1] < mass[0] / 2))
            wrong.add(String.format(Locale.ROOT, "the negative share of the spectrum did not fall by half (%.3f at the start, %.3f at the end)", mass[0],
                    mass[points - 1]));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "at the start negative eigenvalues carry %.0f%% of the spectrum "
                        + "(|lambda| summed; gradient norm %.3g), a saddle region, and %.0f%% after %d steps as the loss falls from %.3f to %.3f",
                100 * mass[0], gradNorm[0], 100 * mass[points - 1], STEPS, loss[0], loss[points - 1]));
        LineChart c = new LineChart("Negative curvature along gradient descent (" + model + ")", "step", "share of negative Hessian eigenvalues",
                "Where the gradient is small and this share is above zero the point is a saddle, not a minimum: a direction downhill "
                        + "remains, which gradient descent finds only slowly.");
        c.add("negative share of sum |lambda|", step, mass);
        c.add("share of eigenvalues below -1e-3 lambda_max", step, share);
        LineChart n = new LineChart("Gradient norm and loss", "step", "(log)", "Small gradients early on are plateaus around saddles.").logY();
        n.add("gradient norm", step, gradNorm);
        n.add("loss", step, loss);
        return new Result(verdict, numbers, List.of(c, n));
    }
}
