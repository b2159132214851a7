package dev.ravine.nn;

/** The error function and the standard normal distribution, which the JDK lacks (GELU needs them). */
final class Erf {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private Erf() {
    }

    /**
     * erf(x) = 2/sqrt(pi) e^{-x^2} sum_n 2^n x^{2n+1} / (1 * 3 * ... * (2n+1)) (Abramowitz &amp; Stegun 7.1.6).
     * Every term is positive, so the sum loses nothing to cancellation; beyond |x| = 6 erf is +-1 in double.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double ax = Math.abs(x);
        if (ax >= 6) return Math.signum(x);
        double twoX2 = 2 * ax * ax, term = ax, sum = ax;
        for (int n = 1; term > 1e-17 * sum; n++) {
            term *= twoX2 / (2 * n + 1);
            sum += term;
        }
        return Math.copySign(Math.min(1, TWO_OVER_SQRT_PI * Math.exp(-ax * ax) * sum), x);
    }

    /** Phi(x) = (1 + erf(x / sqrt 2)) / 2, in the same form as PyTorch's GELU. */
    static double normalCdf(double x) {
        return 0.5 * (1 + erf(x * Math.sqrt(0.5)));
    }

    static double normalPdf(double x) {
        return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }
}
