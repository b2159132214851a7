package dev.ravine.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * LeakyReLU with negative slope a (PyTorch's default 0.01, or a model spec's negative_slope): x above 0, a x below, and
 * its derivative 1 or a times the gradient, in float32 each product in double rounded once to float as the float64
 * path's {@code Activation} computes it (0.01 is no float, and 0.01f x differs from it in the last bit), a vector of
 * double lanes at a time, and in float64 the float64 path's operations themselves. Per entry, through a call to the
 * activation and {@code Tensor.get}/{@code set}, the two passes took a tenth of a float32 LeakyReLU network's training
 * step: 16 and 20 us over a hidden layer of 128 x 256, 2.8 and 3.0 here (512 bits, AMD EPYC Zen 5); in float64 17 and
 * 24 us.
 */
final class LeakyRelu {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats as many as D's lanes, each converted to a double lane and back. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    /** PyTorch's default negative_slope. */
    static final double SLOPE = 0.01;

    private LeakyRelu() {
    }

    /**
     * in LeakyReLU'(x) (the slope at 0, as PyTorch), the same bits as a lane of {@link #scale}'s vectors; with in = x,
     * LeakyReLU(x).
     */
    static float scale(double slope, float x, float in) {
        return x > 0 ? in : (float) (slope * in);
    }

    /** in LeakyReLU'(x) in float64, the float64 path's bits and a lane of {@link #vectors64}'s. */
    static double scale(double slope, double x, double in) {
        return x > 0 ? in : slope * in;
    }

    /** out = LeakyReLU(x) for n doubles, as {@link #apply(VectorStart, double, float[], int, float[], int, int)}. */
    static void apply(VectorStart start, double slope, double[] x, int xo, double[] out, int oo, int n) {
        scale(start, slope, x, xo, x, xo, out, oo, n); // x scaled by LeakyReLU'(x) is LeakyReLU(x), bit for bit
    }

    /** out = in LeakyReLU'(x) for n doubles, as {@link #apply(VectorStart, double, float[], int, float[], int, int)}. */
    static void scale(VectorStart start, double slope, double[] x, int xo, double[] in, int io, double[] out, int oo, int n) {
        int i = D.length() >= 4 ? start.run(n, D.loopBound(n), D.length(), m -> vectors64(slope, x, xo, in, io, out, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = scale(slope, x[xo + i], in[io + i]);
    }

    /** out = LeakyReLU(x) for n entries: whole vectors where there are four double lanes or more, the rest by the twin. */
    static void apply(VectorStart start, double slope, float[] x, int xo, float[] out, int oo, int n) {
        scale(start, slope, x, xo, x, xo, out, oo, n); // as in float64
    }

    /** out = in LeakyReLU'(x) for n entries, as {@link #apply}. */
    static void scale(VectorStart start, double slope, float[] x, int xo, float[] in, int io, float[] out, int oo, int n) {
        int i = D.length() >= 4 ? start.run(n, D.loopBound(n), D.length(), m -> vectors(slope, x, xo, in, io, out, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = scale(slope, x[xo + i], in[io + i]);
    }

    /**
     * out = v where x &gt; 0, else slope v in double rounded to float, over the first {@code whole} entries (a multiple of
     * D's lanes): the forward pass with v = x, the derivative's with v the gradient. Returns {@code whole}.
     */
    static int vectors(double slope, float[] x, int xo, float[] v, int vo, float[] out, int oo, int whole) {
        for (int i = 0; i < whole; i += D.length()) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i), vv = FloatVector.fromArray(F, v, vo + i);
            FloatVector scaled = ((DoubleVector) vv.convertShape(VectorOperators.F2D, D, 0)).mul(slope)
                    .convertShape(VectorOperators.D2F, F, 0).reinterpretAsFloats();
            scaled.blend(vv, xv.compare(VectorOperators.GT, 0)).intoArray(out, oo + i);
        }
        return whole;
    }

    /** {@link #vectors} in float64: out = v where x &gt; 0, else slope v. Returns {@code whole}. */
    static int vectors64(double slope, double[] x, int xo, double[] v, int vo, double[] out, int oo, int whole) {
        for (int i = 0; i < whole; i += D.length()) {
            DoubleVector vv = DoubleVector.fromArray(D, v, vo + i);
            vv.mul(slope).blend(vv, DoubleVector.fromArray(D, x, xo + i).compare(VectorOperators.GT, 0)).intoArray(out, oo + i);
        }
        return whole;
    }
}
