package dev.ravine.cli;

import dev.ravine.UserError;
import dev.ravine.optim.schedule.Schedule;
import dev.ravine.optim.schedule.Schedules;
import dev.ravine.report.LineChart;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "schedule", mixinStandardHelpOptions = true, sortOptions = false,
        header = "The learning rates a schedule gives, with a plot.",
        description = {"Print the learning rate a schedule gives optimizer steps 0..N-1, as torch.optim.lr_scheduler does when "
                + "stepped once per step, before anyone trains with it."})
final class ScheduleCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--schedule", required = true, paramLabel = "SPEC", description = "e.g. cosine:t_max=25,eta_min=0.001")
    String schedule;
    @Option(names = "--lr", required = true, paramLabel = "BASE", description = "the optimizer's learning rate")
    double lr;
    @Option(names = "--steps", required = true, paramLabel = "N", description = "number of steps")
    int steps;
    @Option(names = "--format", paramLabel = "csv|json", description = "default: csv")
    String format = "csv";
    @Option(names = "--plot", paramLabel = "FILE", description = "draw the schedule to FILE.png or FILE.svg")
    java.nio.file.Path plot;
    @Option(names = "--momentum", description = "add a momentum column: the momentum (or Adam's beta1) that onecycle and cyclic cycle, as PyTorch sets it")
    boolean momentum;

    @Override
    public Integer call() {
        Formats.check(format, "csv", "json");
        if (steps < 0 || steps > 10_000_000) throw new UserError("--steps " + steps + ": expected 0 to 10000000");
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new UserError("--lr " + lr + ": expected a non-negative number");
        Schedule s = Schedules.parse(schedule, lr);
        if (s.watchesMetric()) throw new UserError("--schedule " + schedule + ": plateau follows the validation loss, so it has no sequence of its own; use it with 'ravine train'");
        Schedule.Trace trace;
        try {
            trace = s.trace(steps);
        } catch (IllegalArgumentException e) {
            throw new UserError("--schedule " + schedule + ": " + e.getMessage());
        }
        double[] rates = trace.rates(), momenta = momentum ? trace.momenta() : null;
        if (momentum && momenta == null)
            throw new UserError("--momentum: " + schedule + " leaves the momentum alone (onecycle and cyclic cycle it, unless cycle_momentum=false)");
        if (plot != null) LineChart.schedule(schedule + " (lr " + lr + ")", rates).save(plot);
        StringBuilder sb = new StringBuilder(format.equals("csv") ? momenta != null ? "step,lr,momentum\n" : "step,lr\n" : "");
        for (int k = 0; k < rates.length; k++) {
            if (format.equals("csv")) {
                sb.append(k).append(',').append(rates[k]);
                if (momenta != null) sb.append(',').append(momenta[k]);
                sb.append('\n');
            } else {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("step", k);
                row.put("lr", rates[k]);
                if (momenta != null) row.put("momentum", momenta[k]);
                sb.append(Json.line(row)).append('\n');
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(sb);
        out.flush();
        return 0;
    }
}
