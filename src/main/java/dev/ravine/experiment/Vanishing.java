package dev.ravine.experiment;

import dev.ravine.autodiff.Layer;
import dev.ravine.data.Dataset;
import dev.ravine.nn.Init;
import dev.ravine.nn.Linear;
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
 * Vanishing gradients: backpropagation multiplies by each layer's activation derivative, at most 1/4 for a sigmoid,
 * so in a deep sigmoid network the first layers' gradients are orders of magnitude below the last one's, while ReLU
 * (derivative 1 where active) with He initialization keeps them within a small factor. And a deep linear network
 * with every layer lambda I multiplies its input by lambda^k: below 1 the signal (and the gradient) vanishes, above
 * it explodes, while random orthogonal layers (Saxe et al. 2014, {@code --init orthogonal}) keep its norm exactly,
 * whatever the depth. On digits (standardized), {@code DEPTH} hidden layers of {@code WIDTH} units at initialization, the
 * gradient norm of each linear layer's weights on all rows.
 */
public final class Vanishing implements Experiment {
    static final int DEPTH = 8, WIDTH = 32;
    private final String sigmoid;

    public Vanishing() {
        this("sigmoid");
    }

    /** The activation set against ReLU ({@code sigmoid}; {@code relu} itself leaves nothing to compare). */
    public Vanishing(String activation) {
        this.sigmoid = activation;
    }

    @Override
    public String name() {
        return "vanishing";
    }

    @Override
    public String claim() {
        return "in a deep sigmoid network the first layers' gradients vanish where ReLU's do not, and deep linear layers scale a signal by lambda^k "
                + "(orthogonal ones by exactly 1)";
    }

    /** Each linear layer's weight-gradient norm, first layer first. */
    static double[] layerGradients(String activation, Dataset d, long seed) {
        String sizes = String.join("-", java.util.Collections.nCopies(DEPTH, Integer.toString(WIDTH)));
        Mlp mlp = new Mlp(MlpSpec.parse("mlp:" + sizes + ":" + activation), d.features(), d.outputs(), DType.FLOAT64, d.rows());
        (activation.equals("relu") ? Init.HE : Init.XAVIER).apply(mlp, seed);
        FullBatchObjective objective = new FullBatchObjective(mlp.network, new SoftmaxCrossEntropy(), d, null, false);
        double[] w = objective.parameters(), g = new double[w.length];
        objective.valueAndGradient(w, g);
        List<Layer> layers = mlp.network.layers();
        double[] out = new double[DEPTH + 1];
        for (int l = 0, k = 0; l < layers.size(); l++) {
            if (!(layers.get(l) instanceof Linear lin)) continue;
            int from = mlp.network.parameterOffset(l), weights = lin.inputWidth() * lin.outputWidth();
            double s = 0;
            for (int i = from; i < from + weights; i++) s += g[i] * g[i];
            out[k++] = Math.sqrt(s);
        }
        return out;
    }

    /** 10 linear 4 x 4 layers, no activation. */
    private static Mlp deepLinear() {
        return new Mlp(MlpSpec.parse("mlp:4-4-4-4-4-4-4-4-4-4-4:identity"), 4, 4, DType.FLOAT64, 1);
    }

    /** |y| / |x| for x = (1, 1, 1, 1). */
    private static double gain(Mlp deep) {
        var x = deep.network.input(1);
        for (int i = 0; i < 4; i++) x.set(i, 1);
        deep.network.forward(false);
        var y = deep.network.output();
        double squares = 0;
        for (int i = 0; i < 4; i++) squares += y.get(i) * y.get(i);
        return Math.sqrt(squares / 4);
    }

    @Override
    public String data() {
        return "digits";
    }

    @Override
    public Result run(long seed, String data) {
        Dataset d = Experiment.standardizedClassification(name(), data);
        double[] sig = layerGradients(sigmoid, d, seed), relu = layerGradients("relu", d, seed);
        double sigRatio = sig[0] / sig[DEPTH], reluRatio = relu[0] / relu[DEPTH];
        // deep linear: 10 layers of lambda I multiply |x| by lambda^10
        double[] lambdas = {0.9, 1.0, 1.1};
        Map<String, Object> linear = new LinkedHashMap<>();
        for (double lambda : lambdas) {
            Mlp deep = deepLinear();
            double[] p = new double[deep.network.parameterCount()];
            for (int l = 0; l < deep.network.layers().size(); l++) {
                if (!(deep.network.layers().get(l) instanceof Linear)) continue;
                int at = deep.network.parameterOffset(l);
                for (int i = 0; i < 4; i++) p[at + i * 4 + i] = lambda; // lambda I, bias 0
            }
            for (int i = 0; i < p.length; i++) deep.network.parameters().set(i, p[i]);
            linear.put(Double.toString(lambda), Experiment.inOrder("gain", gain(deep), "lambda_to_the_10", Math.pow(lambda, 10)));
        }
        Mlp orthogonal = deepLinear();
        Init.ORTHOGONAL.apply(orthogonal, seed);
        double orthogonalGain = gain(orthogonal);
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("depth", DEPTH);
        numbers.put("width", WIDTH);
        numbers.put(sigmoid + "_layer_gradient_norms", sig);
        numbers.put("relu_layer_gradient_norms", relu);
        numbers.put(sigmoid + "_first_over_last", sigRatio);
        numbers.put("relu_first_over_last", reluRatio);
        numbers.put("deep_linear", linear);
        numbers.put("deep_linear_orthogonal_gain", orthogonalGain);
        List<String> wrong = new java.util.ArrayList<>();
        if (!(sigRatio < 1e-2)) wrong.add(String.format(Locale.ROOT, "the %s network's first layer has %.3g of the last one's gradient", sigmoid, sigRatio));
        if (!(reluRatio > 10 * sigRatio)) wrong.add(String.format(Locale.ROOT, "ReLU's first-to-last ratio %.3g is not far above %s's %.3g", reluRatio, sigmoid,
                sigRatio));
        for (double lambda : lambdas) {
            @SuppressWarnings("unchecked")
            Map<String, Double> m = (Map<String, Double>) linear.get(Double.toString(lambda));
            if (Math.abs(m.get("gain") - m.get("lambda_to_the_10")) > 1e-12 * m.get("lambda_to_the_10"))
                wrong.add("the deep linear network's gain at lambda " + lambda + " is not lambda^10");
        }
        if (Math.abs(orthogonalGain - 1) > 1e-12) wrong.add("10 orthogonal layers scale the signal by " + orthogonalGain + ", not 1");
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "the first layer's gradient is %.1e of the last one's with %s, %.2g with "
                + "ReLU; 10 linear layers of lambda I scale by %.3f at 0.9 and %.3f at 1.1, 10 random orthogonal ones by 1 within %.0e", sigRatio, sigmoid,
                reluRatio, Math.pow(0.9, 10), Math.pow(1.1, 10), Math.max(Math.abs(orthogonalGain - 1), 1e-16)));
        LineChart c = new LineChart("Gradient norm per layer at initialization (" + DEPTH + " hidden layers of " + WIDTH + ")", "linear layer (input first)",
                "|dL/dW| (log)", "Each sigmoid multiplies the backward signal by at most 1/4: the first layers hardly learn. ReLU passes it at 1 "
                        + "where active.").logY();
        double[] layer = new double[DEPTH + 1];
        for (int i = 0; i <= DEPTH; i++) layer[i] = i;
        c.add(sigmoid + (sigmoid.equals("relu") ? " (Xavier init)" : ""), layer, sig);
        c.add("relu (He init)", layer, relu);
        return new Result(verdict, numbers, List.of(c));
    }
}
