package dev.ravine.experiment;

import dev.ravine.data.Dataset;
import dev.ravine.nn.Init;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Mlp;
import dev.ravine.nn.MlpSpec;
import dev.ravine.report.LineChart;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Why initialization scales weights by fan-in (Glorot &amp; Bengio 2010; He et al. 2015). A unit's pre-activation
 * z = w . a + b over fan_in inputs has, over the draw of weights of variance s^2, the second moment
 * fan_in s^2 E[a^2] + Var(b), and a ReLU keeps exactly half of it in expectation, since the weights' law is
 * symmetric (w and -w are drawn alike). So layer by layer q' = (fan_in s^2 q + Var(b)) / 2, q the activations' mean square:
 * He's s^2 = 2/fan_in keeps q, Xavier's 2/(fan_in + fan_out) halves it between equal layers, and PyTorch's default
 * U(+-1/sqrt(fan_in)) (s^2 = Var(b) = 1/(3 fan_in)) divides it by 6 until its biases hold it near
 * 1/(5 fan_in). On digits (standardized), {@code DEPTH} hidden layers of {@code WIDTH} units: each layer's measured
 * mean square over every row, set beside the recursion from the layer's own input (the verdict's) and from the
 * network's input alone (the figure's points).
 */
public final class Initialization implements Experiment {
    static final int DEPTH = 10, WIDTH = 256;
    /**
     * The geometric mean over the layers of measured / predicted within this factor of 1. A single layer of 256 units
     * strays by up to ~40% (each unit passes most rows or few, as its weights' sum is positive or not), so the
     * verdict reads the law from all of them.
     */
    static final double MATCH = 1.15;
    /** He keeps the last layer's mean square within this factor of the input's; the others end below 1/SHRUNK of it. */
    static final double KEPT = 2, SHRUNK = 100;
    private static final Init[] INITS = {Init.HE, Init.XAVIER, Init.TORCH};
    private static final String[] LABELS = {"he", "xavier", "torch"};
    /** Rows a forward pass takes at a time, so the activations' memory does not grow with the data set. */
    private static final int CHUNK = 512;
    private final String activation;

    public Initialization() {
        this("relu");
    }

    /** The hidden layers' activation: the recursion's halving is ReLU's; {@code tanh} keeps small signals whole. */
    public Initialization(String activation) {
        this.activation = activation;
    }

    @Override
    public String name() {
        return "initialization";
    }

    @Override
    public String claim() {
        return "in a deep ReLU network weights of variance 2/fan_in (He et al. 2015) keep the activations' mean square from layer to layer, "
                + "while Xavier's 2/(fan_in + fan_out) halves it and PyTorch's default U(+-1/sqrt(fan_in)) divides it by 6, as "
                + "q' = (fan_in Var(w) q + Var(b)) / 2 predicts";
    }

    @Override
    public String data() {
        return "digits";
    }

    /** Var(w) and Var(b) of {@code init} for a layer of {@code fanIn} inputs and {@code fanOut} outputs. */
    static double[] variances(Init init, int fanIn, int fanOut) {
        return switch (init) {
            case HE -> new double[] {2.0 / fanIn, 0};
            case XAVIER -> new double[] {2.0 / (fanIn + fanOut), 0}; // U(+-sqrt(6/(fan_in + fan_out))): bound^2 / 3
            case TORCH -> new double[] {1.0 / (3 * fanIn), 1.0 / (3 * fanIn)}; // U(+-1/sqrt(fan_in)) for both
            default -> throw new IllegalArgumentException(init.toString());
        };
    }

    /** The input's mean square, then each hidden layer's output's, over every row of {@code d}. */
    double[] meanSquares(Mlp mlp, Dataset d) {
        double[] sums = new double[DEPTH + 1];
        int n = d.rows();
        for (int start = 0; start < n; start += CHUNK) {
            int rows = Math.min(CHUNK, n - start);
            Tensor x = mlp.network.input(rows);
            for (int i = 0; i < rows; i++) Dataset.copyRow(d.x(), start + i, x, i);
            mlp.network.forward(false);
            // layers alternate Linear, activation; the input of Linear layer 2k is hidden layer k's output
            for (int k = 0; k <= DEPTH; k++) sums[k] += sumOfSquares(mlp.network.activation(2 * k));
        }
        double[] q = new double[DEPTH + 1];
        for (int k = 0; k <= DEPTH; k++) q[k] = sums[k] / ((double) n * mlp.network.activation(2 * k).cols);
        return q;
    }

