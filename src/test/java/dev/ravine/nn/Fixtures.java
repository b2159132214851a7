package dev.ravine.nn;

import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Pointwise;
import dev.ravine.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Tiny float64 MLPs with random weights, inputs and targets, for derivative checks. */
final class Fixtures {
    final Mlp mlp;
    final Network net;
    final Loss loss;
    final Tensor targets;

    /**
     * Every activation as a model spec names it: each kind at PyTorch's defaults, and each hyperparameter away from
     * them ({@link TunedActivation}; Softplus's threshold low enough for inputs to pass it).
     */
    static Stream<String> activations() {
        return Stream.concat(Arrays.stream(Activation.values()).map(a -> a.label), Stream.of(
                "leaky_relu:negative_slope=0.2", "elu:alpha=0.5", "softplus:beta=2,threshold=1", "gelu:approximate=tanh"));
    }

    /** What an activation spec computes. */
    static Pointwise function(String activation) {
        return MlpSpec.parse("mlp:1:" + activation).activation().function();
    }

    Fixtures(String activation, boolean classification, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int rows = 6, outputs = 3;
        mlp = new Mlp(MlpSpec.parse("mlp:5-4-3-" + outputs + ":" + activation), 5, outputs, DType.FLOAT64, 8);
        net = mlp.network;
        Tensor p = net.parameters();
        for (int i = 0; i < p.size(); i++) p.set(i, rng.nextDouble(-1, 1));
        Tensor x = net.input(rows);
        for (int i = 0; i < x.size(); i++) x.set(i, rng.nextDouble(-2, 2));
        loss = classification ? new SoftmaxCrossEntropy() : new MeanSquaredError();
        targets = Tensor.zeros(DType.FLOAT64, rows, classification ? 1 : outputs);
        for (int i = 0; i < targets.size(); i++) targets.set(i, classification ? rng.nextInt(outputs) : rng.nextDouble(-1, 1));
    }

    double loss() {
        net.forward(false);
        return loss.forwardBackward(net.output(), targets, null);
    }

    /** The gradient at the current parameters, copied. */
    double[] gradient() {
        net.lossAndGradient(targets, loss);
        return net.gradients().toDoubleArray();
    }
}
