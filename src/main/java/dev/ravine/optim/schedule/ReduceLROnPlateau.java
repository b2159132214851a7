package dev.ravine.optim.schedule;

/**
 * {@code torch.optim.lr_scheduler.ReduceLROnPlateau}: multiply the rate by factor when the watched figure (the
 * validation loss in {@code train}) has not improved by more than threshold for patience steps, then wait
 * cooldown steps before counting again.
 */
final class ReduceLROnPlateau extends Schedule {
    record Config(String mode, double factor, int patience, double threshold, String thresholdMode, int cooldown, double minLr, double eps) {
        static final Config DEFAULTS = new Config("min", 0.1, 10, 1e-4, "rel", 0, 0, 1e-8);

        Config {
            if (!(factor < 1.0)) throw new IllegalArgumentException("Factor should be < 1.0.");
            if (!mode.equals("min") && !mode.equals("max")) throw new IllegalArgumentException("mode " + mode + " is unknown!");
            if (!thresholdMode.equals("rel") && !thresholdMode.equals("abs"))
                throw new IllegalArgumentException("threshold mode " + thresholdMode + " is unknown!");
        }
    }

    private final Config c;
    private double best;
    private int badEpochs, cooldownCounter;

    ReduceLROnPlateau(double baseLr, Config c) {
        super(baseLr);
        this.c = c;
        best = c.mode().equals("min") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        start();
    }

    @Override
    public boolean watchesMetric() {
        return true;
    }

    @Override
    protected double next(double previous, double metric) {
        if (Double.isNaN(metric)) throw new IllegalArgumentException("plateau needs a metric to watch each step");
        if (isBetter(metric)) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            badEpochs = 0;
        }
        if (badEpochs > c.patience()) {
            cooldownCounter = c.cooldown();
            badEpochs = 0;
            double reduced = Math.max(previous * c.factor(), c.minLr());
            if (previous - reduced > c.eps()) return reduced;
        }
        return previous;
    }

    private boolean isBetter(double a) {
        boolean min = c.mode().equals("min"), rel = c.thresholdMode().equals("rel");
        if (min) return rel ? a < best * (1 - c.threshold()) : a < best - c.threshold();
        return rel ? a > best * (c.threshold() + 1) : a > best + c.threshold();
    }
}
