package dev.ravine.train;

import dev.ravine.data.Dataset;
import dev.ravine.tensor.Ops;
import dev.ravine.tensor.Parallel;
import dev.ravine.tensor.Tensor;

/**
 * Gathers a minibatch, rows {@code order[from .. from + rows)} of a data set, into the network's input and a
 * targets buffer. The copies mostly wait on memory (the rows are scattered over the whole set), so they are split
 * over the threads, each copying several rows at once ({@link Ops#gatherRows}): each core keeps its own misses in
 * flight. Allocates nothing per batch.
 */
final class Minibatch implements Parallel.Range {
    private final Dataset data;
    private final Tensor targets;
    private Tensor x;
    private int[] order;
    private int from;

    Minibatch(Dataset data, int capacity) {
        this.data = data;
        this.targets = Tensor.zeros(data.y().dtype, capacity, data.y().cols);
    }

    /** Fills {@code x} (the network's input, already sized to {@code rows}) and {@link #targets()}. */
    void gather(Tensor x, int[] order, int from, int rows) {
        this.x = x;
        this.order = order;
        this.from = from;
        targets.setRows(rows);
        try {
            Parallel.forRange(rows, 4L * rows * data.x().cols, this); // a copied value costs about 4 multiply-adds
        } finally {
            this.x = null;
        }
    }

    Tensor targets() {
        return targets;
    }

    @Override
    public void run(int i0, int i1) {
        Ops.gatherRows(data.x(), order, from + i0, x, i0, i1 - i0);
        Ops.gatherRows(data.y(), order, from + i0, targets, i0, i1 - i0);
    }
}
