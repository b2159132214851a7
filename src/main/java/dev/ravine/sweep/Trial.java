package dev.ravine.sweep;

import java.util.Locale;

/** One run of a sweep: the {@code index}-th concrete optimizer spec, trained from {@code seed}. */
public record Trial(int index, String spec, long seed) {
    /** Its run folder's name under the sweep's {@code runs/}: the spec's number and optimizer, and the seed. */
    public String folder() {
        return String.format(Locale.ROOT, "%03d-%s-seed%d", index + 1, spec.replaceAll("[:].*", ""), seed);
    }
}
