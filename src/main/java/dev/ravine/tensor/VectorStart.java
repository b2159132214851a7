package dev.ravine.tensor;

import java.util.function.IntUnaryOperator;

/**
 * When a vector loop takes over from its scalar twin, for kernels whose twin gives the same bits (so which of the two
 * takes an entry is a matter of speed alone): one instance per function and pass, kept by {@link Float32Kernel} and
 * {@link Float64Kernel}.
 *
 * <p>Until C2 has compiled a vector loop, the interpreter and C1 box each of its operations, ~10 us a vector compiled by
 * C1; run on whole calls from the start, tanh's loop took 0.1-0.3 s of a process's first second (a small tanh network
 * on breast_cancer 7% longer than with Math's tanh, a sigmoid experiment on digits 10%). So the twin takes the first
 * {@link #TWIN_FIRST} entries (fewer where the twin is slow); then each call times the loop over {@link #PROBE} vectors
 * and leaves the rest to the twin until a probe runs at a compiled loop's speed. The probes' calls are what gets the
 * loop compiled.
 *
 * <p>The counts are racy on purpose: a lost update only delays the switch, and both paths give the same bits.
 */
final class VectorStart {
    /**
     * The vectors a probe of the loop takes, the time under which it counts as compiled (a probe of tanh's loop took
     * 60-120 ns compiled by C2, 20-40 us compiled by C1 and 0.5-1.5 ms interpreted, AMD EPYC Zen 5, 128 and 512 bits),
     * and the probes after which the loop is taken as compiled anyway, for a clock too coarse to tell.
     */
    static final int PROBE = 4, PROBES_AT_MOST = 1 << 14;
    static final long PROBE_NANOS = 1_000;
    /**
     * The entries the scalar twin takes before any probe. Starting a vector loop costs 0.1-0.15 s once in a training
     * run (its first call 45-110 ms, loading the Vector API's vectors of another kind and their method handles; then
     * some fifty probes in the interpreter and C1 until C2 has it), and a loop saves 1.3-6 ns an entry: 2^24 entries
     * by the twin cost about what starting the loop does, so a process that computes fewer never pays for it, and none
     * pays more than twice the better choice. Where the twin costs 15-25 ns an entry (Softplus's and Mish's, whose
     * loops save 12-20), the same rule gives 2^22 ({@link #SLOW_TWIN_FIRST}).
     */
    static final long TWIN_FIRST = 1 << 24, SLOW_TWIN_FIRST = 1 << 22;

    private final long twinFirst;
    private long twinned;
    private int probes;
    private boolean compiled;

    /** A start whose twin takes the first {@link #TWIN_FIRST} entries. */
    VectorStart() {
        this(TWIN_FIRST);
    }

    /** A start whose twin takes the first {@code twinFirst} entries. */
    VectorStart(long twinFirst) {
        this.twinFirst = twinFirst;
    }

    /** The entries the twin takes before any probe. */
    long twinFirst() {
        return twinFirst;
    }

    /** Whether the loop takes whole calls now. */
    boolean compiled() {
        return compiled;
    }

    /**
     * Runs the vector loop over as many of a call's n entries as it takes now, {@code whole} of them (a multiple of the
     * lanes, four or more) once compiled, else a probe's {@link #PROBE} vectors after the twin's first entries, else
     * none; returns how many, the rest being the twin's. {@code loop} takes a count of entries and returns it.
     */
    int run(int n, int whole, int lanes, IntUnaryOperator loop) {
        if (compiled) return loop.applyAsInt(whole);
        if (twinned < twinFirst) {
            twinned += n;
            return 0;
        }
        if (whole < PROBE * lanes) return 0;
        long begin = System.nanoTime();
        int done = loop.applyAsInt(PROBE * lanes);
        if (System.nanoTime() - begin < PROBE_NANOS || ++probes >= PROBES_AT_MOST) compiled = true;
        return done;
    }

    /** The probes so far: for the tests. */
    int probes() {
        return probes;
    }
}
