package dev.ravine.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A run's {@code report.html}: one self-contained page (inline style, charts as inline PNG, nothing fetched) with the
 * run's settings, its data and model, the final and best figures, and every chart its metrics can draw.
 */
public final class RunReport {
    /** Marks around the training charts in a page, where {@link #drawnCharts} finds them. */
    private static final String CHARTS_START = "<!-- ravine: training charts -->\n", CHARTS_END = "<!-- ravine: end of training charts -->\n";

    private RunReport() {
    }

    /** A run folder's run.json, read as a report needs it. */
    static JsonNode runJson(java.nio.file.Path dir) {
        java.nio.file.Path file = dir.resolve("run.json");
        if (!java.nio.file.Files.isRegularFile(file)) throw new dev.ravine.UserError(dir + ": not a run folder (no run.json)");
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        } catch (java.io.IOException e) {
            throw new dev.ravine.UserError(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /**
     * Writes {@code dir/report.html} from the run folder's run.json and metrics.csv and, when {@code charts} is not
     * null, each chart there as PNG and SVG; returns the report's path.
     */
    public static java.nio.file.Path write(java.nio.file.Path dir, java.nio.file.Path charts) throws java.io.IOException {
        return writePage(dir, false, charts);
    }

    /**
     * Rewrites {@code dir/report.html} with the curvature analyses the folder now holds. The training charts are taken
     * from the page as it stands where it is newer than everything they are drawn from (run.json, metrics.csv,
     * track.csv): painting them again costs a new JVM ~0.4 s of Java2D's cold code, more than many an analysis.
     */
    static void rewriteAnalyses(java.nio.file.Path dir) throws java.io.IOException {
        writePage(dir, true, null);
    }

    /** {@code dir/report.html}, its training charts kept from the page where {@code keepDrawn} allows; chart files as {@link #write}. */
    private static java.nio.file.Path writePage(java.nio.file.Path dir, boolean keepDrawn, java.nio.file.Path charts) throws java.io.IOException {
        JsonNode run = runJson(dir);
        MetricsTable m = MetricsTable.read(dir.resolve("metrics.csv"));
        java.nio.file.Path out = dir.resolve("report.html");
        String drawn = keepDrawn ? drawnCharts(dir, out) : null;
        dev.ravine.tensor.AtomicFiles.write(out, html(dir.toAbsolutePath().getFileName().toString(), run, m, dir, drawn)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (charts != null) saveAll(charts(run, m, dir), charts);
        return out;
    }

    /** The training charts of {@code page} when it is newer than all their inputs in {@code dir}, else null. */
    private static String drawnCharts(java.nio.file.Path dir, java.nio.file.Path page) throws java.io.IOException {
        if (!java.nio.file.Files.isRegularFile(page)) return null;
        java.nio.file.attribute.FileTime drawn = java.nio.file.Files.getLastModifiedTime(page);
        for (String input : new String[] {"run.json", "metrics.csv", dev.ravine.track.TrackLog.FILE}) {
            java.nio.file.Path f = dir.resolve(input);
            if (java.nio.file.Files.exists(f) && java.nio.file.Files.getLastModifiedTime(f).compareTo(drawn) >= 0) return null;
        }
        String html = java.nio.file.Files.readString(page, java.nio.charset.StandardCharsets.UTF_8);
        int start = html.indexOf(CHARTS_START), end = html.indexOf(CHARTS_END);
        return start < 0 || end < start ? null : html.substring(start + CHARTS_START.length(), end);
    }

    /** The run's charts: its metrics' (and its step measurements'), then a classifier's reliability diagram. */
    private static List<LineChart> charts(JsonNode run, MetricsTable metrics, java.nio.file.Path folder) {
        List<LineChart> charts = new ArrayList<>(RunCharts.of(metrics, steps(folder)));
        if (run.path("confusion").path("reliability").size() > 0) charts.add(reliability(run.get("confusion")));
        return charts;
    }

    /** The folder's track.csv (instruments measured every N steps), or null. */
    private static MetricsTable steps(java.nio.file.Path folder) {
        java.nio.file.Path f = folder.resolve(dev.ravine.track.TrackLog.FILE);
        return java.nio.file.Files.isRegularFile(f) ? MetricsTable.read(f) : null;
    }

    /** Each chart as {@code NAME.png} and {@code NAME.svg} under {@code dir}, named after its title. */
    static void saveAll(List<LineChart> charts, java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir);
        for (LineChart c : charts) {
            String slug = c.title().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
            c.save(dir.resolve(slug + ".png"));
            c.save(dir.resolve(slug + ".svg"));
        }
    }

    /**
     * The page for a run whose run.json is {@code run} and whose metrics are {@code metrics}, with the curvature results
     * kept in {@code folder} (the run folder; none there yet for a run being written); {@code name} heads it.
     */
    public static String html(String name, JsonNode run, MetricsTable metrics, java.nio.file.Path folder) {
        return html(name, run, metrics, folder, null);
    }

    /** As {@link #html(String, JsonNode, MetricsTable, java.nio.file.Path)}, with the training charts' figures given (null: drawn). */
    private static String html(String name, JsonNode run, MetricsTable metrics, java.nio.file.Path folder, String charts) {
        Map<String, JsonNode> analyses = Analyses.read(folder);
        StringBuilder b = new StringBuilder();
        JsonNode s = run.path("settings"), data = run.path("data"), model = run.path("model");
        b.append("<h1>ravine run <code>").append(Html.escape(name)).append("</code></h1>\n<p>")
                .append(Html.escape(s.path("model").asText() + (s.path("batchnorm").asBoolean(false) ? " with batch norm" : "") + " trained by "
                        + s.path("optimizer").asText() + " on " + data.path("source").asText()))
                .append(run.has("checkpoint_epoch") ? " &mdash; <b>training had not finished</b>: these are the figures of its checkpoint at epoch "
                        + run.get("checkpoint_epoch").asInt() : "")
                .append("</p>\n");

        b.append("<h2>Result</h2>\n").append(result(run, metrics)).append(confusion(run.get("confusion")));
        b.append("<h2>Charts</h2>\n");
        b.append(CHARTS_START);
        if (charts != null) b.append(charts);
        else for (LineChart c : charts(run, metrics, folder)) b.append(Html.figure(c));
        b.append(CHARTS_END);
        b.append(Analyses.html(analyses, metrics.rows() == 0 ? Double.NaN : metrics.column("lr")[metrics.rows() - 1]));

        b.append("<h2>Data and model</h2>\n");
        List<String[]> d = new ArrayList<>();
        d.add(new String[] {"data", data.path("source").asText()});
        d.add(new String[] {"task", data.path("task").asText() + (data.has("classes") ? ", " + data.get("classes").asInt() + " classes" : "")
                + (data.has("class_names") ? " (" + classNames(data.get("class_names")) + ")" : "")});
        d.add(new String[] {"rows", data.path("train_rows").asInt() + " training, " + data.path("val_rows").asInt() + " validation"
                + (data.has("test_rows") ? ", " + data.get("test_rows").asInt() + " test" : "")});
        d.add(new String[] {"features", Integer.toString(data.path("features").size())});
        if (data.has("categories")) d.add(new String[] {"categories (one feature each)", categoryColumns(data.get("categories"))});
        d.add(new String[] {"widths", model.path("widths").toString()});
        d.add(new String[] {"parameters", model.path("parameters").asText()});
        b.append(Html.keyValues(d));
        b.append("<h2>Settings</h2>\n");
        List<String[]> settings = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
            var f = it.next();
            settings.add(new String[] {f.getKey(), f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString()});
        }
        b.append(Html.keyValues(settings));
        b.append("<p>ravine ").append(Html.escape(run.path("ravine").asText())).append(", Java ").append(Html.escape(run.path("java").asText()))
                .append(", ").append(Html.escape(run.path("created").asText())).append("</p>\n");
        return Html.page("ravine run " + name, b.toString());
    }

    /** The columns of categories, each with its count. */
    private static String categoryColumns(JsonNode categories) {
        List<String> shown = new ArrayList<>();
        categories.properties().forEach(e -> shown.add(e.getKey() + " (" + e.getValue().size() + ")"));
        return String.join(", ", shown);
    }

    /** The classes' names in index order, the first twenty of many. */
    private static String classNames(JsonNode names) {
        List<String> shown = new ArrayList<>();
        for (int k = 0; k < Math.min(names.size(), 20); k++) shown.add(k + " " + names.get(k).asText());
        return String.join(", ", shown) + (names.size() > 20 ? ", ..." : "");
    }

    /**
     * A classifier's confusion matrix on its held-out rows (up to 30 classes) and each class's scores, from run.json's
     * {@code confusion}; nothing where it has none.
     */
    private static String confusion(JsonNode c) {
        if (c == null) return "";
        JsonNode classes = c.path("classes");
        List<String> names = new ArrayList<>();
        classes.forEach(k -> names.add(k.path("name").asText()));
        StringBuilder b = new StringBuilder("<h3>On the " + Html.escape(c.path("split").asText()) + " rows (" + c.path("rows").asInt() + ")</h3>\n");
        if (names.size() <= 30) {
            List<String> header = new ArrayList<>(List.of("true \\ predicted"));
            header.addAll(names);
            List<List<String>> rows = new ArrayList<>();
            for (int t = 0; t < names.size(); t++) {
                List<String> row = new ArrayList<>(List.of(names.get(t)));
                c.path("matrix").get(t).forEach(n -> row.add(n.asText()));
                rows.add(row);
            }
            b.append(Html.table(header, rows));
        }
        List<List<String>> scores = new ArrayList<>();
        classes.forEach(k -> scores.add(List.of(k.path("name").asText(), Html.number(k.path("precision").asDouble()),
                Html.number(k.path("recall").asDouble()), Html.number(k.path("f1").asDouble()), k.path("support").asText())));
        b.append(Html.table(List.of("class", "precision", "recall", "f1", "support"), scores));
        b.append("<p>macro F1 ").append(Html.number(c.path("macro_f1").asDouble()));
        if (c.has("roc_auc")) b.append(", ROC AUC ").append(Html.number(c.path("roc_auc").asDouble()));
        if (c.has("ece")) b.append(", expected calibration error ").append(Html.number(c.path("ece").asDouble()));
        return b.append("</p>\n").toString();
    }

    /** The reliability diagram of run.json's {@code confusion} block. */
    private static LineChart reliability(JsonNode confusion) {
        JsonNode bins = confusion.path("reliability");
        double[] confidence = new double[bins.size()], accuracy = new double[bins.size()];
        for (int i = 0; i < bins.size(); i++) {
            confidence[i] = bins.get(i).path("confidence").asDouble();
            accuracy[i] = bins.get(i).path("accuracy").asDouble();
        }
        return LineChart.reliability(confidence, accuracy, "the " + confusion.path("split").asText() + " rows");
    }

    /** The final epoch's figures, the best epoch's, and how the run ended. */
    private static String result(JsonNode run, MetricsTable m) {
        List<String[]> rows = new ArrayList<>();
        int last = m.rows() - 1;
        if (last < 0) return "<p>No epochs were run: the folder holds the initial weights.</p>\n";
        rows.add(new String[] {"epochs", Integer.toString((int) m.column("epoch")[last])});
        for (String c : new String[] {"train_loss", "val_loss", "val_accuracy", "val_rmse", "test_loss", "test_accuracy"})
            if (m.has(c)) rows.add(new String[] {"final " + c, Html.number(m.column(c)[last])});
        String watched = m.has("val_loss") ? "val_loss" : "train_loss";
        int best = m.argmin(watched);
        if (best >= 0) {
            rows.add(new String[] {"best epoch (lowest " + watched + ")", (int) m.column("epoch")[best] + ": " + watched + " "
                    + Html.number(m.column(watched)[best]) + (m.has("val_accuracy") ? ", val_accuracy " + Html.number(m.column("val_accuracy")[best]) : "")});
        }
        double seconds = m.wallTime()[last];
        rows.add(new String[] {"training time", String.format(java.util.Locale.ROOT, "%.1f s (%.0f samples/s in the last epoch)", seconds,
                m.column("samples_per_s")[last])});
        JsonNode stop = run.get("early_stop");
        if (stop != null) rows.add(new String[] {"early stopping", "best epoch " + stop.path("best_epoch").asInt() + "; stopped by "
                + stop.path("reason").asText() + (stop.path("restored_best").asBoolean() ? "; the best epoch's weights are saved" : "")});
        JsonNode swa = run.get("swa");
        if (swa != null) {
            StringBuilder figures = new StringBuilder();
            swa.properties().forEach(f -> {
                if (!f.getKey().equals("averaged_epochs")) figures.append(", ").append(f.getKey()).append(' ').append(Html.number(f.getValue().asDouble()));
            });
            rows.add(new String[] {"weight averaging", "the saved model averages the last " + swa.path("averaged_epochs").asInt() + " epochs' weights"
                    + figures});
        }
        JsonNode div = run.get("diverged");
        if (div != null) rows.add(new String[] {"diverged", "epoch " + div.path("epoch").asInt() + ", step " + div.path("step").asInt()
                + " (loss " + div.path("loss").asText() + "); weights of epoch " + div.path("kept_epoch").asInt() + " kept"});
        return Html.keyValues(rows);
    }

    /** HTML-escaped text, for other pages built from ravine's pieces (experiments). */
    public static String escape(Object text) {
        return Html.escape(text);
    }

    /** A chart as an inline figure with its caption. */
    public static String figure(LineChart chart) {
        return Html.figure(chart);
    }

    /** A whole self-contained page around {@code body}. */
    public static String page(String title, String body) {
        return Html.page(title, body);
    }
}
