package dev.ravine.train;

import dev.ravine.tensor.DType;

/**
 * Everything that decides a training run, as the user gave it; {@code run.json} stores it so the run can be
 * repeated and its model evaluated with the same preprocessing. Defaults live here and nowhere else.
 *
 * @param data   an embedded name, {@code fashion-mnist}, a CSV file or an IDX directory
 * @param target the target column, or null for the last one
 * @param task   {@code auto}, {@code classification} or {@code regression}
 * @param init   {@code torch}, {@code he}, {@code xavier}, {@code zeros} or a safetensors file
 */
public record RunSettings(String data, String target, String task, String model, String optimizer, int epochs, int batch,
                          boolean shuffle, long seed, double val, boolean standardize, String init, DType dtype, int threads) {
    public static final RunSettings DEFAULTS = new RunSettings("digits", null, "auto", "mlp:128:relu", "adam",
            TrainConfig.DEFAULTS.epochs(), TrainConfig.DEFAULTS.batch(), true, 0, 0.2, true, "torch", DType.FLOAT32,
            Runtime.getRuntime().availableProcessors());

    public TrainConfig trainConfig() {
        return new TrainConfig(epochs, batch, shuffle, seed);
    }
}
