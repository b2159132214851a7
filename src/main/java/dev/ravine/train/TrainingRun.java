package dev.ravine.train;

import dev.ravine.UserError;
import dev.ravine.autodiff.Loss;
import dev.ravine.data.Augmentation;
import dev.ravine.data.Dataset;
import dev.ravine.data.Datasets;
import dev.ravine.data.Imputation;
import dev.ravine.data.Split;
import dev.ravine.data.Standardization;
import dev.ravine.data.Task;
import dev.ravine.nn.Init;
import dev.ravine.nn.LossKind;
import dev.ravine.nn.LossSpec;
import dev.ravine.nn.Mlp;
import dev.ravine.nn.MlpSpec;
import dev.ravine.optim.Kfac;
import dev.ravine.optim.Minimizer;
import dev.ravine.optim.Minimizers;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.optim.schedule.Schedule;
import dev.ravine.tensor.Safetensors;
import dev.ravine.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A training run from its settings: data, split, standardization, model, initialization and optimizer, all
 * checked before any training starts, so a mistake costs nothing.
 */
public final class TrainingRun {
    /** Rows a network evaluates at once besides training batches: bounds the activation buffers. */
    static final int EVAL_CHUNK = 512;
    /** Draws for the split and the initialization come from the seed through these, so they are independent. */
    static final long SPLIT_STREAM = 0x5851F42D4C957F2DL, INIT_STREAM = 0x14057B7EF767814FL, AUGMENT_STREAM = 0x2545F4914F6CDD1DL;

    public final RunSettings settings;
    public final Split split;
    public final Dataset test;
    public final Standardization standardization;
    /** The values missing features are filled with, fitted on the training split; null where they are an error. */
    public final Imputation.Fill imputation;
    public final Mlp model;
    public final Loss loss;
    /** The loss by name, as the command line gives it. */
    public final LossSpec lossSpec;
    /** The first-order method, or null when a full-batch {@link #minimizer} trains. */
    public final Optimizer optimizer;
    public final Minimizer minimizer;
    /** The weights before training, kept for "from init to solution" analyses. */
    public final Tensor initialWeights;
    /** The buffers before training (batch norm's starting statistics), saved beside {@link #initialWeights}. */
    public final Tensor initialBuffers;

