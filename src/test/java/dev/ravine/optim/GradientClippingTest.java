package dev.ravine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * clip_grad_norm_ and clip_grad_value_ by their definitions, in both dtypes, on a length that leaves a tail after the
 * four interleaved sums: the norm returned is the gradient's, a gradient above max_norm is scaled by
 * max_norm / (norm + 1e-6), one below it is left alone, and every entry is clamped into [-c, c].
 */
class GradientClippingTest {
    @Test
    void clipsByTheNormAndByValue() {
        for (DType dtype : DType.values()) {
            Tensor g = random(dtype, 39);
            double[] before = g.toDoubleArray();
            double sum = 0;
            for (double v : before) sum += v * v;
            double norm = Math.sqrt(sum), tol = dtype == DType.FLOAT64 ? 1e-12 : 1e-6;
            assertEquals(norm, GradientClipping.clipNorm(g, 0.5), tol * norm, dtype + " norm");
            double c = 0.5 / (norm + 1e-6);
            for (int i = 0; i < before.length; i++) assertEquals(before[i] * c, g.get(i), tol, dtype + " entry " + i);
            Tensor small = random(dtype, 39);
            double[] kept = small.toDoubleArray();
            GradientClipping.clipNorm(small, 100);
            for (int i = 0; i < kept.length; i++) assertEquals(kept[i], small.get(i), 0, dtype + " below max_norm: untouched");
            GradientClipping.clipValue(small, 0.3);
            for (int i = 0; i < kept.length; i++) assertEquals(Math.max(-0.3, Math.min(0.3, kept[i])), small.get(i), tol, dtype + " clamped " + i);
        }
    }

    private static Tensor random(DType dtype, int n) {
        SplittableRandom rng = new SplittableRandom(n);
        Tensor t = Tensor.zeros(dtype, 1, n);
        for (int i = 0; i < n; i++) t.set(i, rng.nextDouble(-1, 1));
        return t;
    }
}
