package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ravine.nn.Init;
import dev.ravine.nn.Mlp;
import dev.ravine.nn.MlpSpec;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The L1/L2 penalty against central finite differences in float64, its curvature, and what it leaves alone. */
class PenaltyTest {
    private static final double H = 1e-6;

    @Test
    void gradientAndCurvatureMatchFiniteDifferences() {
        Mlp mlp = new Mlp(MlpSpec.parse("mlp:5-4-3:tanh"), 5, 3, DType.FLOAT64, 4);
        Init.TORCH.apply(mlp, 3);
        Penalty.On penalty = new Penalty(0.03, 0.2).on(mlp.network);
        Tensor p = mlp.network.parameters();
        int n = p.size();
        Tensor gradient = Tensor.zeros(DType.FLOAT64, 1, n);
        penalty.addGradient(p, gradient);
        int[] bounds = mlp.network.tensorBounds(); // 0.weight, 0.bias, 2.weight, 2.bias
        for (int i = 0; i < n; i++) {
            boolean bias = (i >= bounds[1] && i < bounds[2]) || i >= bounds[3];
            double saved = p.get(i);
            p.set(i, saved + H);
            double up = penalty.value(p);
            p.set(i, saved - H);
            double down = penalty.value(p);
            p.set(i, saved);
            assertEquals((up - down) / (2 * H), gradient.get(i), 1e-8, "d penalty / d theta[" + i + "]");
            if (bias) assertEquals(0, gradient.get(i), 0, "biases are not penalized: theta[" + i + "]");
        }
        // curvature: (g(theta + h v) - g(theta - h v)) / 2h against H v; the L1 term contributes none away from 0
        SplittableRandom rng = new SplittableRandom(4);
        double[] v = new double[n], hv = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextDouble(-1, 1);
        penalty.addHessianVector(v, hv);
        Tensor plus = Tensor.zeros(DType.FLOAT64, 1, n), minus = Tensor.zeros(DType.FLOAT64, 1, n);
        Tensor at = Tensor.zeros(DType.FLOAT64, 1, n);
        for (int i = 0; i < n; i++) at.set(i, p.get(i) + H * v[i]);
        penalty.addGradient(at, plus);
        for (int i = 0; i < n; i++) at.set(i, p.get(i) - H * v[i]);
        penalty.addGradient(at, minus);
        for (int i = 0; i < n; i++) assertEquals((plus.get(i) - minus.get(i)) / (2 * H), hv[i], 1e-8, "(H v)[" + i + "]");
    }

    @Test
    void theValueIsTheLecturesFormula() {
        Mlp mlp = new Mlp(MlpSpec.parse("mlp:2-1:identity"), 2, 1, DType.FLOAT64, 1);
        Tensor p = mlp.network.parameters(); // 0.weight [1, 2], 0.bias [1]
        p.set(0, 3);
        p.set(1, -4);
        p.set(2, 100); // the bias: not penalized
        assertEquals(0.5 * 7 + 0.1 / 2 * 25, new Penalty(0.5, 0.1).on(mlp.network).value(p), 1e-15);
        assertEquals(0, new Penalty(0, 0).on(mlp.network).value(p), 0);
        assertThrows(IllegalArgumentException.class, () -> new Penalty(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Penalty(0, Double.NaN));
    }
}
