package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Dropout masks drawn a vector at a time are the masks {@code SplittableRandom.nextDouble() < p ? 0 : keep} gives,
 * draw for draw, across successive fills of lengths that end inside a vector, for both kernels and dtypes (and, with
 * the widths profile, at every vector width).
 */
class DropoutStreamTest {
    @AfterEach
    void restore() {
        Kernels.useDefault();
    }

    @Test
    void masksAreSplittableRandomsDrawForDraw() {
        for (boolean vector : new boolean[] {true, false}) {
            Kernels.useVector(vector);
            for (DType dtype : DType.values())
                for (long seed : new long[] {0, 42, -7, Long.MIN_VALUE, 0x9E3779B97F4A7C15L * 3 + 1})
                    for (double p : new double[] {0, 0.2, 1.0 / 3, 0.5, 0.9999, Math.ulp(1.0)}) {
                        double keep = 1 / (1 - p);
                        SplittableRandom reference = new SplittableRandom(seed);
                        DropoutStream stream = new DropoutStream(seed);
                        // a view at an offset, so the kernels' indexing from it is checked too
                        Tensor backing = Tensor.zeros(dtype, 1, 1100), mask = backing.view(3, 1, 1097);
                        for (int n : new int[] {1, 3, 7, 8, 17, 64, 1000, 1097}) {
                            for (int i = 0; i < backing.size(); i++) backing.set(i, -1);
                            stream.fill(mask, n, p, keep);
                            String where = dtype + " vector=" + vector + " seed=" + seed + " p=" + p + " n=" + n;
                            for (int i = 0; i < n; i++) {
                                double want = reference.nextDouble() < p ? 0 : keep;
                                assertEquals(dtype == DType.FLOAT32 ? (float) want : want, mask.get(i), 0, where + " at " + i);
                            }
                            assertEquals(-1, backing.get(2), 0, "nothing written before the view: " + where);
                            if (n < 1097) assertEquals(-1, mask.get(n), 0, "nothing written past n: " + where);
                        }
                    }
        }
    }

    /** The share of zeros is p: the threshold in 53-bit integers is not off by a rounding. */
    @Test
    void theDroppedShareIsP() {
        Tensor mask = Tensor.zeros(DType.FLOAT32, 1, 200_000);
        for (double p : new double[] {0.1, 0.5, 0.8}) {
            new DropoutStream(11).fill(mask, mask.size(), p, 2);
            int zeros = 0;
            for (int i = 0; i < mask.size(); i++) zeros += mask.get(i) == 0 ? 1 : 0;
            assertEquals(p, zeros / (double) mask.size(), 4 * Math.sqrt(p * (1 - p) / mask.size()), "p=" + p);
        }
    }
}
