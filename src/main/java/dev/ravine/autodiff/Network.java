package dev.ravine.autodiff;

import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A chain of layers over one flat parameter vector, with every activation buffer allocated up front for a
 * minibatch of at most {@code capacity} rows: training allocates nothing per step.
 *
 * <p>Reverse mode on a chain needs no general tape: the topological order is the layer order, so backward is
 * a reversed loop. The Hessian-vector product is forward-over-reverse through the same layers (see
 * {@link Layer}).
 */
public final class Network {
    private final List<Layer> layers;
    public final DType dtype;
    private final int capacity;
    private final int[] offsets; // start of each layer's parameters in the flat vector
    private final Tensor params;
    private final Tensor grads;
    /** Every layer's buffers, one flat float64 vector: copied, saved and restored as one, beside the parameters. */
    private final Tensor state;
    private final Tensor[][] theta;
    private final Tensor[][] gTheta;
    private final Tensor[] act;  // act[l] is the input of layer l; act[L] the network's output
    private final Tensor[] gAct; // gAct[l] = dL/d act[l], for l >= 1
    private Tensor[] rAct, rgAct; // R{act}, R{gAct}: allocated on the first Hessian-vector product
    private final boolean[] fused; // fused[l]: layer l's forward pass applies layer l + 1 too
    private long passes; // forward passes so far: lets a caller tell whether the buffers still hold its pass

    public Network(List<Layer> layers, DType dtype, int capacity) {
        if (layers.isEmpty()) throw new IllegalArgumentException("a network needs at least one layer");
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        for (int l = 1; l < layers.size(); l++)
            if (layers.get(l).inputWidth() != layers.get(l - 1).outputWidth())
                throw new IllegalArgumentException(layers.get(l - 1).describe() + " feeds " + layers.get(l - 1).outputWidth()
                        + " values into " + layers.get(l).describe() + ", which takes " + layers.get(l).inputWidth());
        this.layers = List.copyOf(layers);
        this.dtype = dtype;
        this.capacity = capacity;
        int n = layers.size();
        offsets = new int[n + 1];
        for (int l = 0; l < n; l++) {
            int size = 0;
            for (Layer.Parameter p : layers.get(l).parameters()) size += p.size();
            offsets[l + 1] = offsets[l] + size;
        }
        params = Tensor.zeros(dtype, 1, offsets[n]);
        grads = Tensor.zeros(dtype, 1, offsets[n]);
        theta = views(params);
        gTheta = views(grads);
        int stateSize = 0;
        for (Layer layer : layers) for (Layer.Buffer b : layer.buffers()) stateSize += b.size();
        state = Tensor.zeros(DType.FLOAT64, 1, stateSize);
        for (int l = 0, at = 0; l < n; l++) {
            List<Layer.Buffer> buffers = layers.get(l).buffers();
            if (buffers.isEmpty()) continue;
            Tensor[] views = new Tensor[buffers.size()];
            for (int b = 0; b < views.length; b++) {
                views[b] = state.view(at, 1, buffers.get(b).size());
                at += buffers.get(b).size();
            }
            layers.get(l).bindBuffers(views);
        }
        act = new Tensor[n + 1];
        gAct = new Tensor[n + 1];
        act[0] = Tensor.zeros(dtype, capacity, layers.get(0).inputWidth());
        for (int l = 0; l < n; l++) {
            act[l + 1] = Tensor.zeros(dtype, capacity, layers.get(l).outputWidth());
            gAct[l + 1] = Tensor.zeros(dtype, capacity, layers.get(l).outputWidth());
        }
        fused = new boolean[n];
        for (int l = 0; l + 1 < n; l++) fused[l] = layers.get(l).fuses(layers.get(l + 1));
    }

    public List<Layer> layers() {
        return layers;
    }

    public int capacity() {
        return capacity;
    }

    public int inputWidth() {
        return layers.get(0).inputWidth();
    }

    public int outputWidth() {
        return layers.get(layers.size() - 1).outputWidth();
    }

    public int parameterCount() {
        return params.cols;
    }

    /** All parameters as one [1, P] vector, layer by layer in PyTorch's order. */
    public Tensor parameters() {
        return params;
    }

    /**
     * The layers' buffers as one [1, S] float64 vector, layer by layer in the order of {@link Layer#buffers()}:
     * state that training passes update and that is saved with the weights (S is 0 without batch norm).
     */
    public Tensor buffers() {
        return state;
    }

