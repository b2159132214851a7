package dev.ravine.train;

import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.data.Dataset;
import dev.ravine.optim.Minimizer;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Full-batch training with a method that re-evaluates the objective: each epoch is one of its steps over all
 * training rows ({@code max_iter} iterations for L-BFGS and CG), as {@code torch.optim.LBFGS} is used. With batch
 * norm the network holds every training row at once, so each evaluation normalizes over all of them, as one
 * {@code model(X)} does.
 */
public final class FullBatchTrainer extends Trainer {
    private final Minimizer minimizer;

    public FullBatchTrainer(Network net, Loss loss, Minimizer minimizer, TrainConfig config) {
        super(net, loss, config);
        this.minimizer = minimizer;
    }

    @Override
    public List<EpochMetrics> fit(Dataset train, Dataset validation, Dataset test, Listener listener) {
        Penalty.On penalty = config.penalty().active() ? config.penalty().on(net) : null;
        FullBatchObjective objective = new FullBatchObjective(net, loss, train, penalty, true);
        EarlyStopping.Watch watch = watch();
        LastGood lastGood = new LastGood(net);
        divergence = null;
        List<EpochMetrics> history = new ArrayList<>();
        int first = 1;
        if (resume != null) {
            Map<String, double[]> saved = new LinkedHashMap<>();
            resume.optimizerState().forEach((k, t) -> saved.put(k, t.toDoubleArray()));
            minimizer.restore(saved);
            first = resumeCommon(resume, watch, lastGood, history);
            resume = null;
        } else {
            listener.weights(0, net.parameters());
        }
        double[] x = objective.parameters();
        Snapshot statistics = new Snapshot(net.buffers());
        try (var _ = serialIfSmall(train.rows(), net)) { // a step's passes take every row
            for (int epoch = first; epoch <= config.epochs(); epoch++) {
                long start = System.nanoTime();
                statistics.keep();
                double before = objective.valueAndGradient(x, new double[x.length]);
                statistics.restore(); // looking at the start is not a step: batch norm's running statistics stay as they were
                if (!Double.isFinite(before)) { // a full-batch step has no batch to skip
                    divergence = lastGood.restore(epoch, 1, before);
                    int at = epoch - 1;
                    listener.checkpoint(epoch, () -> state(at, true, watch, lastGood, history));
                    break;
                }
                lastGood.loss = before;
                Double penaltyBefore = penalty == null ? null : penalty.value(net.parameters());
                if (penalty != null) before -= penaltyBefore; // train_loss is the data loss, the penalty its own column
                int e = epoch;
                minimizer.step(objective, x, (point, f, evals) -> {
                    listener.batch(e, 1, 1, f);
                    return true;
                });
                objective.load(x);
                listener.step(epoch, epoch, minimizer.learningRate());
                listener.weights(epoch, net.parameters());
                EpochMetrics m = metrics(epoch, before, penaltyBefore, minimizer.learningRate(), (System.nanoTime() - start) / 1e9, train, validation, test);
                history.add(m);
                lastGood.keep(epoch);
                if (endEpoch(m, watch, lastGood, history, listener)) break;
            }
        }
        return finish(watch, history);
    }

    /** A copy of where the fit stands after {@code epoch}, the method's state as float64 tensors. */
    @Override
    TrainingState state(int epoch, boolean finished, EarlyStopping.Watch watch, LastGood lastGood, List<EpochMetrics> history) {
        Map<String, Tensor> method = new LinkedHashMap<>();
        minimizer.state().forEach((k, v) -> method.put(k, Tensor.of(v.clone(), 1, v.length)));
        return state(epoch, finished, watch, lastGood, history, method, 0, new double[0]);
    }
}
