package dev.ravine.train;

import dev.ravine.data.Imputation;
import dev.ravine.data.Scaling;
import dev.ravine.tensor.DType;

/**
 * Everything that decides a training run, as the user gave it; {@code run.json} stores it so the run can be
 * repeated and its model evaluated with the same preprocessing. Defaults live here and in {@link TrainConfig}.
 *
 * @param data   an embedded name, {@code fashion-mnist}, a CSV file or an IDX directory
 * @param target the target column, or null for the last one
 * @param task   {@code auto}, {@code classification} or {@code regression}
 * @param init   {@code torch}, {@code he}, {@code xavier}, {@code zeros} or a safetensors file
 * @param batchNorm put {@code BatchNorm1d} between each hidden Linear layer and its activation
 * @param standardize how the features are scaled, with statistics of the training split
 * @param loop   the training loop, whose seed is the run's one seed (see {@link #seed})
 * @param checkpointEvery how often the run writes a checkpoint to resume from (null: never)
 * @param track  instruments measured while training, their figures added to each epoch's (empty: none)
 * @param rows   how many of the data's rows the run uses, the first ones, before the validation split (0: all)
 * @param missing what becomes of missing features: an error, or filled from the training split
 */
public record RunSettings(String data, String target, String task, String model, boolean batchNorm, String optimizer, String init,
                          DType dtype, int threads, double val, Scaling standardize, TrainConfig loop,
                          CheckpointInterval checkpointEvery, java.util.List<dev.ravine.track.Track> track, int rows, Imputation missing) {
    public static final RunSettings DEFAULTS = new RunSettings("digits", null, "auto", "mlp:128:relu", false, "adam", "torch",
            DType.FLOAT32, Threads.available(), 0.2, Scaling.ON, TrainConfig.DEFAULTS, null, java.util.List.of(), 0, Imputation.ERROR);

    public RunSettings {
        track = track == null ? java.util.List.of() : java.util.List.copyOf(track);
        if (missing == null) missing = Imputation.ERROR;
        if (rows < 0) throw dev.ravine.UserError.setting("rows", rows, "expected a count of rows, 1 or more");
    }

    /** Settings whose missing features are an error. */
    public RunSettings(String data, String target, String task, String model, boolean batchNorm, String optimizer, String init, DType dtype, int threads,
                       double val, Scaling standardize, TrainConfig loop, CheckpointInterval checkpointEvery, java.util.List<dev.ravine.track.Track> track,
                       int rows) {
        this(data, target, task, model, batchNorm, optimizer, init, dtype, threads, val, standardize, loop, checkpointEvery, track, rows, Imputation.ERROR);
    }

    /** The same settings with another model, optimizer, initialization, dtype and thread count (for tests and examples). */
    public RunSettings with(String model, String optimizer, String init, DType dtype, int threads) {
        return new RunSettings(data, target, task, model, batchNorm, optimizer, init, dtype, threads, val, standardize, loop, checkpointEvery, track, rows, missing);
    }

    /** The same settings with batch norm on or off. */
    public RunSettings withBatchNorm(boolean on) {
        return new RunSettings(data, target, task, model, on, optimizer, init, dtype, threads, val, standardize, loop, checkpointEvery, track, rows, missing);
    }

    /** The same settings at another thread count (a resumed run may use other cores; results do not depend on them). */
    public RunSettings withThreads(int threads) {
        return new RunSettings(data, target, task, model, batchNorm, optimizer, init, dtype, threads, val, standardize, loop, checkpointEvery, track, rows, missing);
    }

    /** The same settings trained for {@code epochs}, checkpointing {@code every} (successive halving's rungs). */
    public RunSettings withEpochs(int epochs, CheckpointInterval every) {
        TrainConfig l = loop;
        return new RunSettings(data, target, task, model, batchNorm, optimizer, init, dtype, threads, val, standardize,
                new TrainConfig(epochs, l.batch(), l.shuffle(), l.seed(), l.schedule(), l.schedulePerStep(), l.clipNorm(), l.clipValue(), l.penalty(),
                        l.earlyStop(), l.onNan(), l.dropout(), l.loss(), l.augment(), l.swa(), l.sam(), l.lookahead()), every, track, rows, missing);
    }

    public RunSettings withLoop(TrainConfig loop) {
        return new RunSettings(data, target, task, model, batchNorm, optimizer, init, dtype, threads, val, standardize, loop, checkpointEvery, track, rows, missing);
    }

    /** The run's one seed: the split, the initialization, dropout, augmentation and the shuffle each draw their own stream from it. */
    public long seed() {
        return loop.seed();
    }

    public int epochs() {
        return loop.epochs();
    }

    public int batch() {
        return loop.batch();
    }
}
