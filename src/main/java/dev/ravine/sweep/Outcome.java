package dev.ravine.sweep;

import dev.ravine.data.CsvReader;
import dev.ravine.train.EpochMetrics;
import dev.ravine.train.Evaluation;
import java.util.List;
import java.util.Locale;

/**
 * One row of a sweep's {@code results.csv}: how a run ended ({@code ok}, {@code diverged} or {@code failed: REASON}),
 * the epochs it trained, its best epoch by validation loss and that epoch's figures, the final model's (its last
 * epoch's, or with weight averaging the saved average's), and the seconds its epochs took. Figures a run lacks (no
 * validation split, a regression's accuracy) are null.
 */
public record Outcome(String spec, long seed, String status, int epochs, Integer bestEpoch, Double bestValLoss, Double bestValAccuracy,
                      Double finalValLoss, Double finalValAccuracy, double seconds) {
    public static final String HEADER = "spec,seed,status,epochs,best_epoch,best_val_loss,best_val_accuracy,final_val_loss,final_val_accuracy,seconds";

    public boolean ok() {
        return status.equals("ok");
    }

    /** A run's outcome from its epochs' figures, and the averaged model's validation figures with weight averaging (else null). */
    public static Outcome of(Trial t, String status, List<EpochMetrics> history, Evaluation averaged) {
        EpochMetrics best = null, last = history.isEmpty() ? null : history.get(history.size() - 1);
        for (EpochMetrics m : history) if (m.valLoss() != null && Double.isFinite(m.valLoss()) && (best == null || m.valLoss() < best.valLoss())) best = m;
        double seconds = history.stream().mapToDouble(EpochMetrics::seconds).sum();
        Double finalLoss = averaged != null ? Double.valueOf(averaged.loss()) : last == null ? null : last.valLoss();
        Double finalAccuracy = averaged != null ? averaged.accuracy() : last == null ? null : last.valAccuracy();
        return new Outcome(t.spec(), t.seed(), status, history.size(), best == null ? null : best.epoch(), best == null ? null : best.valLoss(),
                best == null ? null : best.valAccuracy(), finalLoss, finalAccuracy, seconds);
    }

    /** A run that did not train: its reason, on one line. */
    public static Outcome failed(Trial t, String reason) {
        return new Outcome(t.spec(), t.seed(), "failed: " + reason.replaceAll("[\r\n]+", " "), 0, null, null, null, null, null, 0);
    }

    /** The row, fields quoted as RFC 4180 has it where they hold a comma or a quote (specs do). */
    public String csv() {
        return String.join(",", CsvReader.quote(spec), Long.toString(seed), CsvReader.quote(status), Integer.toString(epochs), text(bestEpoch), text(bestValLoss),
                text(bestValAccuracy), text(finalValLoss), text(finalValAccuracy), String.format(Locale.ROOT, "%.3f", seconds));
    }

    /** Reads back a row {@link #csv} wrote, line {@code lineNo} of {@code source}, which messages name. */
    public static Outcome parse(String line, String source, int lineNo) {
        String where = source + ":" + lineNo;
        List<String> f = dev.ravine.data.CsvReader.split(line, source, lineNo);
        if (f.size() != 10) throw new IllegalArgumentException(where + ": expected 10 fields, found " + f.size());
        try {
            return new Outcome(f.get(0), Long.parseLong(f.get(1)), f.get(2), Integer.parseInt(f.get(3)), f.get(4).isEmpty() ? null : Integer.parseInt(f.get(4)),
                    number(f.get(5)), number(f.get(6)), number(f.get(7)), number(f.get(8)), Double.parseDouble(f.get(9)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static Double number(String s) {
        return s.isEmpty() ? null : Double.parseDouble(s);
    }

    private static String text(Number n) {
        return n == null ? "" : n.toString();
    }
}
