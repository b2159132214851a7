package dev.ravine.tensor;

import java.util.SplittableRandom;

/** {@link Tanh32} over fixed inputs, as one number: what {@code Tanh32Test} compares between JVMs in different modes. */
public final class Tanh32Hash {
    private Tanh32Hash() {
    }

    /** The bits of tanh over 4,096 entries of every kind ({@link Tanh32Test#inputs}), folded into one long. */
    static long of(int rounds) {
        float[] x = Tanh32Test.inputs(4096, new SplittableRandom(7)), y = new float[x.length];
        for (int r = 0; r < rounds; r++) Tanh32.apply(x, 0, y, 0, x.length);
        long h = 0;
        for (float v : y) h = h * 31 + Float.floatToRawIntBits(v);
        return h;
    }

    public static void main(String[] args) {
        System.out.println(of(1));
    }
}
