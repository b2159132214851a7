package dev.ravine.lab;

import dev.ravine.optim.Spec;
import java.util.Locale;

/**
 * The lectures' stability analysis of gradient descent on f = (x^2 + kappa y^2) / 2, whose Hessian has eigenvalues
 * 1 and kappa: plain GD with step lr contracts each coordinate by |1 - lr lambda|, so it converges only for
 * lr &lt; 2 / lambda_max; heavy-ball momentum mu has per-eigenvalue rate max |z| over the roots of
 * z^2 - (1 + mu - lr lambda) z + mu, and Nesterov's of z^2 - (1 + mu)(1 - lr lambda) z + mu (1 - lr lambda).
 */
public final class QuadraticAnalysis {
    private QuadraticAnalysis() {
    }

    /** Lines of text for a run of {@code optimizerSpec} on the quadratic, or null when the analysis does not apply. */
    public static String describe(TestFunction.Quadratic q, String optimizerSpec) {
        double lambdaMax = Math.max(1, q.kappa), lambdaMin = Math.min(1, q.kappa);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "quadratic: Hessian eigenvalues %s and %s, condition number %s, largest stable plain-GD step 2/lambda_max = %s",
                num(lambdaMin), num(lambdaMax), num(lambdaMax / lambdaMin), num(2 / lambdaMax)));
        Spec spec = Spec.parse("--optimizer", optimizerSpec);
        if (spec.name().equals("sgd")) {
            double lr = Double.parseDouble(spec.values().getOrDefault("lr", "0.001"));
            double mu = Double.parseDouble(spec.values().getOrDefault("momentum", "0"));
            double dampening = Double.parseDouble(spec.values().getOrDefault("dampening", "0"));
            boolean nesterov = Boolean.parseBoolean(spec.values().getOrDefault("nesterov", "false"));
            if (dampening == 0) {
                double rate = Math.max(rate(lr, mu, lambdaMin, nesterov), rate(lr, mu, lambdaMax, nesterov));
                sb.append(String.format(Locale.ROOT, "%n%s: predicted rate %s per step (%s)", optimizerSpec, num(rate),
                        rate < 1 ? "converges, error x" + num(rate) + " each step" : "diverges: beyond the stability edge"));
            }
        }
        return sb.toString();
    }

    /** Spectral radius of one step of (momentum) gradient descent on an eigenvalue lambda. */
    static double rate(double lr, double mu, double lambda, boolean nesterov) {
        double a = 1 - lr * lambda;
        // z^2 - b z + c = 0
        double b = nesterov ? (1 + mu) * a : 1 + mu - lr * lambda, c = nesterov ? mu * a : mu;
        double disc = b * b - 4 * c;
        if (disc >= 0) {
            double s = Math.sqrt(disc);
            return Math.max(Math.abs((b + s) / 2), Math.abs((b - s) / 2));
        }
        return Math.sqrt(c); // complex pair: |z|^2 = c
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
