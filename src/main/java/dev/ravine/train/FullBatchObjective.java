package dev.ravine.train;

import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.data.Dataset;
import dev.ravine.optim.Objective;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Parallel;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.VectorMath;
import java.util.Arrays;

/**
 * The mean loss over every row of a data set as a function of a network's flat parameters, for methods that
 * re-evaluate the objective (L-BFGS, CG, Newton). Rows go through the network in chunks of its capacity, each
 * chunk's mean weighted by its share of the rows (of their summed class weight, for a weighted loss), plus the
 * weights' L1/L2 penalty when one is given. Gradients come from training passes when it is what training minimizes
 * (batch norm then updates its running statistics at each evaluation, as it does in {@code torch.optim.LBFGS}'s
 * closure), and from inference passes when it is a model under analysis, which must not change. The Hessian-vector
 * product is the exact one, from inference passes.
 */
public final class FullBatchObjective implements Objective {
    private final Network net;
    private final Loss loss;
    private final Dataset data;
    /** The loss's normalizer over every row: the row count, or their summed class weight. */
    private final double total;
    private final Tensor targets, vector, product;
    /** One chunk's gradient or product, widened to float64, before it is weighted into the sum. */
    private final double[] chunk;
    /** Added to the mean loss; null for none. */
    private final Penalty.On penalty;
    /** Whether gradients come from training passes (what training minimizes) or inference passes (analysis). */
    private final boolean training;
    /** The weights of the last inference gradient or Hessian-vector product when its passes are still in the network, else null. */
    private double[] passesAt;

    public FullBatchObjective(Network net, Loss loss, Dataset data) {
        this(net, loss, data, null, true);
    }

    /** The mean loss plus {@code penalty} (null for none), its gradients from training passes when {@code training}. */
    public FullBatchObjective(Network net, Loss loss, Dataset data, Penalty.On penalty, boolean training) {
        this.training = training;
        this.penalty = penalty;
        this.net = net;
        this.loss = loss;
        this.data = data;
        total = loss.normalizer(data.y());
        targets = Tensor.zeros(data.y().dtype, net.capacity(), data.y().cols);
        vector = Tensor.zeros(DType.FLOAT64, 1, net.parameterCount());
        product = Tensor.zeros(DType.FLOAT64, 1, net.parameterCount());
        chunk = new double[net.parameterCount()];
    }

    @Override
    public int dimension() {
        return net.parameterCount();
    }

    @Override
    public double valueAndGradient(double[] x, double[] gradient) {
        try (var _ = serialIfSmall()) {
            passesAt = null;
            load(x);
            java.util.Arrays.fill(gradient, 0);
            double value = 0;
            int n = data.rows();
            for (int start = 0; start < n; start += net.capacity()) {
                fill(start);
                double share = loss.normalizer(targets) / total;
                value += share * net.lossAndGradient(targets, loss, training);
                addChunk(net.gradients(), share, gradient);
            }
            // inference passes over one chunk are the ones a Hessian-vector product at x starts with: the Lanczos
            // run that follows a gradient (hessian, a Newton step) takes them as they are
            if (!training) keepPasses(x);
            if (penalty != null) {
                value += penalty.value(net.parameters());
                Tensor p = Tensor.zeros(DType.FLOAT64, 1, gradient.length);
                penalty.addGradient(net.parameters(), p);
                for (int i = 0; i < gradient.length; i++) gradient[i] += p.get(i);
            }
            return value;
        }
    }

    @Override
    public void hessianVector(double[] x, double[] v, double[] hv) {
        try (var _ = serialIfSmall()) {
            int n = data.rows();
            // one chunk at the same (unchanged) weights: the network still holds the forward and backward passes
            boolean reuse = n <= net.capacity() && passesAt == x && net.passes() == passCount && Arrays.equals(x, passesSnapshot);
            if (!reuse) load(x);
            Arrays.fill(hv, 0);
            Tensor direction = net.dtype == DType.FLOAT64 ? vector : Tensor.zeros(net.dtype, 1, v.length);
            Tensor out = net.dtype == DType.FLOAT64 ? product : Tensor.zeros(net.dtype, 1, v.length);
            direction.writeRow(0, v);
            for (int start = 0; start < n; start += net.capacity()) {
                if (!reuse) fill(start); // else targets still hold the one chunk's rows
                double share = loss.normalizer(targets) / total;
                net.hessianVector(targets, loss, direction, out, reuse);
                addChunk(out, share, hv);
            }
            if (penalty != null) penalty.addHessianVector(v, hv);
            if (!reuse) keepPasses(x);
        }
    }

