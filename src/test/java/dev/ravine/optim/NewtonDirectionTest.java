package dev.ravine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;

/** Newton's direction against a whole eigendecomposition with eigenvectors (EJML's), summed term by term. */
class NewtonDirectionTest {
    private static double[] reference(double[][] h, double[] g, boolean saddleFree, double damping) {
        int n = g.length;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(new DMatrixRMaj(h))) throw new AssertionError();
        double largest = 0;
        for (int k = 0; k < n; k++) largest = Math.max(largest, Math.abs(eig.getEigenvalue(k).getReal()));
        double[] d = new double[n];
        for (int k = 0; k < n; k++) {
            double lambda = eig.getEigenvalue(k).getReal();
            double curvature = (saddleFree ? Math.abs(lambda) : lambda) + damping;
            if (Math.abs(curvature) <= 1e-12 * largest) continue;
            DMatrixRMaj v = eig.getEigenVector(k);
            double c = 0;
            for (int i = 0; i < n; i++) c += v.get(i) * g[i];
            for (int i = 0; i < n; i++) d[i] -= c / curvature * v.get(i);
        }
        return d;
    }

    @Test
    void matchesTheWholeEigendecomposition() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int n : new int[] {2, 17, 80}) {
            // indefinite, its eigenvalues well away from 0 and from -damping: (M + M^T) / 2 + 3 n^(1/2) diag(+-1)
            double[][] h = new double[n][n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j <= i; j++) h[i][j] = h[j][i] = rng.nextGaussian();
            for (int i = 0; i < n; i++) h[i][i] += (i % 3 == 0 ? -3 : 3) * Math.sqrt(n);
            double[] g = new double[n];
            for (int i = 0; i < n; i++) g[i] = rng.nextGaussian();
            for (boolean saddleFree : new boolean[] {false, true})
                for (double damping : new double[] {0, 0.5}) {
                    Newton newton = new Newton(new Newton.Config(1, damping, saddleFree, 1, 1e-7));
                    double[] expected = reference(h, g, saddleFree, damping);
                    double scale = 0;
                    for (double x : expected) scale = Math.max(scale, Math.abs(x));
                    assertArrayEquals(expected, newton.direction(h, g), 1e-12 * scale,
                            "n = " + n + ", saddle_free " + saddleFree + ", damping " + damping);
                }
        }
    }
}
