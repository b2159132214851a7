package dev.ravine.cli;

import dev.ravine.UserError;
import dev.ravine.curvature.ModelOnData;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options every analysis command takes to say which model, at which weights, on which data. */
final class ModelSource {
    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN_DIR", description = "a run folder: its weights, its training rows and its preprocessing")
    Path runDir;
    @Option(names = "--weights", paramLabel = "FILE", description = "safetensors weights with nn.Sequential names (with a run folder: instead of its model)")
    Path weights;
    @Option(names = "--model", paramLabel = "SPEC", description = "the weights' architecture, e.g. mlp:64-32-10:relu")
    String model;
    @Option(names = "--data", paramLabel = "NAME|FILE.csv", description = "the rows whose mean loss is analysed")
    String data;
    @Option(names = "--target", paramLabel = "COLUMN", description = "target column (default: the last)")
    String target;
    @Option(names = "--task", paramLabel = "auto|classification|regression", description = "default: auto")
    String task = "auto";
    @Option(names = "--standardize", paramLabel = "on|off", description = "standardize the data with its own statistics (default: off; a run folder applies its own)")
    OnOff standardize = OnOff.off;
    @Mixin
    ThreadsOption threads;
    @Mixin
    BatchNormOption bn;

    /** The run folder whose own model is analysed, where its results are kept for its report; null otherwise. */
    Path ownRun() {
        return runDir != null && weights == null ? runDir : null;
    }

    ModelOnData load() {
        threads.apply();
        if (runDir != null) {
            if (model != null || data != null)
                throw new UserError("give either RUN_DIR or --model and --data, not both");
            return ModelOnData.ofRun(runDir, weights, bn.value());
        }
        if (weights == null || model == null || data == null)
            throw new UserError("give a RUN_DIR, or all of --weights FILE --model SPEC --data FILE");
        return ModelOnData.of(weights, model, data, target, task, standardize.value(), bn.value());
    }
}
