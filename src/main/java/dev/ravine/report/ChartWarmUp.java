package dev.ravine.report;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Draws one throwaway chart on a background thread, so that the first real one finds Java2D, its fonts, XChart and
 * the PNG encoder loaded. Loading them takes a new JVM a few hundred milliseconds, which a training run would
 * otherwise spend at its end, writing its report, after the work it overlaps here. A daemon thread: it never holds
 * the process open, and whatever it meets (no fonts on a bare machine, say) is left for the real chart to report.
 */
public final class ChartWarmUp {
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private ChartWarmUp() {
    }

    /** Starts the warm-up once per JVM: its thread, or null where an earlier call started it. */
    public static Thread start() {
        if (!STARTED.compareAndSet(false, true)) return null;
        Thread t = new Thread(ChartWarmUp::draw, "ravine-chart-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }

    private static void draw() {
        try {
            LineChart c = new LineChart("warm-up", "epoch", "loss", "");
            c.add("train", new double[] {1, 2}, new double[] {1, 0.5});
            c.png();
        } catch (Throwable ignored) { // a warm-up; the report's own charts say what is wrong, if anything is
        }
    }
}
