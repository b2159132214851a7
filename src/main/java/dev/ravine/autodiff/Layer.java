package dev.ravine.autodiff;

import dev.ravine.tensor.Tensor;
import java.util.List;

/**
 * One differentiable step y = f(x; theta) of a network, applied to a minibatch (one row per example), with its
 * chain rule beside it. Parameters live in the network's flat vector; a layer sees them as views, in the order
 * of {@link #parameters()}.
 *
 * <p>Besides the usual forward and backward passes, every layer implements Pearlmutter's R-operator
 * (Pearlmutter 1994, "Fast exact multiplication by the Hessian"): the directional derivative R{.} = d/dr (.)(theta + r v)
 * of its forward and backward passes. Running {@link #rForward} after {@link #forward} and {@link #rBackward}
 * after {@link #backward} gives R{dL/dtheta} = H v exactly, at about the cost of two more gradients: the
 * forward-over-reverse Hessian-vector product that the curvature tools build on.
 */
public interface Layer {
    /** A parameter tensor: its name within the layer ({@code weight}, {@code bias}) and its shape. */
    record Parameter(String name, int rows, int cols, boolean vector) {
        public int size() {
            return rows * cols;
        }

        /** The safetensors shape: 1-D for vectors such as biases, as PyTorch stores them. */
        public long[] shape() {
            return vector ? new long[] {(long) rows * cols} : new long[] {rows, cols};
        }
    }

    /**
     * State a layer keeps beside its parameters, saved with them but not trained, as PyTorch's buffers: batch
     * norm's running statistics. {@code integral} ones are counters, stored as I64. A 0-dimensional buffer has
     * {@code shape} {@code []} and one value.
     */
    record Buffer(String name, long[] shape, boolean integral) {
        public int size() {
            long n = 1;
            for (long s : shape) n *= s;
            return Math.toIntExact(n);
        }
    }

    /** Buffer shapes in PyTorch's order; empty for most layers. */
    default List<Buffer> buffers() {
        return List.of();
    }

    /**
     * Hands the layer views of its buffers in the network's flat state (float64, in the order of
     * {@link #buffers()}), once, when the network is built; they hold zeros, and the layer sets its initial values.
     */
    default void bindBuffers(Tensor[] views) {
    }

    /**
     * Called as each training epoch begins: a layer that draws random numbers (dropout) starts that epoch's stream
     * from its seed and the epoch alone, so a run resumed at an epoch draws what an uninterrupted one would.
     */
    default void startEpoch(int epoch) {
    }

    /**
     * Adds to {@code into[i]} the squared norm of this layer's parameter gradient for row i alone, from the last
     * forward and backward passes, in units of the backward pass's gradient (a mean loss over n rows gives each row's
     * own gradient n times this). The per-example gradients of a dense layer are rank one, so their norms come from
     * the rows' norms alone (Goodfellow 2015). False when the layer cannot say (its rows are coupled); layers without
     * parameters add nothing.
     */
    default boolean addRowGradientNorms(Tensor[] theta, Tensor x, Tensor y, Tensor gy, double[] into) {
        return parameters().isEmpty();
    }

    /** The layer's kind, for messages ({@code Linear(8, 6)}, {@code Tanh}). */
    String describe();

    int inputWidth();

    int outputWidth();

    /** Parameter shapes in PyTorch's order; empty for parameter-free layers. */
    List<Parameter> parameters();

    /** y = f(x; theta). {@code training} switches layers such as dropout. */
    void forward(Tensor[] theta, Tensor x, Tensor y, boolean training);

    /**
     * Whether this layer's forward pass can also apply {@code next}, the layer after it, in the same pass over its
     * output (a Linear layer applies the ReLU that follows to each tile as it finishes it). The network then calls
     * {@link #forwardThrough} in place of both forward passes.
     */
    default boolean fuses(Layer next) {
        return false;
    }

    /** y = f(x; theta) and z = next(y), for the {@code next} this layer {@link #fuses}. */
    default void forwardThrough(Tensor[] theta, Tensor x, Tensor y, Tensor z, boolean training) {
        throw new UnsupportedOperationException(describe() + " fuses no following layer");
    }

    /**
     * Given gy = dL/dy, writes gTheta = dL/dtheta (overwriting) and, when {@code gx} is non-null, gx = dL/dx.
     * x and y are the values of the last forward pass.
     */
    void backward(Tensor[] theta, Tensor x, Tensor y, Tensor gy, Tensor gx, Tensor[] gTheta);

    /** ry = R{y} = J_x rx + J_theta v, where rx = R{x} is null for the network's input (a constant). */
    void rForward(Tensor[] theta, Tensor[] v, Tensor x, Tensor rx, Tensor y, Tensor ry);

    /**
     * Given gy and rgy = R{gy}, writes hv = R{dL/dtheta} (overwriting) and, when {@code rgx} is non-null,
     * rgx = R{dL/dx}.
     */
    void rBackward(Tensor[] theta, Tensor[] v, Tensor x, Tensor rx, Tensor y, Tensor ry, Tensor gy, Tensor rgy,
                   Tensor rgx, Tensor[] hv);
}
