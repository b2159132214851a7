package dev.ravine.optim;

/**
 * A line search for a step t along d satisfying the strong Wolfe conditions (Nocedal &amp; Wright 2006, algorithms
 * 3.5 and 3.6): sufficient decrease f(x + t d) &lt;= f + c1 t g.d and curvature |g(x + t d).d| &lt;= c2 |g.d|.
 * It brackets by extrapolation, then zooms by safeguarded cubic interpolation, step for step as PyTorch's
 * {@code _strong_wolfe} (after Schmidt's minFunc), so L-BFGS visits the same points as PyTorch's.
 */
final class StrongWolfe {
    static final double C1 = 1e-4;
    /** PyTorch's curvature constant, right for quasi-Newton directions; conjugate gradients want a tighter 0.1. */
    static final double C2 = 0.9;
    static final int MAX_LS = 25;

    /** The accepted step, its value and gradient, and the evaluations spent. */
    record Result(double t, double f, double[] g, int evaluations) {
    }

    private StrongWolfe() {
    }

    static Result search(Objective obj, double[] x, double t, double[] d, double f, double[] g, double gtd, double toleranceChange) {
        return search(obj, x, t, d, f, g, gtd, toleranceChange, C2);
    }

    static Result search(Objective obj, double[] x, double t, double[] d, double f, double[] g, double gtd, double toleranceChange, double c2) {
        double dNorm = 0;
        for (double v : d) dNorm = Math.max(dNorm, Math.abs(v));
        double[] gNew = new double[x.length];
        double fNew = evaluate(obj, x, t, d, gNew);
        int evals = 1;
        double gtdNew = dot(gNew, d);
        double tPrev = 0, fPrev = f, gtdPrev = gtd;
        double[] gPrev = g.clone();
        boolean done = false;
        int iter = 0;
        double[] bracket, bracketF, bracketGtd = null;
        double[][] bracketG;
        while (true) {
            if (iter >= MAX_LS) {
                bracket = new double[] {0, t};
                bracketF = new double[] {f, fNew};
                bracketG = new double[][] {g, gNew};
                break;
            }
            if (fNew > f + C1 * t * gtd || (iter > 1 && fNew >= fPrev)) {
                bracket = new double[] {tPrev, t};
                bracketF = new double[] {fPrev, fNew};
                bracketG = new double[][] {gPrev, gNew.clone()};
                bracketGtd = new double[] {gtdPrev, gtdNew};
                break;
            }
            if (Math.abs(gtdNew) <= -c2 * gtd) {
                bracket = new double[] {t};
                bracketF = new double[] {fNew};
                bracketG = new double[][] {gNew};
                done = true;
                break;
            }
            if (gtdNew >= 0) {
                bracket = new double[] {tPrev, t};
                bracketF = new double[] {fPrev, fNew};
                bracketG = new double[][] {gPrev, gNew.clone()};
                bracketGtd = new double[] {gtdPrev, gtdNew};
                break;
            }
            // extrapolate, no further than 10 t
            double minStep = t + 0.01 * (t - tPrev), maxStep = t * 10, previousT = t;
            t = cubicMinimum(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
            tPrev = previousT;
            fPrev = fNew;
            gPrev = gNew.clone();
            gtdPrev = gtdNew;
            gNew = new double[x.length];
            fNew = evaluate(obj, x, t, d, gNew);
            evals++;
            gtdNew = dot(gNew, d);
            iter++;
        }

        boolean insufficientProgress = false;
        int low = bracketF[0] <= bracketF[bracketF.length - 1] ? 0 : 1, high = 1 - low;
        while (!done && iter < MAX_LS) {
            if (Math.abs(bracket[1] - bracket[0]) * dNorm < toleranceChange) break;
            t = cubicMinimum(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1],
                    Math.min(bracket[0], bracket[1]), Math.max(bracket[0], bracket[1]));
            double hi = Math.max(bracket[0], bracket[1]), lo = Math.min(bracket[0], bracket[1]), eps = 0.1 * (hi - lo);
            if (Math.min(hi - t, t - lo) < eps) {
                // too close to an end of the bracket: move away from it, unless the last step also was
                if (insufficientProgress || t >= hi || t <= lo) {
                    t = Math.abs(t - hi) < Math.abs(t - lo) ? hi - eps : lo + eps;
                    insufficientProgress = false;
                } else {
                    insufficientProgress = true;
                }
            } else {
                insufficientProgress = false;
            }
            gNew = new double[x.length];
            fNew = evaluate(obj, x, t, d, gNew);
            evals++;
            gtdNew = dot(gNew, d);
            iter++;
            if (fNew > f + C1 * t * gtd || fNew >= bracketF[low]) {
                bracket[high] = t;
                bracketF[high] = fNew;
                bracketG[high] = gNew.clone();
                bracketGtd[high] = gtdNew;
                low = bracketF[0] <= bracketF[1] ? 0 : 1;
                high = 1 - low;
            } else {
                if (Math.abs(gtdNew) <= -c2 * gtd) done = true;
                else if (gtdNew * (bracket[high] - bracket[low]) >= 0) {
                    bracket[high] = bracket[low];
                    bracketF[high] = bracketF[low];
                    bracketG[high] = bracketG[low];
                    bracketGtd[high] = bracketGtd[low];
                }
                bracket[low] = t;
                bracketF[low] = fNew;
                bracketG[low] = gNew.clone();
                bracketGtd[low] = gtdNew;
            }
        }
        return new Result(bracket[low], bracketF[low], bracketG[low], evals);
    }

    /**
     * The minimizer of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to [lo, hi]; the midpoint when
     * the cubic has no minimum (Nocedal &amp; Wright equation 3.59).
     */
    static double cubicMinimum(double x1, double f1, double g1, double x2, double f2, double g2, double lo, double hi) {
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double d2Square = d1 * d1 - g1 * g2;
        if (d2Square >= 0) {
            double d2 = Math.sqrt(d2Square);
            double minPos = x1 <= x2
                    ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                    : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
            return Math.min(Math.max(minPos, lo), hi);
        }
        return (lo + hi) / 2;
    }

    /** f(x + t d), with its gradient into g; x itself is left alone. */
    static double evaluate(Objective obj, double[] x, double t, double[] d, double[] g) {
        double[] moved = new double[x.length];
        for (int i = 0; i < x.length; i++) moved[i] = x[i] + t * d[i];
        return obj.valueAndGradient(moved, g);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