    /** dL/dtheta from the last {@link #lossAndGradient}, laid out like {@link #parameters()}. */
    public Tensor gradients() {
        return grads;
    }

    /** Where each parameter tensor begins in the flat vector, then its total size: {@code tensors + 1} entries. */
    public int[] tensorBounds() {
        List<Integer> bounds = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            int at = offsets[l];
            for (Layer.Parameter p : layers.get(l).parameters()) {
                bounds.add(at);
                at += p.size();
            }
        }
        bounds.add(params.size());
        return bounds.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Start of layer {@code l}'s parameters in the flat vector. */
    public int parameterOffset(int l) {
        return offsets[l];
    }

    /** Tells every layer that training epoch {@code epoch} (from 1) begins; see {@link Layer#startEpoch}. */
    public void startEpoch(int epoch) {
        for (Layer layer : layers) layer.startEpoch(epoch);
    }

    /** The input buffer, sized to {@code rows} rows: fill it, then call a pass. */
    public Tensor input(int rows) {
        return act[0].setRows(rows);
    }

    /** The input of layer {@code l} in the last forward pass (row per example). */
    public Tensor activation(int l) {
        return act[l];
    }

    /** dL/d(output of layer {@code l}) from the last backward pass. */
    public Tensor outputGradient(int l) {
        return gAct[l + 1];
    }

    /**
     * Backpropagates a given gradient of the loss with respect to the network's output through the last forward
     * pass: afterwards {@link #outputGradient} holds its per-layer gradients, and {@code scratch} (laid out like
     * the parameters) its parameter gradient. {@link #gradients()} is left alone.
     */
    public void backwardFrom(Tensor outputGradient, Tensor scratch) {
        outputGradient.copyTo(gAct[layers.size()].setRows(act[0].rows()));
        backward(views(scratch));
    }

    /** The output of the last forward pass. */
    public Tensor output() {
        return act[layers.size()];
    }

    /** Forward passes run so far, by anyone: unchanged means the activation buffers are as the last caller left them. */
    public long passes() {
        return passes;
    }

    /** Runs the layers on the current input and returns the output. */
    public Tensor forward(boolean training) {
        passes++;
        int rows = act[0].rows();
        for (int l = 0; l < layers.size(); l++) {
            if (fused[l]) {
                layers.get(l).forwardThrough(theta[l], act[l], act[l + 1].setRows(rows), act[l + 2].setRows(rows), training);
                l++;
            } else {
                layers.get(l).forward(theta[l], act[l], act[l + 1].setRows(rows), training);
            }
        }
        return output();
    }

    /** Forward in training mode, the mean loss, and its gradient into {@link #gradients()}. */
    public double lossAndGradient(Tensor targets, Loss loss) {
        return lossAndGradient(targets, loss, true);
    }

    /**
     * The mean loss and its gradient from a training pass (dropout draws, batch norm uses and updates batch
     * statistics) or, with {@code training} false, from an inference pass that changes nothing.
     */
    public double lossAndGradient(Tensor targets, Loss loss, boolean training) {
        forward(training);
        double value = loss.forwardBackward(output(), targets, gAct[layers.size()].setRows(act[0].rows()));
        backward();
        return value;
    }

    private void backward() {
        backward(gTheta);
    }

    /** Backpropagates gAct[L] (already set) into the per-layer parameter views {@code into}. */
    private void backward(Tensor[][] into) {
        int rows = act[0].rows();
        for (int l = layers.size() - 1; l >= 0; l--) {
            Tensor gx = l == 0 ? null : gAct[l].setRows(rows); // the input needs no gradient
            layers.get(l).backward(theta[l], act[l], act[l + 1], gAct[l + 1], gx, into[l]);
        }
    }

    /**
     * gv = J^T H_L J v, the Gauss-Newton matrix of the mean loss on the current input times v, in inference mode:
     * J v by the R-operator's forward pass, the loss's own curvature H_L, then J^T by an ordinary backward pass.
     * For softmax cross-entropy and mean squared error it is the Fisher information matrix (Martens 2014), positive
     * semi-definite even where the Hessian is not.
     */
    public void gaussNewtonVector(Tensor targets, Loss loss, Tensor v, Tensor gv) {
        if (v.size() != params.size() || gv.size() != params.size())
            throw new IllegalArgumentException("direction and product need " + params.size() + " entries");
        ensureTangentBuffers();
        int rows = act[0].rows(), last = layers.size();
        Tensor[][] vl = views(v), out = views(gv);
        forward(false);
        for (int l = 0; l < last; l++)
            layers.get(l).rForward(theta[l], vl[l], act[l], l == 0 ? null : rAct[l], act[l + 1], rAct[l + 1].setRows(rows));
        loss.rGradient(output(), targets, rAct[last], gAct[last].setRows(rows));
        backward(out);
    }

