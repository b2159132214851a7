package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.ravine.tensor.DType;
import dev.ravine.tensor.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The same settings give the same weights bit for bit, whatever the thread count: a run repeats from its run.json. */
class ReproducibilityTest {
    @AfterEach
    void oneThread() {
        Parallel.setThreads(1);
    }

    private static double[] train(DType dtype, int threads) {
        TrainingRun run = new TrainingRun(RunSettings.DEFAULTS.with("mlp:256-64:relu", "adam:lr=0.01", "torch", dtype, threads)
                .withLoop(new TrainConfig(2, 64, true, 7, dev.ravine.optim.schedule.Schedules.spec("cosine:t_max=2"), true, 1.0, Double.NaN, new Penalty(1e-4, 1e-3), null, Divergence.STOP,
                        new dev.ravine.nn.Dropout(0.2, dev.ravine.nn.Dropout.Style.INVERTED, 7), null, null)));
        run.train(new Trainer.Listener() {});
        return run.model.network.parameters().toDoubleArray();
    }

    @Test
    void weightsDoNotDependOnThreadsOrRepetition() {
        for (DType dtype : DType.values()) {
            double[] first = train(dtype, 1);
            assertArrayEquals(first, train(dtype, 2), 0, dtype + ": 1 vs 2 threads");
            assertArrayEquals(first, train(dtype, 1), 0, dtype + ": the same run twice");
        }
    }
}
