package dev.ravine.sweep;

import dev.ravine.data.CsvReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per spec, over its seeds: how many runs ended ok, and the mean and sample standard deviation of the best
 * validation loss and accuracy of those that did (the spread is empty below two runs).
 */
public record Summary(String spec, int runs, int ok, Double meanBestValLoss, Double stdBestValLoss, Double meanBestValAccuracy,
                      Double stdBestValAccuracy) {
    public static final String HEADER = "spec,runs,ok,mean_best_val_loss,std_best_val_loss,mean_best_val_accuracy,std_best_val_accuracy";

    /** One summary per spec, in the order the specs first appear. */
    public static List<Summary> of(List<Outcome> outcomes) {
        Map<String, List<Outcome>> bySpec = new LinkedHashMap<>();
        for (Outcome o : outcomes) bySpec.computeIfAbsent(o.spec(), k -> new ArrayList<>()).add(o);
        List<Summary> out = new ArrayList<>();
        bySpec.forEach((spec, list) -> {
            List<Outcome> ok = list.stream().filter(Outcome::ok).toList();
            double[] loss = ok.stream().filter(o -> o.bestValLoss() != null).mapToDouble(Outcome::bestValLoss).toArray();
            double[] acc = ok.stream().filter(o -> o.bestValAccuracy() != null).mapToDouble(Outcome::bestValAccuracy).toArray();
            out.add(new Summary(spec, list.size(), ok.size(), mean(loss), std(loss), mean(acc), std(acc)));
        });
        return out;
    }

    static Double mean(double[] v) {
        if (v.length == 0) return null;
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    static Double std(double[] v) {
        if (v.length < 2) return null;
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / (v.length - 1));
    }

    public static String csv(List<Summary> summaries) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Summary s : summaries)
            sb.append(CsvReader.quote(s.spec())).append(',').append(s.runs()).append(',').append(s.ok())
                    .append(',').append(text(s.meanBestValLoss())).append(',').append(text(s.stdBestValLoss())).append(',').append(text(s.meanBestValAccuracy()))
                    .append(',').append(text(s.stdBestValAccuracy())).append('\n');
        return sb.toString();
    }

    private static String text(Double d) {
        return d == null ? "" : String.format(Locale.ROOT, "%.6g", d);
    }
}
