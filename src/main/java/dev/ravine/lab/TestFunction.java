package dev.ravine.lab;

import dev.ravine.UserError;
import dev.ravine.optim.Objective;
import dev.ravine.optim.Spec;
import java.util.List;

/**
 * The classic 2-D test functions of optimization, with analytic gradients and Hessians, whose contours make an
 * optimizer's behaviour visible: Rosenbrock's curved ravine, Beale's flat plateaus and sharp walls, Himmelblau's
 * four minima, Rastrigin's lattice of local minima, an ill-conditioned quadratic (turnable and movable), a saddle, and a
 * bowl with a cliff in it.
 */
public abstract class TestFunction implements Objective {
    public static final List<String> NAMES = List.of("rosenbrock", "beale", "himmelblau", "rastrigin", "quadratic", "saddle",
            "booth", "matyas", "styblinski_tang", "cliff");

    /** The spec as given, e.g. {@code quadratic:kappa=10}. */
    public final String spec;

    TestFunction(String spec) {
        this.spec = spec;
    }

    public abstract double value(double x, double y);

    /** (df/dx, df/dy). */
    public abstract void gradient(double x, double y, double[] g);

    /** (d2f/dx2, d2f/dxdy, d2f/dy2). */
    public abstract void hessian(double x, double y, double[] h);

    /** A region that shows the function's character, for plots: {xmin, xmax, ymin, ymax}. */
    public abstract double[] window();

    /** The global minima (x, y), as the literature gives them; none for the saddle, which is unbounded below. */
    public abstract double[][] minima();

    /**
     * The Jacobian rows of the residuals r_i when f = sum r_i^2, so that f is the negative log-likelihood of a
     * Gaussian model and its Fisher is the Gauss-Newton matrix 2 J^T J; null for functions that are not such a sum.
     */
    double[][] residualJacobian(double x, double y) {
        return null;
    }

    /** F v = 2 J^T J v for least-squares functions; the empirical Fisher of the one "example" is g g^T. */
    @Override
    public void fisherVector(double[] p, double[] v, double[] fv, boolean empirical) {
        if (empirical) {
            double[] g = new double[2];
            gradient(p[0], p[1], g);
            double dot = g[0] * v[0] + g[1] * v[1];
            fv[0] = g[0] * dot;
            fv[1] = g[1] * dot;
            return;
        }
        double[][] jac = residualJacobian(p[0], p[1]);
        if (jac == null)
            throw new dev.ravine.UserError("--function " + spec + ": not a sum of squared residuals, so it has no Fisher"
                    + " (Gauss-Newton) matrix; use ngd:fisher=empirical, or rosenbrock, beale, himmelblau, booth, matyas, quadratic");
        fv[0] = 0;
        fv[1] = 0;
        for (double[] row : jac) {
            double jv = row[0] * v[0] + row[1] * v[1];
            fv[0] += 2 * row[0] * jv;
            fv[1] += 2 * row[1] * jv;
        }
    }

    @Override
    public int dimension() {
        return 2;
    }

    @Override
    public double valueAndGradient(double[] p, double[] g) {
        gradient(p[0], p[1], g);
        return value(p[0], p[1]);
    }

    @Override
    public double[][] hessian(double[] p) {
        double[] h = new double[3];
        hessian(p[0], p[1], h);
        return new double[][] {{h[0], h[1]}, {h[1], h[2]}};
    }

    @Override
    public void hessianVector(double[] p, double[] v, double[] hv) {
        double[][] h = hessian(p);
        hv[0] = h[0][0] * v[0] + h[0][1] * v[1];
        hv[1] = h[1][0] * v[0] + h[1][1] * v[1];
    }

    /**
     * {@code quadratic}: curvatures 1 and {@code kappa} along axes turned {@code angle} degrees counter-clockwise from
     * x and y, the minimum at ({@code offset_x}, {@code offset_y}). Turning changes nothing for gradient descent,
     * whose steps are rotation-invariant, and everything for per-coordinate methods such as RMSProp and Adam.
     */
    public record QuadraticConfig(double kappa, double angle, double offsetX, double offsetY) {
        public static final QuadraticConfig DEFAULTS = new QuadraticConfig(10, 0, 0, 0);

        public QuadraticConfig {
            if (!(kappa > 0) || Double.isInfinite(kappa)) throw new IllegalArgumentException("kappa must be positive and finite, got " + kappa);
            if (!Double.isFinite(angle)) throw new IllegalArgumentException("angle must be finite, got " + angle);
            if (!Double.isFinite(offsetX) || !Double.isFinite(offsetY)) throw new IllegalArgumentException("offset_x and offset_y must be finite");
        }
    }

