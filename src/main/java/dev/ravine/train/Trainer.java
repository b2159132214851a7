package dev.ravine.train;

import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.data.Augmentation;
import dev.ravine.data.Dataset;
import dev.ravine.data.Task;
import dev.ravine.optim.CurvatureAware;
import dev.ravine.optim.GradientClipping;
import dev.ravine.optim.Minimizer;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.schedule.Schedule;
import dev.ravine.optim.schedule.Schedules;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Minibatch training: each epoch visits the training rows once in batches of {@code batch} (the last one
 * ragged), taking one optimizer step per batch on the batch's mean loss, then evaluates on the validation and
 * test sets. Gradients are clipped before the step when asked; a schedule moves the learning rate after every
 * epoch (PyTorch's usual placement) or after every step, and {@code plateau} watches the validation loss (the
 * training loss when there is no validation split). The hot loop copies rows into preallocated buffers and
 * allocates nothing.
 */
public final class Trainer {
    /** Hears about progress; every method is optional. */
    public interface Listener {
        default void batch(int epoch, int done, int total, double loss) {
        }

        default void epoch(EpochMetrics metrics) {
        }

        /** The weights at the end of each epoch (and before the first, as epoch 0), flat. */
        default void weights(int epoch, Tensor flat) {
        }

        /** Tells {@code first}, then {@code second}: the first may add figures to an epoch's metrics before the second shows them. */
        static Listener both(Listener first, Listener second) {
            return new Listener() {
                @Override
                public void batch(int epoch, int done, int total, double loss) {
                    first.batch(epoch, done, total, loss);
                    second.batch(epoch, done, total, loss);
                }

                @Override
                public void epoch(EpochMetrics metrics) {
                    first.epoch(metrics);
                    second.epoch(metrics);
                }

                @Override
                public void weights(int epoch, Tensor flat) {
                    first.weights(epoch, flat);
                    second.weights(epoch, flat);
                }
            };
        }
    }

    private final Network net;
    private final Loss loss;
    private final Optimizer optimizer;
    private final Minimizer minimizer;
    private final TrainConfig config;
    private final Schedule schedule;
    /** How early stopping ended the last fit; null without it. */
    private EarlyStopping.Outcome stopping;
    /** Where the last fit diverged; null if it did not. */
    private Divergence.Event divergence;
    /** Distorts each minibatch row as it is drawn; null for none. */
    private Augmentation.Augmenter augmenter;

    public Trainer(Network net, Loss loss, Optimizer optimizer, TrainConfig config) {
        if (config.batch() > net.capacity())
            throw new IllegalArgumentException("batch " + config.batch() + " exceeds the network's capacity " + net.capacity());
        this.net = net;
        this.loss = loss;
        this.optimizer = optimizer;
        this.minimizer = null;
        this.config = config;
        this.schedule = config.schedule() == null ? null : Schedules.parse(config.schedule(), optimizer.learningRate());
    }

    /**
     * Full-batch training with a method that re-evaluates the objective: each epoch is one of its steps over all
     * training rows ({@code max_iter} iterations for L-BFGS and CG), as {@code torch.optim.LBFGS} is used.
     */
    public Trainer(Network net, Loss loss, Minimizer minimizer, TrainConfig config) {
        this.net = net;
        this.loss = loss;
        this.optimizer = null;
        this.minimizer = minimizer;
        this.config = config;
        this.schedule = null;
    }

    /** Augments every minibatch row from now on (null: none). */
    public void augmentWith(Augmentation.Augmenter augmenter) {
        if (augmenter != null && minimizer != null) throw new IllegalArgumentException("full-batch training has no minibatches to augment");
        this.augmenter = augmenter;
    }

    /** Where the last {@link #fit} met a NaN or infinite loss that stopped it; null if none did. */
    public Divergence.Event divergence() {
        return divergence;
    }

    /** How early stopping ended the last {@link #fit}: the best epoch and why it stopped; null without it. */
    public EarlyStopping.Outcome stopping() {
        return stopping;
    }

