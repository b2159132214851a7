package dev.ravine.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DropoutStream}'s draws a vector of 64-bit lanes at a time; the floats of the mask take a vector of the same
 * number of lanes, half as wide. With two lanes (128-bit vectors) that would be a 64-bit float vector, which the JIT
 * does not compile to vector code (ten times slower than the plain loop), so the caller keeps the loop there.
 *
 * <p>Each lane's draw is {@link DropoutStream#mix64} of z = state + (lane + 1) gamma, and the lane is dropped when its top
 * 53 bits fall below {@code below}. Both fills write that out in their loops rather than share a helper that returns
 * the mask: vectors never cross a method boundary (the reason is in {@link Elementwise32}'s notes).
 */
final class MaskKernels {
    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(L.vectorBitSize() / 2));
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, L.vectorShape());
    /** (1, 2, ..., lanes) gamma: the lanes' offsets from the stream's state. */
    private static final LongVector STEPS = LongVector.broadcast(L, 1).addIndex(1).mul(DropoutStream.GAMMA);

    private MaskKernels() {
    }

    static int lanes() {
        return L.length();
    }

    static void fill(long state, long below, float keep, float[] mask, int offset, int n) {
        FloatVector kept = FloatVector.broadcast(F, keep);
        int i = 0;
        for (int bound = L.loopBound(n); i < bound; i += L.length()) {
            LongVector z = STEPS.add(state + i * DropoutStream.GAMMA);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xbf58476d1ce4e5b9L);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94d049bb133111ebL);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
            kept.blend(0f, z.lanewise(VectorOperators.LSHR, 11).compare(VectorOperators.LT, below).cast(F)).intoArray(mask, offset + i);
        }
        for (; i < n; i++) mask[offset + i] = (DropoutStream.mix64(state + (i + 1) * DropoutStream.GAMMA) >>> 11) < below ? 0f : keep;
    }

    static void fill(long state, long below, double keep, double[] mask, int offset, int n) {
        DoubleVector kept = DoubleVector.broadcast(D, keep);
        int i = 0;
        for (int bound = L.loopBound(n); i < bound; i += L.length()) {
            LongVector z = STEPS.add(state + i * DropoutStream.GAMMA);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xbf58476d1ce4e5b9L);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94d049bb133111ebL);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
            kept.blend(0d, z.lanewise(VectorOperators.LSHR, 11).compare(VectorOperators.LT, below).cast(D)).intoArray(mask, offset + i);
        }
        for (; i < n; i++) mask[offset + i] = (DropoutStream.mix64(state + (i + 1) * DropoutStream.GAMMA) >>> 11) < below ? 0d : keep;
    }
}
