package dev.ravine.optim;

import dev.ravine.autodiff.Layer;
import dev.ravine.autodiff.Loss;
import dev.ravine.autodiff.Network;
import dev.ravine.nn.Linear;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * K-FAC (Martens &amp; Grosse 2015): natural gradient with each dense layer's Fisher block approximated by a
 * Kronecker product, F_l ~ A (x) G with A = E[a a^T] over the layer's inputs (with a 1 for the bias) and
 * G = E[g g^T] over the gradients of its pre-activations, so the block inverts as two small matrices:
 * <pre>
 *   [dW db] = (G + pi sqrt(damping) I)^-1 [grad_W grad_b] (A + sqrt(damping) / pi I)^-1,
 *   pi = sqrt((tr A / dim A) / (tr G / dim G))                (factored Tikhonov damping, section 6.3)
 *   nu = min(1, sqrt(kl_clip / (lr^2 sum over blocks of [dW db] . [grad_W grad_b])))
 *   p = p - lr nu [dW db]
 * </pre>
 * A and G are running averages (weight {@code decay}) over minibatches; their inverses are refreshed every
 * {@code update_freq} steps. The step is scaled by nu so that the change it makes to the model's predictions,
 * measured by the quadratic model lr^2 d^T F d of the KL divergence, stays within {@code kl_clip} (Ba, Grosse &amp;
 * Martens 2017, section 5; KFAC-pytorch's default of 1e-3): without it a step taken where the factors are stale
 * or nearly singular can throw the run off (on digits, 32 ReLU units, batch 32, one seed in three rose from a
 * loss of 0.02 to 290 within the 20 epochs). {@code kl_clip=0} turns it off; bare parameters (below) are not
 * clipped. {@code fisher=true} draws the targets behind G from the model itself (the true
 * Fisher); {@code fisher=empirical} uses the data's labels. Given bare parameters with no network (a point on a 2-D
 * test function) they form one bias block, whose input is the constant 1: A = [1], so K-FAC is damped
 * preconditioning by the running G = E[g g^T] of the gradients themselves (the empirical Fisher, since there is no
 * model to sample from).
 */
public final class Kfac implements Optimizer, CurvatureAware {
    public record Config(double lr, double damping, double decay, int updateFreq, String fisher, double klClip, long seed) {
        public static final Config DEFAULTS = new Config(0.01, 1e-3, 0.95, 10, "true", 1e-3, 0);

        public Config {
            if (!(lr >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
            if (!(damping > 0)) throw new IllegalArgumentException("damping must be positive, got " + damping);
            if (!(decay >= 0 && decay < 1)) throw new IllegalArgumentException("decay must be in [0, 1), got " + decay);
            if (!(klClip >= 0)) throw new IllegalArgumentException("kl_clip must be 0 (off) or positive, got " + klClip);
            if (updateFreq < 1) throw new IllegalArgumentException("update_freq must be at least 1, got " + updateFreq);
            if (!fisher.equals("true") && !fisher.equals("empirical"))
                throw new IllegalArgumentException("fisher must be true or empirical, got '" + fisher + "'");
        }
    }

    /** One dense layer's factors, their damped inverses, and where its parameters sit in the flat vector. */
    private static final class Block {
        final int layer, in, out, offset;
        final DMatrixRMaj a, g, aInverse, gInverse;

        Block(int layer, int in, int out, int offset) {
            this.layer = layer;
            this.in = in;
            this.out = out;
            this.offset = offset;
            a = new DMatrixRMaj(in + 1, in + 1);
            g = new DMatrixRMaj(out, out);
            aInverse = new DMatrixRMaj(in + 1, in + 1);
            gInverse = new DMatrixRMaj(out, out);
        }
    }

    private final Config config;
    /** A checkpoint's state, put into the blocks when they are made (on the first observed minibatch). */
    private Map<String, Tensor> restored;
    private List<Block> blocks;
    private Tensor sampled, sampledGradient, scratch;
    private long steps, observed;

    public Kfac(Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "kfac";
    }

    @Override
    public double learningRate() {
        return config.lr();
    }

    /** Whether G is the true Fisher, from targets the loss samples from the model ({@code fisher=true}). */
    public boolean samplesTargets() {
        return config.fisher().equals("true");
    }

    @Override
    public void observe(Network net, Loss loss, Tensor targets) {
        if (blocks == null) bind(net);
        int n = net.activation(0).rows();
        double keep = observed == 0 ? 0 : config.decay(); // the first batch sets the averages
        for (Block b : blocks) accumulate(b.a, net.activation(b.layer), true, keep, 1.0 / n);
        if (config.fisher().equals("true")) {
            Tensor z = net.output();
            sampled.setRows(n);
            sampledGradient.setRows(n);
            // each minibatch's draws come from (seed, minibatch) alone, so a resumed run draws the same
            loss.sampleTargets(z, sampled, new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + observed));
            loss.forwardBackward(z, sampled, sampledGradient);
            net.backwardFrom(sampledGradient, scratch);
        }
        // the mean loss scales each example's gradient by 1/n: undo it for E[g g^T]
        for (Block b : blocks) accumulate(b.g, net.outputGradient(b.layer), false, keep, n);
        observed++;
    }

