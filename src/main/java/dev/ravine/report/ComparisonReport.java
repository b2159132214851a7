package dev.ravine.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Several runs on one page: the classic "which optimizer" figure, validation loss and accuracy against epochs and
 * against wall time, and a table of each run's best epoch, best figures, time and speed.
 */
public final class ComparisonReport {
    /** One run to compare: its label, run.json and metrics. */
    public record Entry(String label, JsonNode run, MetricsTable metrics) {
    }

    private ComparisonReport() {
    }

    public static List<LineChart> charts(List<Entry> runs) {
        boolean val = runs.stream().anyMatch(r -> r.metrics().has("val_loss"));
        String loss = val ? "val_loss" : "train_loss", who = val ? "Validation" : "Training";
        LineChart byEpoch = new LineChart(who + " loss by epoch", "epoch", "mean loss", "Per epoch, the method that is lower "
                + "sooner learns more from each pass over the data.");
        LineChart byTime = new LineChart(who + " loss by training time", "training time (s)", "mean loss", "Per second: a method whose "
                + "steps cost more (second-order, full batch) must gain more per step to win here.");
        LineChart accuracy = new LineChart("Validation accuracy by epoch", "epoch", "share of rows classified correctly",
                "Where the losses part ways, whether the accuracies do too.");
        LineChart train = new LineChart("Training loss by epoch", "epoch", "mean loss", "How fast each method descends the objective it "
                + "minimizes, before any question of generalization.");
        for (LineChart c : new LineChart[] {byEpoch, byTime, train})
            if (runs.stream().anyMatch(r -> RunCharts.spansDecades(r.metrics(), loss, "train_loss"))) c.logY();
        for (Entry r : runs) {
            double[] epoch = r.metrics().column("epoch");
            byEpoch.add(r.label(), epoch, r.metrics().column(loss));
            byTime.add(r.label(), r.metrics().wallTime(), r.metrics().column(loss));
            accuracy.add(r.label(), epoch, r.metrics().column("val_accuracy"));
            train.add(r.label(), epoch, r.metrics().column("train_loss"));
        }
        List<LineChart> out = new ArrayList<>(List.of(byEpoch, byTime));
        if (!accuracy.isEmpty()) out.add(accuracy);
        if (val) out.add(train);
        return out;
    }

    /**
     * Writes {@code out/report.html} comparing the run folders {@code dirs}, each labelled by its folder's name and
     * optimizer (its whole path where those repeat), and each chart as PNG and SVG in {@code out/charts}.
     */
    public static java.nio.file.Path write(List<java.nio.file.Path> dirs, java.nio.file.Path out) throws java.io.IOException {
        if (dirs.size() < 2) throw new dev.ravine.UserError("compare: give two run folders or more, got " + dirs.size());
        List<Entry> runs = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (java.nio.file.Path d : dirs) {
            JsonNode run = RunReport.runJson(d);
            String label = d.toAbsolutePath().normalize().getFileName() + ": " + run.path("settings").path("optimizer").asText();
            if (!seen.add(label)) label = d.toAbsolutePath().normalize().toString();
            runs.add(new Entry(label, run, MetricsTable.read(d.resolve("metrics.csv"))));
        }
        java.nio.file.Files.createDirectories(out);
        java.nio.file.Path page = out.resolve("report.html");
        dev.ravine.tensor.AtomicFiles.write(page, html(runs).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        RunReport.saveAll(charts(runs), out.resolve("charts"));
        return page;
    }

    public static String html(List<Entry> runs) {
        StringBuilder b = new StringBuilder("<h1>ravine: " + runs.size() + " runs compared</h1>\n");
        List<List<String>> rows = new ArrayList<>();
        for (Entry r : runs) {
            MetricsTable m = r.metrics();
            String watched = m.has("val_loss") ? "val_loss" : "train_loss";
            int best = m.argmin(watched), last = m.rows() - 1;
            double seconds = last < 0 ? 0 : m.wallTime()[last], speed = 0;
            for (double v : m.column("samples_per_s")) speed += Double.isFinite(v) ? v / Math.max(1, m.rows()) : 0;
            rows.add(List.of(r.label(), r.run().path("settings").path("optimizer").asText(), best < 0 ? "" : Integer.toString((int) m.column("epoch")[best]),
                    best < 0 ? "" : Html.number(m.column(watched)[best]), best < 0 ? "" : Html.number(m.column("val_accuracy")[best]),
                    String.format(Locale.ROOT, "%.1f", seconds), String.format(Locale.ROOT, "%.0f", speed)));
        }
        for (LineChart c : charts(runs)) b.append(Html.figure(c));
        b.append("<h2>Runs</h2>\n").append(Html.table(List.of("run", "optimizer", "best epoch", "best val_loss", "val_accuracy at best",
                "training time (s)", "samples/s (mean)"), rows));
        b.append("<p>The best epoch is the one of lowest validation loss (training loss for runs without a validation split).</p>\n");
        return Html.page("ravine comparison", b.toString());
    }
}
