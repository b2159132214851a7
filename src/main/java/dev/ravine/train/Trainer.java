package dev.ravine.train;

import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.data.Dataset;
import dev.ravine.data.Task;
import dev.ravine.tensor.Parallel;
import dev.ravine.tensor.Tensor;
import java.util.List;

/**
 * A training loop over a network: {@link MinibatchTrainer} takes one optimizer step per minibatch, {@link
 * FullBatchTrainer} one step of a method that re-evaluates the whole objective per epoch. Both evaluate after each
 * epoch, keep the last epoch whose losses were finite to fall back to, and stop early when asked.
 */
public abstract sealed class Trainer permits MinibatchTrainer, FullBatchTrainer {
    /** Hears about progress; every method is optional. */
    public interface Listener {
        default void batch(int epoch, int done, int total, double loss) {
        }

        default void epoch(EpochMetrics metrics) {
        }

        /**
         * After each optimizer step, the network at the stepped weights: {@code step} counts the run's steps (1 first;
         * a full-batch method takes one an epoch), {@code lr} is the rate the step took.
         */
        default void step(int epoch, long step, double lr) {
        }

        /**
         * After each minibatch's forward and backward passes, before the optimizer's step (minibatch methods only):
         * {@code net} holds the passes at the weights the step starts from, on the minibatch whose {@code targets}
         * they used; {@code step} is the number the step will have. A listener may run more passes that reuse these
         * ({@link Network#hessianVector(Tensor, Loss, Tensor, Tensor, boolean)}) but must leave the gradients alone.
         */
        default void passes(int epoch, long step, Network net, Tensor targets, Loss loss) {
        }

        /** The weights at the end of each epoch (and before the first, as epoch 0), flat. */
        default void weights(int epoch, Tensor flat) {
        }

