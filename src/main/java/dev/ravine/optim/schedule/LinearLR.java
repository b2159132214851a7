package dev.ravine.optim.schedule;

/** {@code torch.optim.lr_scheduler.LinearLR}: the factor moves linearly from start_factor to end_factor over total_iters steps. */
final class LinearLR extends Schedule {
    record Config(double startFactor, double endFactor, int totalIters) {
        static final Config DEFAULTS = new Config(1.0 / 3, 1.0, 5);

        Config {
            if (!(startFactor > 0 && startFactor <= 1))
                throw new IllegalArgumentException("Starting multiplicative factor expected to be greater than 0 and less or equal to 1.");
            if (!(endFactor >= 0 && endFactor <= 1))
                throw new IllegalArgumentException("Ending multiplicative factor expected to be between 0 and 1.");
        }
    }

    private final Config c;

    LinearLR(double baseLr, Config c) {
        super(baseLr);
        this.c = c;
        start();
    }

    @Override
    protected double first() {
        return baseLr * c.startFactor();
    }

    @Override
    protected double next(double previous, double metric) {
        if (lastEpoch > c.totalIters()) return previous;
        double span = c.endFactor() - c.startFactor();
        return previous * (1 + span / (c.totalIters() * c.startFactor() + (lastEpoch - 1) * span));
    }
}
