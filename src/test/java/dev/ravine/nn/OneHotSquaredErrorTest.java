package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.autodiff.Loss;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** mse and sigmoid_mse on one-hot targets: value, gradient and curvature against central finite differences in float64. */
class OneHotSquaredErrorTest {
    private static final double H = 1e-5;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void derivativesMatchFiniteDifferences(boolean sigmoid) {
        SplittableRandom rng = new SplittableRandom(sigmoid ? 3 : 4);
        int rows = 5, k = 4;
        Loss loss = new OneHotSquaredError(sigmoid);
        Tensor z = Tensor.zeros(DType.FLOAT64, rows, k), t = Tensor.zeros(DType.FLOAT64, rows, 1);
        for (int i = 0; i < z.size(); i++) z.set(i, rng.nextDouble(-3, 3));
        for (int i = 0; i < rows; i++) t.set(i, rng.nextInt(k));
        double expected = 0; // the definition: mean over rows and classes of (s(z) - onehot)^2
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < k; j++) {
                double s = sigmoid ? 1 / (1 + Math.exp(-z.get(i, j))) : z.get(i, j), r = s - (j == (int) t.get(i) ? 1 : 0);
                expected += r * r / (rows * k);
            }
        Tensor g = Tensor.zeros(DType.FLOAT64, rows, k);
        assertEquals(expected, loss.forwardBackward(z, t, g), 1e-15);
        Tensor rz = Tensor.zeros(DType.FLOAT64, rows, k), rg = Tensor.zeros(DType.FLOAT64, rows, k);
        for (int i = 0; i < rz.size(); i++) rz.set(i, rng.nextDouble(-1, 1));
        loss.rGradient(z, t, rz, rg);
        Tensor gUp = Tensor.zeros(DType.FLOAT64, rows, k), gDown = Tensor.zeros(DType.FLOAT64, rows, k);
        for (int i = 0; i < z.size(); i++) {
            double saved = z.get(i);
            z.set(i, saved + H);
            double up = loss.forwardBackward(z, t, null);
            z.set(i, saved - H);
            double down = loss.forwardBackward(z, t, null);
            z.set(i, saved);
            assertEquals((up - down) / (2 * H), g.get(i), 1e-9, "dL/dz[" + i + "]");
        }
        Tensor zUp = Tensor.zeros(DType.FLOAT64, rows, k), zDown = Tensor.zeros(DType.FLOAT64, rows, k);
        for (int i = 0; i < z.size(); i++) {
            zUp.set(i, z.get(i) + H * rz.get(i));
            zDown.set(i, z.get(i) - H * rz.get(i));
        }
        loss.forwardBackward(zUp, t, gUp);
        loss.forwardBackward(zDown, t, gDown);
        for (int i = 0; i < z.size(); i++) assertEquals((gUp.get(i) - gDown.get(i)) / (2 * H), rg.get(i), 1e-9, "R{dL/dz}[" + i + "]");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void networkHessianVectorProductsMatchFiniteDifferencesOfGradients(boolean sigmoid) {
        SplittableRandom rng = new SplittableRandom(9);
        Mlp mlp = new Mlp(MlpSpec.parse("mlp:4-5-3:tanh"), 4, 3, DType.FLOAT64, 6);
        var net = mlp.network;
        Tensor p = net.parameters();
        for (int i = 0; i < p.size(); i++) p.set(i, rng.nextDouble(-1, 1));
        Tensor x = net.input(6);
        for (int i = 0; i < x.size(); i++) x.set(i, rng.nextDouble(-2, 2));
        Tensor t = Tensor.zeros(DType.FLOAT64, 6, 1);
        for (int i = 0; i < 6; i++) t.set(i, rng.nextInt(3));
        Loss loss = new OneHotSquaredError(sigmoid);
        int n = p.size();
        Tensor v = Tensor.zeros(DType.FLOAT64, 1, n), hv = Tensor.zeros(DType.FLOAT64, 1, n);
        for (int i = 0; i < n; i++) v.set(i, rng.nextDouble(-1, 1));
        net.hessianVector(t, loss, v, hv);
        double[] base = p.toDoubleArray(), up, down;
        for (int i = 0; i < n; i++) p.set(i, base[i] + H * v.get(i));
        net.lossAndGradient(t, loss);
        up = net.gradients().toDoubleArray();
        for (int i = 0; i < n; i++) p.set(i, base[i] - H * v.get(i));
        net.lossAndGradient(t, loss);
        down = net.gradients().toDoubleArray();
        for (int i = 0; i < n; i++) assertEquals((up[i] - down[i]) / (2 * H), hv.get(i), 1e-8, "(H v)[" + i + "]");
    }
}
