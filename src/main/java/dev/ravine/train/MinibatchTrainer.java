package dev.ravine.train;

import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.data.Augmentation;
import dev.ravine.data.Dataset;
import dev.ravine.nn.BatchNormLayer;
import dev.ravine.nn.DropoutLayer;
import dev.ravine.optim.CurvatureAware;
import dev.ravine.optim.GradientClipping;
import dev.ravine.optim.Lookahead;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.schedule.Schedule;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Minibatch training: each epoch visits the training rows once in batches of {@code batch} (the last one
 * ragged), taking one optimizer step per batch on the batch's mean loss, then evaluates on the validation and
 * test sets. Gradients are clipped before the step when asked; a schedule moves the learning rate after every
 * epoch (PyTorch's usual placement) or after every step, and {@code plateau} watches the validation loss (the
 * training loss when there is no validation split). With weight averaging the weights after each epoch past its
 * start join their running average, which the network holds when the fit ends. With sharpness-aware minimization
 * each step's gradient comes from a second pass at the worst point near the weights; with Lookahead slow weights
 * pull the optimizer's back every k steps. The hot loop copies rows into
 * preallocated buffers and allocates nothing.
 */
public final class MinibatchTrainer extends Trainer {
    private final Optimizer optimizer;
    private Schedule schedule;
    /** Every metric the schedule has been stepped with, in order: a checkpoint replays them into a fresh one. */
    private double[] scheduleMetrics = new double[16];
    private int scheduleSteps;
    /** Distorts each minibatch row as it is drawn; null for none. */
    private Augmentation.Augmenter augmenter;
    /** The running average of the weights, with stochastic weight averaging; null without it. */
    private final AveragedWeights averaged;
    /** With sharpness-aware minimization, the weights and batch-norm statistics to return to after each ascent; null without it. */
    private final Snapshot ascent;
    private final List<DropoutLayer> dropouts;
    /** Lookahead's slow weights; null without it. */
    private final Lookahead.Slow slow;
    /** Where a checkpoint keeps the average and the slow weights among the optimizer's state: names no optimizer uses. */
    private static final String AVERAGE = "swa.average", AVERAGED = "swa.n_averaged", SLOW = "lookahead.slow";

    public MinibatchTrainer(Network net, Loss loss, Optimizer optimizer, TrainConfig config) {
        super(net, loss, config);
        if (config.batch() > net.capacity())
            throw new IllegalArgumentException("batch " + config.batch() + " exceeds the network's capacity " + net.capacity());
        this.optimizer = optimizer;
        this.schedule = startSchedule();
        this.averaged = config.swa() == null ? null : new AveragedWeights(net.parameters());
        this.ascent = config.sam() == null ? null : Snapshot.of(net);
        this.slow = config.lookahead() == null ? null : config.lookahead().start(net.parameters());
        this.dropouts = net.layers().stream().filter(DropoutLayer.class::isInstance).map(DropoutLayer.class::cast).toList();
    }

    /** A fresh schedule: the run's own, or with weight averaging the one that hands over to SWALR; null for a constant rate. */
    private Schedule startSchedule() {
        var spec = config.swa() != null ? config.swa().schedule(config.schedule()) : config.schedule();
        return spec == null ? null : spec.start(optimizer.learningRate());
    }

    @Override
    public long averaged() {
        return averaged == null ? 0 : averaged.count;
    }

    /** Steps the schedule with {@code metric}, keeping it for checkpoints. */
    private void stepSchedule(double metric) {
        if (scheduleSteps == scheduleMetrics.length) scheduleMetrics = java.util.Arrays.copyOf(scheduleMetrics, 2 * scheduleSteps);
        scheduleMetrics[scheduleSteps++] = metric;
        schedule.step(metric);
    }

    /** Augments every minibatch row from now on (null: none). */
    public void augmentWith(Augmentation.Augmenter augmenter) {
        this.augmenter = augmenter;
    }

