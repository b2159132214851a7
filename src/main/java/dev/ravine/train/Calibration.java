package dev.ravine.train;

import java.util.ArrayList;
import java.util.List;

/**
 * How far a classifier's confidence is from its accuracy (Guo et al. 2017, "On calibration of modern neural
 * networks"). Rows are binned by their top probability into {@code BINS} equal intervals (0, 1/15], (1/15, 2/15],
 * ...; each bin's accuracy against its mean top probability is the reliability diagram, and the expected
 * calibration error is their gap weighted by the bins' shares of the rows. Modern networks trained long with
 * cross-entropy are overconfident; label smoothing is one of the things that lowers it (Muller et al. 2019).
 *
 * @param expectedError sum over bins of (rows in bin / rows) |accuracy in bin - mean top probability in bin|; NaN for no rows
 * @param bins          the bins that hold rows, in order
 */
public record Calibration(double expectedError, List<Bin> bins) {
    /** Guo et al.'s 15 bins. */
    public static final int BINS = 15;

    /** A bin of rows: which of the {@link #BINS} it is, how many rows, their mean top probability and their accuracy. */
    public record Bin(int index, long rows, double confidence, double accuracy) {
    }

    public static Calibration of(ClassProbabilities c) {
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
        List<Bin> bins = new ArrayList<>();
        double ece = n == 0 ? Double.NaN : 0;
        for (int b = 0; b < BINS; b++) {
            if (rows[b] == 0) continue;
            Bin bin = new Bin(b, rows[b], confidence[b] / rows[b], (double) correct[b] / rows[b]);
            bins.add(bin);
            ece += Math.abs(bin.accuracy() - bin.confidence()) * rows[b] / n;
        }
        return new Calibration(ece, List.copyOf(bins));
    }
}
