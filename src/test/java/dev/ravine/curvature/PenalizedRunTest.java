package dev.ravine.curvature;

import dev.ravine.nn.BatchNormMode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.cli.Cli;
import dev.ravine.train.FullBatchObjective;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run trained with --l1 and --l2 is analysed on its training objective: at the same weights and rows, its loss
 * is the data loss plus the penalty, its gradient the data gradient plus the penalty's, and its Hessian the data
 * loss's plus l2 on each weight's diagonal entry (biases free, the L1 term without curvature).
 */
class PenalizedRunTest {
    @Test
    void aRunIsAnalysedWithItsPenalty(@TempDir Path tmp) {
        Path run = tmp.resolve("run");
        Cli t = Cli.run("train", "--data", "breast_cancer", "--model", "mlp:4:tanh", "--epochs", "2", "--l1", "0.01", "--l2", "0.5",
                "--dtype", "float64", "--out", run.toString());
        assertEquals(0, t.exit(), t::toString);
        ModelOnData m = ModelOnData.ofRun(run, null, BatchNormMode.EVAL);
        FullBatchObjective plain = new FullBatchObjective(m.model.network, m.loss, m.data);
        int n = m.parameters();
        double[] g = new double[n], gPlain = new double[n];
        double loss = m.lossAndGradient(g), lossPlain = plain.valueAndGradient(m.weights, gPlain);
        int[] bounds = m.model.network.tensorBounds(); // 0.weight, 0.bias, 2.weight, 2.bias
        double abs = 0, squares = 0;
        for (int i = 0; i < n; i++) {
            boolean weight = i < bounds[1] || (i >= bounds[2] && i < bounds[3]);
            double w = m.weights[i];
            if (weight) {
                abs += Math.abs(w);
                squares += w * w;
            }
            assertEquals(gPlain[i] + (weight ? 0.01 * Math.signum(w) + 0.5 * w : 0), g[i], 1e-12, "gradient[" + i + "]");
        }
        assertEquals(lossPlain + 0.01 * abs + 0.25 * squares, loss, 1e-12);
        SplittableRandom rng = new SplittableRandom(8);
        double[] v = new double[n], hv = new double[n], hvPlain = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextDouble(-1, 1);
        m.hessian().apply(v, hv);
        plain.hessianVector(m.weights, v, hvPlain);
        for (int i = 0; i < n; i++) {
            boolean weight = i < bounds[1] || (i >= bounds[2] && i < bounds[3]);
            assertEquals(hvPlain[i] + (weight ? 0.5 * v[i] : 0), hv[i], 1e-12, "(H v)[" + i + "]");
        }
    }
}