    @Override
    public List<EpochMetrics> fit(Dataset train, Dataset validation, Dataset test, Listener listener) {
        int n = train.rows(), batch = config.batch(), batches = (n + batch - 1) / batch;
        Minibatch minibatch = new Minibatch(train, net.capacity());
        optimizer.alignWith(net.tensorBounds());
        Tensor targets = minibatch.targets();
        int[] order = new int[n];
        List<EpochMetrics> history = new ArrayList<>();
        if (resume == null) listener.weights(0, net.parameters());
        int[] firstRows = java.util.stream.IntStream.range(0, Math.min(net.capacity(), n)).toArray(); // the rehearsals'
        if (config.epochs() > 0) {
            Snapshot statistics = new Snapshot(net.buffers()); // a rehearsal is not training: batch norm forgets it
            rehearse(minibatch, firstRows, n);
            statistics.restore();
        }
        Penalty.On penalty = config.penalty().active() ? config.penalty().on(net) : null;
        EarlyStopping.Watch watch = watch();
        LastGood lastGood = new LastGood(net);
        divergence = null;
        int first = 1;
        if (resume != null) {
            first = resume(resume, watch, lastGood, history);
            resume = null;
        }
        epochs:
        for (int epoch = first; epoch <= config.epochs(); epoch++) {
            ordering(order, config, epoch);
            net.startEpoch(epoch);
            double lr = optimizer.learningRate(), lossSum = 0, penaltySum = 0;
            int skipped = 0;
            long start = System.nanoTime();
            try (var _ = serialIfSmall(Math.min(batch, n), net)) {
                for (int b = 0; b < batches; b++) {
                    int from = b * batch, rows = Math.min(batch, n - from);
                    minibatch.gather(net.input(rows), order, from, rows);
                    if (augmenter != null) augmenter.apply(net.input(rows), rows, epoch, b);
                    double batchLoss = net.lossAndGradient(targets, loss), stepLoss = batchLoss, penaltyValue = 0;
                    if (Double.isFinite(batchLoss)) {
                        lastGood.loss = batchLoss;
                        listener.passes(epoch, optimizer.steps() + 1, net, targets, loss); // before anything else runs a pass (K-FAC's observe may)
                        if (ascent == null) penaltyValue = stepGradient(net, loss, targets, optimizer, penalty, config);
                        else {
                            penaltyValue = penalty == null ? 0 : penalty.addGradientAndValue(net.parameters(), net.gradients());
                            stepLoss = sharpnessAwareGradient(targets, penalty);
                        }
                    }
                    if (!Double.isFinite(stepLoss)) {
                        if (config.onNan() == Divergence.SKIP && ++skipped < batches) continue; // no step on this batch
                        divergence = lastGood.restore(epoch, b + 1, stepLoss);
                        int at = epoch - 1; // the state is the last good epoch's, as the run folder is
                        listener.checkpoint(epoch, () -> state(at, true, watch, lastGood, history));
                        break epochs;
                    }
                    penaltySum += penaltyValue;
                    if (schedule != null) {
                        lr = schedule.lr();
                        if (!Double.isNaN(schedule.momentum())) optimizer.cycleMomentum(schedule.momentum());
                    }
                    optimizer.step(net.parameters(), net.gradients(), lr);
                    if (slow != null) slow.afterStep(net.parameters(), optimizer.steps());
                    listener.step(epoch, optimizer.steps(), lr);
                    if (schedule != null && config.schedulePerStep()) stepSchedule(batchLoss);
                    lossSum += batchLoss;
                    listener.batch(epoch, b + 1, batches, batchLoss);
                    if (epoch == first && rehearsesAfter(b + 1)) rehearseMetrics(minibatch, firstRows);
                }
            }
            int stepped = batches - skipped; // the means are over the steps taken
            EpochMetrics m = metrics(epoch, lossSum / stepped, penalty == null ? null : penaltySum / stepped, lr,
                    (System.nanoTime() - start) / 1e9, train, validation, test);
            if (skipped > 0) m.diagnostics().put("skipped_steps", skipped);
            history.add(m);
            if (skipped == 0) lastGood.keep(epoch);
            if (averaged != null && epoch > config.swa().start()) averaged.update(net.parameters());
            if (schedule != null && !config.schedulePerStep()) stepSchedule(m.valLoss() != null ? m.valLoss() : m.trainLoss());
            listener.weights(epoch, net.parameters());
            if (endEpoch(m, watch, lastGood, history, listener)) break;
        }
        if (averaged != null && averaged.count > 0 && divergence == null) { // the averaged model
            averaged.average.copyTo(net.parameters());
            recomputeBatchNorm(minibatch, order, n);
        }
        return finish(watch, history);
    }