    private static double sumOfSquares(Tensor t) {
        double s = 0;
        for (int i = 0, n = t.rows() * t.cols; i < n; i++) s += t.get(i) * t.get(i);
        return s;
    }

    /**
     * The recursion through {@code mlp}'s hidden layers: from the measured input's mean square alone when
     * {@code chained}, else each layer from the measured mean square of its own input ({@code q}).
     */
    static double[] predicted(Init init, Mlp mlp, double[] q, boolean chained) {
        double[] p = new double[DEPTH + 1];
        p[0] = q[0];
        for (int k = 1; k <= DEPTH; k++) {
            Linear layer = (Linear) mlp.network.layers().get(2 * (k - 1));
            double[] v = variances(init, layer.inputWidth(), layer.outputWidth());
            p[k] = (layer.inputWidth() * v[0] * (chained ? p : q)[k - 1] + v[1]) / 2;
        }
        return p;
    }

    @Override
    public Result run(long seed, String data) {
        Dataset d = Experiment.standardizedClassification(name(), data);
        String sizes = String.join("-", java.util.Collections.nCopies(DEPTH, Integer.toString(WIDTH)));
        Map<String, Object> runs = new LinkedHashMap<>();
        List<String> wrong = new ArrayList<>();
        double[] layer = new double[DEPTH + 1], lastOverFirst = new double[INITS.length];
        for (int k = 0; k <= DEPTH; k++) layer[k] = k;
        LineChart c = new LineChart("Mean square of each layer's activations at initialization (" + DEPTH + " " + activation + " layers of " + WIDTH + ")",
                "hidden layer (0: the input)", "mean square (log)", "Solid: measured on every row; points: q' = (fan_in Var(w) q + Var(b)) / 2 "
                        + "from the input's. He's 2/fan_in makes up for the half a ReLU drops.").logY();
        for (int i = 0; i < INITS.length; i++) {
            Mlp mlp = new Mlp(MlpSpec.parse("mlp:" + sizes + ":" + activation), d.features(), d.outputs(), DType.FLOAT64, Math.min(CHUNK, d.rows()));
            INITS[i].apply(mlp, seed);
            double[] q = meanSquares(mlp, d), p = predicted(INITS[i], mlp, q, true), step = predicted(INITS[i], mlp, q, false);
            double worst = 1, logs = 0;
            for (int k = 1; k <= DEPTH; k++) {
                worst = Math.max(worst, Math.max(q[k] / step[k], step[k] / q[k]));
                logs += Math.log(q[k] / step[k]);
            }
            double mean = Math.exp(logs / DEPTH);
            lastOverFirst[i] = q[DEPTH] / q[0];
            runs.put(LABELS[i], Experiment.inOrder("mean_squares", q, "predicted", p, "last_over_input", lastOverFirst[i],
                    "measured_over_predicted_geometric_mean", mean,
                    "largest_factor_from_a_layers_prediction", worst));
            if (!(mean <= MATCH && mean >= 1 / MATCH))
                wrong.add(String.format(Locale.ROOT, "%s's layers keep %.3g times the recursion's mean square on average", LABELS[i], mean));
            c.add(LABELS[i], layer, q);
            c.addPoints(LABELS[i] + " (predicted)", layer, p);
        }
        if (!(lastOverFirst[0] <= KEPT && lastOverFirst[0] >= 1 / KEPT))
            wrong.add(String.format(Locale.ROOT, "He's last layer has %.3g of the input's mean square", lastOverFirst[0]));
        for (int i = 1; i < INITS.length; i++)
            if (!(lastOverFirst[i] < 1 / SHRUNK))
                wrong.add(String.format(Locale.ROOT, "%s's last layer keeps %.3g of the input's mean square", LABELS[i], lastOverFirst[i]));
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("depth", DEPTH);
        numbers.put("width", WIDTH);
        numbers.put("activation", activation);
        numbers.put("runs", runs);
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "after %d %s layers of %d the activations' mean square is %.3g of the "
                + "input's with He's initialization, %.2g with Xavier's and %.2g with PyTorch's default, the layers on average within a factor "
                + "of %s of the recursion", DEPTH, activation, WIDTH, lastOverFirst[0], lastOverFirst[1], lastOverFirst[2], Experiment.num(MATCH)));
        return new Result(verdict, numbers, List.of(c));
    }
}
