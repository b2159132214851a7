package dev.ravine.optim.schedule;

/**
 * The lectures' power schedule, lr_t = lr0 / (1 + t / decay_steps)^power: with power 1 it satisfies the
 * Robbins-Monro conditions (sum of rates infinite, sum of squares finite) that guarantee SGD's convergence.
 */
final class PowerDecay extends Schedule {
    record Config(double decaySteps, double power) {
        static final Config DEFAULTS = new Config(100, 1.0);

        Config {
            if (!(decaySteps > 0)) throw new IllegalArgumentException("decay_steps must be positive, got " + decaySteps);
            if (!(power >= 0)) throw new IllegalArgumentException("power must be non-negative, got " + power);
        }
    }

    private final Config c;

    PowerDecay(double baseLr, Config c) {
        super(baseLr);
        this.c = c;
        start();
    }

    @Override
    protected double next(double previous, double metric) {
        return baseLr / Math.pow(1 + lastEpoch / c.decaySteps(), c.power());
    }
}
