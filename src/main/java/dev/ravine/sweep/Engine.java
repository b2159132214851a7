package dev.ravine.sweep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Where a sweep's runs train: this machine's cores ({@link Local}), or a cluster (the {@code ravine-spark} module's
 * engine, found through {@link Provider}). Each run is {@link Sweep#run}, deterministic, so the rows are the same
 * whichever engine trained them.
 */
public interface Engine {
    /** Trains each of {@code todo} into its folder under {@code out/runs} and reports each outcome as it arrives, from any thread. */
    void run(Sweep sweep, List<Trial> todo, Path out, BiConsumer<Trial, Outcome> done) throws IOException;

    /** An engine that lives in another module, found with {@link java.util.ServiceLoader}. */
    interface Provider {
        String name();

        /**
         * The engine for a sweep given by {@code args} (the {@code ravine sweep} arguments, which each task parses
         * again to make its run's settings), on the cluster at {@code master} (null: as the launcher says).
         */
        Engine create(String master, List<String> args);
    }

    /** {@code n} runs at once on this machine, each on one thread. */
    record Local(int workers) implements Engine {
        public Local {
            if (workers < 1) throw dev.ravine.UserError.setting("parallel", workers, "expected 1 or more");
        }

        @Override
        public void run(Sweep sweep, List<Trial> todo, Path out, BiConsumer<Trial, Outcome> done) throws IOException {
            Sweep one = workers == 1 ? sweep : sweep.onOneThread();
            java.util.concurrent.ConcurrentLinkedQueue<Trial> queue = new java.util.concurrent.ConcurrentLinkedQueue<>(todo);
            Sweep.runAll(() -> {
                for (Trial t; (t = queue.poll()) != null; ) done.accept(t, one.run(t, out.resolve(Sweep.RUNS).resolve(t.folder())));
            }, workers);
        }
    }
}
