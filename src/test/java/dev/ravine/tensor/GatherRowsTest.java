package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The minibatch gather: each row copied whole to its place, whatever the width, the count and the kernels. */
class GatherRowsTest {
    @AfterEach
    void restore() {
        Kernels.useDefault();
    }

    @Test
    void everyRowLandsWholeInItsPlace() {
        SplittableRandom rng = new SplittableRandom(5);
        for (boolean vector : new boolean[] {true, false}) {
            Kernels.useVector(vector);
            for (DType dtype : DType.values())
                for (int w : new int[] {1, 7, 16, 33, 784})
                    for (int count : new int[] {1, 8, 13, 128}) {
                        int n = 300;
                        // the source a view into a larger array, the rows landing from row 3 of the destination on
                        Tensor backing = Tensor.zeros(dtype, n + 1, w), src = backing.view(w, n, w), dst = Tensor.zeros(dtype, count + 5, w);
                        for (int i = 0; i < backing.size(); i++) backing.set(i, rng.nextDouble());
                        int[] index = new int[count + 2];
                        for (int i = 0; i < index.length; i++) index[i] = rng.nextInt(n);
                        Ops.gatherRows(src, index, 2, dst, 3, count);
                        String where = dtype + " vector=" + vector + " w=" + w + " count=" + count;
                        for (int i = 0; i < dst.rows(); i++)
                            for (int j = 0; j < w; j++) {
                                double want = i >= 3 && i < 3 + count ? src.get(index[2 + i - 3], j) : 0;
                                assertEquals(want, dst.get(i, j), 0, where + " at " + i + "," + j);
                            }
                    }
        }
    }

    @Test
    void rowsThatDoNotFitAreRefused() {
        Tensor src = Tensor.zeros(DType.FLOAT32, 10, 4), dst = Tensor.zeros(DType.FLOAT32, 5, 4);
        assertThrows(IllegalArgumentException.class, () -> Ops.gatherRows(src, new int[] {0, 1, 2}, 0, dst, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> Ops.gatherRows(src, new int[] {0}, 0, Tensor.zeros(DType.FLOAT32, 5, 3), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Ops.gatherRows(src, new int[] {0}, 0, Tensor.zeros(DType.FLOAT64, 5, 4), 0, 1));
    }
}
