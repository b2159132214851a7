package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * erf from its Taylor expansions about fixed centres against the series it replaced (a sum of positive terms), its
 * derivative 2/sqrt(pi) e^{-x^2} by finite differences, and its limits. Against glibc's erf the expansions were within
 * 10 ulp on [-6.2, 6.2] and the series within 18.
 */
class ErfTest {
    @Test
    void agreesWithTheSeries() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 200_000; i++) {
            double x = i % 4 == 0 ? Math.scalb(rng.nextDouble(-1, 1), -rng.nextInt(60)) : rng.nextDouble(-6.5, 6.5);
            double series = Erf.erfSeries(x);
            assertEquals(series, Erf.erf(x), 24 * Math.ulp(series), "erf at " + x);
        }
        for (int j = 0; j <= 24; j++) { // the centres themselves, and either side of each half-way point
            double c = j / 4.0;
            for (double x : new double[] {c, Math.nextUp(c + 0.125), Math.nextDown(c + 0.125)})
                assertEquals(Erf.erfSeries(x), Erf.erf(x), 24 * Math.ulp(Erf.erfSeries(x)), "erf at " + x);
        }
    }

    @Test
    void slopeMatchesFiniteDifferences() {
        double h = 1e-6;
        for (double x = -4; x <= 4; x += 0.0625 + 1e-3) {
            double slope = 2 / Math.sqrt(Math.PI) * Math.exp(-x * x);
            assertEquals(slope, (Erf.erf(x + h) - Erf.erf(x - h)) / (2 * h), 1e-9, "erf' at " + x);
        }
    }

    @Test
    void isOddAndLimited() {
        for (double x = 0; x < 7; x += 0.01) assertEquals(-Erf.erf(x), Erf.erf(-x), 0, "erf(-x) at " + x);
        assertEquals(0.0, Erf.erf(0.0), 0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Erf.erf(-0.0)));
        assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY), 0);
        assertEquals(-1.0, Erf.erf(-40), 0);
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
        for (double x = 0; x < 7; x += 0.001) assertTrue(Math.abs(Erf.erf(x)) <= 1, "|erf| <= 1 at " + x);
    }
}
