package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VectorMathTest {
    @AfterEach
    void restore() {
        Kernels.useDefault();
    }

    @Test
    void dotAndAxpyMatchPlainLoopsAtEveryLength() {
        SplittableRandom rng = new SplittableRandom(3);
        for (boolean vector : new boolean[] {true, false}) {
            Kernels.useVector(vector);
            for (int n = 0; n <= 70; n++) {
                double[] a = new double[n], b = new double[n], y = new double[n], expected = new double[n];
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    a[i] = rng.nextDouble(-1, 1);
                    b[i] = rng.nextDouble(-1, 1);
                    y[i] = expected[i] = rng.nextDouble(-1, 1);
                    dot += a[i] * b[i];
                    expected[i] += 0.75 * a[i];
                }
                assertEquals(dot, VectorMath.dot(a, b), 1e-13, "dot of length " + n);
                VectorMath.axpy(0.75, a, y);
                for (int i = 0; i < n; i++) assertEquals(expected[i], y[i], 1e-15, "axpy of length " + n);
            }
        }
    }
}
