package dev.ravine.sweep;

import dev.ravine.report.LineChart;
import dev.ravine.report.MetricsTable;
import dev.ravine.report.RunReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sweep's report.html: each optimizer's learning-rate sensitivity (the mean best validation loss over seeds
 * against lr, one curve per setting of the other keys), the best spec's learning curves for each, and the table of
 * the per-spec summaries.
 */
final class SweepReport {
    private static final Pattern LR = Pattern.compile("(?<=[:,])lr=([^,]+)");

    private SweepReport() {
    }

    /** The spec without its lr: the curve it belongs to. */
    static String family(String spec) {
        String f = LR.matcher(spec).replaceAll("").replace(":,", ":").replace(",,", ",");
        return f.endsWith(":") || f.endsWith(",") ? f.substring(0, f.length() - 1) : f;
    }

    /** The spec's lr, or NaN when it gives none. */
    static double lr(String spec) {
        Matcher m = LR.matcher(spec);
        if (!m.find()) return Double.NaN;
        try {
            return Double.parseDouble(m.group(1));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    static String html(Path out, List<Trial> trials, List<Outcome> outcomes) {
        List<Summary> summaries = Summary.of(outcomes);
        Map<String, List<Summary>> families = new LinkedHashMap<>();
        for (Summary s : summaries) families.computeIfAbsent(family(s.spec()), k -> new ArrayList<>()).add(s);
        StringBuilder b = new StringBuilder("<h1>ravine sweep</h1>\n<p>").append(outcomes.size()).append(" runs of ").append(summaries.size())
                .append(" specs; ").append(outcomes.stream().filter(Outcome::ok).count()).append(" ended ok.</p>\n");
        LineChart sensitivity = new LineChart("Learning-rate sensitivity", "lr (log)", "best validation loss, mean over seeds",
                "A wide flat valley is an optimizer that forgives a rough choice of rate; a narrow one must be tuned. Runs that diverged or "
                        + "failed leave their rate out.").logX();
        boolean drawn = false;
        for (var e : families.entrySet()) {
            List<Summary> f = e.getValue().stream().filter(s -> Double.isFinite(lr(s.spec())) && s.meanBestValLoss() != null)
                    .sorted(java.util.Comparator.comparingDouble(s -> lr(s.spec()))).toList();
            if (f.size() < 2) continue;
            drawn |= sensitivity.add(e.getKey(), f.stream().mapToDouble(s -> lr(s.spec())).toArray(), f.stream().mapToDouble(Summary::meanBestValLoss).toArray());
        }
        if (drawn) b.append(RunReport.figure(sensitivity));
        LineChart curves = new LineChart("The best spec of each optimizer", "epoch", "validation loss", "Each family's spec with the lowest "
                + "mean best validation loss, every seed's run.");
        boolean any = false;
        for (var e : families.entrySet()) {
            Summary best = e.getValue().stream().filter(s -> s.meanBestValLoss() != null)
                    .min(java.util.Comparator.comparingDouble(Summary::meanBestValLoss)).orElse(null);
            if (best == null) continue;
            for (Trial t : trials) {
                Path metrics = out.resolve(Sweep.RUNS).resolve(t.folder()).resolve("metrics.csv");
                if (!t.spec().equals(best.spec()) || !Files.isRegularFile(metrics)) continue;
                MetricsTable m = MetricsTable.read(metrics);
                if (m.has("val_loss")) any |= curves.add(best.spec() + " seed " + t.seed(), m.column("epoch"), m.column("val_loss"));
            }
        }
        if (any) b.append(RunReport.figure(curves));
        b.append("<h2>Per spec</h2>\n<table><tr>");
        for (String h : Summary.HEADER.split(",")) b.append("<th>").append(RunReport.escape(h)).append("</th>");
        b.append("</tr>\n");
        for (Summary s : summaries)
            b.append("<tr><td><code>").append(RunReport.escape(s.spec())).append("</code></td><td>").append(s.runs()).append("</td><td>").append(s.ok())
                    .append("</td><td>").append(number(s.meanBestValLoss())).append("</td><td>").append(number(s.stdBestValLoss())).append("</td><td>")
                    .append(number(s.meanBestValAccuracy())).append("</td><td>").append(number(s.stdBestValAccuracy())).append("</td></tr>\n");
        b.append("</table>\n<h2>Runs</h2>\n<table><tr>");
        for (String h : Outcome.HEADER.split(",")) b.append("<th>").append(RunReport.escape(h)).append("</th>");
        b.append("</tr>\n");
        for (Outcome o : outcomes)
            b.append("<tr><td><code>").append(RunReport.escape(o.spec())).append("</code></td><td>").append(o.seed()).append("</td><td>")
                    .append(RunReport.escape(o.status())).append("</td><td>").append(o.epochs()).append("</td><td>")
                    .append(o.bestEpoch() == null ? "" : o.bestEpoch()).append("</td><td>").append(number(o.bestValLoss())).append("</td><td>")
                    .append(number(o.bestValAccuracy())).append("</td><td>").append(number(o.finalValLoss())).append("</td><td>")
                    .append(number(o.finalValAccuracy())).append("</td><td>").append(String.format(Locale.ROOT, "%.1f", o.seconds())).append("</td></tr>\n");
        b.append("</table>\n");
        return RunReport.page("ravine sweep", b.toString());
    }

    private static String number(Double d) {
        return d == null ? "" : String.format(Locale.ROOT, "%.4g", d);
    }
}
