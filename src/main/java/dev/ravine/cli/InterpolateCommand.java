package dev.ravine.cli;

import dev.ravine.UserError;
import dev.ravine.curvature.Interpolation;
import dev.ravine.curvature.ModelOnData;
import dev.ravine.report.LineChart;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "interpolate", mixinStandardHelpOptions = true, sortOptions = false,
        header = "The loss along the line between two sets of weights.",
        description = {"Loss and accuracy along (1-alpha) from + alpha to, in float64 (Goodfellow et al. 2015). "
                + "Given a RUN_DIR it goes from the run's initial weights to its trained ones, on its training rows."})
final class InterpolateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN_DIR", description = "a run folder: init.safetensors to model.safetensors")
    Path runDir;
    @Mixin
    ThreadsOption threads;
    @Mixin
    BatchNormOption bn;
    @Option(names = "--from", paramLabel = "FILE|RUN_DIR", description = "weights at alpha = 0, or a run (its model, on its own training rows)")
    Path from;
    @Option(names = "--to", paramLabel = "FILE|RUN_DIR", description = "weights at alpha = 1, or a run's model")
    Path to;
    @Option(names = "--model", paramLabel = "SPEC", description = "the weights' architecture")
    String model;
    @Option(names = "--data", paramLabel = "NAME|FILE.csv", description = "the rows whose mean loss is measured")
    String data;
    @Option(names = "--target", paramLabel = "COLUMN", description = "target column (default: the last)")
    String target;
    @Option(names = "--task", paramLabel = "auto|classification|regression", description = "default: auto")
    String task = "auto";
    @Option(names = "--standardize", paramLabel = "on|off", description = "standardize the data with its own statistics (default: off)")
    OnOff standardize = OnOff.off;
    @Option(names = "--alphas", paramLabel = "A,B,...", split = ",", description = "the alphas (any real numbers)")
    double[] alphas;
    @Option(names = "--points", paramLabel = "N", description = "N evenly spaced alphas from -0.25 to 1.25 (default: 31)")
    Integer points;
    @Option(names = "--format", paramLabel = "csv|json", description = "default: csv")
    String format = "csv";
    @Option(names = "--plot", paramLabel = "FILE", description = "draw loss against alpha to FILE.png or FILE.svg")
    Path plot;

    @Override
    public Integer call() throws java.io.IOException {
        Formats.check(format, "csv", "json");
        if (alphas != null && points != null) throw new UserError("give --alphas or --points, not both");
        double[] as = alphas != null ? alphas : Interpolation.alphas(points == null ? Interpolation.DEFAULT_POINTS : points);
        for (double a : as) if (!Double.isFinite(a)) throw new UserError("--alphas: " + a + " is not a finite number");
        threads.apply();
        ModelOnData m;
        double[] start, end;
        if (runDir != null) {
            if (model != null || data != null || from != null || to != null)
                throw new UserError("give either RUN_DIR or --from, --to, --model and --data, not both");
            m = ModelOnData.ofRun(runDir, null, bn.value());
            start = m.read(runDir.resolve(dev.ravine.train.RunFolder.INIT));
            end = m.weights;
        } else if (from != null && java.nio.file.Files.isDirectory(from)) { // two runs: the first's rows and preprocessing
            if (to == null) throw new UserError("--from " + from + ": give --to RUN_DIR or FILE as well");
            if (model != null || data != null) throw new UserError("--from RUN_DIR: the run gives the model and the data; drop --model and --data");
            m = ModelOnData.ofRun(from, null, bn.value());
            start = m.weights;
            end = m.read(java.nio.file.Files.isDirectory(to) ? to.resolve(dev.ravine.train.RunFolder.MODEL) : to);
        } else {
            if (from == null || to == null || model == null || data == null)
                throw new UserError("give a RUN_DIR, --from RUN_DIR --to RUN_DIR, or all of --from FILE --to FILE --model SPEC --data FILE");
            m = ModelOnData.of(from, model, data, target, task, standardize.value(), bn.value());
            start = m.weights;
            end = m.read(to);
        }
        List<Interpolation.Point> path = Interpolation.along(m, start, end, as);
        boolean classification = path.get(0).accuracy() != null;
        if (runDir == null) // between two solutions; from an initialization the "barrier" would only be the loss it lost
            spec.commandLine().getErr().printf(java.util.Locale.ROOT, "ravine: loss barrier %.6g (the highest loss between the ends minus their mean)%n",
                    Interpolation.barrier(m, start, end, path));
        if (plot != null) plot(path);
        if (runDir != null) dev.ravine.report.Analyses.keep(runDir, "interpolation", path); // init to trained: the run's own path
        StringBuilder sb = new StringBuilder(format.equals("csv") ? (classification ? "alpha,loss,accuracy\n" : "alpha,loss,rmse\n") : "");
        for (Interpolation.Point p : path) {
            Double third = classification ? p.accuracy() : p.rmse();
            if (format.equals("csv")) sb.append(p.alpha()).append(',').append(p.loss()).append(',').append(third).append('\n');
            else {
                var row = new java.util.LinkedHashMap<String, Object>();
                row.put("alpha", p.alpha());
                row.put("loss", p.loss());
                row.put(classification ? "accuracy" : "rmse", third);
                sb.append(Json.line(row)).append('\n');
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(sb);
        out.flush();
        return 0;
    }

    private void plot(List<Interpolation.Point> path) {
        LineChart.interpolation("loss from (alpha = 0) to (alpha = 1)", path.stream().mapToDouble(Interpolation.Point::alpha).toArray(),
                path.stream().mapToDouble(Interpolation.Point::loss).toArray()).save(plot);
    }
}