    /** Marks the network's passes as those at x, for the products that follow, when they cover every row. */
    private void keepPasses(double[] x) {
        if (data.rows() > net.capacity()) return;
        passesAt = x;
        passesSnapshot = VectorMath.reuse(passesSnapshot, x.length);
        System.arraycopy(x, 0, passesSnapshot, 0, x.length);
        passCount = net.passes();
    }

    /** A copy of the weights of the cached passes, so a caller that changed its array in place is not misled. */
    private double[] passesSnapshot;
    /** The network's pass count right after those passes: any forward pass since, by anyone, spoils them. */
    private long passCount;

    @Override
    public void fisherVector(double[] x, double[] v, double[] fv, boolean empirical) {
        try (var _ = serialIfSmall()) {
            passesAt = null;
            load(x);
            java.util.Arrays.fill(fv, 0);
            int n = data.rows();
            if (empirical) {
                // F v = mean over rows of g_i (g_i . v), each row weighted as the loss weighs it: one single-row pass per example
                for (int row = 0; row < n; row++) {
                    fillRows(row, 1);
                    net.lossAndGradient(targets, loss, training);
                    Tensor g = net.gradients();
                    double dot = 0, w = loss.normalizer(targets);
                    for (int i = 0; i < v.length; i++) dot += g.get(i) * v[i];
                    for (int i = 0; i < fv.length; i++) fv[i] += dot * g.get(i) * w / total;
                }
                return;
            }
            Tensor direction = net.dtype == DType.FLOAT64 ? vector : Tensor.zeros(net.dtype, 1, v.length);
            Tensor out = net.dtype == DType.FLOAT64 ? product : Tensor.zeros(net.dtype, 1, v.length);
            direction.writeRow(0, v);
            for (int start = 0; start < n; start += net.capacity()) {
                fill(start);
                double share = loss.normalizer(targets) / total;
                net.gaussNewtonVector(targets, loss, direction, out);
                addChunk(out, share, fv);
            }
            if (penalty != null) penalty.addHessianVector(v, fv); // the penalty's own curvature, exact
        }
    }

    /**
     * Keeps a pass over every row on the calling thread where the network is small ({@link Trainer#serialIfSmall}, the
     * line training steps use, for one chunk of rows): split, each of its loops moves its tensors' halves between the
     * cores' caches, and with a thousand rows or more those are megabytes. Hessian-vector products of digits' 64-32-10
     * over its 1,438 training rows took 0.61-0.64 ms on one thread and 0.80-0.88 ms split over two (AMD EPYC Zen 5,
     * 512-bit), which is what a full spectrum repeats for every parameter (docs/performance.md, "Two threads").
     */
    private Parallel.Serial serialIfSmall() {
        return Trainer.serialIfSmall(Math.min(data.rows(), net.capacity()), net);
    }

    /** sum += share * t, t a [1, n] tensor of the network's dtype: a whole-row copy, then one vectorized pass. */
    private void addChunk(Tensor t, double share, double[] sum) {
        t.readRow(0, chunk);
        VectorMath.axpy(share, chunk, sum);
    }

    /** The machine epsilon of the network's passes: a float32 network's products are that much less exact. */
    public double epsilon() {
        return net.dtype == DType.FLOAT32 ? Math.ulp(1.0f) : Math.ulp(1.0);
    }

    /** The network's parameters as a vector. */
    public double[] parameters() {
        return net.parameters().toDoubleArray();
    }

    /** Sets the network's parameters from a vector. */
    public void load(double[] x) {
        passesAt = null;
        net.parameters().writeRow(0, x);
    }

    private int fill(int start) {
        return fillRows(start, Math.min(net.capacity(), data.rows() - start));
    }

    private int fillRows(int start, int rows) {
        Tensor in = net.input(rows);
        targets.setRows(rows);
        for (int i = 0; i < rows; i++) {
            Dataset.copyRow(data.x(), start + i, in, i);
            Dataset.copyRow(data.y(), start + i, targets, i);
        }
        return rows;
    }
}
