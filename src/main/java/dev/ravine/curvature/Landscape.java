package dev.ravine.curvature;

import dev.ravine.autodiff.Layer;
import dev.ravine.nn.Linear;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The loss on a plane through the weights, f(theta + a d1 + b d2) for a, b in [-span, span]: along two
 * filter-normalized random directions (Li et al. 2018: each row of each weight matrix, one unit's incoming
 * weights, scaled to the norm of the same row of theta, biases left at zero, so the picture does not depend on
 * the weights' scale), or along the Hessian's top two eigenvectors, where the loss curves most.
 */
public final class Landscape {
    /** The grid axes, the loss at each point (loss[i][j] at a = as[i], b = bs[j]), and the directions used. */
    public record Surface(double[] as, double[] bs, double[][] loss, double[] d1, double[] d2) {
    }

    private Landscape() {
    }

    public static double[][] randomDirections(ModelOnData m, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new double[][] {filterNormalized(m, rng), filterNormalized(m, rng)};
    }

    /** The eigenvectors of the two largest Hessian eigenvalues, unit length. */
    public static double[][] hessianDirections(ModelOnData m, long seed) {
        LinearOperator h = m.hessian();
        int n = h.dimension();
        Lanczos.Iteration it = new Lanczos.Iteration(h, seed);
        for (int steps = Math.min(n, 20); ; steps = Math.min(n, steps + 10)) {
            it.extend(steps);
            Lanczos.Result r = it.result(0);
            int k = r.values().length;
            double scale = Math.max(Math.abs(r.values()[0]), Math.abs(r.values()[k - 1]));
            boolean converged = r.residuals()[k - 1] <= 1e-6 * scale && (k < 2 || r.residuals()[k - 2] <= 1e-6 * scale);
            if (converged || it.exhausted()) {
                Lanczos.Result withVectors = it.result(2);
                return new double[][] {withVectors.vectors()[k - 1], withVectors.vectors()[Math.max(0, k - 2)]};
            }
        }
    }

    public static Surface surface(ModelOnData m, double[] d1, double[] d2, double span, int grid) {
        double[] as = new double[grid], bs = new double[grid];
        for (int i = 0; i < grid; i++) as[i] = bs[i] = -span + 2 * span * i / (grid - 1);
        double[][] loss = new double[grid][grid];
        double[] w = new double[m.weights.length];
        for (int i = 0; i < grid; i++)
            for (int j = 0; j < grid; j++) {
                for (int p = 0; p < w.length; p++) w[p] = m.weights[p] + as[i] * d1[p] + bs[j] * d2[p];
                loss[i][j] = m.evaluateAt(w).loss();
            }
        return new Surface(as, bs, loss, d1, d2);
    }

    /** Coordinates (a, b) of each point's offset from the weights in the plane, by least squares. */
    public static double[][] project(ModelOnData m, double[] d1, double[] d2, List<double[]> points) {
        double a11 = Lanczos.dot(d1, d1), a12 = Lanczos.dot(d1, d2), a22 = Lanczos.dot(d2, d2), det = a11 * a22 - a12 * a12;
        List<double[]> out = new ArrayList<>();
        double[] offset = new double[m.weights.length];
        for (double[] p : points) {
            for (int i = 0; i < offset.length; i++) offset[i] = p[i] - m.weights[i];
            double r1 = Lanczos.dot(offset, d1), r2 = Lanczos.dot(offset, d2);
            out.add(new double[] {(a22 * r1 - a12 * r2) / det, (a11 * r2 - a12 * r1) / det});
        }
        return out.toArray(double[][]::new);
    }

    private static double[] filterNormalized(ModelOnData m, SplittableRandom rng) {
        double[] d = new double[m.weights.length];
        List<Layer> layers = m.model.network.layers();
        for (int l = 0; l < layers.size(); l++) {
            if (!(layers.get(l) instanceof Linear lin)) continue;
            int at = m.model.network.parameterOffset(l), in = lin.inputWidth();
            for (int row = 0; row < lin.outputWidth(); row++) {
                int start = at + row * in;
                double dn = 0, wn = 0;
                for (int j = 0; j < in; j++) {
                    d[start + j] = rng.nextGaussian();
                    dn += d[start + j] * d[start + j];
                    wn += m.weights[start + j] * m.weights[start + j];
                }
                double scale = dn > 0 ? Math.sqrt(wn / dn) : 0;
                for (int j = 0; j < in; j++) d[start + j] *= scale;
            }
        }
        return d;
    }
}
