package dev.ravine.optim.schedule;

/**
 * {@code torch.optim.lr_scheduler.ConstantLR}: the rate times factor for the first total_iters steps, then the base
 * rate again; the usual constant warm-up before another schedule takes over ({@code constant:factor=0.1,total_iters=2+...}).
 */
final class ConstantLR extends Schedule {
    record Config(double factor, int totalIters) {
        static final Config DEFAULTS = new Config(1.0 / 3, 5);

        Config {
            if (factor > 1.0 || factor < 0) throw new IllegalArgumentException("Constant multiplicative factor expected to be between 0 and 1.");
            // PyTorch accepts 0, then divides by it when the warm-up ends
            if (factor == 0) throw new IllegalArgumentException("factor=0 would leave no rate to return to the base one from");
            if (totalIters < 0) throw new IllegalArgumentException("total_iters must be a non-negative integer, got " + totalIters);
        }
    }

    private final Config c;

    ConstantLR(double baseLr, Config c) {
        super(baseLr);
        this.c = c;
        start();
    }

    @Override
    protected double first() {
        return baseLr * c.factor();
    }

    @Override
    protected double next(double previous, double metric) {
        return lastEpoch == c.totalIters() ? previous * (1.0 / c.factor()) : previous;
    }
}
