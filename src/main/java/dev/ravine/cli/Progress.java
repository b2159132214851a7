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
                    .setInitialMax(total).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(100)
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

    private String text(EpochMetrics m) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %3d  train_loss %.4f", m.epoch(), m.trainLoss()));
        if (m.penalty() != null) sb.append(String.format(Locale.ROOT, "  penalty %.4g", m.penalty()));
        if (m.trainAccuracy() != null) sb.append(String.format(Locale.ROOT, "  train_accuracy %.4f", m.trainAccuracy()));
        if (m.valLoss() != null) sb.append(String.format(Locale.ROOT, "  val_loss %.4f", m.valLoss()));
        if (m.valAccuracy() != null) sb.append(String.format(Locale.ROOT, "  val_accuracy %.4f", m.valAccuracy()));
        if (m.valRmse() != null) sb.append(String.format(Locale.ROOT, "  val_rmse %.4f", m.valRmse()));
        if (m.testLoss() != null) sb.append(String.format(Locale.ROOT, "  test_loss %.4f", m.testLoss()));
        if (m.testAccuracy() != null) sb.append(String.format(Locale.ROOT, "  test_accuracy %.4f", m.testAccuracy()));
        sb.append(String.format(Locale.ROOT, "  lr %.3g  %.2fs  %,.0f samples/s", m.lr(), m.seconds(), m.samplesPerS()));
        return sb.toString();
    }
}
