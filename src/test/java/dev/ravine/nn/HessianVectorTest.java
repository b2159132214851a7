package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exact Hessian-vector product (forward-over-reverse through the same layers) against central finite
 * differences of gradients, and the Hessian it assembles against its own transpose.
 */
class HessianVectorTest {
    @ParameterizedTest
    @MethodSource("dev.ravine.nn.Fixtures#activations")
    void hessianVectorProductMatchesFiniteDifferencesOfGradients(String f) {
        for (boolean classification : new boolean[] {true, false}) {
            Fixtures fx = new Fixtures(f, classification, 5);
            int n = fx.net.parameterCount();
            SplittableRandom rng = new SplittableRandom(3);
            Tensor v = Tensor.zeros(DType.FLOAT64, 1, n), hv = Tensor.zeros(DType.FLOAT64, 1, n);
            for (int i = 0; i < n; i++) v.set(i, rng.nextDouble(-1, 1));
            fx.net.hessianVector(fx.targets, fx.loss, v, hv);

            double h = 1e-5;
            Tensor p = fx.net.parameters();
            double[] saved = p.toDoubleArray();
            for (int i = 0; i < n; i++) p.set(i, saved[i] + h * v.get(i));
            double[] up = fx.gradient();
            for (int i = 0; i < n; i++) p.set(i, saved[i] - h * v.get(i));
            double[] down = fx.gradient();
            for (int i = 0; i < n; i++) p.set(i, saved[i]);
            for (int i = 0; i < n; i++)
                assertEquals((up[i] - down[i]) / (2 * h), hv.get(i), 1e-7, f + (classification ? " cross-entropy" : " mse") + " entry " + i);
        }
    }

    /**
     * Products at one point read the f'(x) and f''(x) an activation keeps (ActivationLayer), and give the bits a network
     * that never kept any gives; after new weights or new input rows, the next product's forward pass renews them.
     */
    @ParameterizedTest
    @MethodSource("dev.ravine.nn.Fixtures#activations")
    void productsAtOnePointReuseTheKeptSlopesAndAForwardPassRenewsThem(String f) {
        Fixtures fx = new Fixtures(f, true, 7), fresh = new Fixtures(f, true, 7);
        int n = fx.net.parameterCount();
        SplittableRandom rng = new SplittableRandom(5);
        Tensor v = Tensor.zeros(DType.FLOAT64, 1, n), hv = Tensor.zeros(DType.FLOAT64, 1, n), expected = Tensor.zeros(DType.FLOAT64, 1, n);
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < n; i++) v.set(i, rng.nextDouble(-1, 1));
            // rounds 1 and 3 at the last point; before round 2 new weights, before round 3 also new input rows
            if (round == 2) for (Fixtures each : new Fixtures[] {fx, fresh}) each.net.parameters().set(0, 0.37);
            if (round == 3) for (Fixtures each : new Fixtures[] {fx, fresh}) each.net.input(6).set(4, -1.3);
            if (round == 3) fx.net.hessianVector(fx.targets, fx.loss, v, hv); // the new rows' passes
            fx.net.hessianVector(fx.targets, fx.loss, v, hv, round == 1 || round == 3);
            // a network whose activations have kept nothing: its own first product, from fresh layers
            Fixtures clean = new Fixtures(f, true, 7);
            clean.net.parameters().set(0, round >= 2 ? 0.37 : clean.net.parameters().get(0));
            if (round == 3) clean.net.input(6).set(4, -1.3);
            clean.net.hessianVector(clean.targets, clean.loss, v, expected);
            for (int i = 0; i < n; i++)
                assertEquals(Double.doubleToLongBits(expected.get(i)), Double.doubleToLongBits(hv.get(i)), f + " round " + round + " entry " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ravine.nn.Fixtures#activations")
    void assembledHessianIsSymmetric(String f) {
        Fixtures fx = new Fixtures(f, true, 9);
        double[][] hessian = HessianAssembly.full(fx.net, fx.targets, fx.loss);
        for (int i = 0; i < hessian.length; i++)
            for (int j = 0; j < i; j++) assertEquals(hessian[i][j], hessian[j][i], 1e-12, f + " H[" + i + "][" + j + "]");
    }
}
