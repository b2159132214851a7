package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertEquals(expected, loss.forwardBackward(z, t, null), 1e-14);
        LossDerivatives.checkInOutputs(loss, z, t, rng);
    }

    /** With class weights: the value by PyTorch's definition, the derivatives against finite differences, with and without smoothing. */
    @ParameterizedTest
    @ValueSource(doubles = {0, 0.1, 1})
    void weightedDerivativesMatchFiniteDifferences(double eps) {
        SplittableRandom rng = new SplittableRandom(7);
        int rows = 6, k = 4;
        double[] w = {0.5, 3, 1, 0.25};
        Loss loss = new SoftmaxCrossEntropy(eps, w);
        Tensor z = Tensor.zeros(DType.FLOAT64, rows, k), t = Tensor.zeros(DType.FLOAT64, rows, 1);
        for (int i = 0; i < z.size(); i++) z.set(i, rng.nextDouble(-3, 3));
        for (int i = 0; i < rows; i++) t.set(i, rng.nextInt(k));
        double sum = 0, total = 0; // (1 - eps) nll_loss(weight) + eps/K sum_i sum_k w_k (-log p_ik) / sum_i w_{y_i}
        for (int i = 0; i < rows; i++) {
            int y = (int) t.get(i);
            double norm = 0;
            for (int j = 0; j < k; j++) norm += Math.exp(z.get(i, j));
            sum += (1 - eps) * w[y] * -Math.log(Math.exp(z.get(i, y)) / norm);
            for (int j = 0; j < k; j++) sum += eps / k * w[j] * -Math.log(Math.exp(z.get(i, j)) / norm);
            total += w[y];
        }
        assertEquals(sum / total, loss.forwardBackward(z, t, null), 1e-14);
        LossDerivatives.checkInOutputs(loss, z, t, rng);
        LossDerivatives.checkNetworkHessianVector(new SoftmaxCrossEntropy(eps, new double[] {2, 0.5, 1}), 13);
        assertThrows(IllegalArgumentException.class, () -> new SoftmaxCrossEntropy(eps, new double[] {1, 2}).forwardBackward(z, t, null));
    }

    /** Smoothing changes dL/dz, which weighs the outputs' own curvature in the network's Hessian: checked through the R-operator. */
    @Test
    void networkHessianVectorProductsMatchFiniteDifferencesOfGradients() {
        double[] smoothed = LossDerivatives.checkNetworkHessianVector(new SoftmaxCrossEntropy(0.3), 11);
        double[] plain = LossDerivatives.checkNetworkHessianVector(new SoftmaxCrossEntropy(), 11);
        double differs = 0;
        for (int i = 0; i < plain.length; i++) differs = Math.max(differs, Math.abs(smoothed[i] - plain[i]));
        assertTrue(differs > 1e-3, "smoothing changes the network's Hessian: " + differs);
    }

    /**
     * The softmax kept between products at one point follows its outputs: after a product at z, a product at z with
     * one entry changed, then at z again, each equals p (rz - p . rz) / n from the definition. A softmax kept past a
     * change of z would leave the changed row's p as it was.
     */
    @Test
    void theKeptSoftmaxFollowsTheOutputs() {
        SplittableRandom rng = new SplittableRandom(11);
        int rows = 3, k = 4;
        Loss loss = new SoftmaxCrossEntropy(0);
        Tensor z = Tensor.zeros(DType.FLOAT64, rows, k), t = Tensor.zeros(DType.FLOAT64, rows, 1);
        Tensor rz = Tensor.zeros(DType.FLOAT64, rows, k), rg = Tensor.zeros(DType.FLOAT64, rows, k);
        for (int i = 0; i < z.size(); i++) {
            z.set(i, rng.nextDouble(-3, 3));
            rz.set(i, rng.nextDouble(-1, 1));
        }
        double saved = z.get(rows * k - 1);
        for (double last : new double[] {saved, saved + 2, saved, saved}) {
            z.set(rows * k - 1, last);
            loss.rGradient(z, t, rz, rg);
            for (int i = 0; i < rows; i++) {
                double sum = 0, pDotRz = 0;
                for (int j = 0; j < k; j++) sum += Math.exp(z.get(i, j));
                for (int j = 0; j < k; j++) pDotRz += Math.exp(z.get(i, j)) / sum * rz.get(i, j);
                for (int j = 0; j < k; j++)
                    assertEquals(Math.exp(z.get(i, j)) / sum * (rz.get(i, j) - pDotRz) / rows, rg.get(i, j), 1e-15, "the last output at " + last);
            }
        }
    }

    @Test
    void specsReadPyTorchsKeyAndRefuseTheRest() {
        assertEquals(new LossSpec(LossKind.CROSS_ENTROPY, 0.1), LossSpec.parse("cross_entropy:label_smoothing=0.1"));
        assertEquals(LossSpec.of(LossKind.MSE), LossSpec.parse("mse"));
        assertEquals("cross_entropy:label_smoothing=0.1", LossSpec.parse("cross_entropy:label_smoothing=0.1").label());
        assertEquals("cross_entropy", LossSpec.parse("cross_entropy:label_smoothing=0").label());
        String[][] bad = {{"cross_entropy:label_smoothing=1.5", "label_smoothing must be between 0.0 and 1.0"},
                {"cross_entropy:smoothing=0.1", "unknown key 'smoothing' for cross_entropy (valid: label_smoothing, weight)"},
                {"mse:label_smoothing=0.1", "mse takes no keys"}};
        for (String[] c : bad) {
            var e = assertThrows(dev.ravine.UserError.class, () -> LossSpec.parse(c[0]));
            assertEquals("--loss " + c[0] + ": " + c[1], e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> LossSpec.parse("hinge"));
    }
}
