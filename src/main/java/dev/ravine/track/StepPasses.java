package dev.ravine.track;

import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.curvature.LinearOperator;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Parallel;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.Penalty;

/**
 * The loss a minibatch step descends (the data loss on the step's rows plus the penalty), read from the passes
 * training has just made: its gradient, and its Hessian as an operator whose products reuse the passes (the
 * R-operator's forward and backward only) in the training dtype. One per run, shared by its instruments, which
 * measure one after another: it holds the buffers.
 */
final class StepPasses {
    /** The penalty, whose gradient and curvature join the loss's; null for none. */
    private final Penalty.On penalty;
    private Tensor direction, product, gradient;
    private double[] values;

    StepPasses(Penalty.On penalty) {
        this.penalty = penalty;
    }

    /** The Hessian at the step's weights on its minibatch, whose {@code targets} the passes used. */
    LinearOperator hessian(Network net, Tensor targets, Loss loss) {
        int n = net.parameterCount();
        if (direction == null) {
            direction = Tensor.zeros(net.dtype, 1, n);
            product = Tensor.zeros(net.dtype, 1, n);
        }
        double epsilon = net.dtype == DType.FLOAT32 ? Math.ulp(1.0f) : Math.ulp(1.0);
        // the products' longest sums: over a layer's inputs (forward), its outputs (backward) or the rows (weights)
        int terms = targets.rows();
        for (dev.ravine.autodiff.Layer layer : net.layers()) terms = Math.max(terms, Math.max(layer.inputWidth(), layer.outputWidth()));
        // each thread converts its share of every tensor, the rows of the weights it reads in the products
        int[] bounds = net.tensorBounds();
        return LinearOperator.of(n, epsilon, terms, (v, hv) -> {
            Parallel.forSegments(bounds, n, (from, to) -> direction.writeRange(from, to, v));
            net.hessianVector(targets, loss, direction, product, true);
            Parallel.forSegments(bounds, n, (from, to) -> product.readRange(from, to, hv));
            if (penalty != null) penalty.addHessianVector(v, hv);
        });
    }

    /**
     * The step's objective at the network's weights: the loss of its last forward pass's outputs on {@code targets},
     * plus the penalty there.
     */
    double value(Network net, Tensor targets, Loss loss) {
        double value = loss.forwardBackward(net.output(), targets, null);
        return penalty == null ? value : value + penalty.value(net.parameters());
    }

    /** The gradient at the step's weights, penalty included, in float64 (a buffer this overwrites next time). */
    double[] gradient(Network net) {
        int n = net.parameterCount();
        if (values == null) values = new double[n];
        if (penalty == null) { // widened straight into the array: the one copy there is to make
            net.gradients().readRow(0, values);
            return values;
        }
        if (gradient == null) gradient = Tensor.zeros(DType.FLOAT64, 1, n);
        net.gradients().copyTo(gradient);
        penalty.addGradient(net.parameters(), gradient);
        gradient.readRow(0, values);
        return values;
    }
}