    /**
     * {@code torch.optim.swa_utils.update_bn}: batch norm's running estimates recomputed for the averaged weights, as
     * the plain average of the minibatch statistics over one training pass (in the next epoch's order, with its
     * dropout and augmentation), since no epoch ever ran at those weights. Nothing without batch norm.
     */
    private void recomputeBatchNorm(Minibatch minibatch, int[] order, int n) {
        List<BatchNormLayer> layers = net.layers().stream().filter(BatchNormLayer.class::isInstance).map(BatchNormLayer.class::cast).toList();
        if (layers.isEmpty()) return;
        layers.forEach(l -> l.cumulativeAverage(true));
        int epoch = config.epochs() + 1, batch = config.batch();
        ordering(order, config, epoch);
        net.startEpoch(epoch);
        for (int b = 0, from = 0; from < n; b++, from += batch) {
            int rows = Math.min(batch, n - from);
            minibatch.gather(net.input(rows), order, from, rows);
            if (augmenter != null) augmenter.apply(net.input(rows), rows, epoch, b);
            net.forward(true);
        }
        layers.forEach(l -> l.cumulativeAverage(false));
    }

    /** A copy of where the fit stands after {@code epoch}. */
    @Override
    TrainingState state(int epoch, boolean finished, EarlyStopping.Watch watch, LastGood lastGood, List<EpochMetrics> history) {
        Map<String, Tensor> optimizerState = new LinkedHashMap<>();
        optimizer.state().forEach((k, t) -> optimizerState.put(k, TrainingState.copy(t)));
        if (averaged != null) {
            optimizerState.put(AVERAGE, TrainingState.copy(averaged.average));
            Tensor count = Tensor.zeros(dev.ravine.tensor.DType.FLOAT64, 1, 1);
            count.set(0, averaged.count);
            optimizerState.put(AVERAGED, count);
        }
        if (slow != null) optimizerState.put(SLOW, TrainingState.copy(slow.weights));
        return state(epoch, finished, watch, lastGood, history, optimizerState, optimizer.steps(), java.util.Arrays.copyOf(scheduleMetrics, scheduleSteps));
    }

    /** Puts the network, the optimizer, the schedule and the watches where {@code s} left them; returns the next epoch. */
    private int resume(TrainingState s, EarlyStopping.Watch watch, LastGood lastGood, List<EpochMetrics> history) {
        Map<String, Tensor> optimizerState = new LinkedHashMap<>(s.optimizerState());
        Tensor average = optimizerState.remove(AVERAGE), count = optimizerState.remove(AVERAGED), slowWeights = optimizerState.remove(SLOW);
        if (slow != null && slowWeights != null) slowWeights.copyTo(slow.weights);
        if (averaged != null && average != null) {
            average.copyTo(averaged.average);
            averaged.count = (long) count.get(0);
        }
        optimizer.restore(optimizerState, s.optimizerSteps());
        if (schedule != null) {
            schedule = startSchedule();
            scheduleSteps = 0;
            for (double metric : s.scheduleMetrics()) stepSchedule(metric);
        }
        return resumeCommon(s, watch, lastGood, history);
    }

    /**
     * Runs every kind of pass an epoch will make once, on the first rows, before the JIT compiles the hot loop: a
     * full minibatch and the ragged last one (forward and backward), and inference as the metrics run it. A path
     * first taken after compilation (the ragged batch, the end-of-epoch evaluation) would otherwise send the
     * compiled kernels back to be recompiled in the middle of the next epoch, on a core the training needs. Only
     * the gradient buffers are written; the weights and the optimizer are untouched. This reaches the kernels' loops;
     * the code around them keeps no profile yet, hence {@link #rehearsesAfter}.
     */
    private void rehearse(Minibatch minibatch, int[] first, int n) {
        int batch = config.batch();
        for (int rows : new int[] {Math.min(batch, n), n % batch}) {
            if (rows == 0) continue;
            minibatch.gather(net.input(rows), first, 0, rows);
            net.lossAndGradient(minibatch.targets(), loss);
        }
        rehearseMetrics(minibatch, first);
    }

