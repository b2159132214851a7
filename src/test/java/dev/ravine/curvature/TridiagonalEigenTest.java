package dev.ravine.curvature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;

class TridiagonalEigenTest {
    /** EJML's whole eigendecomposition of the tridiagonal: values ascending, |first| and |last| components beside them. */
    private static double[][] reference(double[] d, double[] e) {
        int m = d.length;
        DMatrixRMaj t = new DMatrixRMaj(m, m);
        for (int i = 0; i < m; i++) {
            t.set(i, i, d[i]);
            if (i + 1 < m) {
                t.set(i, i + 1, e[i]);
                t.set(i + 1, i, e[i]);
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, true, true);
        assertTrue(eig.decompose(t));
        double[][] out = new double[3][m];
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Double.compare(eig.getEigenvalue(x).getReal(), eig.getEigenvalue(y).getReal()));
        for (int r = 0; r < m; r++) {
            out[0][r] = eig.getEigenvalue(order[r]).getReal();
            out[1][r] = Math.abs(eig.getEigenVector(order[r]).get(0));
            out[2][r] = Math.abs(eig.getEigenVector(order[r]).get(m - 1));
        }
        return out;
    }

    /** The QL result in the same form. */
    private static double[][] ql(double[] d, double[] e) {
        TridiagonalEigen.Result q = TridiagonalEigen.of(d, e);
        assertNotNull(q);
        int m = d.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Double.compare(q.values()[x], q.values()[y]));
        double[][] out = new double[3][m];
        for (int r = 0; r < m; r++) {
            out[0][r] = q.values()[order[r]];
            out[1][r] = Math.abs(q.first()[order[r]]);
            out[2][r] = Math.abs(q.last()[order[r]]);
        }
        return out;
    }

    @Test
    void agreesWithTheWholeDecompositionOnRandomTridiagonals() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int m : new int[] {1, 2, 3, 5, 10, 40, 120}) {
            double[] d = new double[m], e = new double[m];
            for (int i = 0; i < m; i++) {
                d[i] = rng.nextGaussian();
                e[i] = rng.nextDouble() + 0.1; // Lanczos's betas are positive
            }
            double[][] expected = reference(d, e), got = ql(d, e);
            assertArrayEquals(expected[0], got[0], 1e-13, "values, m = " + m);
            assertArrayEquals(expected[1], got[1], 1e-9, "first components, m = " + m);
            assertArrayEquals(expected[2], got[2], 1e-9, "last components, m = " + m);
        }
    }

    /** A zero off-diagonal splits T into blocks, each solved alone; a diagonal T is its own answer. */
    @Test
    void splitsAtZeroOffDiagonals() {
        double[] d = {4, 1, -2, 3, 0.5, 7}, e = {0.3, 0, 0.7, 0.2, 0};
        double[][] expected = reference(d, e), got = ql(d, e);
        assertArrayEquals(expected[0], got[0], 1e-14);
        assertArrayEquals(expected[1], got[1], 1e-12);
        assertArrayEquals(expected[2], got[2], 1e-12);
        double[] diag = {3, -1, 2};
        TridiagonalEigen.Result q = TridiagonalEigen.of(diag, new double[] {0, 0});
        assertArrayEquals(diag, q.values(), 0);
        assertArrayEquals(new double[] {1, 0, 0}, q.first(), 0);
        assertArrayEquals(new double[] {0, 0, 1}, q.last(), 0);
    }

    /** The eigenvector matrix is orthogonal: each row's squares sum to 1. */
    @Test
    void firstAndLastRowsAreUnit() {
        SplittableRandom rng = new SplittableRandom(9);
        int m = 80;
        double[] d = new double[m], e = new double[m];
        for (int i = 0; i < m; i++) {
            d[i] = 100 * rng.nextGaussian();
            e[i] = 1e-3 * rng.nextDouble();
        }
        TridiagonalEigen.Result q = TridiagonalEigen.of(d, e);
        assertEquals(1, Arrays.stream(q.first()).map(x -> x * x).sum(), 1e-13);
        assertEquals(1, Arrays.stream(q.last()).map(x -> x * x).sum(), 1e-13);
        double trace = Arrays.stream(d).sum();
        assertEquals(trace, Arrays.stream(q.values()).sum(), 1e-10);
    }
}
