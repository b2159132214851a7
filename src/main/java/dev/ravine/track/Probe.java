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
 * is the model as analysed: dropout off, batch norm on its running statistics, the run's loss and penalty.
 */
final class Probe {
    final Mlp model;
    final Dataset rows;
    final Loss loss;
    final FullBatchObjective objective;

    Probe(Mlp trained, Loss loss, Penalty penalty, Dataset data, int rowCount) {
        int n = Math.min(rowCount, data.rows());
        Tensor x = Tensor.zeros(DType.FLOAT64, n, data.features()), y = Tensor.zeros(DType.FLOAT64, n, data.y().cols);
        double[] row = new double[Math.max(x.cols, y.cols)];
        for (int i = 0; i < n; i++) { // widened to float64
            data.x().readRow(i, row);
            x.writeRow(i, row);
            data.y().readRow(i, row);
            y.writeRow(i, row);
        }
        rows = new Dataset(data.source(), data.featureNames(), data.targetName(), data.task(), data.classes(), x, y);
        int[] w = trained.widths;
        model = new Mlp(trained.spec, w[0], w[w.length - 1], DType.FLOAT64, Math.min(n, 4096), trained.dropout, trained.batchNorm, false);
        this.loss = loss;
        objective = new FullBatchObjective(model.network, loss, rows, penalty.active() ? penalty.on(model.network) : null, false);
    }

    /** Takes the trained network's current weights and buffers (widened to float64). */
    void sync(Network trained) {
        trained.parameters().copyTo(model.network.parameters());
        trained.buffers().copyTo(model.network.buffers());
    }
}
