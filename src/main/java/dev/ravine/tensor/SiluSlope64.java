package dev.ravine.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SiLU's backward pass in float64, out = in SiLU'(x) with SiLU'(x) = s (1 + x (1 - s)) and s = sigmoid(x) = y / x from
 * the forward pass's y (1/2 at 0): the float64 path's operations, a vector at a time, so every entry gets the bits the
 * float64 path gives it, as {@link SiluSlope32} in float32. Per entry, through {@code Tensor.get} and {@code set}, with
 * its division, that pass took 52 us over a hidden layer of 128 x 256 (AMD EPYC Zen 5).
 */
final class SiluSlope64 {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    private SiluSlope64() {
    }

    /** in SiLU'(x) given y = SiLU(x), as the float64 path computes it and a lane of {@link #scale}'s vectors. */
    static double scale(double x, double y, double in) {
        double s = x != 0 ? y / x : 0.5;
        return in * (s * (1 + x * (1 - s)));
    }

    /** out = in SiLU'(x) for n entries, given y = SiLU(x): whole vectors where there are four double lanes or more, the rest by the twin. */
    static void scale(VectorStart start, double[] x, int xo, double[] y, int yo, double[] in, int io, double[] out, int oo, int n) {
        int i = D.length() >= 4 ? start.run(n, D.loopBound(n), D.length(), m -> vectors(x, xo, y, yo, in, io, out, oo, m)) : 0;
        for (; i < n; i++) out[oo + i] = scale(x[xo + i], y[yo + i], in[io + i]);
    }

    /** The loop over the first {@code whole} entries, a multiple of D's lanes; returns {@code whole}. */
    static int vectors(double[] x, int xo, double[] y, int yo, double[] in, int io, double[] out, int oo, int whole) {
        DoubleVector one = DoubleVector.broadcast(D, 1), half = DoubleVector.broadcast(D, 0.5);
        for (int i = 0; i < whole; i += D.length()) {
            DoubleVector v = DoubleVector.fromArray(D, x, xo + i), s = DoubleVector.fromArray(D, y, yo + i).div(v).blend(half, v.eq(0));
            DoubleVector.fromArray(D, in, io + i).mul(s.mul(one.add(v.mul(one.sub(s))))).intoArray(out, oo + i);
        }
        return whole;
    }
}
