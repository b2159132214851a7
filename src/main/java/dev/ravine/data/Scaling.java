package dev.ravine.data;

import java.util.Locale;

/**
 * How training scales its features, with statistics of the training split only: not at all, to mean 0 and std 1
 * ({@code on}, the lectures' input normalization), or into [0, 1] by each feature's minimum and range
 * ({@code minmax}, scikit-learn's MinMaxScaler).
 */
public enum Scaling {
    OFF, ON, MINMAX;

    /** The scaling fitted to {@code train}'s features, or null for OFF. */
    public Standardization fit(dev.ravine.tensor.Tensor train) {
        return switch (this) {
            case OFF -> null;
            case ON -> Standardization.fit(train);
            case MINMAX -> Standardization.fitMinMax(train);
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** on, off or minmax. */
    public static Scaling parse(String text) {
        for (Scaling s : values()) if (s.label().equals(text)) return s;
        throw new IllegalArgumentException("expected on, off or minmax, got " + text);
    }
}