        /**
         * After each epoch (and its early-stopping check) of a trainer that can resume: {@code state} gives a copy of
         * everything needed to go on from here, made only when asked for.
         */
        default void checkpoint(int epoch, java.util.function.Supplier<TrainingState> state) {
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
                public void step(int epoch, long step, double lr) {
                    first.step(epoch, step, lr);
                    second.step(epoch, step, lr);
                }

                @Override
                public void passes(int epoch, long step, Network net, Tensor targets, Loss loss) {
                    first.passes(epoch, step, net, targets, loss);
                    second.passes(epoch, step, net, targets, loss);
                }

                @Override
                public void weights(int epoch, Tensor flat) {
                    first.weights(epoch, flat);
                    second.weights(epoch, flat);
                }

                @Override
                public void checkpoint(int epoch, java.util.function.Supplier<TrainingState> state) {
                    first.checkpoint(epoch, state);
                    second.checkpoint(epoch, state);
                }
            };
        }
    }

    protected final Network net;
    protected final Loss loss;
    protected final TrainConfig config;
    /** How early stopping ended the last fit; null without it. */
    protected EarlyStopping.Outcome stopping;
    /** Where the last fit diverged; null if it did not. */
    protected Divergence.Event divergence;

    /** How many epochs' weights the fitted network holds the average of (stochastic weight averaging); 0 without it. */
    public long averaged() {
        return 0;
    }

    Trainer(Network net, Loss loss, TrainConfig config) {
        this.net = net;
        this.loss = loss;
        this.config = config;
    }

    /**
     * Trains for the configured epochs, or until early stopping ends the run (its best weights restored when asked);
     * {@code validation} and {@code test} may be null.
     */
    public abstract List<EpochMetrics> fit(Dataset train, Dataset validation, Dataset test, Listener listener);

    /** Where the last {@link #fit} met a NaN or infinite loss that stopped it; null if none did. */
    public Divergence.Event divergence() {
        return divergence;
    }

    /** How early stopping ended the last {@link #fit}: the best epoch and why it stopped; null without it. */
    public EarlyStopping.Outcome stopping() {
        return stopping;
    }

    /** Where the next fit goes on from; null to start at epoch 1. */
    protected TrainingState resume;

    /**
     * The next {@link #fit} goes on from {@code state}, a checkpoint of a fit with the same settings, data and
     * network, as if it had never stopped.
     */
    public void resumeFrom(TrainingState state) {
        resume = state;
    }

    /** A copy of where the fit stands after {@code epoch}: the method's own state added by each trainer. */
    abstract TrainingState state(int epoch, boolean finished, EarlyStopping.Watch watch, LastGood lastGood, List<EpochMetrics> history);

    /**
     * The end of an epoch, after its metrics: the listeners hear it, early stopping decides, and a checkpoint may be
     * taken of the state as it is now; true when the fit stops here.
     */
    boolean endEpoch(EpochMetrics m, EarlyStopping.Watch watch, LastGood lastGood, List<EpochMetrics> history, Listener listener) {
        listener.epoch(m);
        boolean stop = stopsAfter(watch, m);
        listener.checkpoint(m.epoch(), () -> state(m.epoch(), stop || m.epoch() == config.epochs(), watch, lastGood, history));
        return stop;
    }

    /** After the last epoch: early stopping restores the best one when asked. */
    List<EpochMetrics> finish(EarlyStopping.Watch watch, List<EpochMetrics> history) {
        if (watch != null) stopping = watch.finish(config.epochs());
        return history;
    }

    /** A copy of where a fit stands after {@code epoch}, with the training method's own state. */
    TrainingState state(int epoch, boolean finished, EarlyStopping.Watch watch, LastGood lastGood, List<EpochMetrics> history,
                        java.util.Map<String, Tensor> methodState, long methodSteps, double[] scheduleMetrics) {
        return new TrainingState(epoch, finished, TrainingState.copy(net.parameters()), TrainingState.copy(net.buffers()), methodState, methodSteps,
                scheduleMetrics, watch == null ? null : watch.progress(), lastGood.epoch(), lastGood.loss, lastGood.weights(), lastGood.buffers(),
                List.copyOf(history));
    }

    /** Puts the weights, buffers, watches and metrics where {@code s} left them; returns the next epoch. */
    int resumeCommon(TrainingState s, EarlyStopping.Watch watch, LastGood lastGood, List<EpochMetrics> history) {
        s.weights().copyTo(net.parameters());
        s.buffers().copyTo(net.buffers());
        if (watch != null && s.watch() != null) watch.resume(s.watch(), net.parameters(), net.buffers());
        lastGood.resume(s.lastGoodEpoch(), s.lastGoodLoss(), s.lastGoodWeights(), s.lastGoodBuffers());
        history.addAll(s.history());
        return s.finished() ? Integer.MAX_VALUE : s.epoch() + 1; // a fit that had ended only finishes (early stopping's restore)
    }

    /**
     * Keeps the loops of steps (or passes) on {@code rows} rows on the calling thread while the stretch is open, where
     * such a step is too small to share ({@link Parallel#serialBelow}): its products take about rows x parameters
     * multiply-adds forward and twice that backward.
     */
    static Parallel.Serial serialIfSmall(int rows, Network net) {
        return Parallel.serialBelow(3L * rows * net.parameterCount());
    }

    /** The early-stopping watch of a fit, or null without early stopping. */
    EarlyStopping.Watch watch() {
        return config.earlyStop() == null ? null : config.earlyStop().watch();
    }

    /** After an epoch: true when early stopping ends the fit here. */
    boolean stopsAfter(EarlyStopping.Watch watch, EpochMetrics m) {
        return watch != null && m.valLoss() != null && watch.stopAfter(m.epoch(), m.valLoss(), net.parameters(), net.buffers());
    }

    /** The weights (and buffers) at the end of the last epoch whose every loss was finite, and the last finite loss seen. */
    static final class LastGood {
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

        int epoch() {
            return epoch;
        }

        /** Copies of the kept weights and buffers. */
        Tensor weights() {
            return TrainingState.copy(state.saved(0));
        }

        Tensor buffers() {
            return TrainingState.copy(state.saved(1));
        }

        /** Goes on from a checkpoint's last good epoch. */
        void resume(int epoch, double loss, Tensor weights, Tensor buffers) {
            this.epoch = epoch;
            this.loss = loss;
            weights.copyTo(state.saved(0));
            buffers.copyTo(state.saved(1));
        }
    }

    /**
     * The epoch's figures: the training split's accuracy in evaluation mode beside the surrogate loss the epoch
     * minimized (the 0-1 error against its surrogate), then the validation and test figures.
     */
    EpochMetrics metrics(int epoch, double trainLoss, Double penalty, double lr, double seconds, Dataset train, Dataset validation, Dataset test) {
        Double trainAccuracy = train.task() == Task.CLASSIFICATION ? Evaluation.of(net, loss, train).accuracy() : null;
        Evaluation val = validation == null ? null : Evaluation.of(net, loss, validation);
        Evaluation tst = test == null ? null : Evaluation.of(net, loss, test);
        return new EpochMetrics(epoch, trainLoss, penalty, trainAccuracy,
                val == null ? null : val.loss(), val == null ? null : val.accuracy(), val == null ? null : val.rmse(),
                tst == null ? null : tst.loss(), tst == null ? null : tst.accuracy(), lr, seconds, train.rows() / seconds);
    }

}
