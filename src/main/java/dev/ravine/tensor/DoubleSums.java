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
 * <p>Each sum keeps {@value #PARTIALS} partial sums, the p-th over elements from + p, from + p + 16, ..., in two vectors
 * of eight lanes or four of four, and adds them one after another, then the tail: the same numbers at 256 and 512
 * bits. Not {@code reduceLanes(ADD)}: the Vector API leaves that sum's order free, and C2's compiled reduction adds in
 * another order than the interpreter's, so a sum (and a clipped step with it) would change in its last bits once the
 * JIT compiled the kernel, and a resumed run would not repeat the uninterrupted one.
 */
public final class DoubleSums {
    /** The double lanes, and the half-width float vectors widened into them (shared with {@link BatchNormKernels}). */
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));

    private DoubleSums() {
    }

    /** The partial sums each sum keeps, whatever the vector width. */
    static final int PARTIALS = 16;

    /**
     * Whether these kernels run at this width: four or eight double lanes (256 or 512 bits), which group the
     * {@link #PARTIALS} partial sums in four vectors or two; elsewhere (128 bits, or SVE's wider vectors) the callers'
     * plain loops.
     */
    public static boolean fits() {
        return D.length() == 4 || D.length() == 8;
    }

    /**
     * The penalty's pass: g[from, to) += a sign(w) + b w in float, rounded as the plain loop rounds it; {sum |w|,
     * sum w^2} over w[from, to) into {@code sums}, each square in float, as there. The sums keep {@link #PARTIALS}
     * partial sums whatever the width (see the class notes).
     */
    public static void l1l2(float[] w, float[] g, int from, int to, float a, float b, double[] sums) {
        FloatVector va = FloatVector.broadcast(F, a), vb = FloatVector.broadcast(F, b), one = FloatVector.broadcast(F, 1), zero = FloatVector.zero(F);
        DoubleVector abs0 = DoubleVector.zero(D), abs1 = abs0, abs2 = abs0, abs3 = abs0, sq0 = abs0, sq1 = abs0, sq2 = abs0, sq3 = abs0;
        int i = from, step = F.length();
        boolean four = step == 4; // PARTIALS in four vectors of four lanes, or in two of eight
        for (; i + PARTIALS <= to; i += PARTIALS) {
            FloatVector w0 = FloatVector.fromArray(F, w, i), w1 = FloatVector.fromArray(F, w, i + step);
            FloatVector sign0 = zero.blend(one, w0.compare(VectorOperators.GT, 0)).blend(one.neg(), w0.compare(VectorOperators.LT, 0));
            FloatVector sign1 = zero.blend(one, w1.compare(VectorOperators.GT, 0)).blend(one.neg(), w1.compare(VectorOperators.LT, 0));
            FloatVector.fromArray(F, g, i).add(va.mul(sign0).add(vb.mul(w0))).intoArray(g, i);
            FloatVector.fromArray(F, g, i + step).add(va.mul(sign1).add(vb.mul(w1))).intoArray(g, i + step);
            abs0 = abs0.add(((DoubleVector) w0.convertShape(VectorOperators.F2D, D, 0)).abs());
            abs1 = abs1.add(((DoubleVector) w1.convertShape(VectorOperators.F2D, D, 0)).abs());
            sq0 = sq0.add((DoubleVector) w0.mul(w0).convertShape(VectorOperators.F2D, D, 0));
            sq1 = sq1.add((DoubleVector) w1.mul(w1).convertShape(VectorOperators.F2D, D, 0));
            if (four) {
                FloatVector w2 = FloatVector.fromArray(F, w, i + 2 * step), w3 = FloatVector.fromArray(F, w, i + 3 * step);
                FloatVector sign2 = zero.blend(one, w2.compare(VectorOperators.GT, 0)).blend(one.neg(), w2.compare(VectorOperators.LT, 0));
                FloatVector sign3 = zero.blend(one, w3.compare(VectorOperators.GT, 0)).blend(one.neg(), w3.compare(VectorOperators.LT, 0));
                FloatVector.fromArray(F, g, i + 2 * step).add(va.mul(sign2).add(vb.mul(w2))).intoArray(g, i + 2 * step);
                FloatVector.fromArray(F, g, i + 3 * step).add(va.mul(sign3).add(vb.mul(w3))).intoArray(g, i + 3 * step);
                abs2 = abs2.add(((DoubleVector) w2.convertShape(VectorOperators.F2D, D, 0)).abs());
                abs3 = abs3.add(((DoubleVector) w3.convertShape(VectorOperators.F2D, D, 0)).abs());
                sq2 = sq2.add((DoubleVector) w2.mul(w2).convertShape(VectorOperators.F2D, D, 0));
                sq3 = sq3.add((DoubleVector) w3.mul(w3).convertShape(VectorOperators.F2D, D, 0));
            }
        }
        double absSum = 0, squareSum = 0;
        for (int lane = 0; lane < step; lane++) { // partial sums 0, 1, ... in order: see the class notes
            absSum += abs0.lane(lane);
            squareSum += sq0.lane(lane);
        }
        for (int lane = 0; lane < step; lane++) {
            absSum += abs1.lane(lane);
            squareSum += sq1.lane(lane);
        }
        if (four) {
            for (int lane = 0; lane < step; lane++) {
                absSum += abs2.lane(lane);
                squareSum += sq2.lane(lane);
            }
            for (int lane = 0; lane < step; lane++) {
                absSum += abs3.lane(lane);
                squareSum += sq3.lane(lane);
            }
        }
        for (; i < to; i++) {
            g[i] += a * Math.signum(w[i]) + b * w[i];
            absSum += Math.abs(w[i]);
            squareSum += w[i] * w[i];
        }
        sums[0] = absSum;
        sums[1] = squareSum;
    }

    /**
     * sum over a[from, from + n) of a[i]^2, each value widened to double before it is squared, as {@code (double) a * a};
     * {@link #PARTIALS} partial sums whatever the width (see the class notes).
     */
    public static double squares(float[] a, int from, int n) {
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0; // several, so that the additions do not all wait on one
        int i = from, end = from + n, step = F.length();
        boolean four = step == 4; // PARTIALS in four vectors of four lanes, or in two of eight
        for (; i + PARTIALS <= end; i += PARTIALS) {
            DoubleVector x0 = (DoubleVector) FloatVector.fromArray(F, a, i).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector x1 = (DoubleVector) FloatVector.fromArray(F, a, i + step).convertShape(VectorOperators.F2D, D, 0);
            s0 = x0.fma(x0, s0);
            s1 = x1.fma(x1, s1);
            if (four) {
                DoubleVector x2 = (DoubleVector) FloatVector.fromArray(F, a, i + 2 * step).convertShape(VectorOperators.F2D, D, 0);
                DoubleVector x3 = (DoubleVector) FloatVector.fromArray(F, a, i + 3 * step).convertShape(VectorOperators.F2D, D, 0);
                s2 = x2.fma(x2, s2);
                s3 = x3.fma(x3, s3);
            }
        }
        double s = 0;
        for (int lane = 0; lane < step; lane++) s += s0.lane(lane); // partial sums 0, 1, ... in order: see the class notes
        for (int lane = 0; lane < step; lane++) s += s1.lane(lane);
        if (four) {
            for (int lane = 0; lane < step; lane++) s += s2.lane(lane);
            for (int lane = 0; lane < step; lane++) s += s3.lane(lane);
        }
        for (; i < end; i++) s += (double) a[i] * a[i];
        return s;
    }
}
