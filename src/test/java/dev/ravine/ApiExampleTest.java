package dev.ravine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.data.Datasets;
import dev.ravine.data.Split;
import dev.ravine.data.Standardization;
import dev.ravine.nn.Init;
import dev.ravine.nn.Mlp;
import dev.ravine.nn.MlpSpec;
import dev.ravine.nn.SoftmaxCrossEntropy;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.DType;
import dev.ravine.train.TrainConfig;
import dev.ravine.train.MinibatchTrainer;
import dev.ravine.train.Trainer;
import org.junit.jupiter.api.Test;

/** The Java example in the README, kept compiling and working: keep the two in step. */
class ApiExampleTest {
    @Test
    void readmeExampleTrainsDigits() {
        // --- README example begins ---
        var data = Datasets.load("digits", null, null, DType.FLOAT32).data();
        var split = Split.of(data, 0.2, 42);
        var scaling = Standardization.fit(split.train().x());
        scaling.apply(split.train().x());
        scaling.apply(split.validation().x());

        var model = new Mlp(MlpSpec.parse("mlp:64:tanh"), data.features(), data.outputs(), DType.FLOAT32, 256);
        Init.TORCH.apply(model, 42);
        var optimizer = Optimizers.parse("sgd:lr=0.05,momentum=0.9,nesterov=true");
        var trainer = new MinibatchTrainer(model.network, new SoftmaxCrossEntropy(), optimizer, new TrainConfig(20, 32, true, 42));
        var history = trainer.fit(split.train(), split.validation(), null, new Trainer.Listener() {});
        System.out.println("validation accuracy " + history.getLast().valAccuracy());
        // --- README example ends ---
        assertTrue(history.getLast().valAccuracy() > 0.95, "accuracy " + history.getLast().valAccuracy());
    }
}
