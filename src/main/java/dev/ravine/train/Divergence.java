package dev.ravine.train;

import java.util.Locale;

/**
 * What to do when a minibatch's loss is NaN or infinite, and what happened when it was. {@code STOP} ends the run
 * there and puts back the weights of the last epoch whose every loss was finite; {@code SKIP} leaves out that
 * step (no update) and goes on, and stops like STOP only when a whole epoch had no finite loss.
 */
public enum Divergence {
    STOP, SKIP;

    /** stop or skip. */
    public static Divergence parse(String text) {
        for (Divergence d : values()) if (d.name().toLowerCase(Locale.ROOT).equals(text)) return d;
        throw new IllegalArgumentException("expected stop or skip, got " + text);
    }

    /**
     * Where a run diverged: the epoch and step (1-based) of the first non-finite loss that stopped it, the last
     * finite minibatch loss before it (NaN if there was none), and the epoch whose weights were kept (0: the
     * initial ones).
     */
    public record Event(int epoch, int step, double loss, double lastFiniteLoss, int keptEpoch) {
        /** One line for the user. */
        public String describe() {
            return String.format(Locale.ROOT, "the loss became %s at epoch %d, step %d (last finite loss %s); the run stopped and kept the weights of %s",
                    Double.isNaN(loss) ? "NaN" : "infinite", epoch, step, Double.isNaN(lastFiniteLoss) ? "none" : String.format(Locale.ROOT, "%.6g", lastFiniteLoss),
                    keptEpoch == 0 ? "its initialization" : "epoch " + keptEpoch);
        }
    }
}
