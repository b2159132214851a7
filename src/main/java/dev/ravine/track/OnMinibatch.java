package dev.ravine.track;

import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.EpochMetrics;
import dev.ravine.train.Trainer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An instrument with {@code minibatch=true}: every N optimizer steps it measures on the step's own minibatch, from
 * the forward and backward passes training has just made, at the weights the step starts from and in the training
 * dtype (the quantities Cockpit tracks), where a plain {@link Instrument} runs passes of its own on a float64 probe.
 * A step's figures go to its row of the {@link TrackLog} once the step is taken, and the epoch's last ones to the
 * epoch's metrics.
 */
abstract class OnMinibatch implements Trainer.Listener {
    private final Track track;
    private final TrackLog log;
    /** The figures measured before the current step, until {@link #step} knows its rate. */
    private Map<String, Number> pending;
    private Map<String, Number> last = Map.of();
    private int lastEpoch = -1;

    OnMinibatch(Track track, TrackLog log) {
        this.track = track;
        this.log = log;
    }

    @Override
    public final void passes(int epoch, long step, Network net, Tensor targets, Loss loss) {
        if (step % track.steps() != 0) return;
        pending = new LinkedHashMap<>();
        measure(step, net, targets, loss, pending);
    }

    @Override
    public final void step(int epoch, long step, double lr) {
        if (pending == null) return;
        atRate(pending, lr);
        log.add(step, epoch, pending);
        last = pending;
        lastEpoch = epoch;
        pending = null;
    }

    @Override
    public final void epoch(EpochMetrics m) {
        if (lastEpoch == m.epoch()) m.diagnostics().putAll(last);
    }

    /**
     * Measures on the passes {@code net} holds for optimizer step {@code step} (the minibatch whose {@code targets}
     * they used) and puts the figures into {@code into}; the network's gradients must be left as they are.
     */
    abstract void measure(long step, Network net, Tensor targets, Loss loss, Map<String, Number> into);

    /** Figures that need the step's learning rate, added once it is known. */
    void atRate(Map<String, Number> into, double lr) {
    }
}
