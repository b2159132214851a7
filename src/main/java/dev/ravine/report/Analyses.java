package dev.ravine.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.tensor.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Curvature results computed for a run ({@code hessian}, {@code interpolate}, {@code landscape}, {@code units} given a
 * RUN_DIR), kept in {@code RUN_DIR/analysis/NAME.json} so that the run's report shows them beside its training.
 */
public final class Analyses {
    static final String FOLDER = "analysis";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** In the order the report shows them. */
    private static final List<String> NAMES = List.of("hessian", "interpolation", "landscape", "units");

    private Analyses() {
    }

    /** Keeps {@code result} as the run's {@code name} analysis and rewrites the run's report to show it. */
    public static void keep(Path runDir, String name, Object result) throws IOException {
        if (!NAMES.contains(name)) throw new IllegalArgumentException("unknown analysis " + name);
        Path dir = Files.createDirectories(runDir.resolve(FOLDER));
        AtomicFiles.write(dir.resolve(name + ".json"), JSON.writeValueAsBytes(result));
        RunReport.rewriteAnalyses(runDir);
    }

    /** The analyses a run folder holds, by name. */
    static Map<String, JsonNode> read(Path runDir) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String name : NAMES) {
            Path file = runDir.resolve(FOLDER).resolve(name + ".json");
            if (!Files.isRegularFile(file)) continue;
            try {
                out.put(name, JSON.readTree(file.toFile()));
            } catch (IOException e) {
                throw new dev.ravine.UserError(file + ": cannot read (" + e.getMessage() + ")");
            }
        }
        return out;
    }

    /** The report's section for the analyses, empty when there are none. */
    static String html(Map<String, JsonNode> analyses, double lastLr) {
        if (analyses.isEmpty()) return "";
        StringBuilder b = new StringBuilder("<h2>Curvature</h2>\n");
        JsonNode h = analyses.get("hessian");
        if (h != null) {
            List<String[]> rows = new ArrayList<>();
            for (String k : new String[] {"bn_mode", "params", "loss", "grad_norm", "eig_max", "eig_min", "trace", "condition_number", "max_stable_lr",
                    "negative_fraction"})
                if (h.hasNonNull(k)) rows.add(new String[] {k, h.get(k).isNumber() ? Html.number(h.get(k).asDouble()) : h.get(k).asText()});
            if (h.has("eig_max") && Double.isFinite(lastLr))
                rows.add(new String[] {"lr x eig_max / 2 at the last epoch's rate", Html.number(lastLr * h.get("eig_max").asDouble() / 2)
                        + " (above 1: a plain gradient step would diverge along the sharpest direction)"});
            if (h.has("verdict")) rows.add(new String[] {"verdict", h.get("verdict").asText()});
            b.append("<h3>Hessian of the training loss</h3>\n").append(Html.keyValues(rows));
            LineChart spectrum = spectrum(h);
            if (spectrum != null) b.append(Html.figure(spectrum));
        }
        JsonNode path = analyses.get("interpolation");
        if (path != null && path.size() > 0) {
            double[] alpha = column(path, "alpha"), loss = column(path, "loss");
            b.append(Html.figure(LineChart.interpolation("Loss from the initial weights to the trained ones", alpha, loss)));
        }
        JsonNode land = analyses.get("landscape");
        if (land != null) {
            double[] as = doubles(land.get("a")), bs = doubles(land.get("b"));
            double[][] z = new double[as.length][];
            for (int i = 0; i < as.length; i++) z[i] = doubles(land.get("loss").get(i));
            List<ContourPlot.Path2> paths = new ArrayList<>();
            JsonNode p = land.get("path");
            if (p != null) paths.add(new ContourPlot.Path2("training path (epochs)", column(p, 0), column(p, 1)));
            JsonNode explained = land.get("explained_variance");
            String a = explained == null ? "a" : dev.ravine.curvature.Landscape.axis(1, explained.get(0).asDouble()),
                    b2 = explained == null ? "b" : dev.ravine.curvature.Landscape.axis(2, explained.get(1).asDouble());
            Chart chart = ContourPlot.chart("loss around the trained weights (" + land.path("directions").asText() + " directions)", a, b2, as, bs, z,
                    paths, p == null ? null : new double[] {p.get(0).get(0).asDouble(), p.get(0).get(1).asDouble()});
            b.append(Html.figure("Loss landscape", chart.png(), 640, "Contours of the loss on the plane of two directions through the trained "
                    + "weights (0, 0): long narrow valleys are the ravines that slow plain gradient descent."));
        }
        JsonNode units = analyses.get("units");
        if (units != null) {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode l : units.path("layers"))
                rows.add(List.of(l.path("layer").asText(), l.path("units").asText(), l.path("activation").asText(), Integer.toString(l.path("dead").size()),
                        Integer.toString(l.path("saturated").size()), Integer.toString(l.path("duplicates").size())));
            b.append("<h3>Hidden units</h3>\n").append(Html.table(List.of("hidden layer", "units", "activation", "dead", "saturated",
                    "groups of duplicates"), rows));
        }
        return b.toString();
    }

    /** The eigenvalues' histogram (full spectra) or the smoothed density (--density), on a log axis of counts. */
    private static LineChart spectrum(JsonNode h) {
        String caption = "Most eigenvalues sit near zero, a few large ones stand out: those outliers set the largest stable step, "
                + "2/lambda_max, and negative ones mean the weights are not at a minimum.";
        if (h.has("eigenvalues")) {
            double[] ev = doubles(h.get("eigenvalues"));
            double lo = ev[0], hi = ev[ev.length - 1];
            int bins = 60;
            double[] centre = new double[bins], count = new double[bins];
            for (int k = 0; k < bins; k++) centre[k] = lo + (k + 0.5) * (hi - lo) / bins;
            for (double v : ev) count[Math.min(bins - 1, (int) ((v - lo) / (hi - lo) * bins))]++;
            LineChart c = new LineChart("Hessian spectrum", "eigenvalue", "eigenvalues per bin (log)", caption).logY();
            c.add("count", centre, count);
            return c;
        }
        if (h.has("density")) {
            LineChart c = new LineChart("Hessian spectral density", "eigenvalue", "density (log)", caption).logY();
            c.add("density", doubles(h.get("density").get("grid")), doubles(h.get("density").get("values")));
            return c;
        }
        return null;
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asDouble();
        return out;
    }

    private static double[] column(JsonNode rows, String key) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) out[i] = rows.get(i).path(key).asDouble(Double.NaN);
        return out;
    }

    private static double[] column(JsonNode rows, int index) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) out[i] = rows.get(i).get(index).asDouble();
        return out;
    }
}
