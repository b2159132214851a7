package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.ravine.data.Dataset;
import dev.ravine.data.Task;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A training step (gathering the minibatch, forward, loss, backward, Adam split by tensors) allocates nothing once
 * warm, on one thread or two.
 */
class NoAllocationTest {
    @AfterEach
    void oneThread() {
        Parallel.setThreads(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void trainingStepsDoNotAllocate(int threads) {
        // the promise is the vector kernels'; the plain-Java fallback (RAVINE_KERNELS=scalar) is there to be right
        Assumptions.assumeTrue(dev.ravine.tensor.Kernels.vector(), "scalar kernels");
        Parallel.setThreads(threads);
        Mlp mlp = new Mlp(MlpSpec.parse("mlp:128-64:relu"), 64, 10, DType.FLOAT32, 128);
        Init.TORCH.apply(mlp, 1);
        int rows = 1000;
        Tensor data = Tensor.zeros(DType.FLOAT32, rows, 64), labels = Tensor.zeros(DType.FLOAT32, rows, 1);
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < data.size(); i++) data.set(i, rng.nextDouble(-1, 1));
        for (int i = 0; i < rows; i++) labels.set(i, rng.nextInt(10));
        Minibatch minibatch = new Minibatch(new Dataset("test", List.of(), "y", Task.CLASSIFICATION, 10, data, labels), 128);
        int[] order = rng.ints(rows, 0, rows).toArray();
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Optimizer adam = Optimizers.parse("adam:lr=0.001");
        adam.alignWith(mlp.network.tensorBounds());
        int[] next = {0};
        Runnable step = () -> {
            minibatch.gather(mlp.network.input(128), order, next[0], 128);
            next[0] = (next[0] + 128) % (rows - 128);
            mlp.network.lossAndGradient(minibatch.targets(), loss);
            adam.step(mlp.network.parameters(), mlp.network.gradients(), 0.001);
        };
        for (int i = 0; i < 3000; i++) step.run(); // warm up until the JIT has compiled the loop
        ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = bean.getCurrentThreadAllocatedBytes();
        int steps = 200;
        for (int i = 0; i < steps; i++) step.run();
        long perStep = (bean.getCurrentThreadAllocatedBytes() - before) / steps;
        assertTrue(perStep < 64, threads + " thread(s): " + perStep + " bytes allocated per step");
    }
}