    /**
     * The metrics' pass, inference on a chunk of the network's capacity ({@code first}, the first rows), as the
     * end-of-epoch evaluation runs it. It writes only the activation buffers, which the next step's forward pass
     * overwrites, so training runs the same with it or without it.
     */
    private void rehearseMetrics(Minibatch minibatch, int[] first) {
        minibatch.gather(net.input(first.length), first, 0, first.length);
        loss.forwardBackward(net.forward(false), minibatch.targets(), null);
    }

    /**
     * Whether the first epoch rehearses the metrics' pass again after this many steps: at 16, 32, ..., 512. The JIT
     * keeps a method's profile only once the method is warm (compiled with profiling, after a few hundred calls), so
     * the rehearsal before the first step leaves no trace in it: C2 then compiles the code a step shares with the
     * metrics (the products' drivers, the loss) from the steps' profile alone, the first evaluation takes branches
     * that code left out (a 512-row chunk's products split by rows, a loss with no gradient), and the code is thrown
     * away there and compiled again during the second epoch, on a core the training needs. Powers of two from 16 to
     * 512 steps fall inside that profiling window for drivers called a few times a step and for those called once.
     * Fashion-MNIST 784-256-256-10, two threads on two cores (Intel Xeon, 512-bit): C2 spent under 10 ms of the second
     * epoch on ravine's code, where it had spent about 100 (docs/performance.md, "The second epoch's compilations").
     */
    private static boolean rehearsesAfter(int steps) {
        return steps >= 16 && steps <= 512 && Integer.bitCount(steps) == 1;
    }

    /**
     * Turns the minibatch loss's gradient into the one the step takes: the penalty's added before clipping, as in
     * {@code (loss + penalty).backward()}, K-FAC's statistics observed, then clipped. Returns the penalty's value
     * (0 for none).
     */
    static double stepGradient(Network net, Loss loss, Tensor targets, Optimizer optimizer, Penalty.On penalty, TrainConfig config) {
        double value = penalty == null ? 0 : penalty.addGradientAndValue(net.parameters(), net.gradients());
        if (optimizer instanceof CurvatureAware c) c.observe(net, loss, targets);
        if (!Double.isNaN(config.clipNorm())) GradientClipping.clipNorm(net.gradients(), config.clipNorm());
        if (!Double.isNaN(config.clipValue())) GradientClipping.clipValue(net.gradients(), config.clipValue());
        return value;
    }

    /**
     * SAM's second pass: from the minibatch gradient at w (its penalty's included) the weights climb to w + e(w), the
     * loss and its gradient are taken there on the same rows (the same dropout masks; batch norm's running statistics
     * kept as the first pass left them), the penalty's gradient there added and clipped, and the weights go back to
     * w, where the optimizer steps with that gradient. Returns the loss at w + e(w).
     */
    private double sharpnessAwareGradient(Tensor targets, Penalty.On penalty) {
        ascent.keep();
        config.sam().ascend(net.parameters(), net.gradients());
        dropouts.forEach(d -> d.freeze(true));
        double perturbed = net.lossAndGradient(targets, loss);
        dropouts.forEach(d -> d.freeze(false));
        if (Double.isFinite(perturbed)) stepGradient(net, loss, targets, optimizer, penalty, config);
        ascent.restore();
        return perturbed;
    }

    /** Row order of an epoch: file order, or a permutation drawn from (seed, epoch) alone so a resumed run repeats it. */
    static void ordering(int[] order, TrainConfig config, int epoch) {
        for (int i = 0; i < order.length; i++) order[i] = i;
        if (!config.shuffle()) return;
        dev.ravine.data.Split.shuffle(order, new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + epoch));
    }
}
