package dev.ravine.train;

import dev.ravine.optim.Spec;
import dev.ravine.tensor.Tensor;

/**
 * Early stopping (Goodfellow, Bengio &amp; Courville 2016, algorithm 7.1, in the form of Keras' and Lightning's
 * callbacks): after each epoch the validation loss is compared with the best so far, and an epoch improves on it
 * when it is lower by more than {@code minDelta}. After {@code patience} epochs in a row without an improvement
 * training stops; with {@code restoreBest} the weights then go back to the best epoch's, so the saved model is
 * that epoch's.
 */
public record EarlyStopping(int patience, double minDelta, boolean restoreBest) {
    public static final EarlyStopping DEFAULTS = new EarlyStopping(5, 0, true);

    public EarlyStopping {
        if (patience < 1) throw new IllegalArgumentException("patience must be 1 or more, got " + patience);
        if (!(minDelta >= 0) || !Double.isFinite(minDelta)) throw new IllegalArgumentException("min_delta must be a finite number >= 0, got " + minDelta);
    }

    /** {@code patience=N,min_delta=X,restore_best=true|false}, any of them (an empty text: the defaults). */
    public static EarlyStopping parse(String option, String text) {
        Spec named = Spec.parse(option, "early_stop:" + text);
        return new Spec(option, text, "early stopping", named.values()).bind(DEFAULTS);
    }

    /** How a run with early stopping ended: its best epoch and why it stopped. */
    public record Outcome(int bestEpoch, double bestValLoss, int epochsRun, boolean stoppedEarly, boolean restoredBest, String reason) {
    }

    /**
     * Where a watch stands after an epoch, for checkpoints: the best loss and epoch, the epochs since, and the best
     * epoch's weights and buffers when they are kept for restoring (else null).
     */
    public record Progress(double bestLoss, int bestEpoch, int sinceBest, int epochs, Tensor bestWeights, Tensor bestBuffers) {
    }

    /** Watches one run's epochs, keeping a copy of the best weights (and buffers) when they are to be restored. */
    final class Watch {
        private Snapshot best;
        private double bestLoss = Double.POSITIVE_INFINITY;
        private int bestEpoch, sinceBest, epochs;

        /** True when training should stop after this epoch; {@code state} is what a restore puts back (weights, buffers). */
        boolean stopAfter(int epoch, double valLoss, Tensor... state) {
            epochs = epoch;
            if (valLoss < bestLoss - minDelta || bestEpoch == 0) {
                bestLoss = valLoss;
                bestEpoch = epoch;
                sinceBest = 0;
                if (restoreBest) {
                    if (best == null) best = new Snapshot(state);
                    else best.keep();
                }
                return false;
            }
            return ++sinceBest >= patience;
        }

        /** Copies of where the watch stands now. */
        Progress progress() {
            return new Progress(bestLoss, bestEpoch, sinceBest, epochs, best == null ? null : TrainingState.copy(best.saved(0)),
                    best == null ? null : TrainingState.copy(best.saved(1)));
        }

        /** Goes on from a checkpoint's {@code p}; {@code state} are the live weights and buffers a restore writes into. */
        void resume(Progress p, Tensor... state) {
            bestLoss = p.bestLoss();
            bestEpoch = p.bestEpoch();
            sinceBest = p.sinceBest();
            epochs = p.epochs();
            if (p.bestWeights() != null) {
                best = new Snapshot(state);
                p.bestWeights().copyTo(best.saved(0));
                p.bestBuffers().copyTo(best.saved(1));
            }
        }

        /** Puts the best epoch's weights back when asked to, and says how the run ended. */
        Outcome finish(int epochLimit) {
            boolean early = epochs < epochLimit;
            boolean restore = restoreBest && best != null && bestEpoch != epochs;
            if (restore) best.restore();
            String reason = early ? "the validation loss did not improve by more than " + minDelta + " for " + patience + " epochs"
                    : "the epoch limit";
            return new Outcome(bestEpoch, bestLoss, epochs, early, restore, reason);
        }
    }

    Watch watch() {
        return new Watch();
    }
}
