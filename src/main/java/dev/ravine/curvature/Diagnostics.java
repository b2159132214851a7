package dev.ravine.curvature;

import dev.ravine.autodiff.Layer;
import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.data.Dataset;
import dev.ravine.nn.Linear;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.EpochMetrics;
import dev.ravine.train.FullBatchObjective;
import dev.ravine.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code train --diagnose} adds to each epoch's metrics: the mean gradient norm of every linear layer over
 * the epoch's minibatches ({@code grad_norm_0}, ...: vanishing gradients shrink towards the input, exploding ones
 * grow), the dead ReLU units of every hidden layer on the training rows ({@code dead_units_0}, ...), and every K
 * epochs the Hessian's largest eigenvalue on the training rows ({@code eig_max}) with {@code lr_eig_max_over_2}
 * = lr lambda_max / 2: above 1, plain gradient descent is beyond its stability edge (Cohen et al. 2021 watch
 * training hover there).
 */
public final class Diagnostics implements Trainer.Listener {
    private final Network net;
    private final Loss loss;
    private final Dataset train;
    private final int every;
    private final List<int[]> blocks = new ArrayList<>(); // {start, length} of each linear layer
    private final double[] normSums;
    private int batches;

    public Diagnostics(Network net, Loss loss, Dataset train, int every) {
        if (every < 1) throw new IllegalArgumentException("--diagnose " + every + ": expected 1 or more");
        this.net = net;
        this.loss = loss;
        this.train = train;
        this.every = every;
        List<Layer> layers = net.layers();
        for (int l = 0; l < layers.size(); l++)
            if (layers.get(l) instanceof Linear) blocks.add(new int[] {net.parameterOffset(l), net.parameterOffset(l + 1) - net.parameterOffset(l)});
        normSums = new double[blocks.size()];
    }

    /** The most rows {@link #sharpness} reads: the first ones of the training split. */
    public static final int SHARPNESS_ROWS = 2_048;

    /**
     * lambda_max of the Hessian of the mean training loss (with the penalty, null for none) at the network's weights,
     * over the first {@link #SHARPNESS_ROWS} rows of {@code train}, to a relative residual of 1e-4: 2 / lambda_max is
     * the largest stable step of plain gradient descent there.
     */
    public static double sharpness(Network net, Loss loss, Dataset train, dev.ravine.train.Penalty.On penalty) {
        Dataset rows = train.head(Math.min(SHARPNESS_ROWS, train.rows()), "rows");
        FullBatchObjective objective = new FullBatchObjective(net, loss, rows, penalty, false); // looks, does not train
        return Spectrum.top(LinearOperator.hessian(objective, objective.parameters()), 1, 1e-4, null, 0).values()[0];
    }

    @Override
    public void batch(int epoch, int done, int total, double batchLoss) {
        Tensor g = net.gradients();
        for (int k = 0; k < blocks.size(); k++) {
            double s = 0;
            for (int i = blocks.get(k)[0], end = i + blocks.get(k)[1]; i < end; i++) s += g.get(i) * g.get(i);
            normSums[k] += Math.sqrt(s);
        }
        batches++;
    }

    @Override
    public void epoch(EpochMetrics m) {
        Map<String, Number> d = m.diagnostics();
        for (int k = 0; k < blocks.size(); k++) d.put("grad_norm_" + k, batches == 0 ? 0 : normSums[k] / batches);
        java.util.Arrays.fill(normSums, 0);
        batches = 0;
        for (UnitHealth.Counted layer : UnitHealth.countsOf(net, train))
            if (layer.activation() == dev.ravine.nn.Activation.RELU) d.put("dead_units_" + layer.layer(), layer.dead());
        if (m.epoch() % every == 0) {
            FullBatchObjective objective = new FullBatchObjective(net, loss, train, null, false); // looks, does not train
            LinearOperator h = LinearOperator.hessian(objective, objective.parameters());
            double top = Spectrum.extremes(h, 1, 1e-4, m.epoch()).top()[0];
            d.put("eig_max", top);
            d.put("lr_eig_max_over_2", m.lr() * top / 2);
        }
    }
}
