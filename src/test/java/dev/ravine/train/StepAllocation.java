package dev.ravine.train;

import com.sun.management.ThreadMXBean;
import dev.ravine.data.Dataset;
import dev.ravine.data.Task;
import dev.ravine.nn.Dropout;
import dev.ravine.nn.Init;
import dev.ravine.nn.Mlp;
import dev.ravine.nn.MlpSpec;
import dev.ravine.nn.SoftmaxCrossEntropy;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Parallel;
import dev.ravine.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The bytes one training step allocates on the calling thread once warm: gathering the minibatch, forward, loss,
 * backward, and the optimizer's update split by tensors. {@link #main} prints them for a set of steps, one per line,
 * for {@link NoAllocationTest} to run in a JVM of its own choosing.
 */
final class StepAllocation {
    /** One kind of step: an optimizer spec, the dtype, batch norm, and dropout (null for none). */
    record Step(String name, String optimizer, DType dtype, boolean batchNorm, Dropout dropout) {
    }

    private StepAllocation() {
    }

    static long bytesPerStep(Step kind, int threads) {
        Parallel.setThreads(threads);
        Mlp mlp = new Mlp(MlpSpec.parse("mlp:128-64:relu"), 64, 10, kind.dtype(), 128, kind.dropout(), kind.batchNorm(), true);
        Init.TORCH.apply(mlp, 1);
        int rows = 1000;
        Tensor data = Tensor.zeros(kind.dtype(), rows, 64), labels = Tensor.zeros(kind.dtype(), rows, 1);
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < data.size(); i++) data.set(i, rng.nextDouble(-1, 1));
        for (int i = 0; i < rows; i++) labels.set(i, rng.nextInt(10));
        Minibatch minibatch = new Minibatch(new Dataset("test", List.of(), "y", Task.CLASSIFICATION, 10, data, labels), 128);
        int[] order = rng.ints(rows, 0, rows).toArray();
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Optimizer optimizer = Optimizers.parse(kind.optimizer());
        optimizer.alignWith(mlp.network.tensorBounds());
        int[] next = {0};
        Runnable step = () -> {
            minibatch.gather(mlp.network.input(128), order, next[0], 128);
            next[0] = (next[0] + 128) % (rows - 128);
            mlp.network.lossAndGradient(minibatch.targets(), loss);
            optimizer.step(mlp.network.parameters(), mlp.network.gradients(), 0.001);
        };
        ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        // warm up until the JIT has compiled the loop; on a slow or busy machine its queue may take longer, so the
        // fewest bytes of a few rounds count: what a step allocates once compiled shows in every round
        for (int round = 0; round < 4 && least > 0; round++) {
            for (int i = 0; i < 3000; i++) step.run();
            long before = bean.getCurrentThreadAllocatedBytes();
            int steps = 200;
            for (int i = 0; i < steps; i++) step.run();
            least = Math.min(least, (bean.getCurrentThreadAllocatedBytes() - before) / steps);
        }
        return least;
    }

    /**
     * The steps whose kernels differ, float32 Adam first: the Adam, SGD and RMSProp loops, batch norm's and dropout's
     * passes, and float64 (at 128 bits a double vector has two lanes, where the kernels that compare and blend run
     * their scalar tails whole: with vectors, x86's C2 left those operations to plain Java).
     */
    static List<Step> kinds() {
        return List.of(
                new Step("adam", "adam:lr=0.001", DType.FLOAT32, false, null),
                new Step("sgd-nesterov", "sgd:lr=0.01,momentum=0.9,nesterov=true", DType.FLOAT32, false, null),
                new Step("rmsprop-centered", "rmsprop:lr=0.001,centered=true,momentum=0.9", DType.FLOAT32, false, null),
                new Step("adam-batchnorm", "adam:lr=0.001", DType.FLOAT32, true, null),
                new Step("adam-dropout", "adam:lr=0.001", DType.FLOAT32, false, new Dropout(0.3, Dropout.Style.INVERTED, 7)),
                new Step("adam-float64", "adam:lr=0.001", DType.FLOAT64, true, null));
    }

    public static void main(String[] args) {
        System.out.println("float vectors: " + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED);
        for (Step kind : kinds()) System.out.println(kind.name() + " " + bytesPerStep(kind, 1));
    }
}
