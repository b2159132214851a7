package dev.ravine.curvature;

import dev.ravine.UserError;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The curvature of the mean training loss at a point, and what it means: a minimum (no negative curvature), a saddle
 * (index = share of negative eigenvalues), a plateau (tiny gradient and tiny curvature), or no critical point at all.
 * Absent figures are null: the trace without --trace or a full spectrum, the spectrum's own figures under Lanczos.
 *
 * @param layer            the Linear layer whose block was analysed, or null for all parameters
 * @param bnMode           with batch norm, the statistics the loss normalized with ("train" or "eval"); else null
 * @param top              the largest eigenvalues, descending; {@code bottom} the smallest, ascending
 * @param negativeFraction the share of eigenvalues below -1e-8 (full spectra only)
 * @param eigenvalues      every eigenvalue ascending (full spectra only)
 * @param taylor           the second-order Taylor check of a gradient step, when asked for
 */
public record HessianReport(Method method, int params, Integer layer, String bnMode, double loss, double gradNorm, double[] top, double[] bottom,
                            Double trace, Double negativeFraction, double[] eigenvalues, SpectralDensity.Density density, Taylor taylor,
                            String verdict) {
    /** Eigenvalues below this count as negative, as in the contract. */
    static final double NEGATIVE = -1e-8;
    /** Chooses the dense eigensolver up to this many parameters, Lanczos above. */
    public static final int AUTO_FULL_LIMIT = 1500;
    /** The most parameters a dense eigendecomposition is asked to take. */
    public static final int FULL_LIMIT = 6000;
    /**
     * Lanczos stops when every requested Ritz pair's residual |H y - theta y| is below this, relative to the largest
     * |theta|; each Ritz value is then within that of an eigenvalue (and far closer when it is well separated).
     */
    static final double LANCZOS_TOLERANCE = 1e-8;

    /** How the spectrum is computed: every eigenvalue densely, the extremes by Lanczos, or full up to {@link #AUTO_FULL_LIMIT}. */
    public enum Method {
        AUTO, FULL, LANCZOS;

        public static Method parse(String text) {
            return switch (text) {
                case "auto" -> AUTO;
                case "full" -> FULL;
                case "lanczos" -> LANCZOS;
                default -> throw UserError.setting("method", text, "expected auto, full or lanczos");
            };
        }

        /** The method for a spectrum of {@code size} parameters. */
        Method resolve(int size) {
            if (this == AUTO) return size <= AUTO_FULL_LIMIT ? FULL : LANCZOS;
            if (this == FULL && size > FULL_LIMIT)
                throw UserError.setting("method", "full", size + " parameters is too many for a dense eigendecomposition; use lanczos");
            return this;
        }
    }

    /** The second-order Taylor check of a gradient step of size {@code step}: f(theta - step g) - f(theta) and its predictions. */
    public record Taylor(double step, double firstOrder, double predicted, double actual) {
    }

    /**
     * @param top     how many of the largest and smallest eigenvalues
     * @param samples products for the stochastic estimates (trace, density)
     * @param layer   restrict to this Linear layer's block, or -1
     * @param step    the Taylor check's step, or NaN for none
     */
    public record Options(Method method, int top, boolean trace, boolean density, int samples, long seed, int layer, double step) {
        public static final Options DEFAULTS = new Options(Method.AUTO, 5, false, false, 100, 0, -1, Double.NaN);

        public Options {
            if (top < 1) throw UserError.setting("top", top, "expected 1 or more");
            if (samples < 1) throw UserError.setting("samples", samples, "expected 1 or more");
            if (!Double.isNaN(step) && !Double.isFinite(step)) throw UserError.setting("step", step, "expected a finite number");
            if (layer < -1) throw UserError.setting("layer", layer, "expected 0 or more");
        }
    }

    public double eigMax() {
        return top[0];
    }

    public double eigMin() {
        return bottom[0];
    }

    /** lambda_max / lambda_min when the point is positive definite, else null. */
    public Double conditionNumber() {
        return eigMin() > 0 ? eigMax() / eigMin() : null;
    }

    /** 2 / lambda_max, the largest stable plain gradient step, when lambda_max is positive; else null. */
    public Double maxStableLr() {
        return eigMax() > 0 ? 2 / eigMax() : null;
    }

    public static HessianReport of(ModelOnData m, Options o) {
        int n = m.parameters();
        double[] gradient = new double[n];
        double loss = m.lossAndGradient(gradient);
        double gradNorm = Lanczos.norm(gradient);
        LinearOperator h = m.hessian();
        Taylor taylor = Double.isNaN(o.step()) ? null : taylor(m, gradient, loss, o.step());
        double[] guess = gradient; // the gradient leans toward the top eigenvectors (Gur-Ari et al. 2018)
        if (o.layer() >= 0) {
            int[] b = m.linearBlock(o.layer());
            h = ModelOnData.block(h, b[0], b[1]);
            n = b[1];
            guess = Arrays.copyOfRange(gradient, b[0], b[0] + b[1]);
        }
        Method method = o.method().resolve(n);
        double[] top, bottom, eigenvalues = null;
        int k = Math.min(o.top(), n);
        if (method == Method.FULL) {
            eigenvalues = Spectrum.full(h);
            top = new double[k];
            bottom = new double[k];
            for (int i = 0; i < k; i++) {
                top[i] = eigenvalues[n - 1 - i];
                bottom[i] = eigenvalues[i];
            }
        } else {
            Spectrum.Extremes e = Spectrum.extremes(h, k, LANCZOS_TOLERANCE, Lanczos.startToward(guess, o.seed()));
            if (!e.converged())
                throw new UserError("--method lanczos: the " + k + " largest and smallest eigenvalues had not converged to 1e-8 after " + e.products()
                        + " products, as many as a quarter of Java's heap holds; ask for fewer (--top) or give Java more memory (e.g. JAVA_TOOL_OPTIONS=-Xmx16g)");
            top = e.top();
            bottom = e.bottom();
        }
        Double trace = eigenvalues != null ? Double.valueOf(Arrays.stream(eigenvalues).sum())
                : o.trace() ? Double.valueOf(Hutchinson.trace(h, o.samples(), o.seed()).trace()) : null;
        Double negativeFraction = null;
        if (eigenvalues != null) negativeFraction = (double) Arrays.stream(eigenvalues).filter(v -> v < NEGATIVE).count() / n;
        SpectralDensity.Density density = !o.density() ? null : eigenvalues != null ? SpectralDensity.of(eigenvalues)
                : SpectralDensity.estimate(h, Math.max(1, Math.min(o.samples(), 20)), Math.min(n, 80), o.seed());
        return new HessianReport(method, n, o.layer() >= 0 ? o.layer() : null, m.model.batchNorm ? m.bnMode.label() : null, loss, gradNorm, top, bottom,
                trace, negativeFraction, eigenvalues, density, taylor, verdict(loss, gradNorm, top[0], bottom[0], negativeFraction));
    }

    /**
     * The figures under the command line's names, in its order. The contract's keys are always there, null where a
     * figure is undefined (the condition number of an indefinite Hessian, 2/lambda_max where lambda_max is not
     * positive, the trace without --trace under Lanczos), so a reader need not test for them; the full spectrum's own
     * figures, the density and the Taylor check only when computed.
     */
    public Map<String, Object> asMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (taylor != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("step", taylor.step());
            t.put("first_order", taylor.firstOrder());
            t.put("predicted", taylor.predicted());
            t.put("actual", taylor.actual());
            out.put("taylor", t);
        }
        if (layer != null) out.put("layer", layer);
        out.put("params", params);
        if (bnMode != null) out.put("bn_mode", bnMode);
        out.put("loss", loss);
        out.put("grad_norm", gradNorm);
        out.put("eig_max", eigMax());
        out.put("eig_min", eigMin());
        out.put("top", top);
        out.put("bottom", bottom);
        out.put("trace", trace);
        if (negativeFraction != null) out.put("negative_fraction", negativeFraction);
        out.put("condition_number", conditionNumber());
        out.put("max_stable_lr", maxStableLr());
        if (eigenvalues != null) out.put("eigenvalues", eigenvalues);
        if (density != null) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("grid", density.grid());
            d.put("values", density.values());
            out.put("density", d);
        }
        out.put("verdict", verdict);
        return out;
    }

    /**
     * The lectures' second-order Taylor check for a gradient step of size eps: f(theta - eps g) - f(theta) against
     * its prediction -eps g'g + eps^2/2 g'Hg, and the first-order part alone. The quadratic term is why a step
     * beyond 2/lambda_max can raise the loss.
     */
    private static Taylor taylor(ModelOnData m, double[] g, double loss, double eps) {
        double[] hg = new double[g.length], moved = new double[g.length];
        m.hessian().apply(g, hg);
        double gg = Lanczos.dot(g, g), ghg = Lanczos.dot(g, hg);
        for (int i = 0; i < g.length; i++) moved[i] = m.weights[i] - eps * g[i];
        return new Taylor(eps, -eps * gg, -eps * gg + 0.5 * eps * eps * ghg, m.lossAt(moved) - loss);
    }

    /** What kind of point this is, in words. */
    static String verdict(double loss, double gradNorm, double max, double min, Double negativeFraction) {
        double scale = Math.max(Math.abs(max), Math.abs(min));
        boolean critical = gradNorm <= 1e-3 * Math.max(1, Math.abs(loss));
        if (critical && scale < 1e-4) return "plateau: gradient and curvature both nearly zero";
        String curvature = min < NEGATIVE
                ? "negative curvature (lowest eigenvalue " + fmt(min) + (negativeFraction != null ? ", index " + fmt(negativeFraction) : "") + ")"
                : "no negative curvature";
        if (!critical) return "not a critical point: gradient norm " + fmt(gradNorm) + "; " + curvature;
        return min < NEGATIVE ? "saddle point: " + curvature : "minimum: " + curvature + ", condition number " + (min > 0 ? fmt(max / min) : "unbounded (flat directions)");
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4g", v);
    }
}
