package dev.ravine.cli;

import dev.ravine.train.Threads;
import picocli.CommandLine.Option;

/** {@code --threads N}, as train has it, for every command that computes on a model. */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", description = "threads for the matrix kernels (default: the machine's cores, ${DEFAULT-VALUE}); results do not depend on it")
    int threads = Threads.available();

    /** Checks the count and makes the kernels use it. */
    void apply() {
        Threads.use(threads);
    }
}
