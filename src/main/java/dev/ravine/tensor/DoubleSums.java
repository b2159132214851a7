package dev.ravine.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sums over float32 values kept in double lanes, a vector at a time, where a plain loop's sums were dependent chains
 * of double additions (about two cycles a value): the L1/L2 penalty's pass and the gradient norm of
 * {@code clip_grad_norm_}. The floats are read a half-width vector at a time and widened to the doubles' full width;
 * with two double lanes (128-bit vectors) that half-width vector would be 64 bits wide, which the JIT leaves
 * unvectorized, so callers keep their plain loops there ({@link #fits}).
 *
 * <p>The lanes are summed one after another in lane order, not with {@code reduceLanes(ADD)}: the Vector API leaves
 * that sum's order free, and C2's compiled reduction adds in another order than the interpreter's, so a sum (and a
 * clipped step with it) would change in its last bits once the JIT compiled the kernel, and a resumed run would not
 * repeat the uninterrupted one.
 */
public final class DoubleSums {
    /** The double lanes, and the half-width float vectors widened into them (shared with {@link BatchNormKernels}). */
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));

    private DoubleSums() {
    }

    /** Whether the vectors are wide enough for these kernels: four double lanes or more. */
    public static boolean fits() {
        return D.length() >= 4;
    }

    /**
     * The penalty's pass: g[from, to) += a sign(w) + b w in float, rounded as the plain loop rounds it; {sum |w|,
     * sum w^2} over w[from, to) into {@code sums}, each square in float, as there.
     */
    public static void l1l2(float[] w, float[] g, int from, int to, float a, float b, double[] sums) {
        FloatVector va = FloatVector.broadcast(F, a), vb = FloatVector.broadcast(F, b), one = FloatVector.broadcast(F, 1), zero = FloatVector.zero(F);
        DoubleVector abs = DoubleVector.zero(D), squares = DoubleVector.zero(D);
        int i = from;
        for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
            FloatVector wv = FloatVector.fromArray(F, w, i);
            FloatVector sign = zero.blend(one, wv.compare(VectorOperators.GT, 0)).blend(one.neg(), wv.compare(VectorOperators.LT, 0));
            FloatVector.fromArray(F, g, i).add(va.mul(sign).add(vb.mul(wv))).intoArray(g, i);
            DoubleVector wide = (DoubleVector) wv.convertShape(VectorOperators.F2D, D, 0);
            abs = abs.add(wide.abs());
            squares = squares.add((DoubleVector) wv.mul(wv).convertShape(VectorOperators.F2D, D, 0));
        }
        double absSum = 0, squareSum = 0;
        for (int lane = 0; lane < D.length(); lane++) { // in lane order: see the class notes
            absSum += abs.lane(lane);
            squareSum += squares.lane(lane);
        }
        for (; i < to; i++) {
            g[i] += a * Math.signum(w[i]) + b * w[i];
            absSum += Math.abs(w[i]);
            squareSum += w[i] * w[i];
        }
        sums[0] = absSum;
        sums[1] = squareSum;
    }

    /** sum over a[from, from + n) of a[i]^2, each value widened to double before it is squared, as {@code (double) a * a}. */
    public static double squares(float[] a, int from, int n) {
        DoubleVector s0 = DoubleVector.zero(D), s1 = DoubleVector.zero(D); // two, so that the additions do not all wait on one
        int i = from, end = from + n, step = F.length();
        for (; i + 2 * step <= end; i += 2 * step) {
            DoubleVector x0 = (DoubleVector) FloatVector.fromArray(F, a, i).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector x1 = (DoubleVector) FloatVector.fromArray(F, a, i + step).convertShape(VectorOperators.F2D, D, 0);
            s0 = x0.fma(x0, s0);
            s1 = x1.fma(x1, s1);
        }
        DoubleVector both = s0.add(s1);
        double s = 0;
        for (int lane = 0; lane < D.length(); lane++) s += both.lane(lane); // in lane order: see the class notes
        for (; i < end; i++) s += (double) a[i] * a[i];
        return s;
    }
}
