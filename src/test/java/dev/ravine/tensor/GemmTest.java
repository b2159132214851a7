package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every product kernel, vector and scalar, against the triple loop: small shapes (zero sizes included), k blocks, ragged edges, both dtypes, thread counts. */
class GemmTest {
    @AfterEach
    void restore() {
        Parallel.setThreads(1);
        Kernels.useDefault();
    }

    @Test
    void smallShapesMatchTheTripleLoop() {
        SplittableRandom rng = new SplittableRandom(1);
        int[] sizes = {0, 1, 2, 3, 7, 8, 9, 16, 17, 33, 40};
        for (boolean vector : new boolean[] {true, false}) {
            Kernels.useVector(vector);
            for (DType dtype : DType.values())
                for (int m : sizes)
                    for (int n : sizes)
                        for (int k : sizes) check(dtype, m, n, k, rng);
        }
    }

    @Test
    void kBlocksAndEdgesMatchTheTripleLoop() {
        SplittableRandom rng = new SplittableRandom(7);
        for (DType dtype : DType.values()) check(dtype, 19, 45, 2 * PackedGemm32.KC + 88, rng); // three k blocks, ragged panels and strips
    }

    @Test
    void operandsThatAreViewsIntoLargerArraysMatchTheTripleLoop() {
        // the packing reads each operand from its offset on, whole vectors at a time where it can
        SplittableRandom rng = new SplittableRandom(5);
        for (DType dtype : DType.values())
            for (int[] s : new int[][] {{13, 37, 29}, {64, 40, 256}, {9, 1, 3}}) {
                int m = s[0], n = s[1], k = s[2], pad = 3;
                Tensor a = random(dtype, 1, pad + m * k + pad, rng).view(pad, m, k);
                Tensor bt = random(dtype, 1, pad + n * k, rng).view(pad, n, k);
                Tensor b = random(dtype, 1, 1 + k * n, rng).view(1, k, n);
                Tensor c1 = Tensor.zeros(dtype, 1, 2 + m * n).view(2, m, n), c2 = Tensor.zeros(dtype, 1, 2 + m * n).view(2, m, n);
                Ops.matmulNT(a, bt, c1, false);
                Ops.matmulNN(a, b, c2, false);
                Tensor want1 = naive(a, transpose(bt), null), want2 = naive(a, b, null);
                double tol = dtype == DType.FLOAT32 ? 1e-4 * k : 1e-12 * k;
                for (int i = 0; i < m * n; i++) {
                    assertEquals(want1.get(i), c1.get(i), tol, dtype + " a b^T at " + i);
                    assertEquals(want2.get(i), c2.get(i), tol, dtype + " a b at " + i);
                }
            }
    }