    /** {@code cliff}: the bowl's floor is {@code height} below a plateau, the wall between them {@code steepness} sharp. */
    public record CliffConfig(double height, double steepness) {
        public static final CliffConfig DEFAULTS = new CliffConfig(25, 20);

        public CliffConfig {
            if (!(height >= 0) || Double.isInfinite(height)) throw new IllegalArgumentException("height must be non-negative and finite, got " + height);
            if (!(steepness > 0) || Double.isInfinite(steepness))
                throw new IllegalArgumentException("steepness must be positive and finite, got " + steepness);
        }
    }

    public static TestFunction parse(String text) {
        Spec s = Spec.parse("--function", text);
        if (!s.name().equals("quadratic") && !s.name().equals("cliff") && !s.values().isEmpty()) throw s.error(s.name() + " takes no parameters");
        return switch (s.name()) {
            case "rosenbrock" -> new Rosenbrock(text);
            case "beale" -> new Beale(text);
            case "himmelblau" -> new Himmelblau(text);
            case "rastrigin" -> new Rastrigin(text);
            case "quadratic" -> new Quadratic(text, s.bind(QuadraticConfig.DEFAULTS));
            case "cliff" -> new Cliff(text, s.bind(CliffConfig.DEFAULTS));
            case "saddle" -> new Saddle(text);
            case "booth" -> new Booth(text);
            case "matyas" -> new Matyas(text);
            case "styblinski_tang" -> new StyblinskiTang(text);
            default -> throw new UserError("--function " + text + ": unknown function '" + s.name() + "' (valid: " + String.join(", ", NAMES) + ")");
        };
    }

    /** (1 - x)^2 + 100 (y - x^2)^2: a narrow curved ravine with its minimum 0 at (1, 1). */
    static final class Rosenbrock extends TestFunction {
        Rosenbrock(String spec) { super(spec); }
        public double value(double x, double y) { double a = 1 - x, b = y - x * x; return a * a + 100 * b * b; }
        public void gradient(double x, double y, double[] g) { double b = y - x * x; g[0] = -2 * (1 - x) - 400 * x * b; g[1] = 200 * b; }
        public void hessian(double x, double y, double[] h) { h[0] = 2 - 400 * (y - x * x) + 800 * x * x; h[1] = -400 * x; h[2] = 200; }
        public double[] window() { return new double[] {-2, 2, -1, 3}; }
        public double[][] minima() { return new double[][] {{1, 1}}; }
        double[][] residualJacobian(double x, double y) { return new double[][] {{-1, 0}, {-20 * x, 10}}; } // r = (1 - x, 10 (y - x^2))
    }

    /** (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2: minimum 0 at (3, 0.5). */
    static final class Beale extends TestFunction {
        private static final double[] C = {1.5, 2.25, 2.625};
        Beale(String spec) { super(spec); }
        public double value(double x, double y) {
            double s = 0;
            for (int i = 0; i < 3; i++) { double t = C[i] - x + x * Math.pow(y, i + 1); s += t * t; }
            return s;
        }
        public void gradient(double x, double y, double[] g) {
            g[0] = 0; g[1] = 0;
            for (int i = 0; i < 3; i++) {
                int k = i + 1;
                double t = C[i] - x + x * Math.pow(y, k);
                g[0] += 2 * t * (Math.pow(y, k) - 1);
                g[1] += 2 * t * x * k * Math.pow(y, k - 1);
            }
        }
        public void hessian(double x, double y, double[] h) {
            h[0] = 0; h[1] = 0; h[2] = 0;
            for (int i = 0; i < 3; i++) {
                int k = i + 1;
                double yk = Math.pow(y, k), t = C[i] - x + x * yk, tx = yk - 1, ty = x * k * Math.pow(y, k - 1);
                h[0] += 2 * tx * tx;
                h[1] += 2 * (ty * tx + t * k * Math.pow(y, k - 1));
                h[2] += 2 * (ty * ty + t * x * k * (k - 1) * (k >= 2 ? Math.pow(y, k - 2) : 0));
            }
        }
        public double[] window() { return new double[] {-4.5, 4.5, -4.5, 4.5}; }
        public double[][] minima() { return new double[][] {{3, 0.5}}; }
        double[][] residualJacobian(double x, double y) {
            double[][] j = new double[3][];
            for (int i = 0; i < 3; i++) j[i] = new double[] {Math.pow(y, i + 1) - 1, x * (i + 1) * Math.pow(y, i)};
            return j;
        }
    }

