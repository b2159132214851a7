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
import java.util.Map;

/**
 * Softmax regression (no hidden layer) has a convex loss: its Hessian is positive semi-definite at every point.
 * One hidden layer breaks that: at random points the Hessian has negative eigenvalues. Both on breast_cancer
 * (standardized), at {@code POINTS} random initializations each, by the full spectrum of the exact Hessian.
 */
public final class Convexity implements Experiment {
    static final int POINTS = 8;
    /** Below this, relative to the largest |eigenvalue|, an eigenvalue is negative rather than rounding. */
    static final double NEGATIVE = -1e-10;

    @Override
    public String name() {
        return "convexity";
    }

    @Override
    public String claim() {
        return "a model without a hidden layer has a positive semi-definite Hessian at every point; one hidden layer does not";
    }

    @Override
    public String data() {
        return "breast_cancer";
    }

    @Override
    public Result run(long seed, String data) {
        Dataset d = Experiment.standardizedClassification(name(), data);
        double[] linear = lowest("mlp:" + d.features() + "-" + d.outputs() + ":identity", d, data, seed), hidden = lowest("mlp:4:tanh", d, data, seed);
        boolean linearConvex = java.util.Arrays.stream(linear).allMatch(v -> v >= NEGATIVE);
        long hiddenNegative = java.util.Arrays.stream(hidden).filter(v -> v < NEGATIVE).count();
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("points", POINTS);
        numbers.put("no_hidden_layer_lowest_relative_eigenvalue", linear);
        numbers.put("one_hidden_layer_lowest_relative_eigenvalue", hidden);
        List<String> wrong = new java.util.ArrayList<>();
        if (!linearConvex) wrong.add("softmax regression showed negative curvature");
        if (hiddenNegative == 0) wrong.add("the hidden-layer network showed none");
        String verdict = Experiment.verdict(wrong, "softmax regression's lowest eigenvalue is never below " + NEGATIVE + " of its largest, and "
                + hiddenNegative + " of " + POINTS + " points of the one-hidden-layer network have negative curvature");
        LineChart c = new LineChart("Lowest Hessian eigenvalue at random points", "point", "lambda_min / max |lambda|",
                "Below zero the loss curves downward somewhere: never for softmax regression, whose loss is convex; often once a hidden "
                        + "layer is added.");
        double[] index = new double[POINTS];
        for (int i = 0; i < POINTS; i++) index[i] = i + 1;
        c.add("no hidden layer", index, linear);
        c.add("one hidden layer (4 tanh)", index, hidden);
        return new Result(verdict, numbers, List.of(c));
    }

    /** lambda_min / max |lambda| of the loss's Hessian at {@code POINTS} initializations of {@code spec}. */
    private double[] lowest(String spec, Dataset d, String data, long seed) {
        double[] out = new double[POINTS];
        for (int p = 0; p < POINTS; p++) {
            Mlp mlp = new Mlp(MlpSpec.parse(spec), d.features(), d.outputs(), DType.FLOAT64, d.rows());
            Init.HE.apply(mlp, seed * 1000 + p);
            FullBatchObjective objective = new FullBatchObjective(mlp.network, new SoftmaxCrossEntropy(), d, null, false);
            double[] w = objective.parameters();
            double[] ev = Experiment.everyEigenvalue(name(), data, LinearOperator.hessian(objective, w));
            out[p] = ev[0] / Math.max(Math.abs(ev[0]), Math.abs(ev[ev.length - 1]));
        }
        return out;
    }
}