    /**
     * Trains for the configured epochs, or until early stopping ends the run (its best weights restored when asked);
     * {@code validation} and {@code test} may be null.
     */
    public List<EpochMetrics> fit(Dataset train, Dataset validation, Dataset test, Listener listener) {
        if (minimizer != null) return fitFullBatch(train, validation, test, listener);
        int n = train.rows(), batch = config.batch(), batches = (n + batch - 1) / batch;
        Minibatch minibatch = new Minibatch(train, net.capacity());
        optimizer.alignWith(net.tensorBounds());
        Tensor targets = minibatch.targets();
        int[] order = new int[n];
        List<EpochMetrics> history = new ArrayList<>();
        listener.weights(0, net.parameters());
        if (config.epochs() > 0) {
            Snapshot statistics = new Snapshot(net.buffers()); // a rehearsal is not training: batch norm forgets it
            rehearse(minibatch, n);
            statistics.restore();
        }
        Penalty.On penalty = config.penalty().active() ? config.penalty().on(net) : null;
        EarlyStopping.Watch watch = config.earlyStop() == null ? null : config.earlyStop().watch();
        LastGood lastGood = new LastGood(net);
        divergence = null;
        epochs:
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            ordering(order, epoch);
            double lr = optimizer.learningRate(), lossSum = 0, penaltySum = 0;
            int skipped = 0;
            long start = System.nanoTime();
            for (int b = 0; b < batches; b++) {
                int from = b * batch, rows = Math.min(batch, n - from);
                minibatch.gather(net.input(rows), order, from, rows);
                if (augmenter != null) augmenter.apply(net.input(rows), rows, epoch, b);
                double batchLoss = net.lossAndGradient(targets, loss);
                if (!Double.isFinite(batchLoss)) {
                    if (config.onNan() == Divergence.SKIP && ++skipped < batches) continue; // no step on this batch
                    divergence = lastGood.restore(epoch, b + 1, batchLoss);
                    break epochs;
                }
                lastGood.loss = batchLoss;
                // the penalty joins the loss before clipping, as in (loss + penalty).backward()
                if (penalty != null) penaltySum += penalty.addGradientAndValue(net.parameters(), net.gradients());
                if (optimizer instanceof CurvatureAware c) c.observe(net, loss, targets);
                if (!Double.isNaN(config.clipNorm())) GradientClipping.clipNorm(net.gradients(), config.clipNorm());
                if (!Double.isNaN(config.clipValue())) GradientClipping.clipValue(net.gradients(), config.clipValue());
                if (schedule != null) {
                    lr = schedule.lr();
                    if (!Double.isNaN(schedule.momentum())) optimizer.cycleMomentum(schedule.momentum());
                }
                optimizer.step(net.parameters(), net.gradients(), lr);
                if (schedule != null && config.schedulePerStep()) schedule.step(batchLoss);
                lossSum += batchLoss;
                listener.batch(epoch, b + 1, batches, batchLoss);
            }
            int stepped = batches - skipped; // the means are over the steps taken
            EpochMetrics m = metrics(epoch, lossSum / stepped, penalty == null ? null : penaltySum / stepped, lr,
                    (System.nanoTime() - start) / 1e9, train, validation, test);
            if (skipped > 0) m.diagnostics().put("skipped_steps", skipped);
            history.add(m);
            if (skipped == 0) lastGood.keep(epoch);
            if (schedule != null && !config.schedulePerStep()) schedule.step(m.valLoss() != null ? m.valLoss() : m.trainLoss());
            listener.weights(epoch, net.parameters());
            listener.epoch(m);
            if (watch != null && m.valLoss() != null && watch.stopAfter(epoch, m.valLoss(), net.parameters(), net.buffers())) break;
        }
        if (watch != null) stopping = watch.finish(config.epochs());
        return history;
    }

    /**
     * Runs every kind of pass an epoch will make once, on the first rows, before the JIT compiles the hot loop: a
     * full minibatch and the ragged last one (forward and backward), and inference as the metrics run it. A path
     * first taken after compilation (the ragged batch, the end-of-epoch evaluation) would otherwise send the
     * compiled kernels back to be recompiled in the middle of the next epoch, on a core the training needs. Only
     * the gradient buffers are written; the weights and the optimizer are untouched.
     */
    private void rehearse(Minibatch minibatch, int n) {
        int batch = config.batch();
        int[] first = java.util.stream.IntStream.range(0, Math.min(net.capacity(), n)).toArray();
        for (int rows : new int[] {Math.min(batch, n), n % batch}) {
            if (rows == 0) continue;
            minibatch.gather(net.input(rows), first, 0, rows);
            net.lossAndGradient(minibatch.targets(), loss);
        }
        minibatch.gather(net.input(first.length), first, 0, first.length); // the metrics' chunks
        loss.forwardBackward(net.forward(false), minibatch.targets(), null);
    }

    /** The weights (and buffers) at the end of the last epoch whose every loss was finite, and the last finite loss seen. */
    private static final class LastGood {
        private final Snapshot state;
        private int epoch;
        double loss = Double.NaN;

        LastGood(Network net) {
            state = Snapshot.of(net);
        }

        void keep(int epoch) {
            state.keep();
            this.epoch = epoch;
        }

        Divergence.Event restore(int atEpoch, int step, double badLoss) {
            state.restore();
            return new Divergence.Event(atEpoch, step, badLoss, loss, epoch);
        }
    }

    private List<EpochMetrics> fitFullBatch(Dataset train, Dataset validation, Dataset test, Listener listener) {
        Penalty.On penalty = config.penalty().active() ? config.penalty().on(net) : null;
        FullBatchObjective objective = new FullBatchObjective(net, loss, train, penalty, true);
        EarlyStopping.Watch watch = config.earlyStop() == null ? null : config.earlyStop().watch();
        LastGood lastGood = new LastGood(net);
        divergence = null;
        double[] x = objective.parameters();
        Snapshot statistics = new Snapshot(net.buffers());
        List<EpochMetrics> history = new ArrayList<>();
        listener.weights(0, net.parameters());
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            long start = System.nanoTime();
            statistics.keep();
            double before = objective.valueAndGradient(x, new double[x.length]);
            statistics.restore(); // looking at the start is not a step: batch norm's running statistics stay as they were
            if (!Double.isFinite(before)) { // a full-batch step has no batch to skip
                divergence = lastGood.restore(epoch, 1, before);
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
            listener.weights(epoch, net.parameters());
            EpochMetrics m = metrics(epoch, before, penaltyBefore, minimizer.learningRate(), (System.nanoTime() - start) / 1e9, train, validation, test);
            history.add(m);
            lastGood.keep(epoch);
            listener.epoch(m);
            if (watch != null && m.valLoss() != null && watch.stopAfter(epoch, m.valLoss(), net.parameters(), net.buffers())) break;
        }
        if (watch != null) stopping = watch.finish(config.epochs());
        return history;
    }

    /**
     * The epoch's figures: the training split's accuracy in evaluation mode beside the surrogate loss the epoch
     * minimized (the 0-1 error against its surrogate), then the validation and test figures.
     */
    private EpochMetrics metrics(int epoch, double trainLoss, Double penalty, double lr, double seconds, Dataset train, Dataset validation, Dataset test) {
        Double trainAccuracy = train.task() == Task.CLASSIFICATION ? Evaluation.of(net, loss, train).accuracy() : null;
        Evaluation val = validation == null ? null : Evaluation.of(net, loss, validation);
        Evaluation tst = test == null ? null : Evaluation.of(net, loss, test);
        return new EpochMetrics(epoch, trainLoss, penalty, trainAccuracy,
                val == null ? null : val.loss(), val == null ? null : val.accuracy(), val == null ? null : val.rmse(),
                tst == null ? null : tst.loss(), tst == null ? null : tst.accuracy(), lr, seconds, train.rows() / seconds);
    }

    /** Row order of an epoch: file order, or a permutation drawn from (seed, epoch) alone so a resumed run repeats it. */
    private void ordering(int[] order, int epoch) {
        for (int i = 0; i < order.length; i++) order[i] = i;
        if (!config.shuffle()) return;
        SplittableRandom rng = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + epoch);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
