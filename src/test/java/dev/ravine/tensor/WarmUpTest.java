package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WarmUpTest {
    private static final long MS = 1_000_000L;

    /** While the compilers' time grows by a tenth of each window or more, the loops keep waiting; a quiet window ends it. */
    @Test
    void warmOnceAWindowPassesWithLittleCompilation() {
        WarmUp.Rule rule = new WarmUp.Rule();
        long window = WarmUp.WINDOW_NANOS / MS;
        assertFalse(rule.warm(0, 1000)); // the first question starts the first window
        assertFalse(rule.warm(10 * MS, 1001), "inside the window");
        long compiled = 1000;
        for (long t = window; t < 20 * window; t += window) {
            compiled += window / WarmUp.QUIET; // exactly a tenth: still busy
            assertFalse(rule.warm(t * MS, compiled), "busy window ending at " + t + " ms");
        }
        assertFalse(rule.warm(20 * window * MS + MS, compiled + window / WarmUp.QUIET + 1), "a busy window");
        assertTrue(rule.warm(21 * window * MS + 2 * MS, compiled + window / WarmUp.QUIET + 2), "a quiet window");
        assertTrue(rule.warm(22 * window * MS, compiled + 10_000), "for good");
    }

    /** A process that never stops compiling splits its loops after the limit. */
    @Test
    void warmAtTheLimitWhateverTheCompilersDo() {
        WarmUp.Rule rule = new WarmUp.Rule();
        long t = 5 * MS, compiled = 0;
        assertFalse(rule.warm(t, compiled));
        for (; t < 5 * MS + WarmUp.LIMIT_NANOS; t += WarmUp.WINDOW_NANOS / 2) assertFalse(rule.warm(t, compiled += 100));
        assertTrue(rule.warm(t, compiled + 100));
    }

    /** The test JVMs split from the start (-Dravine.warmup=split), which ParallelTest and the others rely on. */
    @Test
    void theTestsSplitFromTheStart() {
        assertEquals("split", System.getProperty("ravine.warmup"));
        assertFalse(WarmUp.warming());
    }
}
