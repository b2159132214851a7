package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.autodiff.Layer;
import dev.ravine.cli.Cli;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropoutTest {
    private static final double H = 1e-6;

    @Test
    void gradientsThroughAFixedMaskMatchFiniteDifferences() {
        Mlp mlp = new Mlp(MlpSpec.parse("mlp:5-6-4-3:tanh"), 5, 3, DType.FLOAT64, 8, new Dropout(0.4, Dropout.Style.INVERTED, 1), false, true);
        var net = mlp.network;
        SplittableRandom rng = new SplittableRandom(2);
        Tensor p = net.parameters();
        for (int i = 0; i < p.size(); i++) p.set(i, rng.nextDouble(-1, 1));
        Tensor x = net.input(7);
        for (int i = 0; i < x.size(); i++) x.set(i, rng.nextDouble(-2, 2));
        Tensor targets = Tensor.zeros(DType.FLOAT64, 7, 1);
        for (int i = 0; i < 7; i++) targets.set(i, rng.nextInt(3));
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        net.lossAndGradient(targets, loss); // draws the masks
        for (Layer l : net.layers()) if (l instanceof DropoutLayer d) d.freeze(true);
        double[] g = net.gradients().toDoubleArray();
        for (int i = 0; i < p.size(); i++) {
            double saved = p.get(i);
            p.set(i, saved + H);
            double up = net.lossAndGradient(targets, loss);
            p.set(i, saved - H);
            double down = net.lossAndGradient(targets, loss);
            p.set(i, saved);
            assertEquals((up - down) / (2 * H), g[i], 1e-7, "d loss / d theta[" + i + "] through the mask");
        }
        // training drops units and scales the rest by 1/(1-p); inference is the plain network
        Tensor trained = net.forward(true);
        double withMask = trained.get(0);
        double plain = net.forward(false).get(0);
        assertTrue(withMask != plain, "the frozen mask changes the training output");
        Mlp without = new Mlp(MlpSpec.parse("mlp:5-6-4-3:tanh"), 5, 3, DType.FLOAT64, 8);
        for (int i = 0; i < p.size(); i++) without.network.parameters().set(i, p.get(i));
        Tensor wx = without.network.input(7);
        for (int i = 0; i < wx.size(); i++) wx.set(i, x.get(i));
        Tensor expected = without.network.forward(false), actual = net.forward(false);
        for (int i = 0; i < expected.size(); i++) assertEquals(expected.get(i), actual.get(i), 0, "inference ignores dropout");
    }

    @Test
    void masksDropAboutPAndScaleWhatIsKept() {
        DropoutLayer d = new DropoutLayer(new Dropout(0.3, Dropout.Style.INVERTED, 5), 1000, 2, true);
        Tensor x = Tensor.zeros(DType.FLOAT64, 10, 1000), y = Tensor.zeros(DType.FLOAT64, 10, 1000);
        x.fill(1);
        d.forward(null, x, y, true);
        int dropped = 0;
        for (int i = 0; i < y.size(); i++) {
            if (y.get(i) == 0) dropped++;
            else assertEquals(1 / 0.7, y.get(i), 1e-15);
        }
        assertEquals(0.3, dropped / 10000.0, 0.02);
    }

    @Test
    void trainingWithDropoutReachesTheLecturesAccuracyAndEvaluatesWithoutIt(@TempDir Path tmp) throws Exception {
        for (String style : new String[] {"inverted", "scale-weights"}) {
            Path run = tmp.resolve(style);
            Cli r = Cli.run("train", "--dropout", "0.3", "--dropout-style", style, "--format", "json", "--out", run.toString());
            assertEquals(0, r.exit(), r::toString);
            String[] lines = r.out().strip().split("\n");
            JsonNode last = new ObjectMapper().readTree(lines[lines.length - 1]);
            assertTrue(last.get("val_accuracy").asDouble() >= 0.95, style + ": " + last);
            Cli e = Cli.run("evaluate", run.toString(), "--format", "json");
            assertEquals(0, e.exit(), e::toString);
            JsonNode ev = new ObjectMapper().readTree(e.out());
            // the saved model is the network inference ran at the last epoch (scale-weights: the factor folded in)
            assertEquals(last.get("val_loss").asDouble(), ev.get("loss").asDouble(), 1e-5, style);
            assertEquals(last.get("val_accuracy").asDouble(), ev.get("accuracy").asDouble(), 0, style);
            var names = dev.ravine.tensor.Safetensors.read(run.resolve("model.safetensors")).keySet();
            assertEquals(java.util.Set.of("0.weight", "0.bias", "3.weight", "3.bias"), names, "nn.Sequential(Linear, ReLU, Dropout, Linear)");
            Cli units = Cli.run("units", run.toString(), "--format", "json"); // finds the layers past the dropout layer's index
            assertEquals(0, units.exit(), units::toString);
            assertEquals(128, new ObjectMapper().readTree(units.out()).get("layers").get(0).get("units").asInt());
        }
    }

    @Test
    void mistakes(@TempDir Path tmp) {
        Cli p = Cli.run("train", "--dropout", "1", "--out", tmp.resolve("a").toString());
        assertEquals("ravine: --dropout 1: expected a probability in [0, 1)\n", p.err());
        Cli style = Cli.run("train", "--dropout", "0.2", "--dropout-style", "gaussian", "--out", tmp.resolve("b").toString());
        assertEquals("ravine: --dropout-style gaussian: expected inverted or scale-weights\n", style.err());
        Cli full = Cli.run("train", "--dropout", "0.2", "--optimizer", "lbfgs", "--out", tmp.resolve("c").toString());
        assertEquals(2, full.exit());
        assertTrue(full.err().startsWith("ravine: --dropout: lbfgs trains full-batch"), full.err());
    }
}
