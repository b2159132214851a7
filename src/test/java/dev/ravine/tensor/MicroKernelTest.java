package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * Every micro-kernel shape, not only the one this machine's register file picks, against the sum it computes, at
 * this run's vector width (the widths profile repeats it at the others): packed A panels, packed B strips, a
 * leading dimension wider than the tile, with and without accumulation; in float64 to the last bit.
 */
class MicroKernelTest {
    @Test
    void everyFloatKernelComputesItsTile() {
        SplittableRandom rng = new SplittableRandom(11);
        int l = FloatVector.SPECIES_PREFERRED.length();
        for (TileShape t : TileShape.values())
            for (int k : new int[] {0, 1, 2, 5, 17})
                for (boolean accumulate : new boolean[] {false, true}) {
                    int mr = t.rows(), nr = t.vectors() * l, ldo = nr + 3, oo = 2;
                    float[] a = new float[1 + mr * k], b = new float[4 + nr * k], out = new float[oo + mr * ldo];
                    for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextDouble(-1, 1);
                    for (int i = 0; i < b.length; i++) b[i] = (float) rng.nextDouble(-1, 1);
                    for (int i = 0; i < out.length; i++) out[i] = (float) rng.nextDouble(-1, 1);
                    float[] before = out.clone();
                    switch (t) {
                        case T8X2 -> MicroKernels32.k8x2(a, 1, b, 4, k, out, oo, ldo, accumulate);
                        case T6X2 -> MicroKernels32.k6x2(a, 1, b, 4, k, out, oo, ldo, accumulate);
                        case T4X3 -> MicroKernels32.k4x3(a, 1, b, 4, k, out, oo, ldo, accumulate);
                        case T4X2 -> MicroKernels32.k4x2(a, 1, b, 4, k, out, oo, ldo, accumulate);
                    }
                    for (int r = 0; r < mr; r++)
                        for (int j = 0; j < ldo; j++) {
                            int at = oo + r * ldo + j;
                            if (j >= nr) {
                                assertEquals(before[at], out[at], 0, t + ": wrote past its tile at row " + r + ", column " + j);
                                continue;
                            }
                            double want = accumulate ? before[at] : 0;
                            for (int q = 0; q < k; q++) want += (double) a[1 + q * mr + r] * b[4 + q * nr + j];
                            assertEquals(want, out[at], 1e-5 * (k + 1), t + " k=" + k + " accumulate=" + accumulate + " at " + r + "," + j);
                        }
                }
    }

    @Test
    void everyDoubleKernelComputesItsTile() {
        SplittableRandom rng = new SplittableRandom(12);
        int l = DoubleVector.SPECIES_PREFERRED.length();
        for (TileShape t : TileShape.values())
            for (int k : new int[] {0, 1, 3, 17})
                for (boolean accumulate : new boolean[] {false, true}) {
                    int mr = t.rows(), nr = t.vectors() * l, ldo = nr + 1;
                    double[] a = new double[mr * k], b = new double[nr * k], out = new double[mr * ldo];
                    for (int i = 0; i < a.length; i++) a[i] = rng.nextDouble(-1, 1);
                    for (int i = 0; i < b.length; i++) b[i] = rng.nextDouble(-1, 1);
                    for (int i = 0; i < out.length; i++) out[i] = rng.nextDouble(-1, 1);
                    double[] before = out.clone();
                    switch (t) {
                        case T8X2 -> MicroKernels64.k8x2(a, 0, b, 0, k, out, 0, ldo, accumulate);
                        case T6X2 -> MicroKernels64.k6x2(a, 0, b, 0, k, out, 0, ldo, accumulate);
                        case T4X3 -> MicroKernels64.k4x3(a, 0, b, 0, k, out, 0, ldo, accumulate);
                        case T4X2 -> MicroKernels64.k4x2(a, 0, b, 0, k, out, 0, ldo, accumulate);
                    }
                    for (int r = 0; r < mr; r++)
                        for (int j = 0; j < ldo; j++) {
                            int at = r * ldo + j;
                            if (j >= nr) {
                                assertEquals(before[at], out[at], 0, t + ": wrote past its tile");
                                continue;
                            }
                            double sum = 0; // the kernel's own order: fused multiply-adds over k, then C added once
                            for (int q = 0; q < k; q++) sum = Math.fma(a[q * mr + r], b[q * nr + j], sum);
                            double want = accumulate ? sum + before[at] : sum;
                            assertEquals(want, out[at], 0, t + " k=" + k + " accumulate=" + accumulate + " at " + r + "," + j);
                        }
                }
    }
}
