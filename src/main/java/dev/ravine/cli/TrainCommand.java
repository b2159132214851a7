package dev.ravine.cli;

import dev.ravine.UserError;
import dev.ravine.train.EpochMetrics;
import dev.ravine.train.RunFolder;
import dev.ravine.train.RunSettings;
import dev.ravine.train.Trainer;
import dev.ravine.curvature.Diagnostics;
import dev.ravine.train.TrainingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Train a model and save the run to a folder.",
        description = {"Train a model and save the run (weights, metrics, settings) to a folder. "
                + "Defaults train an MLP on the embedded digits data."})
final class TrainCommand implements Callable<Integer> {
    
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    TrainOptions options;
    @Option(names = "--diagnose", paramLabel = "K", arity = "0..1", fallbackValue = "1",
            description = "add per-layer gradient norms and dead units each epoch, and every K epochs (default 1) the top Hessian eigenvalue and lr*lambda_max/2, to the metrics")
    Integer diagnose;
    @Option(names = "--out", paramLabel = "DIR", description = "run folder to create (default: runs/<timestamp>)")
    Path out;
    @Option(names = "--format", paramLabel = "text|json", description = "per-epoch figures as text or one JSON object per line (default: text)")
    String format = "text";
    @Option(names = "--resume", paramLabel = "DIR",
            description = "go on with the run in DIR from its newest checkpoint, with its saved settings (--threads and --format may be given), to the weights "
                    + "an uninterrupted run ends at")
    Path resume;
    @Option(names = "--overwrite", description = "replace the run already in --out (refused otherwise)")
    boolean overwrite;

    /** The options a resumed run may set: how it computes and shows, never what it computes. */
    private static final java.util.Set<String> RESUME_OPTIONS = java.util.Set.of("--resume", "--threads", "--format");

    @Override
    public Integer call() throws IOException {
        Formats.check(format, "text", "json");
        if (resume != null) return resumed();
        Path dir = out != null ? out : RunFolder.defaultDir(Path.of("runs"));
        RunFolder.checkWritable(dir, overwrite);
        List<String> methods = options.optimizers();
        List<RunSettings> settings = new java.util.ArrayList<>();
        for (String method : methods) settings.add(options.settings(method)); // every run checked before the first trains
        if (methods.size() == 1) return train(new TrainingRun(settings.get(0)), dir, false);
        List<TrainingRun> runs = settings.stream().map(TrainingRun::new).toList();
        List<Path> dirs = new java.util.ArrayList<>();
        for (int k = 0; k < runs.size(); k++) {
            Path runDir = dir.resolve((k + 1) + "-" + methods.get(k).replaceAll(":.*", ""));
            spec.commandLine().getErr().println("ravine: run " + (k + 1) + " of " + runs.size() + ": " + methods.get(k));
            train(runs.get(k), runDir, false);
            dirs.add(runDir);
        }
        Path page = dev.ravine.report.ComparisonReport.write(dirs, dir);
        spec.commandLine().getErr().println("ravine: " + runs.size() + " runs from the same initial weights compared in " + page);
        return 0;
    }

    /** {@code --resume DIR}: the run's own settings, nothing else but how to compute and show. */
    private Integer resumed() throws IOException {
        for (CommandLine.Model.OptionSpec o : spec.commandLine().getParseResult().matchedOptions())
            if (!RESUME_OPTIONS.contains(o.longestName()))
                throw new UserError(o.longestName() + ": a resumed run keeps its saved settings; give only --resume DIR (with --threads or --format)");
        boolean threadsGiven = spec.commandLine().getParseResult().hasMatchedOption("--threads");
        return train(TrainingRun.toResume(resume, threadsGiven ? options.threads : null), resume, true);
    }

    private Integer train(TrainingRun run, Path dir, boolean resuming) throws IOException {
        PrintWriter stdout = spec.commandLine().getOut(), stderr = spec.commandLine().getErr();
        boolean json = format.equals("json");
        var train = run.split.train();
        if (!json)
            stderr.printf(Locale.ROOT, "%s: %d training rows, %d validation rows%s, %d features, %s; model %s (%,d parameters); %s%n",
                    train.source(), train.rows(), run.split.validation() == null ? 0 : run.split.validation().rows(),
                    run.test == null ? "" : ", " + run.test.rows() + " test rows", train.features(),
                    train.classes() > 0 ? train.classes() + " classes" : "regression", run.model.describe(),
                    run.model.network.parameterCount(), run.method());
        Trainer.Listener progress = new Progress(stdout, json, !json && Progress.interactive(), run.settings.epochs());
        if (diagnose != null) {
            if (diagnose < 1) throw new UserError("--diagnose " + diagnose + ": expected 1 or more");
            progress = Trainer.Listener.both(new Diagnostics(run.model.network, run.loss, train, diagnose), progress);
        }
        List<EpochMetrics> history = resuming ? run.resume(dir, progress) : run.trainInto(dir, overwrite, progress);
        if (run.divergence() != null) throw new UserError(run.divergence().describe() + "; run saved to " + dir);
        if (!json) {
            EpochMetrics last = history.isEmpty() ? null : history.get(history.size() - 1);
            String result = last == null ? "no epochs run"
                    : last.valAccuracy() != null ? String.format(Locale.ROOT, "final val_accuracy %.4f", last.valAccuracy())
                    : last.valRmse() != null ? String.format(Locale.ROOT, "final val_rmse %.4f", last.valRmse())
                    : last.testAccuracy() != null ? String.format(Locale.ROOT, "final test_accuracy %.4f", last.testAccuracy())
                    : String.format(Locale.ROOT, "final train_loss %.4f", last.trainLoss());
            if (run.stopping() != null && run.stopping().stoppedEarly())
                result = String.format(Locale.ROOT, "stopped after epoch %d: %s; best epoch %d (val_loss %.4f)%s", run.stopping().epochsRun(),
                        run.stopping().reason(), run.stopping().bestEpoch(), run.stopping().bestValLoss(), run.stopping().restoredBest() ? ", its weights saved" : "");
            else if (last != null && last.valLoss() != null) {
                EpochMetrics best = history.stream().min(java.util.Comparator.comparingDouble(EpochMetrics::valLoss)).orElseThrow();
                result += String.format(Locale.ROOT, "; best epoch %d (val_loss %.4f%s)", best.epoch(), best.valLoss(),
                        best.valAccuracy() == null ? "" : String.format(Locale.ROOT, ", val_accuracy %.4f", best.valAccuracy()));
            }
            if (run.averaged() != null) { // weight averaging: the saved model is not the last epoch's
                result += String.format(Locale.ROOT, "; the saved model averages the last %d epochs' weights", run.averaged().epochs());
                var e = run.averaged().validation();
                if (e != null) {
                    result += String.format(Locale.ROOT, " (val_loss %.4f%s)", e.loss(),
                            e.accuracy() != null ? String.format(Locale.ROOT, ", val_accuracy %.4f", e.accuracy()) : "");
                }
            }
            double seconds = history.stream().mapToDouble(EpochMetrics::seconds).sum();
            stdout.println(result + String.format(Locale.ROOT, "; %.1f s of training; run saved to %s (report: %s)", seconds, dir,
                    dir.resolve(RunFolder.REPORT)));
        } else {
            stderr.println("run saved to " + dir);
        }
        return 0;
    }
}