    private void ensureTangentBuffers() {
        if (rAct != null) return;
        rAct = new Tensor[act.length];
        rgAct = new Tensor[act.length];
        for (int l = 1; l < act.length; l++) {
            rAct[l] = Tensor.zeros(dtype, capacity, act[l].cols);
            rgAct[l] = Tensor.zeros(dtype, capacity, act[l].cols);
        }
    }

    /**
     * hv = H v, the exact Hessian of the mean loss on the current input times the flat direction v (both [1, P]),
     * evaluated in inference mode. Also leaves the gradient in {@link #gradients()} and returns the loss.
     */
    public double hessianVector(Tensor targets, Loss loss, Tensor v, Tensor hv) {
        return hessianVector(targets, loss, v, hv, false);
    }

    /**
     * As {@link #hessianVector(Tensor, Loss, Tensor, Tensor)}; with {@code reusePasses} the forward and backward
     * passes of the previous call are taken as they stand, which is right only when the input, targets and
     * parameters are unchanged and nothing else ran in between (then it returns NaN for the loss). Lanczos does a
     * hundred products at one point: this saves each of them a gradient's worth of work.
     */
    public double hessianVector(Tensor targets, Loss loss, Tensor v, Tensor hv, boolean reusePasses) {
        if (v.size() != params.size() || hv.size() != params.size())
            throw new IllegalArgumentException("direction and product need " + params.size() + " entries");
        int rows = act[0].rows();
        ensureTangentBuffers();
        Tensor[][] vl = views(v), hvl = views(hv);
        int last = layers.size();
        double value = Double.NaN;
        if (!reusePasses) {
            forward(false);
            value = loss.forwardBackward(output(), targets, gAct[last].setRows(rows));
            backward();
        }
        for (int l = 0; l < last; l++)
            layers.get(l).rForward(theta[l], vl[l], act[l], l == 0 ? null : rAct[l], act[l + 1], rAct[l + 1].setRows(rows));
        loss.rGradient(output(), targets, rAct[last], rgAct[last].setRows(rows));
        for (int l = last - 1; l >= 0; l--) {
            Tensor rgx = l == 0 ? null : rgAct[l].setRows(rows);
            layers.get(l).rBackward(theta[l], vl[l], act[l], l == 0 ? null : rAct[l], act[l + 1], rAct[l + 1],
                    gAct[l + 1], rgAct[l + 1], rgx, hvl[l]);
        }
        return value;
    }

    /**
     * Each row's own squared gradient norm, |d loss_i / d theta|^2, from the last {@link #lossAndGradient} on n rows
     * of a mean loss: one batched pass instead of n. Null when a layer couples the rows (batch norm with batch
     * statistics). With class weights the batch's gradient is sum_i (w_i / W) d loss_i, and row i's term is taken as
     * n times its share, (n w_i / W) d loss_i, so that the rows' mean is still the batch's gradient.
     */
    public double[] rowGradientNorms() {
        int rows = act[0].rows();
        double[] out = new double[rows];
        for (int l = 0; l < layers.size(); l++)
            if (!layers.get(l).addRowGradientNorms(theta[l], act[l], act[l + 1], gAct[l + 1], out)) return null;
        for (int i = 0; i < rows; i++) out[i] *= (double) rows * rows; // the mean's 1/n, undone for each row's own loss
        return out;
    }

    /** Per-layer views of a flat [1, P] vector, in the shapes of each layer's parameters. */
    private Tensor[][] views(Tensor flat) {
        Tensor[][] out = new Tensor[layers.size()][];
        for (int l = 0; l < layers.size(); l++) {
            List<Tensor> vs = new ArrayList<>();
            int at = offsets[l];
            for (Layer.Parameter p : layers.get(l).parameters()) {
                vs.add(flat.view(at, p.rows(), p.cols()));
                at += p.size();
            }
            out[l] = vs.toArray(Tensor[]::new);
        }
        return out;
    }
}
