package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.ravine.data.Task;
import dev.ravine.nn.Mlp;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Zero initialization leaves every hidden unit of a layer identical through training; random initialization does not. */
class ZeroInitTest {
    private static RunSettings settings(String init) {
        return RunSettings.DEFAULTS.with("mlp:16-8:tanh", "sgd:lr=0.1,momentum=0.9", init, DType.FLOAT64, 1)
                .withLoop(new TrainConfig(3, 32, true, 1));
    }

    @Test
    void zerosKeepHiddenUnitsIdentical() {
        TrainingRun run = new TrainingRun(settings("zeros"));
        run.train(new Trainer.Listener() {});
        assertEquals(Task.CLASSIFICATION, run.split.train().task());
        for (Mlp.NamedParameter p : run.model.namedParameters()) {
            if (p.name().equals("4.weight") || p.name().equals("4.bias")) continue; // outputs differ by class
            Tensor t = p.values();
            for (int unit = 1; unit < t.rows(); unit++)
                for (int j = 0; j < t.cols; j++) assertEquals(t.get(0, j), t.get(unit, j), 0, p.name() + " unit " + unit);
        }
        Tensor out = run.model.namedParameters().get(4).values(); // 4.weight: every class sees the same hidden value
        for (int k = 0; k < out.rows(); k++) for (int j = 1; j < out.cols; j++) assertEquals(out.get(k, 0), out.get(k, j), 0);
    }

    @Test
    void randomInitializationBreaksTheSymmetry() {
        TrainingRun run = new TrainingRun(settings("torch"));
        run.train(new Trainer.Listener() {});
        Tensor w = run.model.namedParameters().get(0).values();
        assertNotEquals(w.get(0, 5), w.get(1, 5));
    }
}
