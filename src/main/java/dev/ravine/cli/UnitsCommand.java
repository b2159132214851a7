package dev.ravine.cli;

import dev.ravine.curvature.UnitHealth;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "units", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Dead, saturated and duplicated hidden units.",
        description = {"Per hidden layer (0 = the first): dead ReLU units (inactive on every row), saturated sigmoid/tanh units "
                + "(derivative below 1% of its maximum on at least 99% of rows) and duplicated units (identical incoming weights, "
                + "bias and outgoing weights). Unit indices are rows of that layer's weight matrix."})
final class UnitsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ModelSource source;
    @Option(names = "--format", paramLabel = "text|json", description = "default: text")
    String format = "text";

    @Override
    public Integer call() throws java.io.IOException {
        Formats.check(format, "text", "json");
        UnitHealth health = UnitHealth.of(source.load());
        Map<String, Object> r = health.asMap();
        if (source.ownRun() != null) dev.ravine.report.Analyses.keep(source.ownRun(), "units", r);
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) out.println(Json.line(r));
        else {
            for (UnitHealth.Hidden l : health.layers())
                out.printf("layer %d: %d %s units; dead %s; saturated %s; duplicated groups %s%n", l.layer(), l.units(), l.activation().label,
                        l.dead(), l.saturated(), l.duplicates());
        }
        out.flush();
        return 0;
    }
}
