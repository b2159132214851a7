package dev.ravine.cli;

import dev.ravine.train.EpochMetrics;
import dev.ravine.train.Trainer;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What {@code train} shows while it runs: a progress bar per epoch on stderr when a person is watching, and
 * each epoch's figures on stdout, as a text line or one JSON object.
 */
final class Progress implements Trainer.Listener {
    private final PrintWriter out;
    private final boolean json;
    private final boolean bar;
    private final int epochs;
    private ProgressBar current;

    Progress(PrintWriter out, boolean json, boolean bar, int epochs) {
        this.out = out;
        this.json = json;
        this.bar = bar;
        this.epochs = epochs;
    }

    /** A progress bar only makes sense when a terminal shows it. */
    static boolean interactive() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    @Override
    public void batch(int epoch, int done, int total, double loss) {
        if (!bar) return;
        if (current == null)
            current = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                    .setInitialMax(total).setUnit(" batches", 1).showSpeed().setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(100)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).clearDisplayOnFinish().continuousUpdate().build();
        current.stepTo(done);
        if (done % 8 == 0 || done == total) current.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss));
    }

    @Override
    public void epoch(EpochMetrics m) {
        if (current != null) {
            current.close();
            current = null;
        }
        if (json) out.println(Json.line(m.asMap()));
        else out.println(text(m));
    }

    /** The columns of the text table, fixed by the first epoch (later epochs may add only --diagnose figures). */
    private java.util.List<String[]> columns;

    /** One row of a compact table whose header is printed above the first epoch: name, width, value. */
    private String text(EpochMetrics m) {
        java.util.List<String[]> cells = new java.util.ArrayList<>();
        cells.add(new String[] {"epoch", String.format(Locale.ROOT, "%d", m.epoch())});
        cells.add(new String[] {"train_loss", String.format(Locale.ROOT, "%.4f", m.trainLoss())});
        if (m.penalty() != null) cells.add(new String[] {"penalty", String.format(Locale.ROOT, "%.4g", m.penalty())});
        if (m.trainAccuracy() != null) cells.add(new String[] {"train_acc", String.format(Locale.ROOT, "%.4f", m.trainAccuracy())});
        if (m.valLoss() != null) cells.add(new String[] {"val_loss", String.format(Locale.ROOT, "%.4f", m.valLoss())});
        if (m.valAccuracy() != null) cells.add(new String[] {"val_acc", String.format(Locale.ROOT, "%.4f", m.valAccuracy())});
        if (m.valRmse() != null) cells.add(new String[] {"val_rmse", String.format(Locale.ROOT, "%.4f", m.valRmse())});
        if (m.testLoss() != null) cells.add(new String[] {"test_loss", String.format(Locale.ROOT, "%.4f", m.testLoss())});
        if (m.testAccuracy() != null) cells.add(new String[] {"test_acc", String.format(Locale.ROOT, "%.4f", m.testAccuracy())});
        cells.add(new String[] {"lr", String.format(Locale.ROOT, "%.3g", m.lr())});
        cells.add(new String[] {"time", String.format(Locale.ROOT, "%.2fs", m.seconds())});
        cells.add(new String[] {"samples/s", String.format(Locale.ROOT, "%,.0f", m.samplesPerS())});
        StringBuilder sb = new StringBuilder();
        boolean header = columns == null;
        if (header) columns = cells;
        StringBuilder head = new StringBuilder(), row = new StringBuilder();
        for (String[] c : cells) {
            int width = Math.max(c[0].length(), 9);
            head.append(String.format(Locale.ROOT, "%" + width + "s  ", c[0]));
            row.append(String.format(Locale.ROOT, "%" + width + "s  ", c[1]));
        }
        if (header) sb.append(head.toString().stripTrailing()).append('\n');
        return sb.append(row.toString().stripTrailing()).toString();
    }
}
