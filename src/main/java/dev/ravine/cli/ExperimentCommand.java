package dev.ravine.cli;

import dev.ravine.UserError;
import dev.ravine.experiment.Experiment;
import dev.ravine.experiment.Experiments;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "experiment", mixinStandardHelpOptions = true, header = "Run a lecture's claim as an experiment, with its figure and a computed verdict.",
        description = {"Run a lecture's claim on real data or a test function: DIR/result.json holds the verdict (beginning 'holds' or "
                + "'does not hold') and the numbers it was computed from, DIR/numbers.csv the same numbers, DIR/figures.csv the figures' "
                + "points, DIR/report.html the figures. --list names them; NAME all runs every one into DIR/NAME (default: experiments/), "
                + "with DIR/index.html and DIR/verdicts.csv listing each claim and its verdict."})
final class ExperimentCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "the experiment, or all")
    String name;
    @Option(names = "--list", description = "one experiment a line: its name, then its claim")
    boolean list;
    @Option(names = "--data", paramLabel = "NAME|FILE.csv|DIR", description = "the data set, as train --data takes it (default: the "
            + "experiment's own; experiments on test functions take none)")
    String data;
    @Option(names = "--out", paramLabel = "DIR", description = "where the result files go (default: experiments/NAME)")
    Path out;
    @Option(names = "--seed", paramLabel = "N", description = "default: 0")
    long seed;

    @Override
    public Integer call() throws Exception {
        var stdout = spec.commandLine().getOut();
        if (list) {
            for (Experiment e : Experiments.ALL) stdout.println(e.name() + "  " + e.claim() + (e.data() != null ? " [" + e.data() + "]" : ""));
            return 0;
        }
        if (name == null) throw new UserError("give an experiment's NAME, or --list");
        if (name.equals("all")) {
            if (data != null) throw new UserError("--data " + data + ": each experiment of 'all' runs on its own data");
            Path dir = out != null ? out : Path.of("experiments");
            var outcomes = Experiments.runAllInto(Experiments.ALL, seed, dir, o -> {
                stdout.println(o.experiment().name() + ": " + o.result().verdict());
                stdout.flush();
            });
            stdout.println(outcomes.stream().filter(Experiments.Outcome::holds).count() + " of " + outcomes.size() + " claims hold ("
                    + dir.resolve("index.html") + ")");
            return 0;
        }
        Experiment e = Experiments.named(name);
        Path dir = out != null ? out : Path.of("experiments", e.name());
        Experiment.Result r = Experiments.runInto(e, seed, data, dir);
        stdout.println(e.name() + ": " + r.verdict() + " (" + dir.resolve("result.json") + ")");
        return 0;
    }
}
