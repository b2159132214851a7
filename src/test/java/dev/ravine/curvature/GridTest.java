package dev.ravine.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GridTest {
    @Test
    void pointsAreTheDecimalsTheyStandFor() {
        double[] g = Grid.evenly(-1, 1, 21);
        assertEquals(0.9, g[19], 0, "not 0.8999999999999999");
        assertEquals(-0.3, g[7], 0);
        assertEquals(0, g[10], 0, "the middle of a symmetric grid is zero");
        for (int i = 0; i < g.length; i++) assertEquals(-g[g.length - 1 - i], g[i], 0, "symmetric about zero");
        double[] alphas = Grid.evenly(-0.25, 1.25, 31);
        assertEquals(0.1, alphas[7], 0);
        assertEquals(1.1, alphas[27], 0);
        assertEquals(0.27, Grid.evenly(-0.3, 0.3, 21)[19], 0);
    }

    @Test
    void interpolationsDefaultAlphasRunAQuarterPastEitherEnd() {
        double[] alphas = Interpolation.alphas(Interpolation.DEFAULT_POINTS);
        assertEquals(31, alphas.length);
        assertEquals(-0.25, alphas[0], 0);
        assertEquals(0, alphas[5], 0);
        assertEquals(1, alphas[25], 0);
        assertEquals(1.25, alphas[30], 0);
        dev.ravine.UserError e = assertThrows(dev.ravine.UserError.class, () -> Interpolation.alphas(1));
        assertEquals("points", e.setting());
    }

    @Test
    void endsAreExactAndTheStepsEven() {
        Random r = new Random(7);
        for (int t = 0; t < 200; t++) {
            double lo = r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3), hi = lo + r.nextDouble() * 5;
            int n = 2 + r.nextInt(60);
            double[] g = Grid.evenly(lo, hi, n);
            assertEquals(lo, g[0], 0);
            assertEquals(hi, g[n - 1], 0);
            for (int i = 0; i < n; i++) assertEquals(lo + (hi - lo) * i / (n - 1), g[i], 1e-14 * Math.max(Math.abs(lo), Math.abs(hi)));
        }
    }
}
