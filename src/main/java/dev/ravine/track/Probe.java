package dev.ravine.track;

import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.data.Dataset;
import dev.ravine.nn.Mlp;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.FullBatchObjective;
import dev.ravine.train.Penalty;

/**
 * A float64 copy of the model being trained, on fixed rows, that instruments measure on: the training network is
 * left alone (its buffers, its dtype, its passes), and a measurement is the same whatever the training dtype. It
 * is the model as analysed: dropout off, batch norm on its running statistics, the run's loss and penalty. The copy
 * (of the rows too, widened) is made at the first {@link #sync}, so that a run's instruments can be set up, and
 * checked, long before it trains.
 */
final class Probe {
    private final Mlp trained;
    private final Penalty penalty;
    private final Dataset data;
    private final int rowCount;
    final Loss loss;
    private Mlp model;
    private Dataset rows;
    private FullBatchObjective objective;
    /** The weights of the last sync as a vector. */
    private double[] weights;

    Probe(Mlp trained, Loss loss, Penalty penalty, Dataset data, int rowCount) {
        this.trained = trained;
        this.loss = loss;
        this.penalty = penalty;
        this.data = data;
        this.rowCount = rowCount;
    }

    /** The float64 model (its weights those of the last {@link #sync}). */
    Mlp model() {
        build();
        return model;
    }

    /** The rows measured on, in float64. */
    Dataset rows() {
        build();
        return rows;
    }

    /** The loss (and penalty) on {@link #rows} as a function of the model's weights. */
    FullBatchObjective objective() {
        build();
        return objective;
    }

    /** Takes the trained network's current weights and buffers (widened to float64). */
    void sync(Network trained) {
        build();
        trained.parameters().copyTo(model.network.parameters());
        trained.buffers().copyTo(model.network.buffers());
        if (weights == null) weights = new double[model.network.parameterCount()];
        model.network.parameters().readRow(0, weights);
    }

    /**
     * The weights of the last {@link #sync} as a vector, one array that every sync overwrites (a measurement reads
     * it, and copies what it keeps): the same array for every instrument on this probe, so a measurement's products
     * can reuse the passes another made at the same weights.
     */
    double[] weights() {
        return weights;
    }

    private void build() {
        if (model != null) return;
        int n = Math.min(rowCount, data.rows());
        Tensor x = Tensor.zeros(DType.FLOAT64, n, data.features()), y = Tensor.zeros(DType.FLOAT64, n, data.y().cols);
        double[] row = new double[Math.max(x.cols, y.cols)];
        for (int i = 0; i < n; i++) { // widened to float64
            data.x().readRow(i, row);
            x.writeRow(i, row);
            data.y().readRow(i, row);
            y.writeRow(i, row);
        }
        rows = new Dataset(data.source(), data.featureNames(), data.targetName(), data.task(), data.classes(), x, y, data.vocabulary());
        int[] w = trained.widths;
        model = new Mlp(trained.spec, w[0], w[w.length - 1], DType.FLOAT64, Math.min(n, 4096), trained.dropout, trained.batchNorm, false);
        objective = new FullBatchObjective(model.network, loss, rows, penalty.active() ? penalty.on(model.network) : null, false);
    }
}
