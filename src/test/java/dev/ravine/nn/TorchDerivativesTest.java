package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.autodiff.Loss;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Loss, gradient and full Hessian of tiny MLPs against PyTorch ({@code torch.autograd.functional.hessian}) for every
 * activation, each hyperparameter also away from its default, and both losses, in float64. Values from {@code src/test/resources/golden/generate.py}.
 */
class TorchDerivativesTest {
    @Test
    void lossGradientAndHessianMatchPyTorch() throws Exception {
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("/golden/derivatives.json")) {
            cases = new ObjectMapper().readTree(in);
        }
        int checked = 0;
        for (JsonNode c : cases) {
            String act = c.get("activation").asText();
            boolean classification = c.get("task").asText().equals("classification");
            JsonNode sizes = c.get("sizes");
            int in = sizes.get(0).asInt(), out = sizes.get(sizes.size() - 1).asInt(), rows = c.get("x").size();
            Mlp mlp = new Mlp(MlpSpec.parse("mlp:" + sizes.get(0) + "-" + sizes.get(1) + "-" + sizes.get(2) + ":" + act), in, out, DType.FLOAT64, rows);
            Tensor p = mlp.network.parameters();
            for (int i = 0; i < p.size(); i++) p.set(i, c.get("params").get(i).asDouble());
            Tensor x = mlp.network.input(rows);
            for (int i = 0; i < rows; i++) for (int j = 0; j < in; j++) x.set(i, j, c.get("x").get(i).get(j).asDouble());
            Tensor y = Tensor.zeros(DType.FLOAT64, rows, classification ? 1 : out);
            for (int i = 0; i < rows; i++) {
                if (classification) y.set(i, c.get("y").get(i).asDouble());
                else for (int j = 0; j < out; j++) y.set(i, j, c.get("y").get(i).get(j).asDouble());
            }
            Loss loss = classification ? new SoftmaxCrossEntropy() : new MeanSquaredError();
            String name = act + " " + c.get("task").asText();

            assertEquals(c.get("loss").asDouble(), mlp.network.lossAndGradient(y, loss), 1e-12, name + " loss");
            for (int i = 0; i < p.size(); i++)
                assertEquals(c.get("grad").get(i).asDouble(), mlp.network.gradients().get(i), 1e-12, name + " gradient " + i);
            double[][] h = HessianAssembly.full(mlp.network, y, loss);
            for (int i = 0; i < h.length; i++)
                for (int j = 0; j < h.length; j++)
                    assertEquals(c.get("hessian").get(i).get(j).asDouble(), h[j][i], 1e-11, name + " H[" + i + "][" + j + "]");
            checked++;
        }
        assertEquals(2 * Fixtures.activations().count(), checked, "one case per activation (Fixtures.activations) and loss");
    }
}