    public TrainingRun(RunSettings s) {
        settings = s;
        TrainConfig loop = s.loop();
        Schedule schedule = null;
        if (s.threads() < 1 || s.threads() > Threads.MAX) throw UserError.setting("threads", s.threads(), "expected 1 to " + Threads.MAX);
        Task task;
        try {
            task = Task.parse(s.task());
        } catch (IllegalArgumentException e) {
            throw UserError.setting("task", s.task(), "expected auto, classification or regression");
        }
        MlpSpec spec = MlpSpec.parse(s.model());
        if (Minimizers.isMinimizer(s.optimizer())) {
            minimizer = Minimizers.parse(s.optimizer());
            optimizer = null;
            if (loop.schedule() != null || !Double.isNaN(loop.clipNorm()) || !Double.isNaN(loop.clipValue()))
                throw UserError.setting("optimizer", s.optimizer(), minimizer.name()
                        + " trains full-batch with its own step sizes; a schedule and gradient clipping do not apply");
        } else {
            optimizer = Optimizers.parse(s.optimizer());
            minimizer = null;
            if (loop.schedule() != null) { // checked now, before any data is read; the trainer starts its own
                schedule = loop.schedule().start(optimizer.learningRate());
                if (!Double.isNaN(schedule.momentum()) && !optimizer.cycleMomentum(schedule.momentum()))
                    throw UserError.setting("schedule", loop.schedule(), "optimizer must support momentum or beta1 with `cycle_momentum`"
                            + " option enabled (" + optimizer.name() + " has neither; add cycle_momentum=false)");
            }
        }
        Init init = null;
        Path initFile = null;
        try {
            init = Init.parse(s.init());
        } catch (IllegalArgumentException e) {
            initFile = Path.of(s.init());
            if (!java.nio.file.Files.isRegularFile(initFile))
                throw UserError.setting("init", s.init(), "not torch, he, xavier, zeros, orthogonal or an existing safetensors file");
        }
        Threads.use(s.threads());
        if (loop.dropout() != null && minimizer != null)
            throw UserError.setting("dropout", null, minimizer.name() + " trains full-batch on one deterministic objective; dropout applies to minibatch optimizers");
        if (s.batchNorm() && (optimizer instanceof Kfac || minimizer != null && !(minimizer instanceof dev.ravine.optim.Lbfgs)
                && !(minimizer instanceof dev.ravine.optim.ConjugateGradient)))
            throw UserError.setting("batchnorm", null, (optimizer != null ? optimizer.name() : minimizer.name())
                    + "'s curvature covers the linear layers in evaluation mode, not batch norm's coupling of the rows; use a first-order optimizer, lbfgs or cg");
        if (loop.swa() != null) checkSwa(loop);
        if (loop.sam() != null && (minimizer != null || optimizer instanceof Kfac))
            throw UserError.setting("sam", null, (optimizer != null ? optimizer.name() : minimizer.name())
                    + (minimizer != null ? " trains full-batch with its own steps" : " preconditions with curvature it observes at the weights")
                    + "; sharpness-aware steps go with a first-order minibatch optimizer");
        if (loop.lookahead() != null && minimizer != null)
            throw UserError.setting("lookahead", null, minimizer.name() + " trains full-batch with its own steps; lookahead wraps a minibatch optimizer");
        if (loop.earlyStop() != null && s.val() == 0)
            throw UserError.setting("early-stop", null, "early stopping watches the validation loss, so it needs a validation split (a validation share above 0)");

        Datasets.Loaded loaded = Datasets.load(s.data(), s.target(), task, s.dtype(), null, s.missing().fills());
        split = Split.of(loaded.data().head(s.rows(), "--rows"), s.val(), s.seed() ^ SPLIT_STREAM);
        test = loaded.test();
        if (loop.augment() != null && loaded.imageSide() == 0)
            throw UserError.setting("augment", null, s.data() + " is not image data (digits, fashion-mnist or a folder of IDX files)");
        if (loop.augment() != null && minimizer != null)
            throw UserError.setting("augment", null, minimizer.name() + " trains full-batch; augmentation applies to minibatch optimizers");
        imageSide = loaded.imageSide();
        List<Dataset> splits = java.util.stream.Stream.of(split.train(), split.validation(), test).filter(java.util.Objects::nonNull).toList();
        imputation = s.missing().fit(split.train().x()); // before the scaling, whose statistics need every value
        if (imputation != null) for (Dataset d : splits) imputation.apply(d.x());
        standardization = s.standardize().fit(split.train().x());
        if (standardization != null) for (Dataset d : splits) standardization.apply(d.x());

        Dataset train = split.train();
        if (schedule != null) checkScheduleLasts(schedule, loop, train.rows());
        if (train.task() == Task.CLASSIFICATION && train.classes() < 2)
            throw new UserError(train.source() + ": target '" + train.targetName() + "' holds a single class; classification needs two or more");
        if (s.batchNorm()) checkBatchesForBatchNorm(loop, train.rows(), minimizer != null);
        // full-batch training with batch norm normalizes over all training rows at once, as one model(X) does
        int capacity = s.batchNorm() && minimizer != null ? Math.max(train.rows(), EVAL_CHUNK) : Math.max(s.batch(), EVAL_CHUNK);
        model = new Mlp(spec, train.features(), train.outputs(), s.dtype(), capacity, loop.dropout(), s.batchNorm(), true);
        String refusal = minimizer == null ? null : minimizer.refusal(model.network.parameterCount());
        if (refusal != null) throw UserError.setting("optimizer", s.optimizer(), refusal);
        if (init != null) init.apply(model, s.seed() ^ INIT_STREAM);
        else model.load(Safetensors.read(initFile), initFile);
        LossSpec kind = loop.loss() != null ? loop.loss() : LossSpec.defaultFor(train.task() == Task.CLASSIFICATION);
        try {
            if (kind.balanced() && train.task() == Task.CLASSIFICATION) kind = kind.balancedFor(classCounts(train));
            loss = kind.forTask(train.task() == Task.CLASSIFICATION, train.outputs());
        } catch (IllegalArgumentException e) {
            throw UserError.setting("loss", (loop.loss() != null ? loop.loss() : kind).label(), e.getMessage());
        }
        lossSpec = kind;
        if (optimizer instanceof Kfac k && k.samplesTargets() && !kind.equals(LossSpec.of(LossKind.CROSS_ENTROPY)))
            throw UserError.setting("optimizer", s.optimizer(), "fisher=true takes plain cross-entropy's gradients at targets sampled from the model's "
                    + "predictive distribution, and the loss is " + kind.label() + "; use fisher=empirical");
        initialWeights = Tensor.zeros(s.dtype(), 1, model.network.parameterCount());
        model.network.parameters().copyTo(initialWeights);
        initialBuffers = Tensor.zeros(model.network.buffers().dtype, 1, model.network.buffers().size());
        model.network.buffers().copyTo(initialBuffers);
        // built now, so that an instrument the run cannot take is refused before anything is shown or written
        instruments = dev.ravine.track.Instruments.of(s.track(), model, loss, loop.penalty(), train, optimizer != null ? optimizer : minimizer, tracked);
    }

