package dev.ravine.benchmarks;

import dev.ravine.nn.Init;
import dev.ravine.nn.Mlp;
import dev.ravine.nn.MlpSpec;
import dev.ravine.nn.SoftmaxCrossEntropy;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Kernels;
import dev.ravine.tensor.Parallel;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One float32 training step (forward, loss, backward, Adam) of networks from 0.9M to 103M multiply-adds, on one thread
 * and split over two loop by loop: where two threads stop losing to one is where {@code Parallel.minParallelStep} puts
 * the line below which a training run keeps its steps on one thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ThreadsBenchmark {
    /** inputs/hidden widths/batch: a step takes 3 x batch x parameters multiply-adds. */
    @Param({"64/128/32", "64/256-256/32", "64/256-256/64", "784/64/128", "784/256-256/32", "784/256-256/128"})
    public String network;

    @Param({"1", "2"})
    public int threads;

    private Mlp mlp;
    private Tensor targets;
    private Optimizer adam;
    private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();

    @Setup
    public void setup() {
        System.out.println("# ravine kernels: " + Kernels.describe());
        String[] p = network.split("/");
        int inputs = Integer.parseInt(p[0]), batch = Integer.parseInt(p[2]);
        Parallel.setThreads(threads);
        mlp = new Mlp(MlpSpec.parse("mlp:" + p[1] + ":relu"), inputs, 10, DType.FLOAT32, batch);
        Init.TORCH.apply(mlp, 1);
        SplittableRandom rng = new SplittableRandom(2);
        Tensor x = mlp.network.input(batch);
        for (int i = 0; i < x.size(); i++) x.set(i, rng.nextGaussian());
        targets = Tensor.zeros(DType.FLOAT32, batch, 1);
        for (int i = 0; i < batch; i++) targets.set(i, rng.nextInt(10));
        adam = Optimizers.parse("adam:lr=0.001");
        System.out.printf("# %,d multiply-adds a step; threshold %,d%n", 3L * batch * mlp.network.parameterCount(), Parallel.minParallelStep());
    }

    @TearDown
    public void oneThread() {
        Parallel.setThreads(1);
    }

    /** As {@code StepBenchmark.trainingStep}: lr 0, so that the weights stay where they started. */
    @Benchmark
    public Tensor trainingStep() {
        mlp.network.lossAndGradient(targets, loss);
        adam.step(mlp.network.parameters(), mlp.network.gradients(), 0.0);
        return mlp.network.parameters();
    }
}
