package dev.ravine.train;

/**
 * How often a run checkpoints: every {@code epochs} epochs, or (with {@code seconds} above 0) at the end of the first
 * epoch after {@code seconds} of training since the last checkpoint. Checkpoints fall on epoch boundaries, where the
 * state to resume from is smallest.
 */
public record CheckpointInterval(int epochs, double seconds) {
    public CheckpointInterval {
        if (seconds > 0 ? epochs != 0 : epochs < 1)
            throw new IllegalArgumentException("a checkpoint interval is a number of epochs (1 or more) or of seconds (above 0)");
    }

    /** {@code N} epochs or {@code Ns} seconds. */
    public static CheckpointInterval parse(String text) {
        try {
            if (text.endsWith("s")) {
                double s = Double.parseDouble(text.substring(0, text.length() - 1));
                if (s > 0 && Double.isFinite(s)) return new CheckpointInterval(0, s);
            } else {
                int n = Integer.parseInt(text);
                if (n >= 1) return new CheckpointInterval(n, 0);
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("expected a number of epochs (1 or more) or of seconds (e.g. 300s)");
    }

    /** Whether a checkpoint is due after {@code epoch}, {@code sinceLast} seconds after the last one. */
    boolean due(int epoch, double sinceLast) {
        return seconds > 0 ? sinceLast >= seconds : epoch % epochs == 0;
    }

    public String text() {
        return seconds > 0 ? (seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds)) + "s" : Integer.toString(epochs);
    }
}
