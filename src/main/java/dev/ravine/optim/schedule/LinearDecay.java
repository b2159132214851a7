package dev.ravine.optim.schedule;

import dev.ravine.optim.Required;

/**
 * The lectures' linear decay (Goodfellow, Bengio &amp; Courville 2016, section 8.3.1): lr_k = (1 - k / tau) lr0 +
 * (k / tau) lr_tau for k &lt;= tau = steps, then constant at lr_tau = end_lr.
 */
final class LinearDecay extends Schedule {
    record Config(@Required double endLr, @Required int steps) {
        static final Config DEFAULTS = new Config(Double.NaN, 0);
    }

    private final Config c;

    LinearDecay(double baseLr, Config c) {
        super(baseLr);
        if (Double.isNaN(c.endLr()) || c.endLr() < 0) throw new IllegalArgumentException("end_lr is required and must be non-negative");
        if (c.steps() < 1) throw new IllegalArgumentException("steps must be a positive integer, got " + c.steps());
        this.c = c;
        start();
    }

    @Override
    protected double next(double previous, double metric) {
        if (lastEpoch >= c.steps()) return c.endLr();
        double a = (double) lastEpoch / c.steps();
        return (1 - a) * baseLr + a * c.endLr();
    }
}
