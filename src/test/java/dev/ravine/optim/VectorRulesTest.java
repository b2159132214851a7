package dev.ravine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.tensor.DType;
import dev.ravine.tensor.Kernels;
import dev.ravine.tensor.Parallel;
import dev.ravine.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every vectorized update rule against the plain loop it replaces (whose scalar arithmetic the golden PyTorch
 * trajectories pin down): the same operations in the same order, so float64 agrees to the last bit and float32
 * (computed in float rather than rounded from double) to float precision. 37 entries give a vector body and a
 * scalar tail; two threads split them by tensors.
 */
class VectorRulesTest {
    @AfterEach
    void restore() {
        Kernels.useDefault();
        Parallel.setThreads(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd:lr=0.1", "sgd:lr=0.1,momentum=0.9,nesterov=true,weight_decay=0.01", "sgd:lr=0.1,momentum=0.5,dampening=0.3,maximize=true",
            "adam:lr=0.01", "adam:lr=0.01,amsgrad=true,weight_decay=0.1", "adamw:lr=0.01,weight_decay=0.1,maximize=true",
            "rmsprop:lr=0.01", "rmsprop:lr=0.01,centered=true,momentum=0.9,weight_decay=0.01", "adagrad:lr=0.1,lr_decay=0.01,weight_decay=0.01",
            "adamax:lr=0.01,weight_decay=0.01", "adadelta:lr=1.0,weight_decay=0.01", "yogi:lr=0.01", "radam:lr=0.01,weight_decay=0.01", "nadam:lr=0.01,weight_decay=0.01",
            "lion:lr=0.01,weight_decay=0.1", "lion:lr=0.01,betas=0.8|0.95,maximize=true",
            "rprop:lr=0.01", "rprop:lr=0.05,etas=0.3|1.5,step_sizes=0.001|0.2,maximize=true",
            "asgd:lr=0.05,weight_decay=0.01", "asgd:lr=0.05,lambd=0.01,t0=5,maximize=true"})
    void vectorizedRulesMatchTheLoop(String spec) {
        for (DType dtype : DType.values())
            for (int threads = 1; threads <= 2; threads++) {
                Parallel.setThreads(threads);
                Tensor vector = run(spec, dtype, true), loop = run(spec, dtype, false);
                for (int i = 0; i < vector.size(); i++) {
                    double tol = dtype == DType.FLOAT64 ? 0 : 1e-5 * Math.max(1, Math.abs(loop.get(i)));
                    assertEquals(loop.get(i), vector.get(i), tol, spec + " " + dtype + " threads=" + threads + " entry " + i);
                }
            }
    }

    private static Tensor run(String spec, DType dtype, boolean vector) {
        Kernels.useVector(vector);
        int n = 37;
        SplittableRandom rng = new SplittableRandom(5);
        Tensor p = Tensor.zeros(dtype, 1, n), g = Tensor.zeros(dtype, 1, n);
        for (int i = 0; i < n; i++) p.set(i, rng.nextDouble(-1, 1));
        Optimizer optimizer = Optimizers.parse(spec);
        optimizer.alignWith(new int[] {0, 20, 21, n}); // a "weight", a "bias" and another tensor
        for (int step = 0; step < 12; step++) { // long enough for RAdam to rectify
            for (int i = 0; i < n; i++) g.set(i, rng.nextDouble(-1, 1) * (i % 7 == 0 ? 0 : 1)); // some entries see no gradient
            optimizer.step(p, g, optimizer.learningRate());
        }
        return p;
    }
}