    @Test
    void largeShapesMatchAcrossThreads() {
        SplittableRandom rng = new SplittableRandom(2);
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            for (DType dtype : DType.values()) {
                check(dtype, 128, 70, 100, rng);
                check(dtype, 200, 10, 784, rng); // fewer strips than threads: split by row panels
                check(dtype, 300, 64, 50, rng);
            }
        }
    }

    /**
     * A product's strips are cut into pieces of row panels that any thread may take: the same bits on every thread
     * count, and neither a thread's packed strip of B nor its own packed panels of A are taken for the next product,
     * whose operands differ but have the same shapes. 128 rows are few enough that each thread packs all of A for
     * itself, 700 so many that the threads share one packing, in both dtypes.
     */
    @Test
    void productsCutIntoPiecesGiveTheSameBitsOnEveryThreadCount() {
        SplittableRandom rng = new SplittableRandom(4);
        for (DType dtype : DType.values())
            for (int m : new int[] {128, 700})
            // 256 columns, and two strips' worth: on two threads each then starts the next product on the strip it ended on
            for (int n : new int[] {256, 2 * (dtype == DType.FLOAT32 ? PackedGemm32.NR : PackedGemm64.NR)}) {
                Tensor[] as = {random(dtype, m, 784, rng), random(dtype, m, 784, rng)}, bs = {random(dtype, n, 784, rng), random(dtype, n, 784, rng)};
                Tensor[] first = new Tensor[2];
                for (int threads = 1; threads <= 3; threads++) {
                    Parallel.setThreads(threads);
                    for (int round = 0; round < 2; round++)
                        for (int p = 0; p < 2; p++) {
                            Tensor c = Tensor.zeros(dtype, m, n);
                            Ops.matmulNT(as[p], bs[p], c, false);
                            if (first[p] == null) first[p] = c;
                            else for (int i = 0; i < c.size(); i++)
                                assertEquals(first[p].get(i), c.get(i), 0, dtype + " m=" + m + " n=" + n + " product " + p + " threads=" + threads + " at " + i);
                        }
                }
            }
    }

    @Test
    void linearAddsTheBiasAndAppliesTheReluToEveryTile() {
        SplittableRandom rng = new SplittableRandom(3);
        int[][] shapes = {{1, 1, 1}, {19, 45, 600}, {128, 70, 100}, {200, 10, 33}, {9, 300, 17}, {5, 3, 0}};
        for (boolean vector : new boolean[] {true, false}) {
            Kernels.useVector(vector);
            for (int threads = 1; threads <= 3; threads++) {
                Parallel.setThreads(threads);
                for (DType dtype : DType.values())
                    for (int[] s : shapes) {
                        int m = s[0], n = s[1], k = s[2];
                        double tol = dtype == DType.FLOAT32 ? 1e-4 * Math.max(1, k) : 1e-12 * Math.max(1, k);
                        Tensor x = random(dtype, m, k, rng), w = random(dtype, n, k, rng), bias = random(dtype, 1, n, rng);
                        Tensor expected = naive(x, transpose(w), null);
                        Tensor y = random(dtype, m, n, rng), z = random(dtype, m, n, rng), y2 = random(dtype, m, n, rng);
                        Ops.linear(x, w, bias, y, z);
                        Ops.linear(x, w, bias, y2, null);
                        for (int i = 0; i < m; i++)
                            for (int j = 0; j < n; j++) {
                                String where = dtype + " vector=" + vector + " threads=" + threads + " " + m + "x" + n + "x" + k + " at " + i + "," + j;
                                double want = expected.get(i, j) + bias.get(j);
                                assertEquals(want, y.get(i, j), tol, "x W^T + b " + where);
                                assertEquals(y.get(i, j), y2.get(i, j), 0, "without the ReLU " + where);
                                assertEquals(Math.max(y.get(i, j), 0), z.get(i, j), 0, "ReLU " + where);
                            }
                    }
            }
        }
    }

    @Test
    void scalarProductsSumEachEntryInOrderWhateverTheRowsAndThreads() {
        // The scalar kernel reads op(B) as a copy and serves four rows a pass: each entry must still be the sum over
        // p in order of double products, added to C last, bit for bit, so results do not move with the row blocks.
        SplittableRandom rng = new SplittableRandom(4);
        Kernels.useVector(false);
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            for (DType dtype : DType.values())
                for (int m : new int[] {1, 3, 4, 5, 9, 130})
                    for (int[] nk : new int[][] {{1, 1}, {7, 5}, {33, 600}}) {
                        int n = nk[0], k = nk[1];
                        Tensor a = random(dtype, m, k, rng), bt = random(dtype, n, k, rng), b = transpose(bt), at = transpose(a);
                        for (boolean accumulate : new boolean[] {false, true}) {
                            Tensor c0 = random(dtype, m, n, rng), c1 = copy(c0), c2 = copy(c0), c3 = copy(c0);
                            Ops.matmulNT(a, bt, c1, accumulate);
                            Ops.matmulNN(a, b, c2, accumulate);
                            Ops.matmulTN(at, b, c3, accumulate);
                            for (int i = 0; i < m; i++)
                                for (int j = 0; j < n; j++) {
                                    double sum = 0;
                                    for (int p = 0; p < k; p++) sum += a.get(i, p) * b.get(p, j);
                                    Tensor want = Tensor.zeros(dtype, 1, 1);
                                    want.set(0, accumulate ? c0.get(i, j) + sum : sum);
                                    String where = dtype + " threads=" + threads + " " + m + "x" + n + "x" + k + " accumulate=" + accumulate + " at " + i + "," + j;
                                    assertEquals(want.get(0), c1.get(i, j), 0, "a b^T " + where);
                                    assertEquals(want.get(0), c2.get(i, j), 0, "a b " + where);
                                    assertEquals(want.get(0), c3.get(i, j), 0, "a^T b " + where);
                                }
                        }
                    }
        }
    }

    private static void check(DType dtype, int m, int n, int k, SplittableRandom rng) {
        double tol = dtype == DType.FLOAT32 ? 1e-4 * Math.max(1, k) : 1e-12 * Math.max(1, k);
        Tensor a = random(dtype, m, k, rng), bt = random(dtype, n, k, rng), b = transpose(bt), at = transpose(a);
        for (boolean accumulate : new boolean[] {false, true}) {
            Tensor c0 = random(dtype, m, n, rng);
            Tensor expected = naive(a, b, accumulate ? c0 : null);
            Tensor c1 = copy(c0), c2 = copy(c0), c3 = copy(c0);
            Ops.matmulNT(a, bt, c1, accumulate);
            Ops.matmulNN(a, b, c2, accumulate);
            Ops.matmulTN(at, b, c3, accumulate);
            for (int i = 0; i < m * n; i++) {
                String where = dtype + " " + m + "x" + n + "x" + k + " accumulate=" + accumulate + " at " + i;
                assertEquals(expected.get(i), c1.get(i), tol, "a b^T " + where);
                assertEquals(expected.get(i), c2.get(i), tol, "a b " + where);
                assertEquals(expected.get(i), c3.get(i), tol, "a^T b " + where);
            }
        }
    }

    private static Tensor naive(Tensor a, Tensor b, Tensor c0) {
        int m = a.rows(), k = a.cols, n = b.cols;
        Tensor c = Tensor.zeros(DType.FLOAT64, m, n);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = c0 == null ? 0 : c0.get(i, j);
                for (int p = 0; p < k; p++) s += a.get(i, p) * b.get(p, j);
                c.set(i, j, s);
            }
        return c;
    }

    static Tensor random(DType dtype, int rows, int cols, SplittableRandom rng) {
        Tensor t = Tensor.zeros(dtype, rows, cols);
        for (int i = 0; i < t.size(); i++) t.set(i, rng.nextDouble(-1, 1));
        return t;
    }

    private static Tensor transpose(Tensor t) {
        Tensor out = Tensor.zeros(t.dtype, t.cols, t.rows());
        for (int i = 0; i < t.rows(); i++) for (int j = 0; j < t.cols; j++) out.set(j, i, t.get(i, j));
        return out;
    }

    private static Tensor copy(Tensor t) {
        Tensor out = Tensor.zeros(t.dtype, t.rows(), t.cols);
        t.copyTo(out);
        return out;
    }
}
