package dev.ravine.optim.schedule;

import dev.ravine.optim.Required;

/**
 * {@code torch.optim.lr_scheduler.CosineAnnealingLR} (Loshchilov &amp; Hutter 2017, without restarts): the rate follows
 * eta_min + (lr0 - eta_min)(1 + cos(pi t / t_max)) / 2, computed as PyTorch does, by the ratio of consecutive
 * cosines, and continuing past t_max as a cosine of period 2 t_max.
 */
final class CosineAnnealingLR extends Schedule {
    record Config(@Required int tMax, double etaMin) {
        static final Config DEFAULTS = new Config(0, 0);
    }

    private final Config c;

    CosineAnnealingLR(double baseLr, Config c) {
        super(baseLr);
        if (c.tMax() < 1) throw new IllegalArgumentException("t_max must be a positive integer (it has no default, as in PyTorch), got " + c.tMax());
        this.c = c;
        start();
    }

    @Override
    protected double next(double previous, double metric) {
        int t = lastEpoch, tMax = c.tMax();
        double etaMin = c.etaMin();
        if (Math.floorMod(t - 1 - tMax, 2 * tMax) == 0)
            return previous + (baseLr - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
        return (1 + Math.cos(Math.PI * t / tMax)) / (1 + Math.cos(Math.PI * (t - 1) / tMax)) * (previous - etaMin) + etaMin;
    }
}
