package dev.ravine.optim;

import dev.ravine.tensor.Elementwise32;
import dev.ravine.tensor.Elementwise64;
import dev.ravine.tensor.Kernels;
import dev.ravine.tensor.Tensor;

/**
 * Rprop, resilient backpropagation (Riedmiller &amp; Braun 1993), by PyTorch's {@code torch.optim.Rprop} rule. Each
 * weight keeps its own step size, grown by etaplus while its gradient keeps its sign and cut by etaminus when the
 * sign flips; the step is that size against the gradient's sign, whose magnitude is never used, so a ravine's steep
 * walls and flat floor get steps of their own sizes:
 * <pre>
 *   s = clamp(s * (etaplus if g g_prev &gt; 0, etaminus if &lt; 0, else 1), step_sizes)
 *   g = 0 where the sign flipped     (no step now, and no growth at the next one)
 *   p = p - sign(g) s;   g_prev = g
 * </pre>
 * lr is only the step sizes' starting value, taken at the first step as PyTorch takes it, so a schedule has no
 * effect afterwards. A float32 run rounds each operation to float32 as PyTorch's float32 tensors do.
 */
public final class Rprop extends ElementwiseOptimizer {
    public record Config(double lr, double[] etas, double[] stepSizes, boolean maximize) {
        public static final Config DEFAULTS = new Config(1e-2, new double[] {0.5, 1.2}, new double[] {1e-6, 50}, false);

        public Config {
            if (!(lr >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
            if (etas.length != 2 || !(0 < etas[0] && etas[0] < 1 && 1 < etas[1]))
                throw new IllegalArgumentException("Invalid eta values: expected etaminus|etaplus with 0 < etaminus < 1 < etaplus, got "
                        + java.util.Arrays.toString(etas));
            if (stepSizes.length != 2 || !(stepSizes[0] <= stepSizes[1]))
                throw new IllegalArgumentException("Invalid step_sizes: expected min|max, got " + java.util.Arrays.toString(stepSizes));
        }
    }

    private final Config config;

    public Rprop(Config config) {
        super("rprop", config.lr(), false);
        this.config = config;
    }

    // the step's operands, for updateSlice
    private Tensor params, grads, prev, stepSize;

    @Override
    protected void updateSlice(int from, int to) {
        int n = to - from;
        double etaMinus = config.etas()[0], etaPlus = config.etas()[1], min = config.stepSizes()[0], max = config.stepSizes()[1];
        if (params.f != null)
            Elementwise32.rprop(params.f, params.offset + from, grads.f, grads.offset + from, prev.f, stepSize.f, from, n, (float) etaMinus,
                    (float) etaPlus, (float) min, (float) max, config.maximize());
        else
            Elementwise64.rprop(params.d, params.offset + from, grads.d, grads.offset + from, prev.d, stepSize.d, from, n, etaMinus, etaPlus, min, max,
                    config.maximize());
    }

    @Override
    protected void update(Tensor params, Tensor grads, double lr) {
        Tensor prev = state("prev", params, 0), stepSize = state("step_size", params, lr);
        if (Kernels.vector(params.dtype)) { // vectorized, in the parameters' dtype as PyTorch computes it, split over the threads
            this.params = params;
            this.grads = grads;
            this.prev = prev;
            this.stepSize = stepSize;
            sweep(params.size());
            return;
        }
        boolean single = params.f != null;
        double etaMinus = config.etas()[0], etaPlus = config.etas()[1], min = config.stepSizes()[0], max = config.stepSizes()[1];
        if (single) { // the factors and bounds as the float32 tensors and scalars PyTorch applies them with
            etaMinus = (float) etaMinus;
            etaPlus = (float) etaPlus;
            min = (float) min;
            max = (float) max;
        }
        for (int i = 0, n = params.size(); i < n; i++) {
            double g = gradient(grads, i, config.maximize(), 0, 0), turn = g * prev.get(i);
            if (single) turn = (float) turn; // a product that underflows float32 has no sign there
            double s = Math.min(Math.max(round(single, stepSize.get(i) * (turn > 0 ? etaPlus : turn < 0 ? etaMinus : 1)), min), max);
            if (turn < 0) g = 0;
            stepSize.set(i, s);
            params.set(i, params.get(i) - Math.signum(g) * s);
            prev.set(i, g);
        }
    }

    private static double round(boolean single, double v) {
        return single ? (float) v : v;
    }
}
