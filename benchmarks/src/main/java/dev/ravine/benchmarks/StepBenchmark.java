package dev.ravine.benchmarks;

import dev.ravine.nn.Init;
import dev.ravine.nn.Mlp;
import dev.ravine.nn.MlpSpec;
import dev.ravine.nn.SoftmaxCrossEntropy;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Kernels;
import dev.ravine.tensor.Tensor;
import java.util.SplittableRandom;
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
 * One training step of the 784-256-256-10 MLP at batch 128 (forward, loss, backward, Adam), and on the same batch
 * one gradient beside one exact Hessian-vector product: their ratio is the HVP's cost in gradients.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class StepBenchmark {
    @Param({"float32", "float64"})
    public String dtype;

    private Mlp mlp;
    private Tensor targets, v, hv;
    private Optimizer adam;
    private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();

    @Setup
    public void setup() {
        System.out.println("# ravine kernels: " + Kernels.describe()); // which width and tile these figures are for
        DType t = DType.parse(dtype);
        mlp = new Mlp(MlpSpec.parse("mlp:784-256-256-10:relu"), 784, 10, t, 128);
        Init.TORCH.apply(mlp, 1);
        SplittableRandom rng = new SplittableRandom(2);
        Tensor x = mlp.network.input(128);
        for (int i = 0; i < x.size(); i++) x.set(i, rng.nextGaussian()); // like standardized inputs
        targets = Tensor.zeros(t, 128, 1);
        for (int i = 0; i < 128; i++) targets.set(i, rng.nextInt(10));
        v = Tensor.zeros(t, 1, mlp.network.parameterCount());
        hv = Tensor.zeros(t, 1, mlp.network.parameterCount());
        for (int i = 0; i < v.size(); i++) v.set(i, rng.nextGaussian());
        adam = Optimizers.parse("adam:lr=0.001");
    }

    @Benchmark
    public Tensor trainingStep() {
        mlp.network.lossAndGradient(targets, loss);
        // lr 0: the same work per step, but the weights stay at their initial values. Training on one fixed batch
        // would memorize it within a few hundred steps, and its vanishing (subnormal) gradients would then time
        // the CPU's slow path for subnormal numbers rather than the step.
        adam.step(mlp.network.parameters(), mlp.network.gradients(), 0.0);
        return mlp.network.parameters();
    }

    @Benchmark
    public double gradient() {
        return mlp.network.lossAndGradient(targets, loss);
    }

    @Benchmark
    public double hessianVectorProduct() {
        return mlp.network.hessianVector(targets, loss, v, hv);
    }
}
