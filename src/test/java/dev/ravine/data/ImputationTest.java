package dev.ravine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The fill values as scikit-learn's {@code SimpleImputer} fits them: for [[1, -], [2, 5], [4, -], [-, 7], [10, 8]]
 * it gives the means [4.25, 6.666...] and the medians [3, 7].
 */
class ImputationTest {
    private static Tensor x() {
        double nan = Double.NaN;
        double[][] rows = {{1, nan, nan}, {2, 5, nan}, {4, nan, nan}, {nan, 7, nan}, {10, 8, nan}};
        Tensor t = Tensor.zeros(DType.FLOAT64, 5, 3);
        for (int i = 0; i < 5; i++) t.writeRow(i, rows[i]);
        return t;
    }

    @Test
    void meansAndMediansAreSimpleImputersAndFillTheGaps() {
        assertArrayEquals(new double[] {4.25, 20.0 / 3, 0}, Imputation.MEAN.fit(x()).values(), 1e-15, "a column with no value fills with 0");
        Imputation.Fill median = Imputation.MEDIAN.fit(x());
        assertArrayEquals(new double[] {3, 7, 0}, median.values(), 0, "an even count takes the mean of the middle two");
        Tensor t = x();
        assertEquals(8, median.apply(t));
        assertEquals(3.0, t.get(3, 0), 0);
        assertEquals(7.0, t.get(0, 1), 0);
        assertEquals(2.0, t.get(1, 0), 0, "values that are there stay");
        assertNull(Imputation.ERROR.fit(x()));
    }
}
