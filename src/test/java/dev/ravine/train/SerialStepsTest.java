package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.autodiff.Loss;
import dev.ravine.data.Dataset;
import dev.ravine.data.Datasets;
import dev.ravine.nn.Mlp;
import dev.ravine.nn.MlpSpec;
import dev.ravine.nn.SoftmaxCrossEntropy;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Parallel;
import dev.ravine.tensor.Tensor;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A training step too small to share between threads runs on the caller's thread alone; a larger one is split. So do
 * the curvature lab's passes over every row: its gradients and Hessian and Gauss-Newton products.
 */
@Timeout(120)
class SerialStepsTest {
    @AfterEach
    void oneThread() {
        Parallel.setThreads(1);
    }

    /**
     * Whether every step of the first two epochs on {@code data}, on two threads, kept its loops on the caller's thread
     * (the same for all).
     */
    static boolean serialSteps(String data, String model, String optimizer, int batch) {
        TrainConfig loop = new TrainConfig(2, batch, true, 0, null, false, Double.NaN, Double.NaN, Penalty.NONE, null, Divergence.STOP, null, null,
                null, null, null, null);
        RunSettings d = RunSettings.DEFAULTS;
        TrainingRun run = new TrainingRun(new RunSettings(data, null, "auto", model, false, optimizer, "torch", DType.FLOAT32, 2, d.val(),
                d.standardize(), loop, null, java.util.List.of(), 0));
        Set<Boolean> seen = new HashSet<>();
        run.train(new Trainer.Listener() {
            @Override
            public void step(int epoch, long step, double lr) {
                seen.add(Parallel.serialHere());
            }
        });
        assertEquals(1, seen.size(), "every step alike");
        assertFalse(Parallel.serialHere(), "the stretch ends with the steps");
        return seen.iterator().next();
    }

    /** The thresholds: 1M multiply-adds a step with the scalar kernels, 4M at 128 bits, 8M at 256, 16M at 512. */
    @Test
    void smallStepsStayOnOneThreadAndLargeOnesAreSplit() {
        // digits' 64 inputs: 3 x 32 x 9,610 parameters = 0.92M multiply-adds a step, below the threshold at every width
        assertTrue(serialSteps("digits", "mlp:128:relu", "adam", 32));
        // 3 x 128 x 330,762 = 127M, above it at every width
        assertFalse(serialSteps("digits", "mlp:1024-256:relu", "adam", 128));
        // full batch: an evaluation of breast_cancer's 455 training rows, 3 x 455 x 530 = 0.72M; of digits' 1,438, 41M
        assertTrue(serialSteps("breast_cancer", "mlp:16:relu", "lbfgs", 32));
        assertFalse(serialSteps("digits", "mlp:128:relu", "lbfgs", 32));
    }

    /**
     * On two threads, whether each of a float64 objective's passes (the gradient, a Hessian-vector product, a
     * Gauss-Newton product) kept its loops on the calling thread, as the loss saw it: true, false, or null where the
     * passes differed.
     */
    static Boolean serialPasses(String model, int rows) {
        Dataset data = Datasets.load("digits", null, null, DType.FLOAT64).data().head(rows, "rows");
        Mlp mlp = new Mlp(MlpSpec.parse(model), data.features(), data.outputs(), DType.FLOAT64, rows);
        Set<Boolean> seen = new HashSet<>();
        Loss softmax = new SoftmaxCrossEntropy();
        Loss watched = new Loss() {
            @Override
            public int targetWidth(int outputs) {
                return softmax.targetWidth(outputs);
            }

            @Override
            public double forwardBackward(Tensor z, Tensor targets, Tensor gz) {
                seen.add(Parallel.serialHere());
                return softmax.forwardBackward(z, targets, gz);
            }

            @Override
            public void rGradient(Tensor z, Tensor targets, Tensor rz, Tensor rgz) {
                seen.add(Parallel.serialHere());
                softmax.rGradient(z, targets, rz, rgz);
            }

            @Override
            public void sampleTargets(Tensor z, Tensor targets, java.util.random.RandomGenerator rng) {
                softmax.sampleTargets(z, targets, rng);
            }
        };
        FullBatchObjective objective = new FullBatchObjective(mlp.network, watched, data, null, false);
        double[] w = objective.parameters(), g = new double[w.length], v = new double[w.length];
        java.util.Arrays.fill(v, 1e-3);
        Parallel.setThreads(2);
        objective.valueAndGradient(w, g);
        objective.hessianVector(w, v, g);
        objective.fisherVector(w, v, g, false);
        assertFalse(Parallel.serialHere(), "the stretch ends with the pass");
        return seen.size() == 1 ? seen.iterator().next() : null;
    }

    @Test
    void smallCurvaturePassesStayOnOneThreadAndLargeOnesAreSplit() {
        // 3 x 100 rows x 2,410 parameters = 0.72M multiply-adds a pass, below the threshold at every width
        assertEquals(Boolean.TRUE, serialPasses("mlp:32:tanh", 100));
        // 3 x 1,797 x 9,610 = 52M, above it at every width
        assertEquals(Boolean.FALSE, serialPasses("mlp:128:tanh", 1797));
    }
}
