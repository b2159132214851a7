package dev.ravine.cli;

import dev.ravine.UserError;
import dev.ravine.curvature.Diagnostics;
import dev.ravine.report.LineChart;
import dev.ravine.train.LrRangeTest;
import dev.ravine.train.TrainingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "lr-find", mixinStandardHelpOptions = true, sortOptions = false,
        header = "The learning-rate range test: the loss as the rate grows, and a rate to start from.",
        description = {"Takes minibatch steps from the model's initial weights at rates growing evenly in log from --min-lr to --max-lr "
                + "(Smith 2017; Lightning's and fastai's lr_find), and stops once the smoothed loss passes 4 times its lowest. Suggests the rate "
                + "where the smoothed loss falls fastest. Every other option is train's (its data, model, optimizer, batch, penalty, clipping); "
                + "--epochs is not used."})
final class LrFindCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    TrainOptions options;
    @Option(names = "--min-lr", paramLabel = "X", description = "the first rate (default: 1e-8)")
    double minLr = 1e-8;
    @Option(names = "--max-lr", paramLabel = "X", description = "the last rate (default: 1)")
    double maxLr = 1;
    @Option(names = "--steps", paramLabel = "N", description = "steps, one a rate (default: 100)")
    int steps = 100;
    @Option(names = "--format", paramLabel = "text|csv|json", description = "text: the suggestion; csv: step,lr,loss,smoothed_loss; json: both (default: text)")
    String format = "text";
    @Option(names = "--plot", paramLabel = "FILE", description = "draw the loss against the rate to FILE.png or FILE.svg")
    Path plot;
    @Option(names = "--sharpness", description = "also 2/lambda_max of the training loss at the initial weights (on at most 2,048 training rows):"
            + " the largest stable step of plain gradient descent, to set beside the suggestion")
    boolean sharpness;

    @Override
    public Integer call() {
        Formats.check(format, "text", "csv", "json");
        List<String> methods = options.optimizers();
        if (methods.size() > 1) throw new UserError("--optimizer: the range test takes one optimizer, got " + methods.size());
        TrainingRun run = new TrainingRun(options.settings(methods.get(0)));
        Double eigMax = null; // before the test moves the weights
        if (sharpness) {
            var penalty = run.settings.loop().penalty();
            eigMax = Diagnostics.sharpness(run.model.network, run.loss, run.split.train(), penalty.active() ? penalty.on(run.model.network) : null);
        }
        LrRangeTest.Result r = LrRangeTest.run(run, minLr, maxLr, steps);
        List<LrRangeTest.Point> points = r.points();
        if (plot != null)
            LineChart.rangeTest(points.stream().mapToDouble(LrRangeTest.Point::lr).toArray(), points.stream().mapToDouble(LrRangeTest.Point::loss).toArray(),
                    points.stream().mapToDouble(LrRangeTest.Point::smoothed).toArray(), r.suggestedLr()).save(plot);
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case "csv" -> {
                StringBuilder csv = new StringBuilder("step,lr,loss,smoothed_loss\n");
                for (LrRangeTest.Point p : points) csv.append(p.step()).append(',').append(p.lr()).append(',').append(p.loss()).append(',').append(p.smoothed()).append('\n');
                out.print(csv);
            }
            case "json" -> {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("suggested_lr", r.suggestedLr());
                json.put("stopped_early", r.stoppedEarly());
                if (eigMax != null) {
                    json.put("eig_max", eigMax);
                    json.put("max_stable_lr", 2 / eigMax);
                }
                json.put("points", points);
                out.println(Json.line(json));
            }
            default -> {
                if (points.isEmpty()) {
                    out.println("the loss was not finite at the first step, at the initial weights");
                    break;
                }
                LrRangeTest.Point last = points.getLast();
                out.println(r.suggestedLr() == null ? "no suggestion: too few steps before the loss diverged (lower --min-lr or take more --steps)"
                        : String.format(Locale.ROOT, "suggested lr %.3g: the smoothed loss falls fastest there", r.suggestedLr()));
                out.println(String.format(Locale.ROOT, r.stoppedEarly() ? "diverged at lr %.3g after %d steps (the smoothed loss passed 4 times its lowest)"
                        : "reached lr %.3g after %d steps without diverging", last.lr(), last.step()));
                if (eigMax != null)
                    out.println(String.format(Locale.ROOT, "2/lambda_max at the initial weights: %.3g (lambda_max %.4g; the largest stable step of plain"
                            + " gradient descent there)", 2 / eigMax, eigMax));
            }
        }
        out.flush();
        return 0;
    }
}
