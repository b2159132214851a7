package dev.ravine.report;

import java.awt.Color;
import java.nio.file.Path;

/** A learning-rate schedule as a line over the steps, on a log scale when it spans more than a factor of 100. */
public final class SchedulePlot {
    private SchedulePlot() {
    }

    public static void save(String spec, double[] rates, Path file) {
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (double r : rates) {
            if (r > 0) lo = Math.min(lo, r);
            hi = Math.max(hi, r);
        }
        boolean log = hi > 0 && lo < Double.POSITIVE_INFINITY && hi / lo > 100;
        double[] steps = new double[rates.length];
        for (int k = 0; k < steps.length; k++) steps[k] = k;
        Chart chart = new Chart(spec, "step", "learning rate", 0, Math.max(1, rates.length - 1),
                log ? lo / 1.5 : 0, log ? hi * 1.5 : Math.max(hi * 1.08, 1e-12), log);
        chart.layer(frame -> frame.polyline(steps, rates, Chart.PALETTE[1], 2.2f, rates.length <= 120));
        chart.save(file);
    }
}
