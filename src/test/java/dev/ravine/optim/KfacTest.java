package dev.ravine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.cli.Cli;
import dev.ravine.nn.MlpSpec;
import dev.ravine.nn.Mlp;
import dev.ravine.nn.SoftmaxCrossEntropy;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** K-FAC's update against its formula worked out independently, and its effect against plain SGD. */
class KfacTest {
    @Test
    void updateIsTheDampedKroneckerFactoredInverseTimesTheGradient() {
        assertEquals(1, update(0), "no clip");
        assertEquals(1, update(1e3), "a clip the step stays within");
        assertTrue(update(1e-6) < 1, "a clip that scales the step down");
    }

    /** One K-FAC step with {@code klClip} against the formula worked out here; returns the clip's scale nu. */
    private static double update(double klClip) {
        int in = 4, out = 3, n = 7;
        double damping = 0.01, lr = 0.5;
        Mlp mlp = new Mlp(MlpSpec.parse("mlp:4-3:identity"), in, out, DType.FLOAT64, n); // one Linear layer
        SplittableRandom rng = new SplittableRandom(3);
        Tensor p = mlp.network.parameters(), x = mlp.network.input(n), y = Tensor.zeros(DType.FLOAT64, n, 1);
        for (int i = 0; i < p.size(); i++) p.set(i, rng.nextDouble(-1, 1));
        for (int i = 0; i < x.size(); i++) x.set(i, rng.nextDouble(-2, 2));
        for (int i = 0; i < n; i++) y.set(i, rng.nextInt(out));
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        mlp.network.lossAndGradient(y, loss);
        double[] before = p.toDoubleArray(), grad = mlp.network.gradients().toDoubleArray();
        Tensor gz = Tensor.zeros(DType.FLOAT64, n, out);
        mlp.network.outputGradient(0).copyTo(gz);

        Kfac kfac = new Kfac(new Kfac.Config(lr, damping, 0, 1, "empirical", klClip, 0));
        kfac.observe(mlp.network, loss, y);
        kfac.step(p, mlp.network.gradients(), lr);

        // A = mean of [x 1][x 1]^T, G = mean of (n gz)(n gz)^T, pi from their traces
        DMatrixRMaj a = new DMatrixRMaj(in + 1, in + 1), g = new DMatrixRMaj(out, out);
        for (int r = 0; r < n; r++) {
            for (int i = 0; i <= in; i++)
                for (int j = 0; j <= in; j++) a.add(i, j, (i < in ? x.get(r, i) : 1) * (j < in ? x.get(r, j) : 1) / n);
            for (int i = 0; i < out; i++) for (int j = 0; j < out; j++) g.add(i, j, n * gz.get(r, i) * gz.get(r, j));
        }
        double pi = Math.sqrt((CommonOps_DDRM.trace(a) / (in + 1)) / (CommonOps_DDRM.trace(g) / out));
        for (int i = 0; i <= in; i++) a.add(i, i, Math.sqrt(damping) * pi);
        for (int i = 0; i < out; i++) g.add(i, i, Math.sqrt(damping) / pi);
        DMatrixRMaj gradient = new DMatrixRMaj(out, in + 1), t = new DMatrixRMaj(out, in + 1), u = new DMatrixRMaj(out, in + 1);
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < in; j++) gradient.set(i, j, grad[i * in + j]);
            gradient.set(i, in, grad[out * in + i]);
        }
        CommonOps_DDRM.invert(a);
        CommonOps_DDRM.invert(g);
        CommonOps_DDRM.mult(g, gradient, t);
        CommonOps_DDRM.mult(t, a, u);
        // the KL clip (Ba et al. 2017): nu = min(1, sqrt(kl_clip / (lr^2 u . gradient)))
        double ug = 0;
        for (int i = 0; i < out; i++) for (int j = 0; j <= in; j++) ug += u.get(i, j) * gradient.get(i, j);
        double nu = klClip > 0 ? Math.min(1, Math.sqrt(klClip / (lr * lr * ug))) : 1;
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < in; j++) assertEquals(before[i * in + j] - lr * nu * u.get(i, j), p.get(i * in + j), 1e-12);
            assertEquals(before[out * in + i] - lr * nu * u.get(i, in), p.get(out * in + i), 1e-12);
        }
        return nu;
    }

    @Test
    void preconditioningBeatsPlainSgdAtTheSameRate(@TempDir Path tmp) throws Exception {
        double kfac = finalAccuracy("kfac:lr=0.01", tmp.resolve("kfac")), sgd = finalAccuracy("sgd:lr=0.01", tmp.resolve("sgd"));
        assertTrue(kfac > 0.95 && kfac > sgd + 0.1, "kfac " + kfac + " vs sgd " + sgd);
    }

    @Test
    void onBareParametersItPreconditionsByTheGradientsOuterProduct() {
        // one bias block: A = [1], G = g g^T on the first step, so by Sherman-Morrison the step is
        // lr g / ((|g|^2 + sqrt(damping) / pi) (1 + sqrt(damping) pi)) with pi = sqrt(1 / (|g|^2 / 2))
        var f = dev.ravine.lab.TestFunction.parse("quadratic:kappa=100");
        var path = dev.ravine.lab.Trajectory.run(f, "kfac:lr=0.5,damping=0.01", 1, 1, 3).points;
        double gx = 1, gy = 100, g2 = gx * gx + gy * gy, pi = Math.sqrt(1 / (g2 / 2)), root = 0.1;
        double scale = 0.5 / ((g2 + root / pi) * (1 + root * pi));
        assertEquals(1 - scale * gx, path.get(1).x(), 1e-14);
        assertEquals(1 - scale * gy, path.get(1).y(), 1e-14);
        Cli r = Cli.run("optimize", "--function", "rosenbrock", "--optimizer", "kfac", "--start", "-1.2,1", "--steps", "50");
        assertEquals(0, r.exit(), r::toString);
    }

    private static double finalAccuracy(String optimizer, Path out) throws Exception {
        Cli r = Cli.run("train", "--model", "mlp:64:tanh", "--optimizer", optimizer, "--epochs", "4", "--format", "json", "--out", out.toString());
        assertEquals(0, r.exit(), r::toString);
        String last = r.out().lines().reduce((p, q) -> q).orElseThrow();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(last).get("val_accuracy").asDouble();
    }
}
