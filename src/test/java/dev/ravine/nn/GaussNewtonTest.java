package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Gauss-Newton (Fisher) product J^T H_L J v against the same matrix assembled explicitly: J by central
 * differences of the network's outputs, H_L the loss's curvature in the outputs ((diag p - p p^T) / n for
 * cross-entropy, 2 / (n k) for MSE).
 */
class GaussNewtonTest {
    @ParameterizedTest
    @MethodSource("dev.ravine.nn.Fixtures#activations")
    void gaussNewtonProductIsJacobianTransposeLossCurvatureJacobian(String f) {
        for (boolean classification : new boolean[] {true, false}) {
            Fixtures fx = new Fixtures(f, classification, 21);
            int p = fx.net.parameterCount(), rows = fx.net.input(6).rows(), k = fx.net.outputWidth(), m = rows * k;
            Tensor params = fx.net.parameters();
            double[] z0 = outputs(fx);
            double[][] jac = new double[m][p];
            double h = 1e-6;
            for (int j = 0; j < p; j++) {
                double saved = params.get(j);
                params.set(j, saved + h);
                double[] up = outputs(fx);
                params.set(j, saved - h);
                double[] down = outputs(fx);
                params.set(j, saved);
                for (int i = 0; i < m; i++) jac[i][j] = (up[i] - down[i]) / (2 * h);
            }
            SplittableRandom rng = new SplittableRandom(4);
            double[] v = new double[p];
            for (int j = 0; j < p; j++) v[j] = rng.nextDouble(-1, 1);
            double[] jv = new double[m];
            for (int i = 0; i < m; i++) for (int j = 0; j < p; j++) jv[i] += jac[i][j] * v[j];
            double[] hjv = new double[m];
            for (int r = 0; r < rows; r++) {
                if (classification) {
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int c = 0; c < k; c++) max = Math.max(max, z0[r * k + c]);
                    double[] prob = new double[k];
                    for (int c = 0; c < k; c++) sum += prob[c] = Math.exp(z0[r * k + c] - max);
                    double dot = 0;
                    for (int c = 0; c < k; c++) dot += (prob[c] /= sum) * jv[r * k + c];
                    for (int c = 0; c < k; c++) hjv[r * k + c] = prob[c] * (jv[r * k + c] - dot) / rows;
                } else {
                    for (int c = 0; c < k; c++) hjv[r * k + c] = 2 * jv[r * k + c] / (rows * k);
                }
            }
            Tensor vt = Tensor.of(v, 1, p), gv = Tensor.zeros(DType.FLOAT64, 1, p);
            fx.net.gaussNewtonVector(fx.targets, fx.loss, vt, gv);
            for (int j = 0; j < p; j++) {
                double expected = 0;
                for (int i = 0; i < m; i++) expected += jac[i][j] * hjv[i];
                assertEquals(expected, gv.get(j), 1e-7, f + (classification ? " cross-entropy" : " mse") + " entry " + j);
            }
        }
    }

    private static double[] outputs(Fixtures fx) {
        return fx.net.forward(false).toDoubleArray();
    }
}
