package dev.ravine.tensor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits a loop over rows between the caller and a few long-lived helper threads. Nothing is allocated per
 * call, so the kernels can go parallel on every minibatch. Each chunk does exactly the arithmetic it would do
 * alone, so results do not depend on the thread count, nor on which thread ran which chunk.
 *
 * <p>A split loop is cut into units of a few microseconds' work. Each thread starts on its own share, the same one
 * every time (so it meets the same rows of the weights, still in its cache from the last step), taking its units
 * from the front; one that runs out takes units from the back of the share with the most left. Equal shares do not
 * take equal times on cores whose speed varies from moment to moment: with fixed halves, the thread that finished
 * first waited for the other through 9-22% of a two-thread training step.
 *
 * <p>Loops stay on their caller's thread while the JIT warms up where the threads take every core ({@link WarmUp}),
 * and through a {@link #serialBelow} stretch. The helpers serve one caller at a time: a thread whose loop finds them
 * busy with another thread's (two trainings side by side in one application) runs it in one piece.
 */
public final class Parallel {
    /** A loop body over rows [from, to). */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /** Below this many multiply-adds a product is not worth waking a helper for. */
    static final long MIN_PARALLEL_WORK = 1L << 17;

    /**
     * Below this many multiply-adds for each float lane of the kernels' vectors, a repeated unit of work (a training
     * step) runs every loop on its caller's thread ({@link #serialBelow}): 16M at 512 bits, 8M at 256, 4M at 128, 1M
     * with the scalar kernels. A split loop moves the data its threads share between their cores' caches, and in a
     * small step that costs more than the helper saves, though each loop alone is large enough to split. The line
     * follows the vector width because the arithmetic's speed does and the cost of moving data does not: on two
     * cores (AMD EPYC Zen 5) two threads stopped losing to one between 16M and 20M a step at 512 bits, 4M and 16M with
     * AVX2, 1M and 8M at 128 bits (docs/performance.md, "Two threads").
     */
    static final long MIN_PARALLEL_STEP_PER_LANE = 1L << 20;

    /**
     * The work of one unit of a split loop, at least (in multiply-adds, a few microseconds): a finished thread takes a
     * slower one's last units one at a time, so they are short, but each costs a compare-and-set to take.
     */
    static final long UNIT_WORK = 1L << 16;

    /** Units a segmented loop ({@link #forSegments}) cuts each thread's share into. */
    static final int UNITS_PER_THREAD = 8;

    /** Busy-wait rounds (~0.1 ms) before a waiting thread starts yielding its core. */
    private static final int SPINS = 2_000;

    private static volatile Helper[] helpers = new Helper[0];

    /** The split loop in progress, sized for the helpers: one at a time, as the helpers serve one caller. */
    private static volatile Split loop = new Split(1);

    /**
     * The thread whose split loop the helpers are running, or null. Its body may split a loop of its own (a long dot
     * product inside a split pass): that one runs in one piece, on its thread, instead of going to helpers busy with
     * the outer loop (or, on a helper, to itself). Any other thread that finds the helpers taken does the same.
     */
    private static final AtomicReference<Thread> OWNER = new AtomicReference<>();

    /** Whether the calling thread is inside a {@link #serialBelow} stretch, whose loops all run in one piece. */
    private static final ThreadLocal<Boolean> SERIAL = ThreadLocal.withInitial(() -> false);

    private Parallel() {
    }

    /** True where loops run in one piece: inside a split loop's body (the caller's or a helper's) or a serial stretch. */
    private static boolean nested() {
        Thread t = Thread.currentThread();
        return t instanceof Worker || t == OWNER.get() || SERIAL.get();
    }

    /**
     * Whether a loop of {@code work} multiply-adds that {@code parts} threads could share runs on its caller's thread:
     * one part, too little work to wake a helper, a loop inside a split one or a serial stretch, or the JIT warming up.
     */
    private static boolean inOnePiece(int parts, long work) {
        return parts <= 1 || work < MIN_PARALLEL_WORK || nested() || WarmUp.warming();
    }

    /** Whether the loops the calling thread runs stay on it for a {@link #serialBelow} stretch. */
    public static boolean serialHere() {
        return SERIAL.get();
    }

    /** The least work of a repeated unit that its loops are split for, on the kernels in use. */
    public static long minParallelStep() {
        return MIN_PARALLEL_STEP_PER_LANE * Kernels.floatLanes();
    }

    /**
     * Until the returned stretch is closed, every loop the calling thread runs stays on it, where the unit of work
     * repeated inside (a training step) takes fewer than {@link #minParallelStep} multiply-adds and there are
     * helpers to leave idle. Stretches nest; each restores what it found.
     */
    public static Serial serialBelow(long work) {
        boolean previous = SERIAL.get();
        if (work < minParallelStep() && helpers.length > 0) SERIAL.set(true);
        return new Serial(previous);
    }

    /** A stretch opened by {@link #serialBelow}: closing it puts back the state before it. */
    public static final class Serial implements AutoCloseable {
        private final boolean previous;

        private Serial(boolean previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            SERIAL.set(previous);
        }
    }

    /**
     * Uses {@code n} threads in all (the caller plus n - 1 helpers) from now on. A split loop in progress on another
     * thread keeps the helpers it started with until it ends.
     */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be at least 1, got " + n);
        Helper[] old = helpers;
        if (old.length == n - 1) return;
        Thread me = Thread.currentThread();
        if (me instanceof Worker || OWNER.get() == me) throw new IllegalStateException("threads changed inside a split loop");
        while (!OWNER.compareAndSet(null, me)) Thread.yield();
        try {
            for (Helper h : old) h.stop();
            Helper[] fresh = new Helper[n - 1];
            for (int i = 0; i < fresh.length; i++) fresh[i] = new Helper(i);
            loop = new Split(n);
            helpers = fresh;
        } finally {
            OWNER.set(null);
        }
    }

    public static int threads() {
        return helpers.length + 1;
    }

    /** Runs {@code body} over [0, n), split between the threads when {@code work} makes it worthwhile. */
    public static void forRange(int n, long work, Range body) {
        forRange(n, 1, work, body);
    }

    /**
     * As {@link #forRange(int, long, Range)}, with every piece but the last a whole number of {@code multiple}
     * indices: for a body that works in blocks (packing panels whose rows are turned L at a time).
     */
    public static void forRange(int n, int multiple, long work, Range body) {
        range(n, multiple, work, false, body);
    }

    /**
     * As {@link #forRange(int, int, long, Range)}, in one piece a thread: for a body that sets up more for each piece
     * than a short unit's work repays (a product's row panels, every piece of which packs all of B). A thread that
     * finishes first takes another's piece only if that one has not started it.
     */
    public static void forShares(int n, int multiple, long work, Range body) {
        range(n, multiple, work, true, body);
    }

    private static void range(int n, int multiple, long work, boolean shares, Range body) {
        if (multiple < 1) throw new IllegalArgumentException("blocks of " + multiple + " indices");
        int parts = Math.min(helpers.length + 1, (n + multiple - 1) / multiple);
        if (inOnePiece(parts, work) || !OWNER.compareAndSet(null, Thread.currentThread())) {
            body.run(0, n);
            return;
        }
        split(n, multiple, shares ? parts : (int) Math.max(parts, Math.min(work / UNIT_WORK, Integer.MAX_VALUE)), parts, body);
    }

    /**
     * Runs {@code body} over [0, n) on {@code parts} threads, in at most {@code units} units of whole blocks of
     * {@code multiple} indices; the calling thread holds the helpers ({@link #OWNER}) and hands them back.
     */
    private static void split(int n, int multiple, int units, int parts, Range body) {
        Helper[] hs = helpers;
        Split s = loop;
        Throwable failed = null;
        try {
            parts = Math.min(parts, hs.length + 1); // the helpers may have changed before this thread held them
            s.prepare(body, n, multiple, parts, units);
            for (int t = 1; t < parts; t++) hs[t - 1].start(s, t);
            try {
                s.work(0);
            } catch (RuntimeException | Error e) {
                failed = e;
            }
            // every helper is waited for, even after a failure here: none may still be in the body when this returns
            for (int t = 1; t < parts; t++) {
                Throwable f = hs[t - 1].await();
                if (failed == null && f != null) failed = new IllegalStateException("worker failed", f);
            }
        } finally {
            s.body = null;
            OWNER.set(null);
        }
        if (failed instanceof RuntimeException e) throw e;
        if (failed instanceof Error e) throw e;
    }

    /**
     * Runs {@code body} over every segment [bounds[i], bounds[i + 1]), each thread starting on the same share of
     * every segment (its t-th of T equal parts), so a thread meets the same rows of each tensor wherever a vector is
     * laid out as several.
     */
    public static void forSegments(int[] bounds, long work, Range body) {
        int parts = helpers.length + 1;
        if (inOnePiece(parts, work) || !OWNER.compareAndSet(null, Thread.currentThread())) {
            body.run(bounds[0], bounds[bounds.length - 1]);
            return;
        }
        Shares shares = SHARES.get();
        shares.bounds = bounds;
        shares.body = body;
        shares.count = parts * UNITS_PER_THREAD;
        try {
            split(shares.count, 1, shares.count, parts, shares); // a unit per piece, so each thread starts on its share
        } finally {
            shares.bounds = null;
            shares.body = null;
        }
    }

    /**
     * Piece u of {@code count} equal pieces of every segment: a reusable loop body, so nothing is allocated per
     * call. Thread t's units, pieces [t count / T, (t + 1) count / T), make up its t-th of T parts of each segment.
     */
    private static final class Shares implements Range {
        int[] bounds;
        Range body;
        int count;

        @Override
        public void run(int u0, int u1) {
            for (int u = u0; u < u1; u++)
                for (int i = 0; i + 1 < bounds.length; i++) {
                    long a = bounds[i], length = bounds[i + 1] - a;
                    int from = (int) (a + length * u / count), to = (int) (a + length * (u + 1) / count);
                    if (to > from) body.run(from, to);
                }
        }
    }

    private static final ThreadLocal<Shares> SHARES = ThreadLocal.withInitial(Shares::new);

    /**
     * A split loop's units and who has taken which. Thread t's share is a run of units; its claim word holds the
     * first unit not yet taken and the end of the run, so the owner takes from the front and another thread from the
     * back, each by one compare-and-set, and no unit is run twice.
     */
    private static final class Split {
        private static final VarHandle CLAIMS = MethodHandles.arrayElementVarHandle(long[].class);
        /** Longs between two threads' claim words: 128 bytes, so no two share a cache line or a prefetched pair. */
        private static final int PAD = 16;
        private final long[] claims;
        private Range body;
        private int n, multiple, blocks, units, parts;

        Split(int threads) {
            claims = new long[threads * PAD];
        }

        /**
         * Cuts [0, n) into at most {@code most} units of whole blocks of {@code multiple} indices, shared out to
         * {@code parts} threads.
         */
        void prepare(Range body, int n, int multiple, int parts, int most) {
            this.body = body;
            this.n = n;
            this.multiple = multiple;
            this.parts = parts;
            blocks = (n + multiple - 1) / multiple;
            units = Math.min(blocks, most);
            for (int t = 0; t < parts; t++) CLAIMS.setVolatile(claims, t * PAD, claim((int) ((long) units * t / parts), (int) ((long) units * (t + 1) / parts)));
        }

        private static long claim(int next, int end) {
            return (long) next << 32 | end & 0xffffffffL;
        }

        /** The first index of unit u (n for u = units). */
        int start(int u) {
            return (int) Math.min(n, (long) blocks * u / units * multiple);
        }

        /** Thread t's part: its own units, then those left at the back of the others' shares. */
        void work(int t) {
            for (int u; (u = takeFront(t)) >= 0; ) body.run(start(u), start(u + 1));
            for (int v; (v = fullest(t)) >= 0; ) {
                int u = takeBack(v);
                if (u >= 0) body.run(start(u), start(u + 1));
            }
        }

        private int takeFront(int t) {
            for (;;) {
                long c = (long) CLAIMS.getVolatile(claims, t * PAD);
                int next = (int) (c >>> 32), end = (int) c;
                if (next >= end) return -1;
                if (CLAIMS.compareAndSet(claims, t * PAD, c, claim(next + 1, end))) return next;
            }
        }

        private int takeBack(int v) {
            for (;;) {
                long c = (long) CLAIMS.getVolatile(claims, v * PAD);
                int next = (int) (c >>> 32), end = (int) c;
                if (next >= end) return -1;
                if (CLAIMS.compareAndSet(claims, v * PAD, c, claim(next, end - 1))) return end - 1;
            }
        }

        /** The share other than t's with the most units left, or -1 when none has any. */
        private int fullest(int t) {
            int best = -1, most = 0;
            for (int v = 0; v < parts; v++) {
                if (v == t) continue;
                long c = (long) CLAIMS.getVolatile(claims, v * PAD);
                int left = (int) c - (int) (c >>> 32);
                if (left > most) {
                    most = left;
                    best = v;
                }
            }
            return best;
        }
    }

    /** A helper's thread: known by its class, so that a loop split inside a helper's chunk runs there in one piece. */
    private static final class Worker extends Thread {
        Worker(Runnable helper, String name) {
            super(helper, name);
            setDaemon(true);
        }
    }

    private static final class Helper implements Runnable {
        private final Thread thread;
        private volatile Split task;
        private volatile boolean done = true;
        private volatile boolean stopped;
        private int part;
        private Throwable failure;

        Helper(int index) {
            thread = new Worker(this, "ravine-worker-" + (index + 1));
            thread.start();
        }

        void start(Split s, int t) {
            part = t;
            failure = null;
            done = false;
            task = s; // written last: the helper reads part after seeing it
            LockSupport.unpark(thread);
        }

        /** Waits until this helper's part is done; what it threw, or null. */
        Throwable await() {
            // The units are short: spin briefly, then yield the core to anything else runnable (the JIT's
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
                Split s = task;
                if (s == null) {
                    for (int spins = 0; task == null && spins < 50_000 && !stopped; spins++) {
                        if (spins < SPINS) Thread.onSpinWait();
                        else Thread.yield();
                    }
                    if (task == null && !stopped) LockSupport.park(this);
                    continue;
                }
                task = null;
                try {
                    s.work(part);
                } catch (Throwable e) {
                    failure = e;
                }
                done = true;
            }
        }
    }
}
