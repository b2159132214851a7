package dev.ravine.train;

import dev.ravine.autodiff.Network;
import dev.ravine.tensor.Tensor;

/**
 * A copy of live tensors to go back to: a network's parameters with its buffers (batch norm's running statistics),
 * which belong together, since the statistics were estimated for those weights. Training keeps one for the last
 * good epoch, early stopping one for the best, and a rehearsal one for the state it must leave untouched.
 */
final class Snapshot {
    private final Tensor[] live, saved;

    Snapshot(Tensor... live) {
        this.live = live;
        saved = new Tensor[live.length];
        for (int i = 0; i < live.length; i++) saved[i] = Tensor.zeros(live[i].dtype, 1, live[i].size());
        keep();
    }

    /** The network's parameters and buffers as they are now. */
    static Snapshot of(Network net) {
        return new Snapshot(net.parameters(), net.buffers());
    }

    /** Copies the live tensors' current values into the snapshot. */
    void keep() {
        for (int i = 0; i < live.length; i++) live[i].copyTo(saved[i]);
    }

    /** Puts the snapshot's values back into the live tensors. */
    void restore() {
        for (int i = 0; i < live.length; i++) saved[i].copyTo(live[i]);
    }

    /** The saved copy of the {@code i}-th tensor. */
    Tensor saved(int i) {
        return saved[i];
    }
}
