package dev.ravine.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Each test function's gradient and Hessian against central differences, at points across its window. */
class TestFunctionTest {
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
