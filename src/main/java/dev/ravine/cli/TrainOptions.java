package dev.ravine.cli;

import dev.ravine.UserError;
import dev.ravine.data.Augmentation;
import dev.ravine.data.Imputation;
import dev.ravine.data.Scaling;
import dev.ravine.nn.Dropout;
import dev.ravine.nn.LossSpec;
import dev.ravine.optim.schedule.Schedules;
import dev.ravine.tensor.DType;
import dev.ravine.train.CheckpointInterval;
import dev.ravine.train.Divergence;
import dev.ravine.train.EarlyStopping;
import dev.ravine.train.Penalty;
import dev.ravine.train.RunSettings;
import dev.ravine.train.TrainConfig;
import java.util.List;
import picocli.CommandLine.Option;

/** The options that decide a training run, shared by {@code train} and {@code sweep}: each gives {@link RunSettings}. */
final class TrainOptions {
    private static final RunSettings D = RunSettings.DEFAULTS;

    @Option(names = "--data", paramLabel = "NAME|FILE.csv|DIR",
            description = "embedded digits, breast_cancer, diabetes; fashion-mnist; a CSV file with a header; a folder of IDX files (default: ${DEFAULT-VALUE})")
    String data = D.data();
    @Option(names = "--target", paramLabel = "COLUMN", description = "target column of a CSV file (default: the last)")
    String target = D.target();
    @Option(names = "--task", paramLabel = "auto|classification|regression", description = "default: ${DEFAULT-VALUE}")
    String task = D.task();
    @Option(names = "--model", paramLabel = "SPEC",
            description = "mlp:SIZES:ACTIVATION, full sizes (mlp:64-32-10:tanh) or hidden only (mlp:128-64:relu); activations relu, tanh, sigmoid, leaky_relu, elu, gelu, silu, softplus, selu, mish, identity, with torch.nn's keys: leaky_relu:negative_slope=0.2, elu:alpha=0.5, softplus:beta=2,threshold=20, gelu:approximate=tanh (default: ${DEFAULT-VALUE})")
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
    @Option(names = "--swa", paramLabel = "start=E,lr=X,anneal_epochs=10,anneal_strategy=cos",
            description = "stochastic weight averaging (torch.optim.swa_utils): average the weights of every epoch after E, annealing the rate to X by SWALR; the saved model is the average")
    String swa;
    @Option(names = "--sam", paramLabel = "rho=X,adaptive=false", arity = "0..1", fallbackValue = "",
            description = "sharpness-aware minimization (Foret et al. 2021): take each step's gradient at the worst point within rho of the weights, "
                    + "w + rho g/|g|, a second pass per step; adaptive=true is ASAM (default: rho=0.05,adaptive=false)")
    String sam;
    @Option(names = "--lookahead", paramLabel = "k=5,alpha=0.5", arity = "0..1", fallbackValue = "",
            description = "Lookahead (Zhang et al. 2019) around the optimizer: every k steps slow weights move alpha of the way to its weights, "
                    + "which restart from them (default: k=5,alpha=0.5)")
    String lookahead;
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
    @Option(names = "--loss", paramLabel = "cross_entropy[:label_smoothing=X,weight=A|B|...|balanced]|mse|sigmoid_mse|huber[:delta=X]|smooth_l1[:beta=X]|l1",
            description = "the training loss; label_smoothing and weight (one per class) as CrossEntropyLoss's, weight=balanced as scikit-learn's n / (K n_k); mse and sigmoid_mse compare a classifier's outputs (or their sigmoids) with one-hot targets, as MSELoss; huber, smooth_l1 and l1 regress as HuberLoss, SmoothL1Loss and L1Loss (default: cross_entropy, mse for regression)")
    String lossName;
    @Option(names = "--augment", paramLabel = "shift=K,noise=S,elastic=A,sigma=G",
            description = "augment image data as training draws it: shifts up to K pixels, Gaussian pixel noise S, elastic distortion A (Simard et al. 2003, smoothing G pixels; default 4)")
    String augment;
    @Option(names = "--track", paramLabel = "NAME[:every=N],...",
            description = "instruments measured every N epochs (or steps=N: every N optimizer steps, into track.csv), their columns added to the "
                    + "metrics: sharpness (lambda_max on the training rows, beside two_over_lr; rows=N for the first N, tolerance=X, products=P), "
                    + "preconditioned_sharpness (adam, adamw, rmsprop), noise_scale (B_simple from per-example gradients; batch=B, default 64), "
                    + "subspace_overlap (k=K), layers; minibatch=true with steps=N measures on each step's own minibatch and passes")
    List<String> track = new java.util.ArrayList<>();
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
    @Option(names = "--missing", paramLabel = "error|mean|median",
            description = "a missing feature in a CSV file (an empty field, NA, nan, ?): an error naming it, or filled with its column's mean or median"
                    + " over the training split, as scikit-learn's SimpleImputer (default: error)")
    String missing = D.missing().label();
    @Option(names = "--init", paramLabel = "torch|he|xavier|zeros|orthogonal|FILE", description = "initial weights; FILE is safetensors with nn.Sequential names (default: ${DEFAULT-VALUE})")
    String init = D.init();
    @Option(names = "--dtype", paramLabel = "float32|float64", description = "default: float32")
    String dtype = D.dtype().label;
    @Option(names = "--threads", paramLabel = "N", description = "threads for the matrix kernels (default: the machine's cores, ${DEFAULT-VALUE})")
    int threads = D.threads();
    @Option(names = "--checkpoint-every", paramLabel = "N|Ns",
            description = "write a checkpoint every N epochs (or, with Ns, after the first epoch that ends N seconds after the last one) into the run folder, "
                    + "which exists from the start; the two newest are kept")
    String checkpointEvery;

