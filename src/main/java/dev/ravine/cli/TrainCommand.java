package dev.ravine.cli;

import dev.ravine.UserError;
import dev.ravine.tensor.DType;
import dev.ravine.data.Augmentation;
import dev.ravine.data.Scaling;
import dev.ravine.nn.Dropout;
import dev.ravine.nn.LossKind;
import dev.ravine.optim.schedule.Schedules;
import dev.ravine.train.CheckpointInterval;
import dev.ravine.train.Divergence;
import dev.ravine.train.EarlyStopping;
import dev.ravine.train.EpochMetrics;
import dev.ravine.train.Penalty;
import dev.ravine.train.RunFolder;
import dev.ravine.train.RunSettings;
import dev.ravine.train.TrainConfig;
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
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Train a model and save the run to a folder.",
        description = {"Train a model and save the run (weights, metrics, settings) to a folder.",
                "Defaults train an MLP on the embedded digits data."})
final class TrainCommand implements Callable<Integer> {
    private static final RunSettings D = RunSettings.DEFAULTS;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "NAME|FILE.csv|DIR",
            description = "embedded digits, breast_cancer, diabetes; fashion-mnist; a CSV file with a header; a folder of IDX files (default: ${DEFAULT-VALUE})")
    String data = D.data();
    @Option(names = "--target", paramLabel = "COLUMN", description = "target column of a CSV file (default: the last)")
    String target = D.target();
    @Option(names = "--task", paramLabel = "auto|classification|regression", description = "default: ${DEFAULT-VALUE}")
    String task = D.task();
    @Option(names = "--model", paramLabel = "SPEC",
            description = "mlp:SIZES:ACTIVATION, full sizes (mlp:64-32-10:tanh) or hidden only (mlp:128-64:relu); activations relu, tanh, sigmoid, leaky_relu, elu, gelu, identity (default: ${DEFAULT-VALUE})")
    String model = D.model();
    @Option(names = "--optimizer", paramLabel = "SPEC",
            description = "e.g. sgd:lr=0.05,momentum=0.9,nesterov=true (default: adam); repeated, trains the same model from the same initial weights "
                    + "with each into OUT/1-NAME, OUT/2-NAME, ... and writes OUT/report.html comparing them")
    List<String> optimizers = new java.util.ArrayList<>();
    @Option(names = "--schedule", paramLabel = "SPEC", description = "learning-rate schedule, e.g. cosine:t_max=25 (default: constant)")
    String schedule;
    @Option(names = "--schedule-unit", paramLabel = "epoch|step", description = "step the schedule after every epoch or every optimizer step (default: epoch)")
    String scheduleUnit = "epoch";
    @Option(names = "--clip-norm", paramLabel = "X", description = "clip the gradient's global L2 norm to X, as clip_grad_norm_")
    Double clipNorm;
    @Option(names = "--clip-value", paramLabel = "X", description = "clamp each gradient entry into [-X, X], as clip_grad_value_")
    Double clipValue;
    @Option(names = "--l1", paramLabel = "X", description = "add X * sum |w| over the weight matrices to the training loss (default: 0)")
    double l1;
    @Option(names = "--l2", paramLabel = "X", description = "add X/2 * sum w^2 over the weight matrices to the training loss (default: 0; its gradient is SGD's weight_decay=X)")
    double l2;
    @Option(names = "--early-stop", paramLabel = "patience=N,min_delta=X,restore_best=true", arity = "0..1", fallbackValue = "",
            description = "stop when the validation loss has not improved by more than min_delta for patience epochs, and keep the best epoch's weights (default: "
                    + "patience=5,min_delta=0,restore_best=true)")
    String earlyStop;
    @Option(names = "--on-nan", paramLabel = "stop|skip",
            description = "a NaN or infinite loss stops the run, keeping the last good epoch's weights, or skips that step (default: stop)")
    String onNan = "stop";
    @Option(names = "--batchnorm", description = "batch normalization (BatchNorm1d: eps 1e-5, momentum 0.1) between each hidden linear layer and its activation")
    boolean batchNorm;
    @Option(names = "--dropout", paramLabel = "P", description = "dropout after each hidden activation, probability P in [0, 1), training only")
    Double dropout;
    @Option(names = "--dropout-style", paramLabel = "inverted|scale-weights",
            description = "inverted: kept units scaled by 1/(1-P) in training (PyTorch's); scale-weights: the paper's, weights scaled by 1-P after training (default: inverted)")
    String dropoutStyle = "inverted";
    @Option(names = "--loss", paramLabel = "cross_entropy|mse|sigmoid_mse",
            description = "the training loss; mse and sigmoid_mse compare the outputs (or their sigmoids) with one-hot targets, as MSELoss (default: cross_entropy, mse for regression)")
    String lossName;
    @Option(names = "--augment", paramLabel = "shift=K,noise=S,elastic=A,sigma=G",
            description = "augment image data as training draws it: shifts up to K pixels, Gaussian pixel noise S, elastic distortion A (Simard et al. 2003, smoothing G pixels; default 4)")
    String augment;
    @Option(names = "--track", paramLabel = "NAME[:every=N],...",
            description = "instruments measured every N epochs, their columns added to the metrics: sharpness (lambda_max on the training rows, "
                    + "beside two_over_lr; rows=N for the first N), noise_scale (B_simple from per-example gradients; batch=B, default 64)")
    List<String> track = new java.util.ArrayList<>();
    @Option(names = "--diagnose", paramLabel = "K", arity = "0..1", fallbackValue = "1",
            description = "add per-layer gradient norms and dead units each epoch, and every K epochs (default 1) the top Hessian eigenvalue and lr*lambda_max/2, to the metrics")
    Integer diagnose;
    @Option(names = "--epochs", paramLabel = "N", description = "default: ${DEFAULT-VALUE}")
    int epochs = D.epochs();
    @Option(names = "--batch", paramLabel = "N", description = "minibatch size; the last batch of an epoch may be smaller (default: ${DEFAULT-VALUE})")
    int batch = D.batch();
    @Option(names = "--shuffle", paramLabel = "on|off", description = "off keeps rows in file order (default: on)")
    OnOff shuffle = OnOff.of(D.loop().shuffle());
    @Option(names = "--seed", paramLabel = "N", description = "seeds the split, the initialization and the shuffle (default: ${DEFAULT-VALUE})")
    long seed = D.seed();
    @Option(names = "--rows", paramLabel = "N", description = "train on the data's first N rows only, before the validation split (default: all)")
    int rows = 0;
    @Option(names = "--val", paramLabel = "FRACTION", description = "share of rows held out for validation, 0 allowed (default: ${DEFAULT-VALUE})")
    double val = D.val();
    @Option(names = "--standardize", paramLabel = "on|off|minmax",
            description = "scale features to mean 0, std 1 (on) or into [0, 1] (minmax), with statistics of the training split (default: on)")
    String standardize = D.standardize().label();
    @Option(names = "--init", paramLabel = "torch|he|xavier|zeros|FILE", description = "initial weights; FILE is safetensors with nn.Sequential names (default: ${DEFAULT-VALUE})")
    String init = D.init();
    @Option(names = "--dtype", paramLabel = "float32|float64", description = "default: float32")
    String dtype = D.dtype().label;
    @Option(names = "--threads", paramLabel = "N", description = "threads for the matrix kernels (default: the machine's cores, ${DEFAULT-VALUE})")
    int threads = D.threads();
    @Option(names = "--out", paramLabel = "DIR", description = "run folder to create (default: runs/<timestamp>)")
    Path out;
    @Option(names = "--format", paramLabel = "text|json", description = "per-epoch figures as text or one JSON object per line (default: text)")
    String format = "text";
    @Option(names = "--checkpoint-every", paramLabel = "N|Ns",
            description = "write a checkpoint every N epochs (or, with Ns, after the first epoch that ends N seconds after the last one) into the run folder, "
                    + "which exists from the start; the two newest are kept")
    String checkpointEvery;
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
        DType type = parsed("--dtype", dtype, DType::parse, "float32 or float64");
        Path dir = out != null ? out : RunFolder.defaultDir(Path.of("runs"));
        RunFolder.checkWritable(dir, overwrite);
        CheckpointInterval interval = checkpointEvery == null ? null : parsed("--checkpoint-every", checkpointEvery, CheckpointInterval::parse,
                "a number of epochs (1 or more) or of seconds (e.g. 300s)");
        if (!scheduleUnit.equals("epoch") && !scheduleUnit.equals("step")) throw new UserError("--schedule-unit " + scheduleUnit + ": expected epoch or step");
        if (!(l1 >= 0) || !Double.isFinite(l1)) throw new UserError("--l1 " + l1 + ": expected a finite number >= 0");
        if (!(l2 >= 0) || !Double.isFinite(l2)) throw new UserError("--l2 " + l2 + ": expected a finite number >= 0");
        Scaling scaling = parsed("--standardize", standardize, Scaling::parse, "on, off or minmax");
        Divergence divergence = parsed("--on-nan", onNan, Divergence::parse, "stop or skip");
        LossKind lossKind = lossName == null ? null : parsed("--loss", lossName, LossKind::parse, "cross_entropy, mse or sigmoid_mse");
        Dropout.Style style = parsed("--dropout-style", dropoutStyle, Dropout.Style::parse, "inverted or scale-weights");
        if (dropout == null && style != Dropout.Style.INVERTED) throw new UserError("--dropout-style " + dropoutStyle + ": give --dropout P too");
        if (dropout != null && !(dropout >= 0 && dropout < 1)) throw new UserError("--dropout " + dropout + ": expected a probability in [0, 1)");
        Dropout drop = dropout == null ? null : new Dropout(dropout, style, seed);
        TrainConfig loop;
        try {
            loop = new TrainConfig(epochs, batch, shuffle.value(), seed, schedule == null ? null : Schedules.spec(schedule), scheduleUnit.equals("step"),
                    clipNorm == null ? Double.NaN : clipNorm, clipValue == null ? Double.NaN : clipValue, new Penalty(l1, l2),
                    earlyStop == null ? null : EarlyStopping.parse("--early-stop", earlyStop), divergence, drop, lossKind,
                    augment == null ? null : Augmentation.parse("--augment", augment));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        List<String> methods = optimizers.isEmpty() ? List.of(D.optimizer()) : optimizers;
        List<dev.ravine.track.Track> tracks = new java.util.ArrayList<>();
        for (String t : track) tracks.addAll(dev.ravine.track.Track.parse(t));
        List<RunSettings> settings = new java.util.ArrayList<>();
        for (String method : methods) // every run checked before the first trains
            settings.add(new RunSettings(data, target, task, model, batchNorm, method, init, type, threads, val, scaling, loop, interval, tracks, rows));
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
        return train(TrainingRun.toResume(resume, threadsGiven ? threads : null), resume, true);
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
            double seconds = history.stream().mapToDouble(EpochMetrics::seconds).sum();
            stdout.println(result + String.format(Locale.ROOT, "; %.1f s of training; run saved to %s (report: %s)", seconds, dir,
                    dir.resolve(RunFolder.REPORT)));
        } else {
            stderr.println("run saved to " + dir);
        }
        return 0;
    }

    /** {@code value} of {@code flag} read by {@code parse}; a value it refuses is the user's mistake, named with what was expected. */
    private static <T> T parsed(String flag, String value, java.util.function.Function<String, T> parse, String expected) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw new UserError(flag + " " + value + ": expected " + expected);
        }
    }
}
