package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.tensor.DType;
import dev.ravine.tensor.Parallel;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A training step too small to share between threads runs on the caller's thread alone; a larger one is split. */
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
}
