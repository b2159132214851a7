package dev.ravine.experiment;

import dev.ravine.curvature.LinearOperator;
import dev.ravine.data.Scaling;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.train.Divergence;
import dev.ravine.train.FullBatchObjective;
import dev.ravine.train.Penalty;
import dev.ravine.train.RunSettings;
import dev.ravine.train.Threads;
import dev.ravine.train.TrainConfig;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;

/**
 * L2 regularization as the lectures analyse it (Goodfellow et al. 2016, section 7.1.1): near the unregularized
 * optimum w* the loss is the quadratic (w - w*)' H (w - w*) / 2, and adding alpha/2 |w|^2 moves the optimum to
 * (H + alpha I)^-1 H w*. Along each eigenvector q_i of H (eigenvalue lambda_i) the component of w* is scaled by
 * lambda_i / (lambda_i + alpha): where the loss curves much (lambda_i &gt;&gt; alpha) the weights stay, where it
 * hardly curves (lambda_i &lt;&lt; alpha) they decay away, since moving them costs the loss little. For least
 * squares the quadratic is exact. Here linear regression on standardized features (whose zero means keep the
 * unpenalized bias out of the weights' block of H) is trained to its optimum by full-batch L-BFGS, once with
 * {@code --l2 alpha} and once without, and each eigencomponent's measured scale is set beside the formula's.
 */
public final class WeightDecay implements Experiment {
    static final double ALPHA = 0.1;
    /** The measured scales match the formula's to this (the optimizers' convergence, not the formula, sets it). */
    static final double MATCH = 1e-6;
    /** The stiffest direction keeps more than KEPT of its component, the flattest less than DECAYED. */
    static final double KEPT = 0.9, DECAYED = 0.5;
    private final double alpha;

    public WeightDecay() {
        this(ALPHA);
    }

    public WeightDecay(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public String name() {
        return "weight-decay";
    }

    @Override
    public String claim() {
        return "L2 regularization alpha/2 |w|^2 scales the optimum's component along each Hessian eigenvector by lambda/(lambda + alpha): "
                + "weights along high-curvature directions stay, along flat ones they decay (Goodfellow et al. 2016, section 7.1.1)";
    }

    @Override
    public String data() {
        return "diabetes";
    }

    /** The trained linear model's weights (without the bias) and the run, for its Hessian. */
    private record Fit(double[] weights, TrainingRun run) {
    }

    private Fit fit(String data, double l2, long seed) {
        TrainConfig loop = new TrainConfig(5, 32, false, seed, null, false, Double.NaN, Double.NaN, new Penalty(0, l2), null, Divergence.STOP, null, null,
                null);
        TrainingRun run = new TrainingRun(new RunSettings(data, null, "regression", "mlp::identity", false, // no hidden layer: linear regression
                "lbfgs:max_iter=200,history_size=20,tolerance_grad=1e-13,tolerance_change=1e-16,line_search_fn=strong_wolfe", "zeros", DType.FLOAT64,
                Threads.available(), 0, Scaling.ON, loop, null, List.of(), 0));
        run.train(new Trainer.Listener() {
        });
        double[] all = run.model.network.parameters().toDoubleArray();
        return new Fit(java.util.Arrays.copyOf(all, all.length - 1), run); // 0.weight, then 0.bias
    }

    @Override
    public Result run(long seed, String data) {
        Fit plain = fit(data, 0, seed), decayed = fit(data, alpha, seed);
        int p = plain.weights().length;
        // the weights' block of the (constant) Hessian of the unpenalized loss: all but the bias's last row and column
        FullBatchObjective objective = new FullBatchObjective(plain.run().model.network, plain.run().loss, plain.run().split.train());
        double[][] h = LinearOperator.hessian(objective, objective.parameters()).matrix();
        DMatrixRMaj block = new DMatrixRMaj(p, p);
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++) block.set(i, j, h[i][j]);
        var eig = DecompositionFactory_DDRM.eig(p, true, true);
        if (!eig.decompose(block)) throw new IllegalStateException("eigendecomposition of the Hessian failed");
        Integer[] order = new Integer[p];
        for (int k = 0; k < p; k++) order[k] = k;
        java.util.Arrays.sort(order, (a, b) -> Double.compare(eig.getEigenvalue(a).getReal(), eig.getEigenvalue(b).getReal()));
        double[] lambda = new double[p], measured = new double[p], predicted = new double[p];
        double worst = 0;
        for (int k = 0; k < p; k++) {
            var q = eig.getEigenVector(order[k]);
            double along = 0, alongDecayed = 0;
            for (int i = 0; i < p; i++) {
                along += q.get(i) * plain.weights()[i];
                alongDecayed += q.get(i) * decayed.weights()[i];
            }
            lambda[k] = eig.getEigenvalue(order[k]).getReal();
            predicted[k] = lambda[k] / (lambda[k] + alpha);
            measured[k] = alongDecayed / along;
            worst = Math.max(worst, Math.abs(measured[k] - predicted[k]) * Math.abs(along) / norm(plain.weights()));
        }
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("data", data);
        numbers.put("l2", alpha);
        numbers.put("eigenvalues", lambda);
        numbers.put("predicted_scale", predicted);
        numbers.put("measured_scale", measured);
        numbers.put("largest_deviation", worst);
        numbers.put("weight_norm", Experiment.inOrder("without_l2", norm(plain.weights()), "with_l2", norm(decayed.weights())));
        List<String> wrong = new ArrayList<>();
        if (!(worst <= MATCH))
            wrong.add(String.format(Locale.ROOT, "the measured components differ from lambda/(lambda + alpha) w* by up to %.2g of |w*|", worst));
        if (!(measured[p - 1] > KEPT && measured[0] < DECAYED))
            wrong.add(String.format(Locale.ROOT, "the stiffest direction kept %.3f of its component and the flattest %.3f, not more than %s and less "
                    + "than %s", measured[p - 1], measured[0], KEPT, DECAYED));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "with alpha = %s the component along the stiffest direction "
                        + "(lambda = %.3g) keeps %.3f of itself and the flattest (lambda = %.3g) %.3f, each as lambda/(lambda + alpha) gives it to %.1g of |w*|",
                alpha, lambda[p - 1], measured[p - 1], lambda[0], measured[0], worst));
        LineChart c = new LineChart("L2 = " + alpha + " on " + data + ": each Hessian eigencomponent of the optimum, scaled", "Hessian eigenvalue lambda",
                "(q . w_L2) / (q . w*)", "Each point one eigenvector of the loss's Hessian; the curve lambda/(lambda + alpha). Flat directions "
                        + "(small lambda) are decayed; stiff ones are kept.").logX().legendBelow();
        double lo = lambda[0] / 2, hi = lambda[p - 1] * 2;
        int points = 100;
        double[] x = new double[points], y = new double[points];
        for (int i = 0; i < points; i++) {
            x[i] = lo * Math.pow(hi / lo, i / (points - 1.0));
            y[i] = x[i] / (x[i] + alpha);
        }
        c.add("lambda / (lambda + alpha)", x, y);
        c.addPoints("measured", lambda, measured);
        return new Result(verdict, numbers, List.of(c));
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return Math.sqrt(s);
    }
}
