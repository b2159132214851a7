package dev.ravine.cli;

import dev.ravine.UserError;
import dev.ravine.nn.BatchNormMode;
import picocli.CommandLine.Option;

/** {@code --bn-mode train|eval} for every command that analyses a model: which statistics batch norm normalizes with. */
final class BatchNormOption {
    @Option(names = "--bn-mode", paramLabel = "train|eval",
            description = "with batch norm: eval normalizes with the running statistics (the model as evaluated), train with the statistics of "
                    + "the rows analysed (the loss training descends); no effect without batch norm (default: eval)")
    String mode = "eval";

    BatchNormMode value() {
        try {
            return BatchNormMode.parse(mode);
        } catch (IllegalArgumentException e) {
            throw new UserError("--bn-mode " + mode + ": expected train or eval");
        }
    }
}
