package dev.ravine.data;

import dev.ravine.UserError;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A seeded hold-out split: {@code round(fraction n)} rows drawn at random for validation, the rest for training.
 * Both keep the file's row order, so {@code --shuffle off} trains on rows exactly as the file lists them.
 */
public record Split(Dataset train, Dataset validation) {
    public static Split of(Dataset data, double fraction, long seed) {
        if (!(fraction >= 0 && fraction < 1)) throw new UserError("--val " + fraction + ": expected a fraction in [0, 1)");
        int n = data.rows(), held = (int) Math.round(fraction * n);
        if (held == 0) return new Split(data, null);
        if (held >= n) throw new UserError("--val " + fraction + " leaves no training rows out of " + n);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        shuffle(order, new SplittableRandom(seed));
        int[] val = Arrays.copyOfRange(order, 0, held), train = Arrays.copyOfRange(order, held, n);
        Arrays.sort(val);
        Arrays.sort(train);
        return new Split(data.select(train), data.select(val));
    }

    /** Shuffles {@code order} in place by Fisher-Yates, every permutation equally likely; the same stream gives the same order. */
    public static void shuffle(int[] order, SplittableRandom rng) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