    @Override
    public void step(Tensor params, Tensor grads, double lr) {
        if (observed == 0) observeBare(grads); // nothing observed: bare parameters, not a network
        if (steps % config.updateFreq() == 0) for (Block b : blocks) invert(b);
        steps++;
        DMatrixRMaj[] updates = new DMatrixRMaj[blocks.size()];
        double along = 0; // [dW db] . [grad_W grad_b] over every block: d^T F d for the preconditioned step d
        for (int n = 0; n < updates.length; n++) {
            Block b = blocks.get(n);
            int cols = b.in + 1;
            DMatrixRMaj gradient = new DMatrixRMaj(b.out, cols), left = new DMatrixRMaj(b.out, cols), update = new DMatrixRMaj(b.out, cols);
            for (int i = 0; i < b.out; i++) {
                for (int j = 0; j < b.in; j++) gradient.set(i, j, grads.get(b.offset + i * b.in + j));
                gradient.set(i, b.in, grads.get(b.offset + b.out * b.in + i));
            }
            CommonOps_DDRM.mult(b.gInverse, gradient, left);
            CommonOps_DDRM.mult(left, b.aInverse, update);
            for (int i = 0; i < update.data.length; i++) along += update.data[i] * gradient.data[i];
            updates[n] = update;
        }
        // bare parameters (nothing observed) have no predictive distribution whose change the clip could bound
        double kl = lr * lr * along, nu = observed > 0 && config.klClip() > 0 && kl > config.klClip() ? Math.sqrt(config.klClip() / kl) : 1;
        double rate = lr * nu;
        for (int n = 0; n < updates.length; n++) {
            Block b = blocks.get(n);
            DMatrixRMaj update = updates[n];
            for (int i = 0; i < b.out; i++) {
                for (int j = 0; j < b.in; j++) {
                    int at = b.offset + i * b.in + j;
                    params.set(at, params.get(at) - rate * update.get(i, j));
                }
                int at = b.offset + b.out * b.in + i;
                params.set(at, params.get(at) - rate * update.get(i, b.in));
            }
        }
    }

    /** No network: all parameters are one bias block with input 1, and G averages g g^T of the raw gradient. */
    private void observeBare(Tensor grads) {
        if (blocks == null) {
            Block b = new Block(-1, 0, grads.size(), 0);
            b.a.set(0, 0, 1);
            blocks = List.of(b);
        }
        Block b = blocks.get(0);
        Tensor g = Tensor.zeros(DType.FLOAT64, 1, grads.size());
        grads.copyTo(g);
        accumulate(b.g, g, false, steps == 0 ? 0 : config.decay(), 1);
    }

