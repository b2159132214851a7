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
        assertEquals(expected, loss.forwardBackward(z, t, null), 1e-15);
        LossDerivatives.checkInOutputs(loss, z, t, rng);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void networkHessianVectorProductsMatchFiniteDifferencesOfGradients(boolean sigmoid) {
        LossDerivatives.checkNetworkHessianVector(new OneHotSquaredError(sigmoid), 9);
    }
}
