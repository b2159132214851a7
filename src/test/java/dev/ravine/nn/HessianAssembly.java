package dev.ravine.nn;

import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;

/** The full Hessian of a small network, one column per Hessian-vector product with a unit vector. */
final class HessianAssembly {
    private HessianAssembly() {
    }

    static double[][] full(Network net, Tensor targets, Loss loss) {
        int n = net.parameterCount();
        double[][] h = new double[n][];
        Tensor e = Tensor.zeros(DType.FLOAT64, 1, n), column = Tensor.zeros(DType.FLOAT64, 1, n);
        for (int j = 0; j < n; j++) {
            e.set(j, 1);
            net.hessianVector(targets, loss, e, column);
            e.set(j, 0);
            h[j] = column.toDoubleArray();
        }
        return h;
    }
}