    private void bind(Network net) {
        blocks = new ArrayList<>();
        List<Layer> layers = net.layers();
        for (int l = 0; l < layers.size(); l++)
            if (layers.get(l) instanceof Linear lin) blocks.add(new Block(l, lin.inputWidth(), lin.outputWidth(), net.parameterOffset(l)));
        sampled = Tensor.zeros(net.dtype, net.capacity(), 1);
        sampledGradient = Tensor.zeros(net.dtype, net.capacity(), net.outputWidth());
        scratch = Tensor.zeros(net.dtype, 1, net.parameterCount());
        if (restored != null) applyRestored();
    }

    /** m = keep m + (1 - keep) scale x^T x, with a column of ones appended to x when {@code withBias}. */
    private static void accumulate(DMatrixRMaj m, Tensor x, boolean withBias, double keep, double scale) {
        int n = x.rows(), w = x.cols, dim = withBias ? w + 1 : w;
        double[] row = new double[dim];
        double[] sum = new double[dim * dim];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < w; j++) row[j] = x.get(r, j);
            if (withBias) row[w] = 1;
            for (int i = 0; i < dim; i++) {
                double ri = row[i];
                if (ri == 0) continue;
                for (int j = 0; j < dim; j++) sum[i * dim + j] += ri * row[j];
            }
        }
        double[] data = m.getData();
        for (int i = 0; i < data.length; i++) data[i] = keep * data[i] + (1 - keep) * scale * sum[i];
    }

    private void invert(Block b) {
        double traceA = CommonOps_DDRM.trace(b.a) / b.a.numRows, traceG = CommonOps_DDRM.trace(b.g) / b.g.numRows;
        double pi = traceA > 0 && traceG > 0 ? Math.sqrt(traceA / traceG) : 1, root = Math.sqrt(config.damping());
        damped(b.a, root * pi, b.aInverse);
        damped(b.g, root / pi, b.gInverse);
    }

    private static void damped(DMatrixRMaj m, double shift, DMatrixRMaj inverse) {
        DMatrixRMaj copy = m.copy();
        for (int i = 0; i < copy.numRows; i++) copy.add(i, i, shift);
        if (!CommonOps_DDRM.invertSPD(copy, inverse) && !CommonOps_DDRM.invert(copy, inverse))
            throw new IllegalStateException("K-FAC factor is singular even after damping " + shift);
    }

    @Override
    public long steps() {
        return steps;
    }

    /** Each block's factors and their damped inverses ({@code block.K.a}, ...), and the minibatches observed. */
    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        if (blocks == null) return out;
        out.put("observed", Tensor.of(new double[] {observed}, 1, 1));
        for (int k = 0; k < blocks.size(); k++) {
            Block b = blocks.get(k);
            out.put("block." + k + ".a", Tensor.of(b.a.getData().clone(), 1, b.a.getNumElements()));
            out.put("block." + k + ".g", Tensor.of(b.g.getData().clone(), 1, b.g.getNumElements()));
            out.put("block." + k + ".a_inverse", Tensor.of(b.aInverse.getData().clone(), 1, b.aInverse.getNumElements()));
            out.put("block." + k + ".g_inverse", Tensor.of(b.gInverse.getData().clone(), 1, b.gInverse.getNumElements()));
        }
        return out;
    }

    @Override
    public void restore(Map<String, Tensor> state, long steps) {
        this.steps = steps;
        this.observed = state.containsKey("observed") ? (long) state.get("observed").get(0) : 0;
        this.restored = state.isEmpty() ? null : state;
    }

    /** The checkpoint's factors into the blocks just made. */
    private void applyRestored() {
        for (int k = 0; k < blocks.size(); k++) {
            Block b = blocks.get(k);
            DMatrixRMaj[] into = {b.a, b.g, b.aInverse, b.gInverse};
            String[] names = {"a", "g", "a_inverse", "g_inverse"};
            for (int m = 0; m < 4; m++) {
                Tensor t = restored.get("block." + k + "." + names[m]);
                if (t == null || t.size() != into[m].getNumElements())
                    throw new IllegalArgumentException("checkpoint lacks K-FAC factor block." + k + "." + names[m] + " of this model's shape");
                for (int i = 0; i < t.size(); i++) into[m].getData()[i] = t.get(i);
            }
        }
        restored = null;
    }
}
