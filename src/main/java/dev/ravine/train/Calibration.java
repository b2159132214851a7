package dev.ravine.train;

/**
 * How far a classifier's confidence is from its accuracy: the expected calibration error of Guo et al. 2017 ("On
 * calibration of modern neural networks"). Rows are binned by their top probability into {@code BINS} equal
 * intervals (0, 1/15], (1/15, 2/15], ...; ECE = sum over bins of (rows in bin / rows) |accuracy in bin - mean top
 * probability in bin|. Modern networks trained long with cross-entropy are overconfident; label smoothing is one
 * of the things that lowers it (Muller et al. 2019).
 */
public final class Calibration {
    /** Guo et al.'s 15 bins. */
    public static final int BINS = 15;

    private Calibration() {
    }

    /** The expected calibration error over every row, NaN for none. */
    public static double expectedError(ClassProbabilities c) {
        double[] confidence = new double[BINS];
        long[] rows = new long[BINS], correct = new long[BINS];
        int n = c.truth().length;
        for (int i = 0; i < n; i++) {
            double top = c.p()[i][c.predicted()[i]];
            int bin = Math.min(BINS - 1, Math.max(0, (int) Math.ceil(top * BINS) - 1)); // (b/15, (b+1)/15]
            confidence[bin] += top;
            rows[bin]++;
            if (c.predicted()[i] == c.truth()[i]) correct[bin]++;
        }
        if (n == 0) return Double.NaN;
        double ece = 0;
        for (int b = 0; b < BINS; b++)
            if (rows[b] > 0) ece += Math.abs((double) correct[b] / rows[b] - confidence[b] / rows[b]) * rows[b] / n;
        return ece;
    }
}
