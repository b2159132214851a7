package dev.ravine.track;

import dev.ravine.autodiff.Network;
import dev.ravine.train.EpochMetrics;
import dev.ravine.train.Trainer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An instrument: at its interval (every N epochs at the epoch's end, or every N optimizer steps after the step) the
 * probe takes the trained network's weights and one measurement adds its figures: to the epoch's metrics, or to
 * the step's row of the {@link TrackLog} and, as the epoch's last measurement, to the epoch's metrics.
 */
abstract class Instrument implements Trainer.Listener {
    private final Network trained;
    final Probe probe;
    private final Track track;
    private final TrackLog log;
    private Map<String, Number> last = Map.of();
    private int lastEpoch = -1;

    Instrument(Network trained, Probe probe, Track track, TrackLog log) {
        this.trained = trained;
        this.probe = probe;
        this.track = track;
        this.log = log;
    }

    @Override
    public final void epoch(EpochMetrics m) {
        if (track.steps() > 0) {
            if (lastEpoch == m.epoch()) m.diagnostics().putAll(last);
            return;
        }
        if (m.epoch() % track.every() != 0) return;
        probe.sync(trained);
        measure(SharedTop.epochEnd(m.epoch()), m.diagnostics(), m.lr());
    }

    @Override
    public final void step(int epoch, long step, double lr) {
        if (track.steps() == 0 || step % track.steps() != 0) return;
        probe.sync(trained);
        Map<String, Number> figures = new LinkedHashMap<>();
        measure(step, figures, lr);
        log.add(step, epoch, figures);
        last = figures;
        lastEpoch = epoch;
    }

    /**
     * Measures on the probe, now at the trained weights, and puts the figures into {@code into}; {@code lr} is the
     * rate trained at, {@code moment} the step measured after or the epoch's end ({@link SharedTop#epochEnd}).
     */
    abstract void measure(long moment, Map<String, Number> into, double lr);
}
