package dev.ravine.curvature;

import dev.ravine.nn.BatchNormMode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Hessian-vector products that reuse the cached forward and backward passes equal products computed afresh. */
class ReusedPassesTest {
    static final Path DIR = Path.of("src/test/resources/golden/curvature");

    private static ModelOnData load() {
        return ModelOnData.of(DIR.resolve("small_tanh.safetensors"), "mlp:64-8-10:tanh", DIR.resolve("digits300.csv").toString(), null, "auto", false, BatchNormMode.EVAL);
    }

    @Test
    void reusedPassesGiveTheSameProducts() {
        ModelOnData m = load();
        SplittableRandom rng = new SplittableRandom(1);
        double[][] vs = new double[3][m.parameters()];
        for (double[] v : vs) for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian();
        double[][] cached = new double[3][m.parameters()];
        LinearOperator h = m.hessian();
        h.apply(vs[0], cached[0]);
        h.apply(vs[1], cached[1]);                 // reuses the passes of the first product
        UnitHealth.of(m);                          // another forward pass on the same network...
        m.evaluateAt(vs[2]);                       // ...and other weights, then back
        h.apply(vs[2], cached[2]);                 // must notice and recompute
        for (int k = 0; k < 3; k++) {
            double[] fresh = new double[m.parameters()];
            load().hessian().apply(vs[k], fresh);
            assertArrayEquals(fresh, cached[k], 1e-14, "product " + k);
        }
    }

    /** The gradient at the weights leaves its inference passes for the products that follow: none runs them again. */
    @Test
    void aGradientLeavesItsPassesForTheProducts() {
        ModelOnData m = load();
        SplittableRandom rng = new SplittableRandom(2);
        double[] v = new double[m.parameters()];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian();
        m.lossAndGradient(new double[m.parameters()]);
        long passes = m.model.network.passes();
        double[] after = new double[m.parameters()];
        m.hessian().apply(v, after);
        assertEquals(passes, m.model.network.passes(), "the product ran a forward pass of its own");
        double[] fresh = new double[m.parameters()];
        load().hessian().apply(v, fresh);
        assertArrayEquals(fresh, after, 0);
    }
}