    /** The optimizer specs given (repeated {@code --optimizer}), or the default one. */
    List<String> optimizers() {
        return optimizers.isEmpty() ? List.of(D.optimizer()) : optimizers;
    }

    /** The settings of a run with {@code method} as its optimizer, every option checked. */
    RunSettings settings(String method) {
        return settings(method, seed);
    }

    /** The same with another seed, which seeds the split, the initialization, dropout and the shuffle. */
    RunSettings settings(String method, long seed) {
        DType type = parsed("--dtype", dtype, DType::parse, "float32 or float64");
        CheckpointInterval interval = checkpointEvery == null ? null : parsed("--checkpoint-every", checkpointEvery, CheckpointInterval::parse,
                "a number of epochs (1 or more) or of seconds (e.g. 300s)");
        if (!scheduleUnit.equals("epoch") && !scheduleUnit.equals("step")) throw new UserError("--schedule-unit " + scheduleUnit + ": expected epoch or step");
        if (!(l1 >= 0) || !Double.isFinite(l1)) throw new UserError("--l1 " + l1 + ": expected a finite number >= 0");
        if (!(l2 >= 0) || !Double.isFinite(l2)) throw new UserError("--l2 " + l2 + ": expected a finite number >= 0");
        Scaling scaling = parsed("--standardize", standardize, Scaling::parse, "on, off or minmax");
        Imputation imputation = parsed("--missing", missing, Imputation::parse, "error, mean or median");
        Divergence divergence = parsed("--on-nan", onNan, Divergence::parse, "stop or skip");
        LossSpec loss = lossName == null ? null : parsed("--loss", lossName, LossSpec::parse, dev.ravine.nn.LossKind.labels());
        Dropout.Style style = parsed("--dropout-style", dropoutStyle, Dropout.Style::parse, "inverted or scale-weights");
        if (dropout == null && style != Dropout.Style.INVERTED) throw new UserError("--dropout-style " + dropoutStyle + ": give --dropout P too");
        if (dropout != null && !(dropout >= 0 && dropout < 1)) throw new UserError("--dropout " + dropout + ": expected a probability in [0, 1)");
        Dropout drop = dropout == null ? null : new Dropout(dropout, style, seed);
        TrainConfig loop;
        try {
            loop = new TrainConfig(epochs, batch, shuffle.value(), seed, schedule == null ? null : Schedules.spec(schedule), scheduleUnit.equals("step"),
                    clipNorm == null ? Double.NaN : clipNorm, clipValue == null ? Double.NaN : clipValue, new Penalty(l1, l2),
                    earlyStop == null ? null : EarlyStopping.parse("--early-stop", earlyStop), divergence, drop, loss,
                    augment == null ? null : Augmentation.parse("--augment", augment), swa == null ? null : dev.ravine.train.Swa.parse("--swa", swa),
                    sam == null ? null : dev.ravine.optim.Sam.parse("--sam", sam),
                    lookahead == null ? null : dev.ravine.optim.Lookahead.parse("--lookahead", lookahead));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        List<dev.ravine.track.Track> tracks = new java.util.ArrayList<>();
        for (String t : track) tracks.addAll(dev.ravine.track.Track.parse(t));
        return new RunSettings(data, target, task, model, batchNorm, method, init, type, threads, val, scaling, loop, interval, tracks, rows, imputation);
    }

    /** {@code value} of {@code flag} read by {@code parse}; a value it refuses is the user's mistake, named with what was expected. */
    static <T> T parsed(String flag, String value, java.util.function.Function<String, T> parse, String expected) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw new UserError(flag + " " + value + ": expected " + expected);
        }
    }
}
