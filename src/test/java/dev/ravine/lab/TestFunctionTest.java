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
            TestFunction f = TestFunction.parse(name.equals("quadratic") ? "quadratic:kappa=7,angle=30,offset_x=0.5,offset_y=-1" : name);
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

    /** Turned by 45 degrees and moved, the quadratic keeps its curvatures 1 and kappa along the turned axes. */
    @Test
    void aTurnedQuadraticHasItsCurvaturesAlongTheTurnedAxes() {
        TestFunction f = TestFunction.parse("quadratic:kappa=9,angle=45,offset_x=1,offset_y=2");
        double r = Math.sqrt(0.5);
        assertEquals(0, f.value(1, 2), 0);
        assertEquals(0.5, f.value(1 + r, 2 + r), 1e-15); // one unit along the curvature-1 axis
        assertEquals(4.5, f.value(1 - r, 2 + r), 1e-14); // one unit along the curvature-9 axis
        double[] hv = new double[2];
        f.hessianVector(new double[] {0, 0}, new double[] {-r, r}, hv);
        assertEquals(-9 * r, hv[0], 1e-14);
        assertEquals(9 * r, hv[1], 1e-14);
        assertEquals(true, TestFunction.parse("quadratic:kappa=9,angle=0").value(0, 1) == 4.5);
    }

    /** The cliff's wall: a step of plain gradient descent that lands on it is thrown far past the minimum. */
    @Test
    void theCliffsWallThrowsAStepFarAway() {
        TestFunction f = TestFunction.parse("cliff");
        double[] g = new double[2];
        f.gradient(1, 0, g);
        assertEquals(1 + 25 * 20 / 2.0, g[0], 1e-12); // h s / 2 at the wall's middle, plus the bowl's x
        f.gradient(3, 0, g);
        assertEquals(3, g[0], 1e-9); // the plateau is the bowl raised by h
        assertEquals(25, f.value(3, 0) - 4.5, 1e-9);
        org.junit.jupiter.api.Assertions.assertThrows(dev.ravine.UserError.class, () -> TestFunction.parse("cliff:steepness=0"));
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
