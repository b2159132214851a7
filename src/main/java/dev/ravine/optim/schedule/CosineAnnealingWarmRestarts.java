package dev.ravine.optim.schedule;

import dev.ravine.optim.Required;

/**
 * {@code torch.optim.lr_scheduler.CosineAnnealingWarmRestarts}, SGDR (Loshchilov &amp; Hutter 2017): cosine annealing
 * from the base rate to eta_min over t_0 steps, then back to the base rate at once (a warm restart), each cycle
 * t_mult times longer than the last. PyTorch computes each rate in closed form from T_cur, the steps since the last
 * restart, and so does this.
 */
final class CosineAnnealingWarmRestarts extends Schedule {
    record Config(@Required int t_0, int tMult, double etaMin) {
        static final Config DEFAULTS = new Config(0, 1, 0);
    }

    private final Config c;
    /** Steps since the last restart, and the length of the current cycle: SGDR's T_cur and T_i. */
    private long tCur, tI;

    CosineAnnealingWarmRestarts(double baseLr, Config c) {
        super(baseLr);
        if (c.t_0() <= 0) throw new IllegalArgumentException("Expected positive integer t_0, but got " + c.t_0());
        if (c.tMult() < 1) throw new IllegalArgumentException("Expected integer t_mult >= 1, but got " + c.tMult());
        this.c = c;
        tI = c.t_0();
        start();
    }

    @Override
    protected double first() {
        return rate();
    }

    @Override
    protected double next(double previous, double metric) {
        if (++tCur >= tI) {
            tCur -= tI;
            tI *= c.tMult();
        }
        return rate();
    }

    /** The rate at T_cur, by PyTorch's formula even at a restart (where it may differ from the base rate in the last bit). */
    private double rate() {
        return c.etaMin() + (baseLr - c.etaMin()) * (1 + Math.cos(Math.PI * tCur / tI)) / 2;
    }
}
