package dev.ravine.optim.schedule;

import dev.ravine.optim.Required;

/** {@code torch.optim.lr_scheduler.ExponentialLR}: multiply by gamma every step. */
final class ExponentialLR extends Schedule {
    record Config(@Required double gamma) {
        static final Config DEFAULTS = new Config(Double.NaN);
    }

    private final double gamma;

    ExponentialLR(double baseLr, Config c) {
        super(baseLr);
        if (Double.isNaN(c.gamma())) throw new IllegalArgumentException("gamma is required, e.g. exponential:gamma=0.93");
        gamma = c.gamma();
        start();
    }

    @Override
    protected double next(double previous, double metric) {
        return previous * gamma;
    }
}
