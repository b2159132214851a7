package dev.ravine.curvature;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The curvature of the mean training loss at a point, under the names of the command-line contract, and what it
 * means: a minimum (no negative curvature), a saddle (index = share of negative eigenvalues), a plateau (tiny
 * gradient and tiny curvature), or no critical point at all.
 */
public final class HessianReport {
    /** Eigenvalues below this count as negative, as in the contract. */
    static final double NEGATIVE = -1e-8;

    public enum Method { FULL, LANCZOS }

    /** @param layer restrict to this Linear layer's block, or -1; @param step the Taylor check's step, or NaN */
    public record Options(Method method, int top, boolean trace, boolean density, int samples, long seed, int layer, double step) {
    }

    private HessianReport() {
    }

    /**
     * Lanczos stops when every requested Ritz pair's residual |H y - theta y| is below this, relative to the largest
     * |theta|; each Ritz value is then within that of an eigenvalue (and far closer when it is well separated).
     */
    static final double LANCZOS_TOLERANCE = 1e-8;

    /** Chooses the dense eigensolver up to this many parameters, Lanczos above. */
    public static final int AUTO_FULL_LIMIT = 1500;

    public static Map<String, Object> compute(ModelOnData m, Options o) {
        int n = m.parameters();
        double[] gradient = new double[n];
        double loss = m.lossAndGradient(gradient);
        double gradNorm = Lanczos.norm(gradient);
        LinearOperator h = m.hessian();
        Map<String, Object> out = new LinkedHashMap<>();
        if (!Double.isNaN(o.step())) taylor(m, gradient, loss, o.step(), out);
        if (o.layer() >= 0) {
            int[] b = m.linearBlock(o.layer());
            h = ModelOnData.block(h, b[0], b[1]);
            n = b[1];
            out.put("layer", o.layer());
        }
        out.put("params", n);
        if (m.model.batchNorm) out.put("bn_mode", m.bnMode.label()); // which statistics the loss normalized with
        out.put("loss", loss);
        out.put("grad_norm", gradNorm);
        double[] top, bottom, eigenvalues = null;
        int k = Math.min(o.top(), n);
        if (o.method() == Method.FULL) {
            eigenvalues = Spectrum.full(h);
            top = new double[k];
            bottom = new double[k];
            for (int i = 0; i < k; i++) {
                top[i] = eigenvalues[n - 1 - i];
                bottom[i] = eigenvalues[i];
            }
        } else {
            Spectrum.Extremes e = Spectrum.extremes(h, k, LANCZOS_TOLERANCE, o.seed());
            top = e.top();
            bottom = e.bottom();
        }
        double max = top[0], min = bottom[0];
        out.put("eig_max", max);
        out.put("eig_min", min);
        out.put("top", top);
        out.put("bottom", bottom);
        if (eigenvalues != null) out.put("trace", Arrays.stream(eigenvalues).sum());
        else if (o.trace()) out.put("trace", Hutchinson.trace(h, o.samples(), o.seed()).trace());
        Double negativeFraction = null;
        if (eigenvalues != null) {
            long negative = Arrays.stream(eigenvalues).filter(v -> v < NEGATIVE).count();
            negativeFraction = (double) negative / n;
            out.put("negative_fraction", negativeFraction);
        }
        if (min > 0) out.put("condition_number", max / min);
        if (max > 0) out.put("max_stable_lr", 2 / max);
        if (eigenvalues != null) out.put("eigenvalues", eigenvalues);
        if (o.density()) {
            SpectralDensity.Density d = eigenvalues != null ? SpectralDensity.of(eigenvalues)
                    : SpectralDensity.estimate(h, Math.max(1, Math.min(o.samples(), 20)), Math.min(n, 80), o.seed());
            Map<String, Object> density = new LinkedHashMap<>();
            density.put("grid", d.grid());
            density.put("values", d.values());
            out.put("density", density);
        }
        out.put("verdict", verdict(loss, gradNorm, max, min, negativeFraction));
        return out;
    }

    /**
     * The lectures' second-order Taylor check for a gradient step of size eps: f(theta - eps g) - f(theta) against
     * its prediction -eps g'g + eps^2/2 g'Hg, and the first-order part alone. The quadratic term is why a step
     * beyond 2/lambda_max can raise the loss.
     */
    private static void taylor(ModelOnData m, double[] g, double loss, double eps, Map<String, Object> out) {
        double[] hg = new double[g.length], moved = new double[g.length];
        m.hessian().apply(g, hg);
        double gg = Lanczos.dot(g, g), ghg = Lanczos.dot(g, hg);
        for (int i = 0; i < g.length; i++) moved[i] = m.weights[i] - eps * g[i];
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("step", eps);
        t.put("first_order", -eps * gg);
        t.put("predicted", -eps * gg + 0.5 * eps * eps * ghg);
        t.put("actual", m.lossAt(moved) - loss);
        out.put("taylor", t);
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
