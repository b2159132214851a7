package dev.ravine.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ravine.UserError;
import dev.ravine.data.CsvReader;
import dev.ravine.tensor.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Every experiment by name, and how one's result is written: result.json, numbers.csv, figures.csv and a self-contained report.html. */
public final class Experiments {
    /** In the lectures' order. */
    public static final List<Experiment> ALL = List.of(
            new Stability(), new Momentum(), new Symmetry(), new Rescaling(), new LineInterpolation(), new ModeConnectivity(), new Saddles(), new NewtonSaddle(),
            new SaddleEscape(), new Normalization(), new ConditionNumber(), new BatchNormSpectrum(), new BatchNormRates(), new DeadUnits(),
            new Vanishing(), new Initialization(), new SpectrumProfile(), new OptimizerComparison(), new Convexity(), new ConvergenceOrder(), new NaturalGradientInvariance(),
            new AxisAlignment(), new AdagradDecay(), new AmsGrad(), new YogiIncrease(), new Plateau(), new Cliff(), new RobbinsMonro(), new WeightDecay(),
            new EarlyStoppingExperiment(), new DropoutExperiment(), new DropoutAveraging(), new LinearScaling(), new NoiseScaleGrowth(), new LabelSmoothing(), new Outliers(),
            new SharpnessAware(), new EdgeOfStability(), EdgeOfStability.adaptive(0.01), new GradientSubspace());
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Experiments() {
    }

    public static Experiment named(String name) {
        return ALL.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow(() -> UserError.setting("experiment", name,
                "unknown experiment (valid: " + ALL.stream().map(Experiment::name).collect(Collectors.joining(", ")) + ")"));
    }

    /**
     * Runs {@code e} on {@code data} (null: its own) and writes {@code out/result.json} (claim, verdict, numbers), the
     * same numbers as {@code out/numbers.csv} ({@code name,value}, nested names joined by dots, list entries by
     * their index), every figure's points as {@code out/figures.csv} ({@code figure,series,x,y}) and
     * {@code out/report.html}. An experiment on a test function takes no data.
     */
    public static Experiment.Result runInto(Experiment e, long seed, String data, Path out) throws IOException {
        if (data != null && e.data() == null)
            throw UserError.setting("data", data, "experiment " + e.name() + " runs on a test function and takes no data");
        String on = data != null ? data : e.data();
        Experiment.Result r = e.run(seed, on);
        Files.createDirectories(out);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("experiment", e.name());
        json.put("claim", e.claim());
        json.put("verdict", r.verdict());
        json.put("seed", seed);
        if (on != null) json.put("data", on);
        json.putAll(r.numbers());
        AtomicFiles.write(out.resolve("result.json"), JSON.writeValueAsBytes(json));
        StringBuilder numbers = new StringBuilder("name,value\n");
        flatten("", JSON.valueToTree(json), numbers);
        AtomicFiles.write(out.resolve("numbers.csv"), numbers.toString().getBytes(StandardCharsets.UTF_8));
        StringBuilder points = new StringBuilder("figure,series,x,y\n");
        for (int f = 0; f < r.figures().size(); f++)
            for (String row : r.figures().get(f).points()) points.append(f + 1).append(',').append(row).append('\n');
        AtomicFiles.write(out.resolve("figures.csv"), points.toString().getBytes(StandardCharsets.UTF_8));
        StringBuilder body = new StringBuilder("<h1>ravine experiment <code>" + dev.ravine.report.RunReport.escape(e.name()) + "</code></h1>\n<p><b>Claim:</b> ")
                .append(dev.ravine.report.RunReport.escape(e.claim())).append("</p>\n<p><b>Verdict:</b> ").append(dev.ravine.report.RunReport.escape(r.verdict()))
                .append("</p>\n");
        for (var c : r.figures()) body.append(dev.ravine.report.RunReport.figure(c));
        body.append("<h2>Numbers</h2>\n<pre>").append(dev.ravine.report.RunReport.escape(JSON.writeValueAsString(r.numbers()))).append("</pre>\n");
        AtomicFiles.write(out.resolve("report.html"), dev.ravine.report.RunReport.page("ravine experiment " + e.name(), body.toString())
                .getBytes(StandardCharsets.UTF_8));
        return r;
    }

    /** An experiment and what it found, as {@link #runAllInto} lists them. */
    public record Outcome(Experiment experiment, Experiment.Result result) {
        public boolean holds() {
            return result.verdict().startsWith("holds");
        }
    }

    /**
     * Runs each of {@code experiments} on its own data into {@code out/NAME} as {@link #runInto} does, telling
     * {@code done} of each as it finishes, and writes {@code out/verdicts.csv} ({@code experiment,holds,verdict}) and
     * {@code out/index.html}, a page of every claim and its verdict linking each one's report: the course's claims
     * as one run.
     */
    public static List<Outcome> runAllInto(List<Experiment> experiments, long seed, Path out, java.util.function.Consumer<Outcome> done)
            throws IOException {
        List<Outcome> outcomes = new java.util.ArrayList<>();
        for (Experiment e : experiments) {
            Outcome o = new Outcome(e, runInto(e, seed, null, out.resolve(e.name())));
            outcomes.add(o);
            done.accept(o);
        }
        StringBuilder csv = new StringBuilder("experiment,holds,verdict\n");
        StringBuilder rows = new StringBuilder();
        for (Outcome o : outcomes) {
            String name = o.experiment().name();
            csv.append(name).append(',').append(o.holds()).append(',').append(CsvReader.quote(o.result().verdict())).append('\n');
            rows.append("<tr><td><a href=\"").append(name).append("/report.html\">").append(name).append("</a></td><td>")
                    .append(dev.ravine.report.RunReport.escape(o.experiment().claim())).append("</td><td>")
                    .append(dev.ravine.report.RunReport.escape(o.result().verdict())).append("</td></tr>\n");
        }
        AtomicFiles.write(out.resolve("verdicts.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
        long held = outcomes.stream().filter(Outcome::holds).count();
        String body = "<h1>ravine experiments</h1>\n<p>" + held + " of " + outcomes.size() + " claims hold here (seed " + seed
                + ").</p>\n<table><tr><th>experiment</th><th>claim</th><th>verdict</th></tr>\n" + rows + "</table>\n";
        AtomicFiles.write(out.resolve("index.html"), dev.ravine.report.RunReport.page("ravine experiments", body).getBytes(StandardCharsets.UTF_8));
        return outcomes;
    }

    /** One {@code name,value} row per number, string or boolean under {@code node}, named by its path from the top. */
    private static void flatten(String name, com.fasterxml.jackson.databind.JsonNode node, StringBuilder out) {
        if (node.isObject()) for (var f : node.properties()) flatten(name.isEmpty() ? f.getKey() : name + "." + f.getKey(), f.getValue(), out);
        else if (node.isArray()) for (int i = 0; i < node.size(); i++) flatten(name + "[" + i + "]", node.get(i), out);
        else if (!node.isNull()) out.append(CsvReader.quote(name)).append(',').append(CsvReader.quote(node.asText())).append('\n');
    }
}