    /** Batch statistics need two rows or more: as BatchNorm1d, a minibatch of one row is refused, here before training. */
    private static void checkBatchesForBatchNorm(TrainConfig loop, int rows, boolean fullBatch) {
        int last = fullBatch ? rows : rows % loop.batch() == 0 ? Math.min(loop.batch(), rows) : rows % loop.batch();
        if (loop.batch() == 1 && !fullBatch)
            throw UserError.setting("batch", 1, "batch norm normalizes with each minibatch's statistics and needs 2 or more rows");
        if (last == 1)
            throw UserError.setting("batch", loop.batch(), "the last minibatch of each epoch would hold 1 of the " + rows
                    + " training rows, and batch norm needs 2 or more; choose another batch size or validation share");
    }

    /** Weight averaging as PyTorch's recipe runs it: a minibatch optimizer, rates stepped once an epoch, the average the model. */
    private void checkSwa(TrainConfig loop) {
        String why = minimizer != null ? minimizer.name() + " trains full-batch with its own steps; weight averaging follows a minibatch optimizer"
                : loop.schedulePerStep() ? "SWALR steps once an epoch, so the schedule before it does too (--schedule-unit epoch)"
                : loop.earlyStop() != null ? "the saved model is the weights' average, not an epoch's that early stopping would keep"
                : loop.swa().start() >= loop.epochs() ? "start=" + loop.swa().start() + " leaves no epoch to average of the " + loop.epochs() : null;
        if (why != null) throw UserError.setting("swa", null, why);
    }

    /** A schedule that cannot be stepped through the whole run (onecycle's total_steps) is refused before training. */
    private static void checkScheduleLasts(Schedule schedule, TrainConfig loop, int rows) {
        if (schedule.watchesMetric()) return;
        long steps = loop.schedulePerStep() ? (long) loop.epochs() * ((rows + loop.batch() - 1) / loop.batch()) : loop.epochs();
        try {
            schedule.sequence((int) Math.min(steps + 1, 100_000_000));
        } catch (IllegalArgumentException e) {
            throw UserError.setting("schedule", loop.schedule(), e.getMessage() + " (this run steps it " + steps + " times)");
        }
    }

    /** The loss a run of this task trains with by default: cross-entropy for classification, MSE for regression. */
    public static Loss lossFor(Task task) {
        return LossSpec.defaultFor(task == Task.CLASSIFICATION).forTask(task == Task.CLASSIFICATION, 0); // no class weights to count
    }

    /** How many training rows each class has (a classification's targets are class indices). */
    private static long[] classCounts(Dataset train) {
        long[] counts = new long[train.outputs()];
        for (int i = 0, n = train.rows(); i < n; i++) counts[(int) train.y().get(i)]++;
        return counts;
    }

    /** The training method's name. */
    public String method() {
        return optimizer != null ? optimizer.name() : minimizer.name() + " (full batch)";
    }

    /** The side of the data's square images, 0 when the data are not images. */
    private final int imageSide;

    /** How early stopping ended the run (its best epoch, why it stopped), once trained; null without it. */
    private EarlyStopping.Outcome stopping;
    /** Where a NaN or infinite loss stopped the run, once trained; null if none did. */
    private Divergence.Event divergence;
    /** The averaged model's account, once trained with weight averaging; null otherwise. */
    private Averaged averaged;

    /**
     * A saved model that averages the weights of the last {@code epochs} epochs (stochastic weight averaging), with
     * its own figures on the validation split and the test set (null where the run has none): the metrics follow
     * the iterates, not the average.
     */
    public record Averaged(long epochs, Evaluation validation, Evaluation test) {
    }

    /** How early stopping ended the run (its best epoch, why it stopped), once trained; null without it. */
    public EarlyStopping.Outcome stopping() {
        return stopping;
    }

