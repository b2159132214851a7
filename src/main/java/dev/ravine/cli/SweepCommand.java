package dev.ravine.cli;

import dev.ravine.UserError;
import dev.ravine.sweep.Asha;
import dev.ravine.sweep.Engine;
import dev.ravine.sweep.Outcome;
import dev.ravine.sweep.Summary;
import dev.ravine.sweep.Sweep;
import dev.ravine.train.RunFolder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Train every optimizer spec from every seed, and compare them.",
        description = {"Trains each concrete spec of each --optimizer (braces give alternatives: adam:lr={1e-3,3e-3}; with --search random:N, "
                + "lr=loguniform(1e-4,1e-1) a distribution) from each seed, each run a folder under OUT/runs, and writes OUT/results.csv "
                + "(a row per run), OUT/summary.csv (mean and spread over seeds per spec) and OUT/report.html (learning-rate sensitivity). "
                + "Every other option is train's. The same command again into the same OUT trains only the runs without a row."})
public final class SweepCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    TrainOptions options;
    @Option(names = "--seeds", paramLabel = "N,N,...", split = ",", description = "seeds to train each spec from (default: --seed)")
    List<Long> seeds = new ArrayList<>();
    @Option(names = "--search", paramLabel = "grid|random:N|asha:min_epochs=R,eta=E",
            description = "every combination of the braces, N draws, or the grid by asynchronous successive halving: rungs at R, R*E, R*E^2, ... "
                    + "epochs up to --epochs, the best 1/E of each rung going on from its checkpoint (default: grid; asha: R 1, E 3)")
    String search = "grid";
    @Option(names = "--engine", paramLabel = "local|spark", description = "where the runs train: local, on this machine's cores, or spark, as "
            + "Apache Spark tasks (the ravine-spark module; README) (default: local)")
    String engine = "local";
    @Option(names = "--master", paramLabel = "URL", description = "the Spark master for --engine spark, e.g. local[2] or spark://host:7077 (default: spark-submit's)")
    String master;
    @Option(names = "--parallel", paramLabel = "N", description = "runs at once with the local engine, each on one thread (default: the machine's cores)")
    int parallel = Runtime.getRuntime().availableProcessors();
    @Option(names = "--out", paramLabel = "DIR", description = "the sweep's folder (default: runs/sweep-<timestamp>)")
    Path out;

    @Override
    public Integer call() throws java.io.IOException {
        if (!engine.equals("local") && !engine.equals("spark")) throw new UserError("--engine " + engine + ": expected local or spark");
        if (master != null && !engine.equals("spark")) throw new UserError("--master " + master + ": give --engine spark too");
        List<Long> s = seeds.isEmpty() ? List.of(options.seed) : seeds;
        List<String> specs;
        Asha.Rungs rungs = search.startsWith("asha") ? Asha.Rungs.parse(search, options.epochs) : null;
        if (search.equals("grid") || rungs != null) specs = Sweep.grid(options.optimizers());
        else if (search.startsWith("random:")) {
            int n;
            try {
                n = Integer.parseInt(search.substring("random:".length()));
            } catch (NumberFormatException e) {
                throw new UserError("--search " + search + ": expected random:N with N a whole number");
            }
            specs = Sweep.random(options.optimizers(), n, options.seed);
        } else throw new UserError("--search " + search + ": expected grid, random:N or asha:min_epochs=R,eta=E");
        for (String method : specs) options.settings(method); // every spec checked before the first run trains
        Path dir = out != null ? out : Path.of("runs").resolve("sweep-" + RunFolder.defaultDir(Path.of("runs")).getFileName());
        Sweep sweep = new Sweep(specs, s, options::settings);
        PrintWriter err = spec.commandLine().getErr(), stdout = spec.commandLine().getOut();
        Sweep.Listener told = (t, o, done, total) -> {
            err.printf(Locale.ROOT, "ravine: [%d/%d] %s seed %d: %s%s (%.1f s)%n", done, total, t.spec(), t.seed(), o.status(),
                    o.bestValLoss() == null ? "" : String.format(Locale.ROOT, ", best val_loss %.4f at epoch %d", o.bestValLoss(), o.bestEpoch()), o.seconds());
            err.flush();
        };
        List<Outcome> outcomes;
        if (rungs != null) {
            if (engine.equals("spark")) throw new UserError("--search asha: runs with the local engine (its promotions follow each run as it ends)");
            outcomes = sweep.runAsha(dir, rungs, parallel, told);
        } else {
            outcomes = sweep.run(engine.equals("spark") ? spark() : new Engine.Local(parallel), dir, told);
        }
        for (Summary sum : Summary.of(outcomes))
            stdout.printf(Locale.ROOT, "%-40s %d/%d ok  best val_loss %s%n", sum.spec(), sum.ok(), sum.runs(), sum.meanBestValLoss() == null ? "-"
                    : String.format(Locale.ROOT, "%.4f", sum.meanBestValLoss()) + (sum.stdBestValLoss() == null ? "" : String.format(Locale.ROOT, " +- %.4f",
                    sum.stdBestValLoss())));
        stdout.println("sweep saved to " + dir + " (" + Sweep.RESULTS + ", " + Sweep.SUMMARY + ", " + Sweep.REPORT + ")");
        stdout.flush();
        return 0;
    }

    /** The Spark engine of the ravine-spark module, given this command's own arguments for its tasks to parse again. */
    private Engine spark() {
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        List<String> args = all.subList(all.indexOf("sweep") + 1, all.size());
        for (Engine.Provider p : java.util.ServiceLoader.load(Engine.Provider.class))
            if (p.name().equals("spark")) return p.create(master, List.copyOf(args));
        throw new UserError("--engine spark: the ravine-spark module is not on the class path (build it with mvn -f spark/pom.xml package, and run "
                + "ravine with spark/target/ravine-spark.jar and Spark's jars, or through spark-submit: README)");
    }

    /**
     * The settings of each run of the sweep that {@code args} ({@code ravine sweep}'s arguments) give, each run on one
     * thread: what a cluster's task makes of the arguments the driver was given.
     */
    public static Sweep.Settings settings(List<String> args) {
        SweepCommand c = new SweepCommand();
        new CommandLine(c).parseArgs(args.toArray(String[]::new));
        return (spec, seed) -> c.options.settings(spec, seed).withThreads(1);
    }
}
