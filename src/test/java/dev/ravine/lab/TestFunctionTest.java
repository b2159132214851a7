package dev.ravine.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Each test function's gradient and Hessian against central differences, at points across its window. */
class TestFunctionTest {
    /** The minima the plots mark are minima: a vanishing gradient, a positive definite Hessian, the lowest value on a grid. */
    @Test
    void theMarkedMinimaAreMinima() {
        for (String name : TestFunction.NAMES) {
            TestFunction f = TestFunction.parse(name);
            double[] g = new double[2], h = new double[3], w = f.window();
            double lowest = Double.POSITIVE_INFINITY;
            for (int i = 0; i <= 200; i++)
                for (int j = 0; j <= 200; j++) lowest = Math.min(lowest, f.value(w[0] + (w[1] - w[0]) * i / 200, w[2] + (w[3] - w[2]) * j / 200));
            for (double[] m : f.minima()) {
                f.gradient(m[0], m[1], g);
                f.hessian(m[0], m[1], h);
                assertEquals(0, Math.hypot(g[0], g[1]), 1e-3, name + ": gradient at " + m[0] + "," + m[1]);
                org.junit.jupiter.api.Assertions.assertTrue(h[0] > 0 && h[0] * h[2] - h[1] * h[1] > 0, name + ": a minimum, not a saddle");
                org.junit.jupiter.api.Assertions.assertTrue(f.value(m[0], m[1]) <= lowest + 1e-6, name + ": the lowest value");
            }
            assertEquals(name.equals("saddle"), f.minima().length == 0, name);
        }
    }

    @Test
    void derivativesMatchFiniteDifferences() {
        double h = 1e-5;
        for (String name : TestFunction.NAMES) {
            TestFunction f = TestFunction.parse(name.equals("quadratic") ? "quadratic:kappa=7" : name);
            double[] w = f.window(), g = new double[2], hess = new double[3], gp = new double[2], gm = new double[2];
            for (double x = w[0] * 0.9; x <= w[1] * 0.9; x += (w[1] - w[0]) / 7.3)
                for (double y = w[2] * 0.9; y <= w[3] * 0.9; y += (w[3] - w[2]) / 6.1) {
                    f.gradient(x, y, g);
                    f.hessian(x, y, hess);
                    double scale = Math.max(1, Math.abs(f.value(x, y)));
                    assertEquals((f.value(x + h, y) - f.value(x - h, y)) / (2 * h), g[0], 1e-6 * scale, name + " df/dx");
                    assertEquals((f.value(x, y + h) - f.value(x, y - h)) / (2 * h), g[1], 1e-6 * scale, name + " df/dy");
                    f.gradient(x + h, y, gp);
                    f.gradient(x - h, y, gm);
                    assertEquals((gp[0] - gm[0]) / (2 * h), hess[0], 1e-5 * scale, name + " d2f/dx2");
                    assertEquals((gp[1] - gm[1]) / (2 * h), hess[1], 1e-5 * scale, name + " d2f/dxdy");
                    f.gradient(x, y + h, gp);
                    f.gradient(x, y - h, gm);
                    assertEquals((gp[1] - gm[1]) / (2 * h), hess[2], 1e-5 * scale, name + " d2f/dy2");
                }
        }
    }

    @Test
    void quadraticAnalysisPredictsTheStabilityEdge() {
        var q = (TestFunction.Quadratic) TestFunction.parse("quadratic:kappa=10");
        assertEquals(0.5, QuadraticAnalysis.rate(0.15, 0, 10, false), 1e-12); // |1 - 0.15 * 10|
        assertEquals(1.1, QuadraticAnalysis.rate(0.21, 0, 10, false), 1e-12); // beyond 2 / lambda_max = 0.2
        assertEquals(Math.sqrt(0.9), QuadraticAnalysis.rate(0.01, 0.9, 10, false), 1e-12); // complex roots: |z| = sqrt(mu)
        String text = QuadraticAnalysis.describe(q, "sgd:lr=0.21");
        assertEquals(true, text.contains("2/lambda_max = 0.200000") && text.contains("diverges"), text);
    }
}