    /** Where a NaN or infinite loss stopped the run, once trained; null if none did. */
    public Divergence.Event divergence() {
        return divergence;
    }

    /** What the saved model averages and how it scores, once trained with weight averaging; null otherwise. */
    public Averaged averaged() {
        return averaged;
    }

    /** The measurements of instruments tracked every N steps (the run folder's track.csv). */
    public final dev.ravine.track.TrackLog tracked = new dev.ravine.track.TrackLog();
    /** The instruments of {@code --track}, as one listener. */
    private final Trainer.Listener instruments;

    /** The weights after each epoch (epoch 0 first), kept when they fit {@link #TRAJECTORY_LIMIT} values in all. */
    public final List<Tensor> trajectory = new java.util.ArrayList<>();
    /** Most parameter values (parameters x (epochs + 1)) a run keeps for trajectory plots. */
    static final long TRAJECTORY_LIMIT = 20_000_000;

    /** Trains in memory; the caller writes the run folder. */
    public List<EpochMetrics> train(Trainer.Listener listener) {
        try {
            return train(listener, null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // nothing is written without a live folder
        }
    }

    /**
     * Trains and writes the run folder {@code dir}: whole at the end, or, when the settings checkpoint, from the start
     * with a checkpoint as often as they say. With {@code overwrite} a run already in {@code dir} is replaced.
     */
    public List<EpochMetrics> trainInto(Path dir, boolean overwrite, Trainer.Listener listener) throws IOException {
        dev.ravine.report.ChartWarmUp.start(); // the folder's report draws charts at the end
        if (settings.checkpointEvery() == null) {
            RunFolder.checkWritable(dir, overwrite);
            List<EpochMetrics> history = train(listener);
            RunFolder.write(dir, this, history, overwrite);
            return history;
        }
        try (RunFolder.Live live = RunFolder.Live.begin(dir, this, overwrite)) {
            List<EpochMetrics> history = train(listener, live, null);
            live.finish(this, history);
            return history;
        }
    }

    /** A run to resume: {@code dir}'s saved settings, at {@code threads} threads (null: as saved). */
    public static TrainingRun toResume(Path dir, Integer threads) {
        RunSettings s = RunFolder.settings(dir);
        return new TrainingRun(threads == null ? s : s.withThreads(threads));
    }

    /**
     * Goes on with the run in {@code dir} (this run's settings, see {@link #toResume}) from its newest checkpoint, to
     * the weights an uninterrupted run ends at, and finishes its folder.
     */
    public List<EpochMetrics> resume(Path dir, Trainer.Listener listener) throws IOException {
        Path newest = Checkpoint.newest(dir);
        if (newest == null) throw UserError.setting("resume", dir, "the run has no checkpoint to resume from (it was trained without checkpoint-every)");
        try (RunFolder.Live live = RunFolder.Live.resume(dir)) {
            TrainingState state = Checkpoint.read(newest, model.network.parameterCount(), model.network.buffers().size());
            // a run killed after its last checkpoint but before its final files gets them now; a written run is done
            if (state.finished() && !RunFolder.writtenAtCheckpoint(dir))
                throw UserError.setting("resume", dir, "the run finished at epoch " + state.epoch() + "; there is nothing to resume");
            keepTracked(dir, state.epoch());
            keepTrajectory(dir, state.epoch());
            List<EpochMetrics> history = train(listener, live, state);
            live.finish(this, history);
            return history;
        }
    }

    /**
     * Trains the finished run in {@code dir} on, from its last checkpoint, to {@code epochs} in all: to the weights a run
     * of that many epochs ends at. This run's settings are the saved ones with {@code epochs} (see {@link #toExtend});
     * the saved run must have trained all its epochs (not stopped early or diverged) and checkpointed its last one.
     */
    public List<EpochMetrics> extend(Path dir, Trainer.Listener listener) throws IOException {
        Path newest = Checkpoint.newest(dir);
        if (newest == null) throw UserError.setting("resume", dir, "the run has no checkpoint to go on from");
        try (RunFolder.Live live = RunFolder.Live.resume(dir)) {
            TrainingState s = Checkpoint.read(newest, model.network.parameterCount(), model.network.buffers().size());
            if (s.finished() && s.history().size() != s.epoch())
                throw UserError.setting("resume", dir, "the run ended at epoch " + s.epoch() + " before its last; there is nothing to go on with");
            if (s.epoch() > settings.epochs())
                throw UserError.setting("epochs", settings.epochs(), dir + " has trained " + s.epoch() + " epochs already");
            TrainingState open = new TrainingState(s.epoch(), false, s.weights(), s.buffers(), s.optimizerState(), s.optimizerSteps(),
                    s.scheduleMetrics(), s.watch(), s.lastGoodEpoch(), s.lastGoodLoss(), s.lastGoodWeights(), s.lastGoodBuffers(), s.history());
            keepTracked(dir, s.epoch());
            keepTrajectory(dir, s.epoch());
            List<EpochMetrics> history = train(listener, live, open);
            live.finish(this, history);
            return history;
        }
    }

    /** The step measurements {@code dir}'s track.csv holds up to {@code epoch}; those after it are measured again. */
    private void keepTracked(Path dir, int epoch) throws IOException {
        Path log = dir.resolve(dev.ravine.track.TrackLog.FILE);
        if (!Files.isRegularFile(log)) return;
        dev.ravine.track.TrackLog before = dev.ravine.track.TrackLog.parse(Files.readString(log), log.toString());
        before.keepUpTo(epoch);
        tracked.addAll(before);
    }

    /**
     * The weights of epochs 0 to {@code epoch} from {@code dir}'s trajectory file, so that a resumed run's trajectory
     * is the uninterrupted run's; without them (a run that kept none) the resumed run keeps none either.
     */
    private void keepTrajectory(Path dir, int epoch) {
        List<double[]> before = RunFolder.readTrajectory(dir, epoch, model.network.parameterCount());
        if (before == null) return;
        for (double[] w : before) {
            Tensor t = Tensor.zeros(settings.dtype(), 1, w.length);
            t.writeRow(0, w);
            trajectory.add(t);
        }
    }

    /** A run to extend: {@code dir}'s saved settings with {@code epochs} in all, checkpointing {@code every}. */
    public static TrainingRun toExtend(Path dir, int epochs, CheckpointInterval every, Integer threads) {
        RunSettings s = RunFolder.settings(dir).withEpochs(epochs, every);
        return new TrainingRun(threads == null ? s : s.withThreads(threads));
    }

    private List<EpochMetrics> train(Trainer.Listener listener, RunFolder.Live live, TrainingState from) throws IOException {
        // a resumed run keeps on with the trajectory its checkpoints wrote, and without one keeps none
        boolean keep = (from == null || !trajectory.isEmpty()) && (long) model.network.parameterCount() * (settings.epochs() + 1) <= TRAJECTORY_LIMIT;
        if (!keep) trajectory.clear();
        CheckpointInterval every = settings.checkpointEvery();
        Trainer.Listener recording = new Trainer.Listener() {
            long lastCheckpoint = System.nanoTime();

            @Override
            public void weights(int epoch, Tensor flat) {
                if (keep && epoch == trajectory.size()) trajectory.add(TrainingState.copy(flat)); // a resumed run's earlier epochs are restored
            }

            @Override
            public void checkpoint(int epoch, java.util.function.Supplier<TrainingState> state) {
                if (live == null || !every.due(epoch, (System.nanoTime() - lastCheckpoint) / 1e9)) return;
                try {
                    live.checkpoint(TrainingRun.this, state.get());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                lastCheckpoint = System.nanoTime();
            }
        };
        Trainer trainer;
        if (minimizer != null) {
            trainer = new FullBatchTrainer(model.network, loss, minimizer, settings.loop());
        } else {
            MinibatchTrainer minibatch = new MinibatchTrainer(model.network, loss, optimizer, settings.loop());
            Augmentation a = settings.loop().augment();
            if (a != null) minibatch.augmentWith(a.on(imageSide, standardization, settings.seed() ^ AUGMENT_STREAM));
            trainer = minibatch;
        }
        if (from != null) trainer.resumeFrom(from);
        List<EpochMetrics> history;
        try {
            // the instruments add their figures to each epoch's before anyone shows or saves them
            history = trainer.fit(split.train(), split.validation(), test, Trainer.Listener.both(instruments, Trainer.Listener.both(recording, listener)));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        model.endTraining();
        stopping = trainer.stopping();
        divergence = trainer.divergence();
        long epochs = trainer.averaged();
        averaged = epochs == 0 ? null : new Averaged(epochs, split.validation() == null ? null : Evaluation.of(model.network, loss, split.validation()),
                test == null ? null : Evaluation.of(model.network, loss, test));
        return history;
    }
}
