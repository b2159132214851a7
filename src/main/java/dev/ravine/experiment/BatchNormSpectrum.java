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
 * Ghorbani et al. (2019): as a network trains, a few large eigenvalues separate from the bulk of its Hessian's
 * spectrum, and they set the largest stable learning rate; with batch norm, in training mode (each batch normalized
 * by its own statistics, the loss training descends), those outliers are nearly absent. On digits (standardized),
 * the same ReLU MLP with and without batch norm, from the same seed, {@code steps} steps of full-batch gradient
 * descent (the batch is every row, so training mode is exact); then the exact Hessian's every eigenvalue. The
 * outliers are measured two ways: the share of the positive spectrum's mass in the top k = classes eigenvalues, and
 * lambda_1 / lambda_(k+1), the gap between the top one and the bulk's edge.
 */
public final class BatchNormSpectrum implements Experiment {
    static final String MODEL = "mlp:16-16:relu";
    static final double LR = 0.3;
    private final int steps;

    public BatchNormSpectrum() {
        this(300);
    }

    /** Steps of gradient descent before the spectra are taken (at 0, initialization, no outliers have grown yet). */
    public BatchNormSpectrum(int steps) {
        this.steps = steps;
    }

    @Override
    public String name() {
        return "batchnorm";
    }

    @Override
    public String claim() {
        return "batch norm, in training mode, removes the large outlier eigenvalues that training grows in a network's Hessian (Ghorbani et al. 2019)";
    }

    /** One network's spectrum after training, and what the outliers measure. */
    record Measured(double loss, double[] eigenvalues, double topShare, double gap) {
        double lambdaMax() {
            return eigenvalues[eigenvalues.length - 1];
        }
    }

    private Measured measure(Dataset d, String data, boolean batchNorm, long seed) {
        Mlp mlp = new Mlp(MlpSpec.parse(MODEL), d.features(), d.outputs(), DType.FLOAT64, d.rows(), null, batchNorm, true);
        Init.TORCH.apply(mlp, seed);
        mlp.batchNormWithBatchStatistics(true);
        Experiment.fitsFullSpectrum(name(), data, mlp.network.parameterCount());
        FullBatchObjective objective = new FullBatchObjective(mlp.network, new SoftmaxCrossEntropy(), d, null, false);
        double[] w = objective.parameters(), g = new double[w.length];
        for (int k = 0; k < steps; k++) {
            objective.valueAndGradient(w, g);
            for (int i = 0; i < w.length; i++) w[i] -= LR * g[i];
        }
        double loss = objective.valueAndGradient(w, g);
        double[] ev = Experiment.everyEigenvalue(name(), data, LinearOperator.hessian(objective, w));
        int n = ev.length, k = d.outputs();
        double positive = 0, top = 0;
        for (int i = 0; i < n; i++) {
            positive += Math.max(ev[i], 0);
            if (i >= n - k) top += ev[i];
        }
        return new Measured(loss, ev, top / positive, ev[n - 1] / ev[n - 1 - k]);
    }

    @Override
    public String data() {
        return "digits";
    }

    @Override
    public Result run(long seed, String data) {
        Dataset d = Experiment.standardizedClassification(name(), data);
        Measured plain = measure(d, data, false, seed), bn = measure(d, data, true, seed);
        int k = d.outputs();
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("model", MODEL);
        numbers.put("gradient_descent_steps", steps);
        numbers.put("lr", LR);
        numbers.put("k", k);
        for (var e : Experiment.<Measured>inOrder("without_batchnorm", plain, "with_batchnorm", bn).entrySet()) {
            Measured m = e.getValue();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("parameters", m.eigenvalues().length);
            r.put("train_loss", m.loss());
            r.put("lambda_max", m.lambdaMax());
            r.put("max_stable_lr", 2 / m.lambdaMax());
            r.put("top_k_share_of_positive_mass", m.topShare());
            r.put("lambda_1_over_lambda_k_plus_1", m.gap());
            r.put("top_" + (3 * k), java.util.Arrays.copyOfRange(m.eigenvalues(), m.eigenvalues().length - 3 * k, m.eigenvalues().length));
            numbers.put(e.getKey(), r);
        }
        List<String> wrong = new java.util.ArrayList<>();
        if (!(bn.topShare() < plain.topShare()))
            wrong.add(String.format(Locale.ROOT, "the top %d eigenvalues carry %.1f%% of the positive mass with batch norm, against %.1f%% without", k,
                    100 * bn.topShare(), 100 * plain.topShare()));
        if (!(bn.gap() < plain.gap()))
            wrong.add(String.format(Locale.ROOT, "lambda_1 / lambda_%d is %.3g with batch norm, against %.3g without", k + 1, bn.gap(), plain.gap()));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "after %d steps the top %d eigenvalues carry %.1f%% of the positive "
                + "mass without batch norm and %.1f%% with it, lambda_1 / lambda_%d falls from %.3g to %.3g; 2/lambda_max is %.3g without and %.3g "
                + "with (batch norm rescales the curvature too)", steps, k, 100 * plain.topShare(), 100 * bn.topShare(), k + 1, plain.gap(), bn.gap(),
                2 / plain.lambdaMax(), 2 / bn.lambdaMax()));
        LineChart c = new LineChart("Top of the Hessian spectrum / lambda_max, " + steps + " GD steps",
                "rank (1 = largest)", "lambda_i / lambda_max", "Without batch norm a few eigenvalues stand apart from the rest; with it the top of the "
                        + "spectrum falls off gently into the bulk.");
        for (var e : Experiment.<Measured>inOrder("without batch norm", plain, "with batch norm (train mode)", bn).entrySet()) {
            double[] ev = e.getValue().eigenvalues();
            int shown = 5 * k;
            double[] rank = new double[shown], rel = new double[shown];
            for (int i = 0; i < shown; i++) {
                rank[i] = i + 1;
                rel[i] = ev[ev.length - 1 - i] / ev[ev.length - 1];
            }
            c.add(e.getKey(), rank, rel);
        }
        return new Result(verdict, numbers, List.of(c));
    }
}
