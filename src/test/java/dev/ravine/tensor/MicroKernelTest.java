package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * Every micro-kernel shape, not only the one this machine's register file picks, against the sum it computes, at
 * this run's vector width (the widths profile repeats it at the others): A in blocks of L k-values per row, packed
 * B strips, a leading dimension wider than the tile, with and without accumulation, to the last bit; and the block
 * transposes the packing uses.
 */
class MicroKernelTest {
    /** A(r, q) in the kernels' layout: rows' L-value blocks one after another, from offset ao. */
    private static int at(int ao, int rows, int lanes, int r, int q) {
        return ao + (q - q % lanes) * rows + r * lanes + q % lanes;
    }

    @Test
    void everyFloatKernelComputesItsTile() {
        SplittableRandom rng = new SplittableRandom(11);
        int l = FloatVector.SPECIES_PREFERRED.length();
        for (TileShape t : TileShape.values())
            for (int blocks : new int[] {0, 1, 2, 5}) {
                int mr = t.rows(), nr = t.vectors() * l, k = blocks * l, ldo = nr + 3, oo = 2;
                float[] a = new float[1 + mr * k], b = new float[4 + nr * k], out = new float[oo + mr * ldo];
                for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextDouble(-1, 1);
                for (int i = 0; i < b.length; i++) b[i] = (float) rng.nextDouble(-1, 1);
                for (int i = 0; i < out.length; i++) out[i] = (float) rng.nextDouble(-1, 1);
                float[] before = out.clone();
                switch (t) {
                    case T8X2 -> MicroKernels32.k8x2(a, 1, b, 4, k, out, oo, ldo);
                    case T6X2 -> MicroKernels32.k6x2(a, 1, b, 4, k, out, oo, ldo);
                    case T4X3 -> MicroKernels32.k4x3(a, 1, b, 4, k, out, oo, ldo);
                    case T4X2 -> MicroKernels32.k4x2(a, 1, b, 4, k, out, oo, ldo);
                }
                for (int r = 0; r < mr; r++)
                    for (int j = 0; j < ldo; j++) {
                        int o = oo + r * ldo + j;
                        if (j >= nr) {
                            assertEquals(before[o], out[o], 0, t + ": wrote past its tile at row " + r + ", column " + j);
                            continue;
                        }
                        float sum = 0; // the kernel's own order: fused multiply-adds over k
                        for (int q = 0; q < k; q++) sum = Math.fma(a[at(1, mr, l, r, q)], b[4 + q * nr + j], sum);
                        assertEquals(sum, out[o], 0, t + " k=" + k + " at " + r + "," + j);
                    }
            }
    }

    @Test
    void everyDoubleKernelComputesItsTile() {
        SplittableRandom rng = new SplittableRandom(12);
        int l = DoubleVector.SPECIES_PREFERRED.length();
        for (TileShape t : TileShape.values())
            for (int blocks : new int[] {0, 1, 3, 6}) {
                int mr = t.rows(), nr = t.vectors() * l, k = blocks * l, ldo = nr + 1;
                double[] a = new double[mr * k], b = new double[nr * k], out = new double[mr * ldo];
                for (int i = 0; i < a.length; i++) a[i] = rng.nextDouble(-1, 1);
                for (int i = 0; i < b.length; i++) b[i] = rng.nextDouble(-1, 1);
                for (int i = 0; i < out.length; i++) out[i] = rng.nextDouble(-1, 1);
                double[] before = out.clone();
                switch (t) {
                    case T8X2 -> MicroKernels64.k8x2(a, 0, b, 0, k, out, 0, ldo);
                    case T6X2 -> MicroKernels64.k6x2(a, 0, b, 0, k, out, 0, ldo);
                    case T4X3 -> MicroKernels64.k4x3(a, 0, b, 0, k, out, 0, ldo);
                    case T4X2 -> MicroKernels64.k4x2(a, 0, b, 0, k, out, 0, ldo);
                }
                for (int r = 0; r < mr; r++)
                    for (int j = 0; j < ldo; j++) {
                        int o = r * ldo + j;
                        if (j >= nr) {
                            assertEquals(before[o], out[o], 0, t + ": wrote past its tile");
                            continue;
                        }
                        double sum = 0;
                        for (int q = 0; q < k; q++) sum = Math.fma(a[at(0, mr, l, r, q)], b[q * nr + j], sum);
                        assertEquals(sum, out[o], 0, t + " k=" + k + " at " + r + "," + j);
                    }
            }
    }

    @Test
    void blockTransposesTurnEveryBlock() {
        // at every width that has them (2, 4, 8 or 16 lanes: all of x86's and NEON's); others pack with plain loops
        SplittableRandom rng = new SplittableRandom(14);
        int lf = FloatVector.SPECIES_PREFERRED.length(), ld = DoubleVector.SPECIES_PREFERRED.length();
        int stride = 2 * lf + 3, pitch = 3 * lf + 1, from = 5, to = 7;
        int[] scattered = new int[lf];
        for (int c = 0; c < lf; c++) scattered[c] = to + (lf - 1 - c) * pitch; // columns land in reverse order
        if (Transposes32.BLOCKS) {
            float[] src = new float[from + lf * stride], dst = new float[to + lf * pitch], dst2 = new float[dst.length];
            for (int i = 0; i < src.length; i++) src[i] = (float) rng.nextDouble();
            Transposes32.block(src, from, stride, dst, to, pitch);
            Transposes32.block(src, from, stride, dst2, scattered);
            for (int r = 0; r < lf; r++)
                for (int c = 0; c < lf; c++) {
                    assertEquals(src[from + r * stride + c], dst[to + c * pitch + r], 0, "float " + r + "," + c);
                    assertEquals(src[from + r * stride + c], dst2[scattered[c] + r], 0, "float, columns placed one by one, " + r + "," + c);
                }
        }
        if (Transposes64.BLOCKS) {
            double[] src = new double[from + ld * stride], dst = new double[to + ld * pitch], dst2 = new double[dst.length];
            for (int i = 0; i < src.length; i++) src[i] = rng.nextDouble();
            Transposes64.block(src, from, stride, dst, to, pitch);
            int[] cols = new int[ld];
            for (int c = 0; c < ld; c++) cols[c] = to + (ld - 1 - c) * pitch;
            Transposes64.block(src, from, stride, dst2, cols);
            for (int r = 0; r < ld; r++)
                for (int c = 0; c < ld; c++) {
                    assertEquals(src[from + r * stride + c], dst[to + c * pitch + r], 0, "double " + r + "," + c);
                    assertEquals(src[from + r * stride + c], dst2[cols[c] + r], 0, "double, columns placed one by one, " + r + "," + c);
                }
        }
    }
}
