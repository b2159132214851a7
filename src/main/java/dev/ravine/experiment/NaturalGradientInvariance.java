package dev.ravine.experiment;

import dev.ravine.curvature.LinearOperator;
import dev.ravine.curvature.TopEigen;
import dev.ravine.data.Dataset;
import dev.ravine.data.Datasets;
import dev.ravine.data.Standardization;
import dev.ravine.data.Task;
import dev.ravine.nn.Init;
import dev.ravine.nn.Mlp;
import dev.ravine.nn.MlpSpec;
import dev.ravine.nn.MeanSquaredError;
import dev.ravine.optim.Minimizer;
import dev.ravine.optim.Minimizers;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.train.FullBatchObjective;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The natural gradient does not depend on how the model is parametrized (Amari 1998; Martens 2020, section 12): its
 * step -F^-1 g is steepest descent in the distance between the model's output distributions, which no change of
 * coordinates alters (F and g transform so that the step in function space stays the same), while the plain
 * gradient's steepest descent is in the parameters' Euclidean distance. Linear regression on standardized diabetes
 * (a Gaussian model: its Fisher is X'X, which least squares' Hessian equals, so here the natural gradient is also
 * Newton's direction) is trained twice from the same function: once as it is, once with feature j multiplied by s_j
 * (from 1/spread to spread) and its weight divided by s_j, the same model in other coordinates. Natural gradient
 * descent at rate 0.5 (true Fisher, a 1e-9 damping, conjugate gradients to convergence) takes the same steps on
 * both, each cutting the excess loss by 1/4: the losses agree at every step. Gradient descent, each at its own
 * largest safe rate 1/lambda_max of the Hessian at the start, crawls in the rescaled coordinates. With a hidden tanh
 * layer the Fisher is nearly singular, the damping (I in either coordinates, so not the same matrix) sets the long
 * steps along its flattest directions, and the two runs part from the first step: the invariance is the undamped
 * step's, which a full-rank Fisher lets the damping leave alone.
 */
public final class NaturalGradientInvariance implements Experiment {
    static final int NGD_STEPS = 10, GD_STEPS = 200;
    static final String NGD = "ngd:lr=0.5,damping=1e-9,cg_iters=1000";
    /** The two parametrizations' natural-gradient losses agree to this, relative, at every step. */
    static final double SAME = 1e-6;
    /** Gradient descent's loss after its steps in the rescaled coordinates at least this many times the plain one's. */
    static final double SLOWER = 2;
    private final double spread;
    private final String model;

    public NaturalGradientInvariance() {
        this(100, null);
    }

    /**
     * The features' scales run from 1/{@code spread} to {@code spread} (at 1 the two problems are one), on {@code model}
     * (null: linear regression, no hidden layer).
     */
    public NaturalGradientInvariance(double spread, String model) {
        this.spread = spread;
        this.model = model;
    }

    @Override
    public String name() {
        return "natural-gradient";
    }

    @Override
    public String claim() {
        return "natural gradient descent is invariant to the model's parametrization: rescaling the inputs (and the weights against them) leaves "
                + "its losses unchanged step for step, while gradient descent, even at its own largest safe rate, slows down (Amari 1998)";
    }

    @Override
    public String data() {
        return "diabetes";
    }

    /** Feature j's scale: spread^(-1), ..., spread^(+1) in turn, five levels. */
    double scale(int j) {
        return Math.pow(spread, (j % 5 - 2) / 2.0);
    }

    @Override
    public Result run(long seed, String data) {
        Dataset plain = Datasets.load(data, null, Task.REGRESSION, DType.FLOAT64).data();
        Standardization.fit(plain.x()).apply(plain.x());
        int features = plain.features();
        int[] all = java.util.stream.IntStream.range(0, plain.rows()).toArray();
        Dataset scaled = plain.select(all);
        for (int i = 0; i < scaled.rows(); i++)
            for (int j = 0; j < features; j++) scaled.x().set(i, j, scaled.x().get(i, j) * scale(j));
        Mlp mlpA = mlp(plain, seed);
        FullBatchObjective a = new FullBatchObjective(mlpA.network, new MeanSquaredError(), plain, null, false);
        FullBatchObjective b = new FullBatchObjective(mlp(scaled, seed).network, new MeanSquaredError(), scaled, null, false);
        double[] startA = a.parameters(), startB = startA.clone();
        // the same function in the new coordinates: the first layer's weight on feature j divided by its scale
        for (int u = 0, units = mlpA.network.layers().get(0).outputWidth(); u < units; u++)
            for (int j = 0; j < features; j++) startB[u * features + j] /= scale(j);
        double[] ngdA = ngd(a, startA), ngdB = ngd(b, startB);
        double worst = 0;
        for (int k = 0; k < ngdA.length; k++) worst = Math.max(worst, Math.abs(ngdA[k] - ngdB[k]) / ngdA[k]);
        double lrA = 1 / new TopEigen.Follower(1e-10).next(LinearOperator.hessian(a, startA)), lrB = 1 / new TopEigen.Follower(1e-10).next(LinearOperator.hessian(b, startB));
        double[] gdA = descent(a, startA, lrA), gdB = descent(b, startB, lrB);
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("feature_scales", java.util.stream.IntStream.range(0, features).mapToDouble(this::scale).toArray());
        numbers.put("natural_gradient", Experiment.inOrder("optimizer", NGD, "loss", ngdA, "loss_rescaled", ngdB, "largest_relative_difference", worst));
        numbers.put("gradient_descent", Experiment.inOrder("lr", lrA, "lr_rescaled", lrB, "loss", gdA, "loss_rescaled", gdB));
        List<String> wrong = new ArrayList<>();
        if (!(worst <= SAME))
            wrong.add(String.format(Locale.ROOT, "natural gradient descent's losses differ by up to %.2g between the two parametrizations", worst));
        double endA = gdA[GD_STEPS], endB = gdB[GD_STEPS];
        if (!(endB > SLOWER * endA))
            wrong.add(String.format(Locale.ROOT, "gradient descent ends at %.4g in the rescaled coordinates against %.4g, not slower", endB, endA));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "natural gradient descent's %d losses agree to %.1e in the two "
                + "parametrizations (%.4g to %.4g); gradient descent at 1/lambda_max ends %d steps at %.4g as it is and %.4g rescaled", NGD_STEPS, worst,
                ngdA[0], ngdA[NGD_STEPS], GD_STEPS, endA, endB));
        LineChart c = new LineChart("The same model in two coordinate systems", "step", "training loss (log)", "Natural gradient steps "
                + "depend only on the function, so its two runs lie on one curve; gradient descent's depend on the coordinates.").logY().legendBelow();
        c.add("natural gradient", steps(ngdA.length), ngdA);
        c.addPoints("natural gradient, rescaled", steps(ngdB.length), ngdB);
        c.add("gradient descent", steps(gdA.length), gdA);
        c.add("gradient descent, rescaled", steps(gdB.length), gdB);
        return new Result(verdict, numbers, List.of(c));
    }

    private Mlp mlp(Dataset d, long seed) {
        String spec = model != null ? model : "mlp:" + d.features() + "-" + d.outputs() + ":identity";
        Mlp mlp = new Mlp(MlpSpec.parse(spec), d.features(), d.outputs(), DType.FLOAT64, Math.min(d.rows(), 5000));
        Init.TORCH.apply(mlp, seed);
        return mlp;
    }

    /** The loss at the start, then after each of {@code NGD_STEPS} natural gradient steps. */
    private static double[] ngd(FullBatchObjective f, double[] start) {
        double[] x = start.clone(), g = new double[x.length], loss = new double[NGD_STEPS + 1];
        Minimizer m = Minimizers.parse(NGD);
        loss[0] = f.valueAndGradient(x, g);
        for (int k = 1; k <= NGD_STEPS; k++) {
            m.step(f, x, (point, value, evaluations) -> true);
            loss[k] = f.valueAndGradient(x, g);
        }
        return loss;
    }

    private static double[] descent(FullBatchObjective f, double[] start, double lr) {
        double[] x = start.clone(), g = new double[x.length], loss = new double[GD_STEPS + 1];
        for (int k = 0; k <= GD_STEPS; k++) {
            loss[k] = f.valueAndGradient(x, g);
            for (int i = 0; i < x.length; i++) x[i] -= lr * g[i];
        }
        return loss;
    }

    private static double[] steps(int n) {
        double[] k = new double[n];
        for (int i = 0; i < n; i++) k[i] = i;
        return k;
    }
}
