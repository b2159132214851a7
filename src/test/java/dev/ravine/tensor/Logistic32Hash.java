package dev.ravine.tensor;

import java.util.SplittableRandom;

/** {@link Logistic32}'s vector loop and scalar twins over fixed inputs, as one number: what {@code Logistic32Test} compares between JVMs in different modes. */
public final class Logistic32Hash {
    private Logistic32Hash() {
    }

    /** The bits of tanh, the sigmoid and SiLU over 4,096 entries of every kind ({@link Logistic32Test#inputs}), folded into one long. */
    static long of(int rounds) {
        float[] x = Logistic32Test.inputs(4096, new SplittableRandom(7)), y = new float[x.length];
        long h = 0;
        for (Logistic f : Logistic.values()) {
            for (int r = 0; r < rounds; r++) Logistic32Test.viaVectors(f, x, 0, y, 0, x.length);
            for (float v : y) h = h * 31 + Float.floatToIntBits(v); // every NaN as one
        }
        return h;
    }

    public static void main(String[] args) {
        System.out.println(of(1));
    }
}