    /** (x^2 + y - 11)^2 + (x + y^2 - 7)^2: four minima of value 0, one at (3, 2). */
    static final class Himmelblau extends TestFunction {
        Himmelblau(String spec) { super(spec); }
        public double value(double x, double y) { double a = x * x + y - 11, b = x + y * y - 7; return a * a + b * b; }
        public void gradient(double x, double y, double[] g) {
            double a = x * x + y - 11, b = x + y * y - 7;
            g[0] = 4 * x * a + 2 * b; g[1] = 2 * a + 4 * y * b;
        }
        public void hessian(double x, double y, double[] h) {
            h[0] = 12 * x * x + 4 * y - 42; h[1] = 4 * x + 4 * y; h[2] = 4 * x + 12 * y * y - 26;
        }
        public double[] window() { return new double[] {-5, 5, -5, 5}; }
        public double[][] minima() { return new double[][] {{3, 2}, {-2.805118, 3.131312}, {-3.779310, -3.283186}, {3.584428, -1.848126}}; }
        double[][] residualJacobian(double x, double y) { return new double[][] {{2 * x, 1}, {1, 2 * y}}; }
    }

    /** 20 + x^2 - 10 cos(2 pi x) + y^2 - 10 cos(2 pi y): a lattice of local minima around the global one at 0. */
    static final class Rastrigin extends TestFunction {
        private static final double W = 2 * Math.PI;
        Rastrigin(String spec) { super(spec); }
        public double value(double x, double y) { return 20 + x * x - 10 * Math.cos(W * x) + y * y - 10 * Math.cos(W * y); }
        public void gradient(double x, double y, double[] g) { g[0] = 2 * x + 10 * W * Math.sin(W * x); g[1] = 2 * y + 10 * W * Math.sin(W * y); }
        public void hessian(double x, double y, double[] h) { h[0] = 2 + 10 * W * W * Math.cos(W * x); h[1] = 0; h[2] = 2 + 10 * W * W * Math.cos(W * y); }
        public double[] window() { return new double[] {-5.12, 5.12, -5.12, 5.12}; }
        public double[][] minima() { return new double[][] {{0, 0}}; }
    }

    /** (x^2 + kappa y^2) / 2: Hessian eigenvalues 1 and kappa, so kappa is the condition number. */
    public static final class Quadratic extends TestFunction {
        public final double kappa;
        private final double c, s, x0, y0;
        Quadratic(String spec, QuadraticConfig q) {
            super(spec);
            kappa = q.kappa();
            c = Math.cos(Math.toRadians(q.angle()));
            s = Math.sin(Math.toRadians(q.angle()));
            x0 = q.offsetX();
            y0 = q.offsetY();
        }
        /** The coordinates along the two principal axes: u on the curvature-1 axis, v on the curvature-kappa one. */
        private double u(double x, double y) { return c * (x - x0) + s * (y - y0); }
        private double v(double x, double y) { return -s * (x - x0) + c * (y - y0); }
        public double value(double x, double y) { double u = u(x, y), v = v(x, y); return 0.5 * (u * u + kappa * v * v); }
        public void gradient(double x, double y, double[] g) {
            double u = u(x, y), kv = kappa * v(x, y);
            g[0] = c * u - s * kv;
            g[1] = s * u + c * kv;
        }
        public void hessian(double x, double y, double[] h) { h[0] = c * c + kappa * s * s; h[1] = c * s * (1 - kappa); h[2] = s * s + kappa * c * c; }
        public double[] window() { return new double[] {x0 - 2, x0 + 2, y0 - 2, y0 + 2}; }
        public double[][] minima() { return new double[][] {{x0, y0}}; }
        double[][] residualJacobian(double x, double y) { // r = (u, sqrt(kappa) v) / sqrt(2)
            double a = Math.sqrt(0.5), b = Math.sqrt(kappa / 2);
            return new double[][] {{a * c, a * s}, {-b * s, b * c}};
        }
    }

