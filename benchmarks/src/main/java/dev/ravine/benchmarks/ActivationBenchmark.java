package dev.ravine.benchmarks;

import dev.ravine.nn.ActivationLayer;
import dev.ravine.nn.MlpSpec;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Kernels;
import dev.ravine.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One activation's forward and backward pass over a hidden layer of the Fashion-MNIST MLP at batch 128 (128 x 256 entries), one
 * thread: what each activation adds to a step beside its products. Inputs are pre-activations of the usual size
 * (normal, standard deviation 2). ReLU is left out: it is applied inside the product's tiles, not by this pass. An
 * activation is named as in model specs, with hyperparameters where it takes them ({@code -p activation=elu:alpha=0.5}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ActivationBenchmark {
    @Param({"tanh", "sigmoid", "gelu", "silu", "elu", "leaky_relu", "softplus", "selu", "mish"})
    public String activation;
    @Param({"float32", "float64"})
    public String dtype;

    private ActivationLayer layer;
    private Tensor x, y, gy, gx;

    @Setup
    public void setup() {
        System.out.println("# ravine kernels: " + Kernels.describe());
        // a model spec's activation, hyperparameters and all (softplus:beta=2)
        layer = new ActivationLayer(MlpSpec.parse("mlp:256:" + activation).activation(), 256);
        DType t = DType.parse(dtype);
        x = Tensor.zeros(t, 128, 256);
        y = Tensor.zeros(t, 128, 256);
        gy = Tensor.zeros(t, 128, 256);
        gx = Tensor.zeros(t, 128, 256);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        for (int i = 0; i < x.size(); i++) {
            x.set(i, 2 * rng.nextGaussian());
            gy.set(i, rng.nextGaussian());
        }
        layer.forward(null, x, y, true);
    }

    @Benchmark
    public Tensor forward() {
        layer.forward(null, x, y, true);
        return y;
    }

    /** The backward pass's gx = gy f'(x), as the activation layer takes it (tanh's and the sigmoid's from y alone). */
    @Benchmark
    public Tensor backward() {
        layer.backward(null, x, y, gy, gx, null);
        return gx;
    }
}
