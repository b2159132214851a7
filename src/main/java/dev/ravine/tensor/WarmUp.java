package dev.ravine.tensor;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * The JIT's warm-up, as {@link Parallel} sees it: until the compilers have caught up with a new process's hot code,
 * loops stay on their caller's thread where the threads take every core. A helper thread then runs kernels that are
 * not compiled yet (the Vector API interpreted, its vectors boxed on the heap) on the core a compiler needs, so the
 * compiled code arrives later and both threads wait for it. Measured on two cores (AMD EPYC Zen 5, two threads): the
 * first epoch of Fashion-MNIST 784-256-256-10 at batch 128 took 1.40-1.56 s splitting from the start and 1.20-1.32 s
 * so; {@code hessian} on the README's run a median of 3.19 s and 2.87 s (docs/performance.md, "Two threads").
 *
 * <p>The compilers count as caught up once their total compilation time grows by less than a tenth of a window of
 * {@link #WINDOW_NANOS} of wall time, or at the latest {@link #LIMIT_NANOS} after the first loop that would have
 * split; from then on for good. {@code -Dravine.warmup=split} splits from the start (the tests, which check how
 * loops split, run so).
 */
final class WarmUp {
    /** The wall time over which the compilers' progress is measured. */
    static final long WINDOW_NANOS = 50_000_000L;
    /**
     * The longest the loops wait: a process that keeps compiling (new code paths all along) splits after this. A
     * Fashion-MNIST training run's first loop comes while its data is prepared, and the rule ended 1.3-1.6 s later,
     * 0.6-0.8 s into the first epoch (Zen 5); the limit keeps a slower machine's second epoch split whatever happens.
     */
    static final long LIMIT_NANOS = 2_000_000_000L;
    /** The compilers are caught up when a window's compilation time is under 1/QUIET of its wall time. */
    static final int QUIET = 10;

    private static final boolean SPLIT_ANYWAY = "split".equals(System.getProperty("ravine.warmup"));
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final Rule RULE = new Rule();
    /** True once the rule has said so, or where it cannot be applied: read without the lock on every loop. */
    private static volatile boolean warm = SPLIT_ANYWAY;

    private WarmUp() {
    }

    /** Whether a loop that would split should stay on its thread: the JIT is warming up and no core is free for it. */
    static boolean warming() {
        return !warm && Parallel.threads() >= CORES && check();
    }

    private static synchronized boolean check() {
        if (warm) return false;
        CompilationMXBean jit = Compilers.BEAN;
        warm = jit == null || RULE.warm(System.nanoTime(), jit.getTotalCompilationTime());
        return !warm;
    }

    /** Loaded on the first question (java.management's classes take ~30 ms to load), never in a one-thread process. */
    private static final class Compilers {
        static final CompilationMXBean BEAN = bean();

        private static CompilationMXBean bean() {
            CompilationMXBean b = ManagementFactory.getCompilationMXBean();
            return b != null && b.isCompilationTimeMonitoringSupported() ? b : null;
        }
    }

    /** The rule over a clock and the compilers' total time in milliseconds, apart from where they come from. */
    static final class Rule {
        private long first = -1, windowStart, compiledAtStart;
        private boolean warm;

        /** Whether the compilers have caught up, asked at {@code now} when they have compiled for {@code compiledMillis}. */
        boolean warm(long now, long compiledMillis) {
            if (warm) return true;
            if (first < 0) {
                first = windowStart = now;
                compiledAtStart = compiledMillis;
                return false;
            }
            if (now - first >= LIMIT_NANOS) return warm = true;
            long elapsed = now - windowStart;
            if (elapsed >= WINDOW_NANOS) {
                if ((compiledMillis - compiledAtStart) * 1_000_000L * QUIET < elapsed) return warm = true;
                windowStart = now;
                compiledAtStart = compiledMillis;
            }
            return false;
        }
    }
}
