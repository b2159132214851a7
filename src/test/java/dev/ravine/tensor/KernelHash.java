package dev.ravine.tensor;

import java.util.SplittableRandom;

/**
 * The vector loops and scalar twins of the float32 and float64 kernels over fixed inputs, as one number: what {@code
 * TwinKernelsTest} compares between JVMs in different modes.
 */
public final class KernelHash {
    private KernelHash() {
    }

    /**
     * The bits of every {@link Float32Kernel}'s and {@link Float64Kernel}'s forward pass and of the derivatives with
     * kernels over 4,096 entries of every kind ({@link Logistic32Test#inputs}, {@link Logistic64Test#inputs}), each
     * pass run {@code rounds} times, folded into one long.
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
        h = fold(h, g);
        for (int r = 0; r < rounds; r++) LeakyReluTest.viaVectors(LeakyRelu.SLOPE, x, y, g);
        h = fold(h, g);
        for (int r = 0; r < rounds; r++) EluTest.scaleViaVectors(Elu.ALPHA, x, y, x, g);
        h = fold(h, g);
        for (int r = 0; r < rounds; r++) DoubleLaneTwins.viaVectors(SoftplusTest.LOOP, true, SoftplusTest::softplus, SoftplusTest::scale, x, 0, y, g, 0, x.length);
        h = fold(h, g);
        for (int r = 0; r < rounds; r++) DoubleLaneTwins.viaVectors(EluTest.SELU, true, EluTest::selu, Elu::seluScale, x, 0, y, g, 0, x.length);
        h = fold(h, g);
        for (int r = 0; r < rounds; r++) DoubleLaneTwins.viaVectors(MishTest.LOOP, true, Mish::mish, Mish::scale, x, 0, y, g, 0, x.length);
        h = fold(h, g);
        for (int r = 0; r < rounds; r++) GeluTanhTest.scaleViaVectors32(x, y, g);
        h = fold(h, g);
        double[] xd = Logistic64Test.inputs(4096, new SplittableRandom(8)), yd = new double[xd.length];
        for (Float64Kernel f : Float64Kernel.values()) {
            for (int r = 0; r < rounds; r++) Float64KernelTest.viaVectors(f, xd, 0, yd, 0, xd.length);
            h = fold(h, yd);
        }
        double[] gd = new double[xd.length];
        for (int r = 0; r < rounds; r++) Gelu64Test.scaleViaVectors(xd, yd, xd, gd, 0);
        h = fold(h, gd);
        for (int r = 0; r < rounds; r++) DoubleLaneTwins.viaVectors(SoftplusTest.LOOP, true, SoftplusTest::softplus, SoftplusTest::scale, xd, 0, yd, gd, 0, xd.length);
        h = fold(h, gd);
        for (int r = 0; r < rounds; r++) DoubleLaneTwins.viaVectors(EluTest.SELU, true, EluTest::selu, Elu::seluScale, xd, 0, yd, gd, 0, xd.length);
        h = fold(h, gd);
        for (int r = 0; r < rounds; r++) DoubleLaneTwins.viaVectors(MishTest.LOOP, true, Mish::mish, Mish::scale, xd, 0, yd, gd, 0, xd.length);
        h = fold(h, gd);
        for (int r = 0; r < rounds; r++) GeluTanhTest.scaleViaVectors64(xd, yd, gd);
        h = fold(h, gd);
        for (int r = 0; r < rounds; r++) SiluSlope32Test.viaVectors(xd, yd, xd, gd);
        h = fold(h, gd);
        for (int r = 0; r < rounds; r++) LeakyReluTest.viaVectors(LeakyRelu.SLOPE, xd, 0, yd, gd, 0, xd.length);
        h = fold(h, gd);
        for (int r = 0; r < rounds; r++) EluTest.scaleViaVectors(Elu.ALPHA, xd, yd, xd, gd);
        return fold(h, gd);
    }

    private static long fold(long h, float[] y) {
        for (float v : y) h = h * 31 + Float.floatToIntBits(v); // every NaN as one
        return h;
    }

    private static long fold(long h, double[] y) {
        for (double v : y) h = h * 31 + Double.doubleToLongBits(v); // every NaN as one
        return h;
    }

    public static void main(String[] args) {
        System.out.println(of(1));
    }
}