    /**
     * A cliff (Pascanu et al. 2013; Goodfellow et al. 2016, section 8.2.4): the bowl 0.5 (x^2 + y^2) with a plateau
     * {@code height} above its floor for x beyond 1, h (1 + tanh(s (x - 1))) / 2. Walking down the plateau towards
     * the minimum, a step that lands on the wall meets a gradient of up to h s / 2 and is catapulted far past the
     * minimum; clipping the gradient's norm crosses the wall at a walk. The minimum is the bowl's, at (0, 0) to
     * within 1e-14.
     */
    static final class Cliff extends TestFunction {
        private final double h, w;
        Cliff(String spec, CliffConfig c) { super(spec); h = c.height(); w = c.steepness(); }
        /** 1 / cosh^2, which underflows to 0 rather than overflowing. */
        private static double sech2(double t) { double ch = Math.cosh(t); return 1 / (ch * ch); }
        public double value(double x, double y) { return 0.5 * (x * x + y * y) + h * (1 + Math.tanh(w * (x - 1))) / 2; }
        public void gradient(double x, double y, double[] g) { g[0] = x + h * w / 2 * sech2(w * (x - 1)); g[1] = y; }
        public void hessian(double x, double y, double[] hh) {
            double t = w * (x - 1);
            hh[0] = 1 - h * w * w * sech2(t) * Math.tanh(t);
            hh[1] = 0;
            hh[2] = 1;
        }
        public double[] window() { return new double[] {-3, 3, -2, 2}; }
        public double[][] minima() { return new double[][] {{0, 0}}; }
    }

    /** x^2 - y^2: a saddle point at the origin, descending along y. */
    static final class Saddle extends TestFunction {
        Saddle(String spec) { super(spec); }
        public double value(double x, double y) { return x * x - y * y; }
        public void gradient(double x, double y, double[] g) { g[0] = 2 * x; g[1] = -2 * y; }
        public void hessian(double x, double y, double[] h) { h[0] = 2; h[1] = 0; h[2] = -2; }
        public double[] window() { return new double[] {-2, 2, -2, 2}; }
        public double[][] minima() { return new double[][] {}; }
    }

    /** (x + 2y - 7)^2 + (2x + y - 5)^2: minimum 0 at (1, 3). */
    static final class Booth extends TestFunction {
        Booth(String spec) { super(spec); }
        public double value(double x, double y) { double a = x + 2 * y - 7, b = 2 * x + y - 5; return a * a + b * b; }
        public void gradient(double x, double y, double[] g) {
            double a = x + 2 * y - 7, b = 2 * x + y - 5;
            g[0] = 2 * a + 4 * b; g[1] = 4 * a + 2 * b;
        }
        public void hessian(double x, double y, double[] h) { h[0] = 10; h[1] = 8; h[2] = 10; }
        public double[] window() { return new double[] {-10, 10, -10, 10}; }
        public double[][] minima() { return new double[][] {{1, 3}}; }
        double[][] residualJacobian(double x, double y) { return new double[][] {{1, 2}, {2, 1}}; }
    }

    /** 0.26 (x^2 + y^2) - 0.48 x y: a shallow, tilted bowl with minimum 0 at the origin. */
    static final class Matyas extends TestFunction {
        Matyas(String spec) { super(spec); }
        public double value(double x, double y) { return 0.26 * (x * x + y * y) - 0.48 * x * y; }
        public void gradient(double x, double y, double[] g) { g[0] = 0.52 * x - 0.48 * y; g[1] = 0.52 * y - 0.48 * x; }
        public void hessian(double x, double y, double[] h) { h[0] = 0.52; h[1] = -0.48; h[2] = 0.52; }
        public double[] window() { return new double[] {-10, 10, -10, 10}; }
        public double[][] minima() { return new double[][] {{0, 0}}; }
        // f = (0.5 (x - y))^2 + (0.1 (x + y))^2 + ... : 0.26 (x^2 + y^2) - 0.48 x y = 0.25 (x - y)^2 + 0.01 (x + y)^2
        double[][] residualJacobian(double x, double y) { return new double[][] {{0.5, -0.5}, {0.1, 0.1}}; }
    }

    /** (x^4 - 16 x^2 + 5 x + y^4 - 16 y^2 + 5 y) / 2: four minima, the lowest near (-2.9035, -2.9035). */
    static final class StyblinskiTang extends TestFunction {
        StyblinskiTang(String spec) { super(spec); }
        public double value(double x, double y) { return 0.5 * (x * x * x * x - 16 * x * x + 5 * x + y * y * y * y - 16 * y * y + 5 * y); }
        public void gradient(double x, double y, double[] g) { g[0] = 0.5 * (4 * x * x * x - 32 * x + 5); g[1] = 0.5 * (4 * y * y * y - 32 * y + 5); }
        public void hessian(double x, double y, double[] h) { h[0] = 0.5 * (12 * x * x - 32); h[1] = 0; h[2] = 0.5 * (12 * y * y - 32); }
        public double[] window() { return new double[] {-5, 5, -5, 5}; }
        public double[][] minima() { return new double[][] {{-2.903534, -2.903534}}; }
    }
}
