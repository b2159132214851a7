package dev.ravine.train;

/**
 * How to run the training loop. Defaults live here and nowhere else.
 *
 * @param shuffle false keeps the training rows in file order in every epoch
 * @param seed    drives the shuffle (the split and the initialization take their own seeds from the same value)
 */
public record TrainConfig(int epochs, int batch, boolean shuffle, long seed) {
    public static final TrainConfig DEFAULTS = new TrainConfig(30, 32, true, 0);

    public TrainConfig {
        if (epochs < 0) throw new IllegalArgumentException("epochs must be at least 0, got " + epochs);
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    }
}
