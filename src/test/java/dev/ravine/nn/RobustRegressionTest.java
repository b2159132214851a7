package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ravine.autodiff.Loss;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * huber, smooth_l1 and l1: the value by PyTorch's definitions, the gradient and curvature against central finite
 * differences in float64 (residuals on both sides of the quadratic zone's edge), and a network's Hessian-vector
 * product against finite differences of its gradient.
 */
class RobustRegressionTest {
    @ParameterizedTest
    @CsvSource({"huber, 1.0", "huber, 0.3", "smooth_l1, 0.5", "smooth_l1, 0", "l1, 0"})
    void derivativesMatchFiniteDifferences(String name, double edge) {
        LossSpec spec = LossSpec.parse(edge == LossKind.parse(name).defaultValue ? name
                : name + ":" + LossKind.parse(name).key + "=" + edge);
        Loss loss = spec.forTask(false, 1);
        SplittableRandom rng = new SplittableRandom(21);
        int rows = 6, k = 3;
        Tensor z = Tensor.zeros(DType.FLOAT64, rows, k), t = Tensor.zeros(DType.FLOAT64, rows, k);
        for (int i = 0; i < z.size(); i++) {
            z.set(i, rng.nextDouble(-2, 2));
            t.set(i, rng.nextDouble(-2, 2));
        }
        double expected = 0;
        for (int i = 0; i < z.size(); i++) {
            double r = z.get(i) - t.get(i), a = Math.abs(r);
            expected += switch (name) {
                case "huber" -> a < edge ? 0.5 * r * r : edge * (a - 0.5 * edge);
                case "smooth_l1" -> a < edge ? 0.5 * r * r / edge : a - 0.5 * edge;
                default -> a;
            } / z.size();
        }
        assertEquals(expected, loss.forwardBackward(z, t, null), 1e-15);
        LossDerivatives.checkInOutputs(loss, z, t, rng);
        LossDerivatives.checkNetworkHessianVector(loss, 13);
    }

    @Test
    void specsTakePyTorchsKeysAndChecks() {
        assertEquals(new LossSpec(LossKind.HUBER, 0.5), LossSpec.parse("huber:delta=0.5"));
        assertEquals("huber", LossSpec.parse("huber:delta=1.0").label());
        assertEquals("smooth_l1:beta=0.25", LossSpec.parse("smooth_l1:beta=0.25").label());
        String[][] bad = {{"huber:delta=0", "huber_loss does not support non-positive values for delta."},
                {"smooth_l1:beta=-1", "smooth_l1_loss does not support negative values for beta."},
                {"huber:beta=1", "unknown key 'beta' for huber (valid: delta)"},
                {"l1:delta=1", "l1 takes no keys"}};
        for (String[] c : bad) {
            var e = assertThrows(dev.ravine.UserError.class, () -> LossSpec.parse(c[0]));
            assertEquals("--loss " + c[0] + ": " + c[1], e.getMessage());
        }
        var classify = assertThrows(IllegalArgumentException.class, () -> LossSpec.parse("huber").forTask(true, 2));
        assertEquals("huber is a regression loss; classification trains with cross_entropy, mse or sigmoid_mse", classify.getMessage());
    }
}
