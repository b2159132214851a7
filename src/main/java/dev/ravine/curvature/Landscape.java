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
 * the weights' scale), along the Hessian's top two eigenvectors, where the loss curves most, or along the training
 * path's two principal directions (Li et al. 2018, section 7): in a space of many dimensions a random plane is all
 * but orthogonal to the path, which projected onto it is a speck near the origin, while the plane of the path's own
 * largest variance holds most of it.
 */
public final class Landscape {
    /** The grid axes, the loss at each point (loss[i][j] at a = as[i], b = bs[j]), and the directions used. */
    public record Surface(double[] as, double[] bs, double[][] loss, double[] d1, double[] d2) {
    }

    /** How the plane through the weights is chosen. */
    public enum Directions {
        RANDOM, HESSIAN, PCA;

        /** random, hessian or pca. */
        public static Directions parse(String text) {
            for (Directions d : values()) if (d.name().toLowerCase(java.util.Locale.ROOT).equals(text)) return d;
            throw new IllegalArgumentException("expected random, hessian or pca");
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A plane through the weights: its two directions, the training path's coordinates on it (null without a path),
     * the share of the path's variance along each direction (null unless they are its principal ones), and the grid's
     * half-width to use unless one is asked for: 1 in units of the directions, or enough to hold the path along its
     * principal directions, which are unit vectors.
     */
    public record Plane(double[] d1, double[] d2, double[][] path, double[] explained, double span) {
    }

    /** The plane of {@code directions} ({@code path}: the training path's weights, oldest first, or null; pca needs it). */
    public static Plane plane(ModelOnData m, Directions directions, long seed, List<double[]> path) {
        double[][] d;
        double[] explained = null;
        switch (directions) {
            case RANDOM -> d = randomDirections(m, seed);
            case HESSIAN -> d = hessianDirections(m, seed);
            default -> {
                if (path == null) throw new IllegalArgumentException("the principal directions are the training path's, and there is none");
                Principal pc = principalDirections(m, path);
                d = new double[][] {pc.d1(), pc.d2()};
                explained = pc.explained();
            }
        }
        double[][] coordinates = path == null ? null : project(m, d[0], d[1], path);
        return new Plane(d[0], d[1], coordinates, explained, explained != null ? spanOf(coordinates) : 1);
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

    /** The path's two principal directions, unit length, and the share of the path's variance along each. */
    public record Principal(double[] d1, double[] d2, double[] explained) {
    }

    /**
     * PCA of the training path around the weights, as Li et al. do it (scikit-learn's PCA of the rows
     * theta_i - theta): the rows are centered, and the top two eigenvectors u of their n x n Gram matrix give the
     * directions sum_i u_i (theta_i - theta), normalized, each oriented so that the path starts on its negative side. {@code explained} is each eigenvalue over their sum, PCA's explained variance ratio.
     */
    public static Principal principalDirections(ModelOnData m, List<double[]> path) {
        int n = path.size(), p = m.weights.length;
        if (n < 3) throw new IllegalArgumentException("the principal directions of a training path need 3 or more epochs' weights, and it has " + n);
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = path.get(i).clone();
            for (int j = 0; j < p; j++) rows[i][j] -= m.weights[j];
        }
        double[][] gram = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) gram[i][j] = gram[j][i] = Lanczos.dot(rows[i], rows[j]);
        double[] mean = new double[n];
        double all = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) mean[i] += gram[i][j] / n;
            all += mean[i] / n;
        }
        org.ejml.data.DMatrixRMaj centered = new org.ejml.data.DMatrixRMaj(n, n); // (I - 11'/n) G (I - 11'/n): the centered rows' Gram
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) centered.set(i, j, gram[i][j] - mean[i] - mean[j] + all);
        var eig = org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(centered)) throw new IllegalStateException("eigendecomposition of the path's Gram matrix failed");
        Integer[] order = new Integer[n];
        double total = 0;
        for (int k = 0; k < n; k++) {
            order[k] = k;
            total += Math.max(0, eig.getEigenvalue(k).getReal());
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(eig.getEigenvalue(b).getReal(), eig.getEigenvalue(a).getReal()));
        double[][] d = new double[2][p];
        double[] explained = new double[2];
        for (int k = 0; k < 2; k++) {
            double lambda = eig.getEigenvalue(order[k]).getReal();
            if (!(lambda > 1e-12 * total))
                throw new IllegalArgumentException("the training path lies on a line: it has no second principal direction");
            var u = eig.getEigenVector(order[k]);
            for (int i = 0; i < n; i++) { // u is orthogonal to 1, so the centering drops out of sum_i u_i c_i
                double ui = u.get(i);
                for (int j = 0; j < p; j++) d[k][j] += ui * rows[i][j];
            }
            double norm = Math.sqrt(Lanczos.dot(d[k], d[k])); // sqrt(lambda), up to rounding
            double scale = Lanczos.dot(rows[0], d[k]) > 0 ? -1 / norm : 1 / norm;
            for (int j = 0; j < p; j++) d[k][j] *= scale;
            explained[k] = lambda / total;
        }
        return new Principal(d[0], d[1], explained);
    }

    /** A principal direction's axis label: which one, and the share of the path's variance along it. */
    public static String axis(int component, double explained) {
        return String.format(java.util.Locale.ROOT, "PC%d (%.1f%% of the path's variance)", component, 100 * explained);
    }

    /** A grid's half-width that holds a projected path, its largest coordinate and a tenth more. */
    static double spanOf(double[][] coordinates) {
        double most = 0;
        for (double[] ab : coordinates) most = Math.max(most, Math.max(Math.abs(ab[0]), Math.abs(ab[1])));
        return most > 0 ? 1.1 * most : 1;
    }

    public static Surface surface(ModelOnData m, double[] d1, double[] d2, double span, int grid) {
        double[] as = Grid.evenly(-span, span, grid), bs = as.clone();
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
