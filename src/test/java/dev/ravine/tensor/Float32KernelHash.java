package dev.ravine.tensor;

import java.util.SplittableRandom;

/** The float32 kernels' vector loops and scalar twins over fixed inputs, as one number: what {@code Float32KernelTest} compares between JVMs in different modes. */
public final class Float32KernelHash {
    private Float32KernelHash() {
    }

    /**
     * The bits of tanh, the sigmoid, SiLU, GELU and GELU's and SiLU's derivatives over 4,096 entries of every kind
     * ({@link Logistic32Test#inputs}), each pass run {@code rounds} times, folded into one long.
     */
    static long of(int rounds) {
        float[] x = Logistic32Test.inputs(4096, new SplittableRandom(7)), y = new float[x.length], g = new float[x.length];
        long h = 0;
        for (Float32Kernel f : Float32Kernel.values()) {
            for (int r = 0; r < rounds; r++) Float32KernelTest.viaVectors(f, x, y);
            h = fold(h, y);
        }
        for (int r = 0; r < rounds; r++) Gelu32Test.scaleViaVectors(x, y, x, g);
        h = fold(h, g);
        for (int r = 0; r < rounds; r++) SiluSlope32Test.viaVectors(x, y, x, g);
        return fold(h, g);
    }

    private static long fold(long h, float[] y) {
        for (float v : y) h = h * 31 + Float.floatToIntBits(v); // every NaN as one
        return h;
    }

    public static void main(String[] args) {
        System.out.println(of(1));
    }
}
