package dev.ravine.tensor;

import java.util.concurrent.locks.LockSupport;

/**
 * Splits a loop over rows between the caller and a few long-lived helper threads. Nothing is allocated per
 * call, so the kernels can go parallel on every minibatch. Each chunk does exactly the arithmetic it would do
 * alone, so results do not depend on the thread count.
 */
public final class Parallel {
    /** A loop body over rows [from, to). */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /** Below this many multiply-adds a product is not worth waking a helper for. */
    static final long MIN_PARALLEL_WORK = 1L << 17;

    /** Busy-wait rounds (~0.1 ms) before a waiting thread starts yielding its core. */
    private static final int SPINS = 2_000;

    private static volatile Helper[] helpers = new Helper[0];

    /**
     * True while the caller runs a split loop: a body that splits a loop of its own (a long dot product inside a
     * split pass) runs it in one piece, on its thread, instead of handing work to helpers that are busy with the
     * outer loop (or, on a helper, to itself).
     */
    private static boolean splitting;

    private Parallel() {
    }

    /** True inside a split loop's body, on the caller's thread or a helper's. */
    private static boolean nested() {
        return splitting || Thread.currentThread() instanceof Worker;
    }

    /** Uses {@code n} threads in all (the caller plus n - 1 helpers) from now on. */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be at least 1, got " + n);
        Helper[] old = helpers;
        if (old.length == n - 1) return;
        for (Helper h : old) h.stop();
        Helper[] fresh = new Helper[n - 1];
        for (int i = 0; i < fresh.length; i++) fresh[i] = new Helper(i);
        helpers = fresh;
    }

    public static int threads() {
        return helpers.length + 1;
    }

    /** Runs {@code body} over [0, n), split in equal chunks when {@code work} makes it worthwhile. */
    public static void forRange(int n, long work, Range body) {
        Helper[] hs = helpers;
        int parts = Math.min(hs.length + 1, n);
        if (parts <= 1 || work < MIN_PARALLEL_WORK || nested()) {
            body.run(0, n);
            return;
        }
        Throwable failed = null;
        splitting = true;
        try {
            for (int t = 1; t < parts; t++) hs[t - 1].start(body, (int) ((long) n * t / parts), (int) ((long) n * (t + 1) / parts));
            try {
                body.run(0, n / parts);
            } catch (RuntimeException | Error e) {
                failed = e;
            }
            // every helper is waited for, even after a failure here: none may still be in the body when this returns
            for (int t = 1; t < parts; t++) {
                Throwable f = hs[t - 1].await();
                if (failed == null && f != null) failed = new IllegalStateException("worker failed", f);
            }
        } finally {
            splitting = false;
        }
        if (failed instanceof RuntimeException e) throw e;
        if (failed instanceof Error e) throw e;
    }

    /**
     * Runs {@code body} over every segment [bounds[i], bounds[i + 1]), each thread taking the same share of every
     * segment (its t-th of T equal parts), so a thread meets the same rows of each tensor wherever a vector is laid
     * out as several.
     */
    public static void forSegments(int[] bounds, long work, Range body) {
        int parts = helpers.length + 1;
        if (parts <= 1 || work < MIN_PARALLEL_WORK || nested()) {
            body.run(bounds[0], bounds[bounds.length - 1]);
            return;
        }
        Shares shares = SHARES.get();
        shares.bounds = bounds;
        shares.body = body;
        shares.parts = parts;
        try {
            forRange(parts, work, shares);
        } finally {
            shares.bounds = null;
            shares.body = null;
        }
    }

    /** The t-th shares of every segment, for thread t: a reusable loop body, so nothing is allocated per call. */
    private static final class Shares implements Range {
        int[] bounds;
        Range body;
        int parts;

        @Override
        public void run(int t0, int t1) {
            for (int t = t0; t < t1; t++)
                for (int i = 0; i + 1 < bounds.length; i++) {
                    long a = bounds[i], length = bounds[i + 1] - a;
                    body.run((int) (a + length * t / parts), (int) (a + length * (t + 1) / parts));
                }
        }
    }

    private static final ThreadLocal<Shares> SHARES = ThreadLocal.withInitial(Shares::new);

    /** A helper's thread: known by its class, so that a loop split inside a helper's chunk runs there in one piece. */
    private static final class Worker extends Thread {
        Worker(Runnable helper, String name) {
            super(helper, name);
            setDaemon(true);
        }
    }

    private static final class Helper implements Runnable {
        private final Thread thread;
        private volatile Range body;
        private volatile boolean done = true;
        private volatile boolean stopped;
        private int from, to;
        private Throwable failure;

        Helper(int index) {
            thread = new Worker(this, "ravine-worker-" + (index + 1));
            thread.start();
        }

        void start(Range b, int lo, int hi) {
            from = lo;
            to = hi;
            failure = null;
            done = false;
            body = b; // written last: the helper reads from/to after seeing it
            LockSupport.unpark(thread);
        }

        /** Waits until this helper's chunk is done; what it threw, or null. */
        Throwable await() {
            // The chunks are short: spin briefly, then yield the core to anything else runnable (the JIT's
            // compiler threads, above all, while the code is still warming up).
            for (int spins = 0; !done; spins++) {
                if (spins < SPINS) Thread.onSpinWait();
                else Thread.yield();
            }
            return failure;
        }

        void stop() {
            stopped = true;
            LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            while (!stopped) {
                Range b = body;
                if (b == null) {
                    for (int spins = 0; body == null && spins < 50_000 && !stopped; spins++) {
                        if (spins < SPINS) Thread.onSpinWait();
                        else Thread.yield();
                    }
                    if (body == null && !stopped) LockSupport.park(this);
                    continue;
                }
                body = null;
                try {
                    b.run(from, to);
                } catch (Throwable e) {
                    failure = e;
                }
                done = true;
            }
        }
    }
}
