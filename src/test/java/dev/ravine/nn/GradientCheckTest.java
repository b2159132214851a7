package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.tensor.Pointwise;
import dev.ravine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Central finite differences in float64 against the analytic derivatives: of every activation (first and second
 * derivative), with its hyperparameters at PyTorch's defaults and away from them, and of the loss of a whole network through every layer kind, for both losses.
 */
class GradientCheckTest {
    private static final double H = 1e-6;

    /**
     * GELU's and SiLU's slopes take Phi(x) and sigmoid(x) as y / x from their outputs: the same as the functions
     * themselves, at 0 and far out on both sides too.
     */
    @Test
    void slopesFromTheOutputAreTheFunctionsOwn() {
        for (double x : new double[] {0.0, -0.0, 1e-300, -1e-300, 1e-8, -0.5, 0.5, 2.7, -6, 6, -20, 40, -800, 800}) {
            double phi = Erf.normalCdf(x), s = Activation.SIGMOID.apply(x);
            double[][] cases = {
                {phi + x * Erf.normalPdf(x), Activation.GELU.derivative(x, Activation.GELU.apply(x))},
                {s * (1 + x * (1 - s)), Activation.SILU.derivative(x, Activation.SILU.apply(x))},
                {s * (1 - s) * (2 + x * (1 - 2 * s)), Activation.SILU.second(x, Activation.SILU.apply(x))}};
            for (double[] c : cases) assertEquals(c[0], c[1], 4e-16 * Math.max(1, Math.abs(c[0])), "at " + x);
        }
        for (Activation f : new Activation[] {Activation.GELU, Activation.SILU})
            assertTrue(Double.isNaN(f.derivative(Double.NaN, f.apply(Double.NaN))), f + "' at NaN");
    }

    @ParameterizedTest
    @MethodSource("dev.ravine.nn.Fixtures#activations")
    void activationDerivativesMatchFiniteDifferences(String spec) {
        Pointwise f = Fixtures.function(spec);
        for (double x = -3.1; x <= 3.1; x += 0.37) {
            if (Math.abs(x) < 1e-3) continue; // kinks of ReLU-like functions
            double y = f.apply(x);
            double d1 = (f.apply(x + H) - f.apply(x - H)) / (2 * H);
            double d2 = (f.derivative(x + H, f.apply(x + H)) - f.derivative(x - H, f.apply(x - H))) / (2 * H);
            assertEquals(d1, f.derivative(x, y), 1e-8, spec + "' at " + x);
            assertEquals(d2, f.second(x, y), 1e-7, spec + "'' at " + x);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ravine.nn.Fixtures#activations")
    void networkGradientsMatchFiniteDifferences(String f) {
        for (boolean classification : new boolean[] {true, false}) {
            Fixtures fx = new Fixtures(f, classification, 11);
            double[] g = fx.gradient();
            Tensor p = fx.net.parameters();
            for (int i = 0; i < p.size(); i++) {
                double saved = p.get(i);
                p.set(i, saved + H);
                double up = fx.loss();
                p.set(i, saved - H);
                double down = fx.loss();
                p.set(i, saved);
                assertEquals((up - down) / (2 * H), g[i], 1e-8, f + (classification ? " cross-entropy" : " mse") + " parameter " + i);
            }
        }
    }
}
