package dev.ravine.train;

import dev.ravine.UserError;
import dev.ravine.tensor.Parallel;

/** The {@code --threads} setting every command that computes takes: how many threads the kernels split work over. */
public final class Threads {
    /** The most threads a command accepts. */
    public static final int MAX = 256;

    private Threads() {
    }

    /** The machine's cores: the default. */
    public static int available() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Checks {@code n} and makes the kernels use it from now on. Results do not depend on it, only the speed. */
    public static void use(int n) {
        if (n < 1 || n > MAX) throw UserError.setting("threads", n, "expected 1 to " + MAX);
        Parallel.setThreads(n);
    }
}
