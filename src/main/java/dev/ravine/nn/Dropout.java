package dev.ravine.nn;

import java.util.Locale;

/**
 * Dropout after each hidden activation (Srivastava et al. 2014): in training each unit is kept with probability
 * 1 - p, afresh for every row of every step, from a stream seeded by the run. {@code INVERTED} scales the kept
 * units by 1 / (1 - p) in training so inference is the plain network (PyTorch's {@code nn.Dropout}); the paper's
 * {@code SCALE_WEIGHTS} trains unscaled and multiplies by 1 - p at inference, folded into the following layer's
 * weights once training ends, so a saved model is the plain network either way.
 */
public record Dropout(double p, Style style, long seed) {
    public enum Style {
        INVERTED, SCALE_WEIGHTS;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** inverted or scale-weights. */
        public static Style parse(String text) {
            for (Style s : values()) if (s.label().equals(text)) return s;
            throw new IllegalArgumentException("expected inverted or scale-weights, got " + text);
        }
    }

    public Dropout {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("the dropout probability must be in [0, 1), got " + p);
        if (style == null) throw new IllegalArgumentException("no dropout style");
    }
}
