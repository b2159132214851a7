package dev.ravine.tensor;

import java.util.SplittableRandom;

/** {@link Squash32}'s vector loop and scalar twins over fixed inputs, as one number: what {@code Squash32Test} compares between JVMs in different modes. */
public final class Squash32Hash {
    private Squash32Hash() {
    }

    /** The bits of tanh and the sigmoid over 4,096 entries of every kind ({@link Squash32Test#inputs}), folded into one long. */
    static long of(int rounds) {
        float[] x = Squash32Test.inputs(4096, new SplittableRandom(7)), y = new float[x.length];
        long h = 0;
        for (Squash f : Squash.values()) {
            for (int r = 0; r < rounds; r++) Squash32Test.viaVectors(f, x, 0, y, 0, x.length);
            for (float v : y) h = h * 31 + Float.floatToIntBits(v); // every NaN as one
        }
        return h;
    }

    public static void main(String[] args) {
        System.out.println(of(1));
    }
}
