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

    /**
     * A step of 3 x 64 x 100,810 = 19M multiply-adds, which two threads split at every vector width
     * ({@link Parallel#minParallelStep}): a smaller one would run on one thread whatever the count.
     */
    private static double[] train(DType dtype, int threads) {
        return train(dtype, threads, true);
    }

    private static double[] train(DType dtype, int threads, boolean split) {
        TrainingRun run = new TrainingRun(RunSettings.DEFAULTS.with("mlp:384-192:relu", "adam:lr=0.01", "torch", dtype, threads)
                .withLoop(new TrainConfig(2, 64, true, 7, dev.ravine.optim.schedule.Schedules.spec("cosine:t_max=2"), true, 1.0, Double.NaN, new Penalty(1e-4, 1e-3), null, Divergence.STOP,
                        new dev.ravine.nn.Dropout(0.2, dev.ravine.nn.Dropout.Style.INVERTED, 7), null, null)));
        run.train(new Trainer.Listener() {
            @Override
            public void step(int epoch, long step, double lr) {
                if (split && Parallel.serialHere()) throw new AssertionError("the steps were not split");
            }
        });
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

    /**
     * Two runs side by side in one process, on two threads of an application, each with two threads for its kernels:
     * they share the helpers, a loop that finds them busy runs on its caller's thread, and each run's weights are the
     * ones it trains alone.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void runsSideBySideTrainAsAlone() throws Exception {
        DType dtype = DType.FLOAT32;
        double[] alone = train(dtype, 1);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> train(dtype, 2, false));
            var b = pool.submit(() -> train(dtype, 2, false));
            assertArrayEquals(alone, a.get(), 0, "the first of two runs side by side");
            assertArrayEquals(alone, b.get(), 0, "the second of two runs side by side");
        } finally {
            pool.shutdownNow();
        }
    }
}
