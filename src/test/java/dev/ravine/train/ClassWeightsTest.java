package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ravine.autodiff.Loss;
import dev.ravine.data.Dataset;
import dev.ravine.data.Task;
import dev.ravine.nn.LossKind;
import dev.ravine.nn.LossSpec;
import dev.ravine.nn.Mlp;
import dev.ravine.nn.MlpSpec;
import dev.ravine.nn.SoftmaxCrossEntropy;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Cross-entropy's class weights where a mean is taken in chunks: the full-batch objective (value, gradient,
 * Hessian-vector and Gauss-Newton products, empirical Fisher) and the evaluation weigh each chunk by its rows' summed
 * class weight, so chunks of 7 rows give what one chunk of all 50 gives. And the spec: its keys, its label, and
 * scikit-learn's balanced weights.
 */
class ClassWeightsTest {
    private static final double[] WEIGHT = {0.5, 2, 1.25};

    @Test
    void chunkedMeansAreTheWholeSetsMean() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 50;
        Tensor x = Tensor.zeros(DType.FLOAT64, n, 4), y = Tensor.zeros(DType.FLOAT64, n, 1);
        for (int i = 0; i < x.size(); i++) x.set(i, rng.nextDouble(-2, 2));
        for (int i = 0; i < n; i++) y.set(i, rng.nextInt(3));
        Dataset data = new Dataset("random", List.of("a", "b", "c", "d"), "t", Task.CLASSIFICATION, 3, x, y);
        Loss loss = new SoftmaxCrossEntropy(0.2, WEIGHT);
        double total = 0;
        for (int i = 0; i < n; i++) total += WEIGHT[(int) y.get(i)];
        assertEquals(total, loss.normalizer(y), 1e-12);
        Mlp whole = new Mlp(MlpSpec.parse("mlp:4-6-3:tanh"), 4, 3, DType.FLOAT64, n), chunked = new Mlp(MlpSpec.parse("mlp:4-6-3:tanh"), 4, 3,
                DType.FLOAT64, 7);
        double[] w = IntStream.range(0, whole.network.parameterCount()).mapToDouble(i -> rng.nextDouble(-1, 1)).toArray();
        FullBatchObjective a = new FullBatchObjective(whole.network, loss, data, null, false), b = new FullBatchObjective(chunked.network, loss, data, null, false);
        double[] ga = new double[w.length], gb = new double[w.length], v = IntStream.range(0, w.length).mapToDouble(i -> rng.nextDouble(-1, 1)).toArray();
        assertEquals(a.valueAndGradient(w, ga), b.valueAndGradient(w, gb), 1e-13);
        assertClose(ga, gb);
        double[] ha = new double[w.length], hb = new double[w.length];
        a.hessianVector(w, v, ha);
        b.hessianVector(w, v, hb);
        assertClose(ha, hb);
        for (boolean empirical : new boolean[] {false, true}) {
            a.fisherVector(w, v, ha, empirical);
            b.fisherVector(w, v, hb, empirical);
            assertClose(ha, hb);
        }
        // the mean itself, by its definition: sum_i ((1 - eps) w_y (-log p_y) + eps/K sum_k w_k (-log p_k)) / sum_i w_y
        a.load(w);
        Tensor z = Tensor.zeros(DType.FLOAT64, n, 3);
        whole.network.input(n);
        for (int i = 0; i < n; i++) Dataset.copyRow(x, i, whole.network.input(n), i);
        whole.network.forward(false).copyTo(z);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int k = 0; k < 3; k++) norm += Math.exp(z.get(i, k));
            int label = (int) y.get(i);
            sum += 0.8 * WEIGHT[label] * -Math.log(Math.exp(z.get(i, label)) / norm);
            for (int k = 0; k < 3; k++) sum += 0.2 / 3 * WEIGHT[k] * -Math.log(Math.exp(z.get(i, k)) / norm);
        }
        chunked.network.parameters().writeRow(0, w);
        assertEquals(sum / total, Evaluation.of(chunked.network, loss, data).loss(), 1e-13);
        assertEquals(sum / total, a.valueAndGradient(w, ga), 1e-13);
    }

    private static void assertClose(double[] expected, double[] actual) {
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-13 * (1 + Math.abs(expected[i])), "entry " + i);
    }

    @Test
    void specsReadWeightsAndBalanceThemAsScikitLearn() {
        LossSpec spec = LossSpec.parse("cross_entropy:weight=1|2.5");
        assertEquals(List.of(1.0, 2.5), spec.weight());
        assertEquals("cross_entropy:weight=1.0|2.5", spec.label());
        assertEquals(spec, LossSpec.parse(spec.label()));
        LossSpec both = LossSpec.parse("cross_entropy:label_smoothing=0.1,weight=balanced");
        assertEquals("cross_entropy:label_smoothing=0.1,weight=balanced", both.label());
        // compute_class_weight("balanced"): n / (K n_k); classes with 6, 3 and 1 rows of 10
        LossSpec balanced = both.balancedFor(new long[] {6, 3, 1});
        assertEquals(List.of(10.0 / 18, 10.0 / 9, 10.0 / 3), balanced.weight());
        assertEquals(0.1, balanced.value());
        assertThrows(IllegalArgumentException.class, () -> both.balancedFor(new long[] {6, 0, 1}));
        assertThrows(IllegalStateException.class, () -> both.forTask(true, 3));
        assertThrows(IllegalArgumentException.class, () -> spec.forTask(true, 3));
        assertEquals(LossSpec.of(LossKind.CROSS_ENTROPY), LossSpec.parse("cross_entropy"));
        String[][] bad = {{"cross_entropy:weight=1|-2", "class weights must be positive numbers, got -2.0"},
                {"cross_entropy:weight=1|inf", "class weights must be positive numbers, got Infinity"},
                {"cross_entropy:weight=1|two", "weight=1|two is not numbers separated by |"},
                {"mse:weight=1|2", "mse takes no keys"}};
        for (String[] c : bad) {
            var e = assertThrows(dev.ravine.UserError.class, () -> LossSpec.parse(c[0]));
            assertEquals("--loss " + c[0] + ": " + c[1], e.getMessage());
        }
    }
}
