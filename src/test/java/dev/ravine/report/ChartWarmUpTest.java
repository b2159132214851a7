package dev.ravine.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChartWarmUpTest {
    /** One warm-up a JVM, a daemon that ends on its own; charts drawn meanwhile and after are whole PNGs. */
    @Test
    void warmsUpOnceOnADaemonThatEnds() throws Exception {
        Thread first = ChartWarmUp.start(); // null where a training run earlier in this JVM started it
        assertNull(ChartWarmUp.start(), "a second call starts nothing");
        LineChart c = new LineChart("loss", "epoch", "loss", "");
        c.add("train", new double[] {1, 2, 3}, new double[] {1, 0.5, 0.25});
        byte[] during = c.png();
        if (first != null) {
            assertTrue(first.isDaemon());
            first.join(60_000);
            assertFalse(first.isAlive(), "the warm-up ended");
        }
        byte[] after = c.png();
        assertTrue(during.length > 8 && during[1] == 'P' && during[2] == 'N' && during[3] == 'G', "a PNG");
        assertTrue(java.util.Arrays.equals(during, after), "the same chart, the same bytes, whatever the warm-up did");
    }
}
