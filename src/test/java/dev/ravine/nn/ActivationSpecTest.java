package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Model specs' activations with their modules' hyperparameters: what they parse to, and how they are named back. */
class ActivationSpecTest {
    private static ActivationSpec parse(String activation) {
        return MlpSpec.parse("mlp:8:" + activation).activation();
    }

    @Test
    void pyTorchsDefaultsAreTheKindsThemselvesWithTheirKernels() {
        for (String text : new String[] {"leaky_relu:negative_slope=0.01", "elu:alpha=1", "softplus:beta=1,threshold=20",
                "gelu:approximate=none", "leaky_relu", "gelu"}) {
            ActivationSpec a = parse(text);
            assertSame(a.kind(), a.function(), text);
            assertEquals(a.kind().label, a.label(), text);
        }
        assertSame(Activation.RELU, MlpSpec.parse("mlp:8").activation().function(), "ReLU without an activation");
    }

    @Test
    void otherValuesTakeTheTunedFormsAndNameThemselvesForRunJson() {
        assertEquals(new ActivationSpec(Activation.LEAKY_RELU, new TunedActivation.LeakyRelu(0.2), "leaky_relu:negative_slope=0.2"),
                parse("leaky_relu:negative_slope=0.2"));
        assertEquals(new ActivationSpec(Activation.ELU, new TunedActivation.Elu(0.5), "elu:alpha=0.5"), parse("elu:alpha=.5"));
        assertEquals(new ActivationSpec(Activation.SOFTPLUS, new TunedActivation.Softplus(2, 20), "softplus:beta=2.0,threshold=20.0"),
                parse("softplus:beta=2"));
        assertEquals(new ActivationSpec(Activation.GELU, new TunedActivation.GeluTanh(), "gelu:approximate=tanh"), parse("gelu:approximate=tanh"));
        for (String text : new String[] {"leaky_relu:negative_slope=0.2", "elu:alpha=0.5", "softplus:beta=2.0,threshold=20.0", "gelu:approximate=tanh"})
            assertEquals(parse(text), parse(parse(text).label()), text + " read back");
    }

    /** At the values PyTorch's modules print (LeakyReLU(0.2), ELU(0.5), Softplus(2, 1), GELU('tanh')), beside the formulas. */
    @Test
    void tunedFormsComputeTorchsFormulas() {
        double[] xs = {-3, -0.7, -1e-3, 0, 1e-3, 0.4, 0.6, 2.5};
        for (double x : xs) {
            assertEquals(x > 0 ? x : 0.2 * x, parse("leaky_relu:negative_slope=0.2").function().apply(x), 0, "leaky " + x);
            assertEquals(x > 0 ? x : 0.5 * (Math.exp(x) - 1), parse("elu:alpha=0.5").function().apply(x), 1e-16, "elu " + x);
            assertEquals(2 * x > 1 ? x : Math.log(1 + Math.exp(2 * x)) / 2, parse("softplus:beta=2,threshold=1").function().apply(x), 1e-15,
                    "softplus " + x);
            double u = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
            assertEquals(0.5 * x * (1 + Math.tanh(u)), parse("gelu:approximate=tanh").function().apply(x), 1e-16, "gelu " + x);
        }
        assertEquals(0.2, parse("leaky_relu:negative_slope=0.2").function().derivative(0, 0), "LeakyReLU'(0), PyTorch's");
        assertEquals(0.5, parse("elu:alpha=0.5").function().derivative(0, 0), "ELU'(0) = alpha, PyTorch's");
    }
}
