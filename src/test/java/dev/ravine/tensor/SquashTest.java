package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * tanh's and the sigmoid's kernels: the forward pass, the backward pass's scaling by f'(x) and the R-operator's
 * backward pass, each against {@link Squash}'s scalar forms entry by entry, and against the generic passes of any
 * {@link Pointwise} function, at every length around this width's vectors (the tails), on views, with the vector
 * kernels and the scalar ones, on one thread and split over two.
 */
class SquashTest {
    @AfterEach
    void restore() {
        Kernels.useDefault();
        Parallel.setThreads(1);
    }

    /** f as any other activation: its passes through {@link Ops#map}, {@link Ops#mapScale} and {@link Ops#rKept}. */
    private static Pointwise generic(Squash f) {
        return new Pointwise() {
            public double apply(double x) { return f.apply(x); }
            public double derivative(double x, double y) { return f.derivative(y); }
            public double second(double x, double y) { return f.second(y); }
        };
    }

    /** A tensor of {@code n} entries that is a view at an offset, filled from {@code rng} in [-lo, hi). */
    private static Tensor filled(DType dtype, int n, SplittableRandom rng, double lo, double hi) {
        Tensor backing = Tensor.zeros(dtype, 1, n + 3), t = backing.view(3, 1, n);
        for (int i = 0; i < backing.size(); i++) backing.set(i, lo + (hi - lo) * rng.nextDouble());
        return t;
    }

    @Test
    void everyEntryIsTheScalarForm() {
        SplittableRandom rng = new SplittableRandom(11);
        for (boolean vector : new boolean[] {true, false})
            for (int threads : new int[] {1, 2}) {
                Kernels.useVector(vector);
                Parallel.setThreads(threads);
                for (Squash f : Squash.values())
                    for (DType dtype : DType.values())
                        for (int n : new int[] {1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 20_001}) {
                            String where = f + " " + dtype + " vector=" + vector + " threads=" + threads + " n=" + n;
                            Tensor x = filled(dtype, n, rng, -6, 6), y = filled(dtype, n, rng, 0, 1), in = filled(dtype, n, rng, -2, 2),
                                    out = filled(dtype, n, rng, 0, 1), rx = filled(dtype, n, rng, -2, 2), gy = filled(dtype, n, rng, -2, 2),
                                    rgx = filled(dtype, n, rng, 0, 1), rgxNoRx = filled(dtype, n, rng, 0, 1), outGeneric = filled(dtype, n, rng, 0, 1),
                                    rgxGeneric = filled(dtype, n, rng, 0, 1);
                            Ops.map(generic(f), x, y);
                            Ops.squashScale(f, y, in, out);
                            Ops.squashR(f, y, rx, gy, in, rgx);
                            Ops.squashR(f, y, null, gy, in, rgxNoRx);
                            Ops.mapScale(generic(f), x, y, in, outGeneric);
                            double[] slope = new double[n], curvature = new double[n];
                            Ops.keepSlopes(generic(f), x, y, slope, curvature);
                            Ops.rKept(slope, curvature, rx, gy, in, rgxGeneric);
                            // float64 gives the scalar forms' bits; float32 computes in float, as PyTorch does, within a few ulp
                            double tol = dtype == DType.FLOAT64 ? 0 : 1e-6;
                            for (int i = 0; i < n; i++) {
                                double yi = y.get(i), d = f.derivative(yi);
                                assertEquals(dtype == DType.FLOAT64 ? f.apply(x.get(i)) : (float) f.apply(x.get(i)), yi, 0, where + " forward at " + i);
                                close(in.get(i) * d, out.get(i), tol, where + " f' at " + i);
                                close(f.second(yi) * rx.get(i) * gy.get(i) + d * in.get(i), rgx.get(i), tol, where + " R at " + i);
                                close(d * in.get(i), rgxNoRx.get(i), tol, where + " R without R{x} at " + i);
                                close(in.get(i) * d, outGeneric.get(i), tol, where + " generic f' at " + i);
                                close(f.second(yi) * rx.get(i) * gy.get(i) + d * in.get(i), rgxGeneric.get(i), tol,
                                        where + " generic R at " + i);
                            }
                        }
            }
    }

    /** |expected - actual| within tol of max(1, |expected|). */
    private static void close(double expected, double actual, double tol, String message) {
        assertEquals(expected, actual, tol * Math.max(1, Math.abs(expected)), message);
    }

    @Test
    void derivativesMatchFiniteDifferences() {
        for (Squash f : Squash.values())
            for (double x = -5; x <= 5; x += 0.37) {
                double h = 1e-5, y = f.apply(x);
                double d = (f.apply(x + h) - f.apply(x - h)) / (2 * h);
                double second = (f.derivative(f.apply(x + h)) - f.derivative(f.apply(x - h))) / (2 * h);
                assertEquals(d, f.derivative(y), 1e-9, f + " f' at " + x);
                assertEquals(second, f.second(y), 1e-8, f + " f'' at " + x);
            }
    }
}
