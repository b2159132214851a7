package dev.ravine.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * SiLU's backward pass in float32, out = in SiLU'(x) with SiLU'(x) = s (1 + x (1 - s)) and s = sigmoid(x) = y / x from
 * the forward pass's y (1/2 at 0): the float64 path's operations in double, a vector at a time, so every entry gets
 * the bits the float64 path gives it (and the scalar kernels). Per entry, through {@code Tensor.get} and {@code set},
 * that pass took 47 us over a hidden layer of 128 x 256 (AMD EPYC Zen 5), longer than GELU's on its kernel.
 */
final class SiluSlope32 {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats as many as D's lanes, each converted to a double lane and back. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));

    private SiluSlope32() {
    }

    /** in SiLU'(x) given y = SiLU(x), as the float64 path computes it and a lane of {@link #scale}'s vectors. */
    static float scale(float x, float y, float in) {
        double xd = x, s = xd != 0 ? y / xd : 0.5;
        return (float) (in * (s * (1 + xd * (1 - s))));
    }

    /** out = in SiLU'(x) for n entries, given y = SiLU(x): vectors as {@link Gelu32#scale} takes them, the rest by {@link #scale(float, float, float)}. */
    static void scale(float[] x, int xo, float[] y, int yo, float[] in, int io, float[] out, int oo, int n) {
        int i = D.length() >= 4 ? Float32Kernel.SILU.scaleStart.run(n, D.loopBound(n), D.length(), m -> vectors(x, xo, y, yo, in, io, out, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = scale(x[xo + i], y[yo + i], in[io + i]);
    }

    /** The loop over the first {@code whole} entries, a multiple of D's lanes; returns {@code whole}. */
    static int vectors(float[] x, int xo, float[] y, int yo, float[] in, int io, float[] out, int oo, int whole) {
        DoubleVector one = DoubleVector.broadcast(D, 1), half = DoubleVector.broadcast(D, 0.5);
        for (int i = 0; i < whole; i += D.length()) {
            DoubleVector v = (DoubleVector) FloatVector.fromArray(F, x, xo + i).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector yv = (DoubleVector) FloatVector.fromArray(F, y, yo + i).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector g = (DoubleVector) FloatVector.fromArray(F, in, io + i).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector s = yv.div(v).blend(half, v.eq(0));
            g.mul(s.mul(one.add(v.mul(one.sub(s))))).convertShape(VectorOperators.D2F, F, 0).reinterpretAsFloats().intoArray(out, oo + i);
        }
        return whole;
    }
}
