package dev.ravine.curvature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.decomposition.eig.SymmetricQRAlgorithmDecomposition_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.junit.jupiter.api.Test;

class BlockedTridiagonalTest {
    private static DMatrixRMaj symmetric(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) {
                double v = rng.nextGaussian();
                m.set(i, j, v);
                m.set(j, i, v);
            }
        return m;
    }

    /** Eigenvalues, ascending, through the blocked reduction and EJML's QR iteration. */
    private static double[] blocked(DMatrixRMaj m) {
        var eig = new SymmetricQRAlgorithmDecomposition_DDRM(new BlockedTridiagonal(), false);
        assertTrue(eig.decompose(m.copy()));
        double[] v = new double[m.numRows];
        for (int i = 0; i < v.length; i++) v[i] = eig.getEigenvalue(i).getReal();
        Arrays.sort(v);
        return v;
    }

    /** EJML's own symmetric eigensolver, unblocked Householder and all. */
    private static double[] reference(DMatrixRMaj m) {
        var eig = DecompositionFactory_DDRM.eig(m.numRows, false, true);
        assertTrue(eig.decompose(m.copy()));
        double[] v = new double[m.numRows];
        for (int i = 0; i < v.length; i++) v[i] = eig.getEigenvalue(i).getReal();
        Arrays.sort(v);
        return v;
    }

    private static double largest(double[] v) {
        return Arrays.stream(v).map(Math::abs).max().orElse(1);
    }

    /** Sizes on each side of the panel width and of the update's row blocks, where an off-by-one would show. */
    @Test
    void agreesWithEjmlsEigensolverAtEverySizeAroundTheBlocks() {
        int p = BlockedTridiagonal.PANEL;
        for (int n : new int[] {1, 2, 3, 4, 5, p - 1, p, p + 1, p + 2, 2 * p + 1, 127, 128, 129, 130, 161, 257, 300}) {
            DMatrixRMaj m = symmetric(n, n);
            double[] expected = reference(m);
            assertArrayEquals(expected, blocked(m), 1e-12 * largest(expected), "n = " + n);
        }
    }

    @Test
    void findsAKnownSpectrumWithRepeatedAndZeroEigenvalues() {
        int n = 150;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = i < 40 ? 0 : i < 60 ? 3 : -2 + i * 0.07; // 40 zeros and 20 threes
        Arrays.sort(d);
        // Q diag(d) Q^T with Q orthogonal (the Q of a random matrix's QR)
        var qr = DecompositionFactory_DDRM.qr(n, n);
        SplittableRandom rng = new SplittableRandom(7);
        DMatrixRMaj g = new DMatrixRMaj(n, n);
        for (int i = 0; i < n * n; i++) g.data[i] = rng.nextGaussian();
        assertTrue(qr.decompose(g));
        DMatrixRMaj q = qr.getQ(null, false), qd = new DMatrixRMaj(n, n), a = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) qd.set(i, j, q.get(i, j) * d[j]);
        CommonOps_DDRM.multTransB(qd, q, a);
        for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) a.set(j, i, a.get(i, j)); // exactly symmetric
        assertArrayEquals(d, blocked(a), 1e-12);
    }

    /** Columns already zero below the subdiagonal need no reflector (tau = 0): a diagonal and a tridiagonal matrix. */
    @Test
    void leavesADiagonalOrTridiagonalMatrixAsItIs() {
        int n = 70;
        DMatrixRMaj diagonal = new DMatrixRMaj(n, n), tridiagonal = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            diagonal.set(i, i, i - 20.5);
            tridiagonal.set(i, i, 2);
            if (i > 0) {
                tridiagonal.set(i, i - 1, -1);
                tridiagonal.set(i - 1, i, -1);
            }
        }
        double[] d = new double[n], laplacian = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = i - 20.5;
            laplacian[i] = 2 - 2 * Math.cos(Math.PI * (i + 1) / (n + 1)); // the path graph's eigenvalues
        }
        Arrays.sort(laplacian);
        assertArrayEquals(d, blocked(diagonal), 1e-13); // the scaling to entries of at most 1 rounds
        assertArrayEquals(laplacian, blocked(tridiagonal), 1e-13);
        BlockedTridiagonal t = new BlockedTridiagonal();
        assertTrue(t.decompose(tridiagonal.copy()));
        double[] diag = new double[n], off = new double[n - 1];
        t.getDiagonal(diag, off);
        for (int i = 0; i < n; i++) assertEquals(2, diag[i], 0);
        for (int i = 0; i < n - 1; i++) assertEquals(1, Math.abs(off[i]), 0);
    }

    /** The matrix is scaled to entries of at most 1 first: squares of 1e-200 or 1e200 neither vanish nor overflow. */
    @Test
    void keepsTinyAndHugeMatricesInRange() {
        DMatrixRMaj m = symmetric(90, 3);
        double[] expected = reference(m);
        for (double scale : new double[] {1e-200, 1e200}) {
            DMatrixRMaj s = m.copy();
            CommonOps_DDRM.scale(scale, s);
            double[] got = blocked(s);
            for (int i = 0; i < got.length; i++) assertEquals(expected[i], got[i] / scale, 1e-12 * largest(expected), "scale " + scale);
        }
    }

    /** T = Q^T A Q: the same trace and Frobenius norm as A, and the same eigenvalues. */
    @Test
    void theTridiagonalIsSimilarToTheMatrix() {
        DMatrixRMaj m = symmetric(100, 5);
        BlockedTridiagonal t = new BlockedTridiagonal();
        assertTrue(t.decompose(m.copy()));
        DMatrixRMaj tri = t.getT(null);
        assertEquals(CommonOps_DDRM.trace(m), CommonOps_DDRM.trace(tri), 1e-11);
        assertEquals(org.ejml.dense.row.NormOps_DDRM.normF(m), org.ejml.dense.row.NormOps_DDRM.normF(tri), 1e-11);
        assertArrayEquals(reference(m), reference(tri), 1e-11);
        for (int i = 0; i < 100; i++) for (int j = 0; j < 100; j++) if (Math.abs(i - j) > 1) assertEquals(0, tri.get(i, j), 0);
        assertThrows(UnsupportedOperationException.class, () -> t.getQ(null, false));
    }
}
