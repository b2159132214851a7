package dev.ravine.track;

import dev.ravine.autodiff.Network;
import dev.ravine.train.EpochMetrics;
import dev.ravine.train.Trainer;

/** An instrument: every {@code every} epochs, the probe takes the trained network's weights and one measurement adds its columns. */
abstract class Instrument implements Trainer.Listener {
    private final Network trained;
    final Probe probe;
    private final int every;

    Instrument(Network trained, Probe probe, int every) {
        this.trained = trained;
        this.probe = probe;
        this.every = every;
    }

    @Override
    public final void epoch(EpochMetrics m) {
        if (m.epoch() % every != 0) return;
        probe.sync(trained);
        measure(m);
    }

    /** Measures on the probe, now at the trained weights, and puts the figures into {@code m}'s diagnostics. */
    abstract void measure(EpochMetrics m);
}
