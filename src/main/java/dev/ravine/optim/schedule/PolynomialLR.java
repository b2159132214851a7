package dev.ravine.optim.schedule;

/** {@code torch.optim.lr_scheduler.PolynomialLR}: lr0 (1 - t / total_iters)^power, then constant. */
final class PolynomialLR extends Schedule {
    record Config(int totalIters, double power) {
        static final Config DEFAULTS = new Config(5, 1.0);
    }

    private final Config c;

    PolynomialLR(double baseLr, Config c) {
        super(baseLr);
        if (c.totalIters() < 1) throw new IllegalArgumentException("total_iters must be a positive integer, got " + c.totalIters());
        this.c = c;
        start();
    }

    @Override
    protected double next(double previous, double metric) {
        if (lastEpoch > c.totalIters()) return previous;
        double n = c.totalIters();
        return previous * Math.pow((1.0 - lastEpoch / n) / (1.0 - (lastEpoch - 1) / n), c.power());
    }
}
