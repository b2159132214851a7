package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.autodiff.Loss;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.util.SplittableRandom;

/** The central finite-difference checks every loss takes, in float64. */
final class LossDerivatives {
    private static final double H = 1e-5;

    private LossDerivatives() {
    }

    /** dL/dz against differences of the loss, and R{dL/dz} in a random direction against differences of dL/dz. */
    static void checkInOutputs(Loss loss, Tensor z, Tensor t, SplittableRandom rng) {
        int rows = z.rows(), k = z.cols;
        Tensor g = Tensor.zeros(DType.FLOAT64, rows, k);
        loss.forwardBackward(z, t, g);
        for (int i = 0; i < z.size(); i++) {
            double saved = z.get(i);
            z.set(i, saved + H);
            double up = loss.forwardBackward(z, t, null);
            z.set(i, saved - H);
            double down = loss.forwardBackward(z, t, null);
            z.set(i, saved);
            assertEquals((up - down) / (2 * H), g.get(i), 1e-9, "dL/dz[" + i + "]");
        }
        Tensor rz = Tensor.zeros(DType.FLOAT64, rows, k), rg = Tensor.zeros(DType.FLOAT64, rows, k);
        for (int i = 0; i < rz.size(); i++) rz.set(i, rng.nextDouble(-1, 1));
        loss.rGradient(z, t, rz, rg);
        Tensor zUp = Tensor.zeros(DType.FLOAT64, rows, k), zDown = Tensor.zeros(DType.FLOAT64, rows, k);
        Tensor gUp = Tensor.zeros(DType.FLOAT64, rows, k), gDown = Tensor.zeros(DType.FLOAT64, rows, k);
        for (int i = 0; i < z.size(); i++) {
            zUp.set(i, z.get(i) + H * rz.get(i));
            zDown.set(i, z.get(i) - H * rz.get(i));
        }
        loss.forwardBackward(zUp, t, gUp);
        loss.forwardBackward(zDown, t, gDown);
        for (int i = 0; i < z.size(); i++) assertEquals((gUp.get(i) - gDown.get(i)) / (2 * H), rg.get(i), 1e-9, "R{dL/dz}[" + i + "]");
    }

    /**
     * A random 4-5-3 tanh network's Hessian-vector product on 6 random rows (random classes, or random values for a
     * regression loss) against central differences of its gradient; returns H v.
     */
    static double[] checkNetworkHessianVector(Loss loss, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Mlp mlp = new Mlp(MlpSpec.parse("mlp:4-5-3:tanh"), 4, 3, DType.FLOAT64, 6);
        var net = mlp.network;
        Tensor p = net.parameters();
        for (int i = 0; i < p.size(); i++) p.set(i, rng.nextDouble(-1, 1));
        Tensor x = net.input(6);
        for (int i = 0; i < x.size(); i++) x.set(i, rng.nextDouble(-2, 2));
        int width = loss.targetWidth(3); // a class index, or a value for each output
        Tensor t = Tensor.zeros(DType.FLOAT64, 6, width);
        for (int i = 0; i < t.size(); i++) t.set(i, width == 1 ? rng.nextInt(3) : rng.nextDouble(-2, 2));
        int n = p.size();
        Tensor v = Tensor.zeros(DType.FLOAT64, 1, n), hv = Tensor.zeros(DType.FLOAT64, 1, n);
        for (int i = 0; i < n; i++) v.set(i, rng.nextDouble(-1, 1));
        net.hessianVector(t, loss, v, hv);
        double[] base = p.toDoubleArray(), up, down;
        for (int i = 0; i < n; i++) p.set(i, base[i] + H * v.get(i));
        net.lossAndGradient(t, loss);
        up = net.gradients().toDoubleArray();
        for (int i = 0; i < n; i++) p.set(i, base[i] - H * v.get(i));
        net.lossAndGradient(t, loss);
        down = net.gradients().toDoubleArray();
        for (int i = 0; i < n; i++) assertEquals((up[i] - down[i]) / (2 * H), hv.get(i), 1e-8, "(H v)[" + i + "]");
        return hv.toDoubleArray();
    }
}
