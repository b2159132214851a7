package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ravine.autodiff.Loss;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cross-entropy with label smoothing: the value by its definition, the gradient and the curvature against central
 * finite differences in float64, and a network's Hessian-vector product against finite differences of its gradient.
 */
class SoftmaxCrossEntropyTest {
    private static final double H = 1e-5;

    @ParameterizedTest
    @ValueSource(doubles = {0, 0.1, 1})
    void derivativesMatchFiniteDifferences(double eps) {
        SplittableRandom rng = new SplittableRandom(5);
        int rows = 5, k = 4;
        Loss loss = new SoftmaxCrossEntropy(eps);
        Tensor z = Tensor.zeros(DType.FLOAT64, rows, k), t = Tensor.zeros(DType.FLOAT64, rows, 1);
        for (int i = 0; i < z.size(); i++) z.set(i, rng.nextDouble(-3, 3));
        for (int i = 0; i < rows; i++) t.set(i, rng.nextInt(k));
        double expected = 0; // the definition: mean over rows of -sum_k q_k log p_k, q = (1 - eps) onehot + eps / K
        for (int i = 0; i < rows; i++) {
            double sum = 0;
            for (int j = 0; j < k; j++) sum += Math.exp(z.get(i, j));
            for (int j = 0; j < k; j++) {
                double q = (j == (int) t.get(i) ? 1 - eps : 0) + eps / k;
                expected -= q * Math.log(Math.exp(z.get(i, j)) / sum) / rows;
            }
        }
        Tensor g = Tensor.zeros(DType.FLOAT64, rows, k);
        assertEquals(expected, loss.forwardBackward(z, t, g), 1e-14);
        for (int i = 0; i < z.size(); i++) {
            double saved = z.get(i);
            z.set(i, saved + H);
            double up = loss.forwardBackward(z, t, null);
            z.set(i, saved - H);
            double down = loss.forwardBackward(z, t, null);
            z.set(i, saved);
            assertEquals((up - down) / (2 * H), g.get(i), 1e-9, "dL/dz[" + i + "]");
        }
        Tensor rz = Tensor.zeros(DType.FLOAT64, rows, k), rg = Tensor.zeros(DType.FLOAT64, rows, k);
        for (int i = 0; i < rz.size(); i++) rz.set(i, rng.nextDouble(-1, 1));
        loss.rGradient(z, t, rz, rg);
        Tensor zUp = Tensor.zeros(DType.FLOAT64, rows, k), zDown = Tensor.zeros(DType.FLOAT64, rows, k);
        Tensor gUp = Tensor.zeros(DType.FLOAT64, rows, k), gDown = Tensor.zeros(DType.FLOAT64, rows, k);
        for (int i = 0; i < z.size(); i++) {
            zUp.set(i, z.get(i) + H * rz.get(i));
            zDown.set(i, z.get(i) - H * rz.get(i));
        }
        loss.forwardBackward(zUp, t, gUp);
        loss.forwardBackward(zDown, t, gDown);
        for (int i = 0; i < z.size(); i++) assertEquals((gUp.get(i) - gDown.get(i)) / (2 * H), rg.get(i), 1e-9, "R{dL/dz}[" + i + "]");
    }

    /** Smoothing changes dL/dz, which weighs the outputs' own curvature in the network's Hessian: checked through the R-operator. */
    @Test
    void networkHessianVectorProductsMatchFiniteDifferencesOfGradients() {
        SplittableRandom rng = new SplittableRandom(11);
        Mlp mlp = new Mlp(MlpSpec.parse("mlp:4-5-3:tanh"), 4, 3, DType.FLOAT64, 6);
        var net = mlp.network;
        Tensor p = net.parameters();
        for (int i = 0; i < p.size(); i++) p.set(i, rng.nextDouble(-1, 1));
        Tensor x = net.input(6);
        for (int i = 0; i < x.size(); i++) x.set(i, rng.nextDouble(-2, 2));
        Tensor t = Tensor.zeros(DType.FLOAT64, 6, 1);
        for (int i = 0; i < 6; i++) t.set(i, rng.nextInt(3));
        Loss smoothed = new SoftmaxCrossEntropy(0.3), plain = new SoftmaxCrossEntropy();
        int n = p.size();
        Tensor v = Tensor.zeros(DType.FLOAT64, 1, n), hv = Tensor.zeros(DType.FLOAT64, 1, n), plainHv = Tensor.zeros(DType.FLOAT64, 1, n);
        for (int i = 0; i < n; i++) v.set(i, rng.nextDouble(-1, 1));
        net.hessianVector(t, smoothed, v, hv);
        net.hessianVector(t, plain, v, plainHv);
        double[] base = p.toDoubleArray();
        for (int i = 0; i < n; i++) p.set(i, base[i] + H * v.get(i));
        net.lossAndGradient(t, smoothed);
        double[] up = net.gradients().toDoubleArray();
        for (int i = 0; i < n; i++) p.set(i, base[i] - H * v.get(i));
        net.lossAndGradient(t, smoothed);
        double[] down = net.gradients().toDoubleArray();
        double differs = 0;
        for (int i = 0; i < n; i++) {
            assertEquals((up[i] - down[i]) / (2 * H), hv.get(i), 1e-8, "(H v)[" + i + "]");
            differs = Math.max(differs, Math.abs(hv.get(i) - plainHv.get(i)));
        }
        assertEquals(true, differs > 1e-3, "smoothing changes the network's Hessian: " + differs);
    }

    @Test
    void specsReadPyTorchsKeyAndRefuseTheRest() {
        assertEquals(new LossSpec(LossKind.CROSS_ENTROPY, 0.1), LossSpec.parse("cross_entropy:label_smoothing=0.1"));
        assertEquals(LossSpec.of(LossKind.MSE), LossSpec.parse("mse"));
        assertEquals("cross_entropy:label_smoothing=0.1", LossSpec.parse("cross_entropy:label_smoothing=0.1").label());
        assertEquals("cross_entropy", LossSpec.parse("cross_entropy:label_smoothing=0").label());
        String[][] bad = {{"cross_entropy:label_smoothing=1.5", "label_smoothing must be between 0.0 and 1.0"},
                {"cross_entropy:smoothing=0.1", "unknown key 'smoothing' for cross_entropy (valid: label_smoothing)"},
                {"mse:label_smoothing=0.1", "mse takes no keys"}};
        for (String[] c : bad) {
            var e = assertThrows(dev.ravine.UserError.class, () -> LossSpec.parse(c[0]));
            assertEquals("--loss " + c[0] + ": " + c[1], e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> LossSpec.parse("hinge"));
    }
}
