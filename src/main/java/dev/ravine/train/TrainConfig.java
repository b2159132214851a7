package dev.ravine.train;

import dev.ravine.UserError;
import dev.ravine.data.Augmentation;
import dev.ravine.nn.Dropout;
import dev.ravine.nn.LossSpec;
import dev.ravine.optim.Lookahead;
import dev.ravine.optim.Sam;
import dev.ravine.optim.schedule.ScheduleSpec;

/**
 * How to run the training loop. Defaults live here and nowhere else.
 *
 * @param shuffle       false keeps the training rows in file order in every epoch
 * @param seed          drives the shuffle (the split and the initialization take their own seeds from the same value)
 * @param schedule      a learning-rate schedule, or null for a constant rate
 * @param schedulePerStep step the schedule after every optimizer step rather than after every epoch
 * @param clipNorm      clip the gradient's global L2 norm to this (NaN: off)
 * @param clipValue     clamp each gradient entry into [-clipValue, clipValue] (NaN: off)
 * @param penalty       L1 and L2 penalties on the weights, added to the training loss
 * @param earlyStop     stop when the validation loss stops improving (null: run every epoch)
 * @param onNan         what a NaN or infinite minibatch loss does: stop the run, or skip that step
 * @param dropout       dropout after each hidden activation (null: none)
 * @param loss          the training loss (null: cross-entropy for classification, mean squared error for regression)
 * @param augment       image augmentation of every minibatch row (null: none)
 * @param swa           stochastic weight averaging (null: none)
 * @param sam           sharpness-aware minimization: each step's gradient taken at the worst point near the weights (null: none)
 * @param lookahead     slow weights that every k steps take a share of the way to the optimizer's (null: none)
 */
public record TrainConfig(int epochs, int batch, boolean shuffle, long seed, ScheduleSpec schedule, boolean schedulePerStep,
                          double clipNorm, double clipValue, Penalty penalty, EarlyStopping earlyStop, Divergence onNan,
                          Dropout dropout, LossSpec loss, Augmentation augment, Swa swa, Sam sam, Lookahead lookahead) {
    public static final TrainConfig DEFAULTS = new TrainConfig(30, 32, true, 0, null, false, Double.NaN, Double.NaN, Penalty.NONE, null,
            Divergence.STOP, null, null, null, null, null, null);

    /** A value out of range is a {@link UserError} naming its setting. */
    public TrainConfig {
        if (epochs < 0) throw UserError.setting("epochs", epochs, "expected 0 or more");
        if (batch < 1) throw UserError.setting("batch", batch, "expected 1 or more");
        if (!(clipNorm > 0) && !Double.isNaN(clipNorm)) throw UserError.setting("clip-norm", clipNorm, "expected a positive number");
        if (!(clipValue > 0) && !Double.isNaN(clipValue)) throw UserError.setting("clip-value", clipValue, "expected a positive number");
        if (penalty == null) penalty = Penalty.NONE;
        if (onNan == null) onNan = Divergence.STOP;
    }

    /** Without weight averaging, sharpness-aware steps or lookahead. */
    public TrainConfig(int epochs, int batch, boolean shuffle, long seed, ScheduleSpec schedule, boolean schedulePerStep, double clipNorm,
                       double clipValue, Penalty penalty, EarlyStopping earlyStop, Divergence onNan, Dropout dropout, LossSpec loss, Augmentation augment) {
        this(epochs, batch, shuffle, seed, schedule, schedulePerStep, clipNorm, clipValue, penalty, earlyStop, onNan, dropout, loss, augment, null, null, null);
    }

    /** A constant learning rate and no clipping. */
    public TrainConfig(int epochs, int batch, boolean shuffle, long seed) {
        this(epochs, batch, shuffle, seed, null, false, Double.NaN, Double.NaN, Penalty.NONE, null, Divergence.STOP, null, null, null, null, null, null);
    }
}
