package dev.ravine.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.data.Dataset;
import dev.ravine.data.Datasets;
import dev.ravine.data.Standardization;
import dev.ravine.nn.Init;
import dev.ravine.nn.Mlp;
import dev.ravine.nn.MlpSpec;
import dev.ravine.nn.SoftmaxCrossEntropy;
import dev.ravine.tensor.DType;
import dev.ravine.train.FullBatchObjective;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Units counted from the activations a gradient's forward pass left are the units a fresh inference pass counts, and
 * the counts an instrument logs are those of the whole health.
 */
class UnitHealthTest {
    @Test
    void theLastPassCountsWhatAFreshPassCounts() {
        Dataset d = Datasets.load("digits", null, null, DType.FLOAT64).data();
        Standardization.fit(d.x()).apply(d.x());
        for (String spec : new String[] {"mlp:16-8:relu", "mlp:16:tanh"}) {
            Mlp mlp = new Mlp(MlpSpec.parse(spec), d.features(), d.outputs(), DType.FLOAT64, d.rows());
            Init.HE.apply(mlp, 3);
            FullBatchObjective objective = new FullBatchObjective(mlp.network, new SoftmaxCrossEntropy(), d, null, false);
            double[] w = objective.parameters(), g = new double[w.length];
            int bias = mlp.network.parameterOffset(0) + 16 * d.features();
            for (int u = 0; u < 4; u++) w[bias + u] = -1e3; // units 0-3 below zero on every row: dead (ReLU), saturated (tanh)
            objective.valueAndGradient(w, g);
            List<UnitHealth.Counted> last = UnitHealth.countsOfLastPass(mlp.network), fresh = UnitHealth.countsOf(mlp.network, d);
            assertEquals(fresh, last, spec);
            UnitHealth whole = UnitHealth.of(mlp.network, d);
            assertEquals(whole.layers().size(), last.size(), spec);
            for (int h = 0; h < last.size(); h++) {
                UnitHealth.Hidden units = whole.layers().get(h);
                assertEquals(new UnitHealth.Counted(h, units.units(), units.activation(), units.dead().size(), units.saturated().size()), last.get(h), spec);
            }
            UnitHealth.Hidden first = whole.layers().get(0);
            assertEquals(List.of(0, 1, 2, 3), spec.endsWith("relu") ? first.dead() : first.saturated(), spec);
            assertEquals(4, spec.endsWith("relu") ? last.get(0).dead() : last.get(0).saturated(), spec);
        }
    }
}
