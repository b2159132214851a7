package dev.ravine.curvature;

import java.math.BigDecimal;
import java.math.MathContext;

/** Evenly spaced coordinates, as the grids and paths of the landscape commands print them. */
public final class Grid {
    private Grid() {
    }

    /**
     * n evenly spaced values from lo to hi (n at least 2), each the double nearest the exact point between the two
     * decimals: lo + (hi - lo) i / (n - 1) in doubles prints 0.8999999999999999 where a grid from -1 to 1 in steps of
     * 0.1 means 0.9, and puts a symmetric grid's middle point a rounding away from zero.
     */
    public static double[] evenly(double lo, double hi, int n) {
        BigDecimal from = new BigDecimal(Double.toString(lo)), width = new BigDecimal(Double.toString(hi)).subtract(from);
        BigDecimal steps = BigDecimal.valueOf(n - 1);
        double[] out = new double[n];
        for (int i = 0; i < n; i++)
            out[i] = from.add(width.multiply(BigDecimal.valueOf(i)).divide(steps, MathContext.DECIMAL128)).doubleValue();
        return out;
    }
}
