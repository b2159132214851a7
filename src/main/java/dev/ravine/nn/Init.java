package dev.ravine.nn;

import dev.ravine.autodiff.Layer;
import dev.ravine.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * How a model's weights start. {@code torch} is {@code nn.Linear}'s default (kaiming_uniform_ with a = sqrt 5,
 * which comes to W, b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in))); {@code he} draws W ~ N(0, 2/fan_in) (He et al. 2015)
 * and {@code xavier} W ~ U(+-sqrt(6/(fan_in + fan_out))) (Glorot &amp; Bengio 2010), both with zero biases;
 * {@code zeros} sets everything to zero, so every hidden unit of a layer gets the same gradient and they stay
 * identical: the symmetry that random initialization exists to break. {@code orthogonal} is
 * {@code nn.init.orthogonal_} (Saxe et al. 2014) with zero biases: the Q of a Gaussian matrix's QR, its columns'
 * signs set so that R has a positive diagonal, which makes Q uniformly distributed; W then has orthonormal rows
 * (or columns, when it has more rows than columns), and every singular value 1, so a deep linear network neither
 * shrinks nor grows a signal.
 */
public enum Init {
    TORCH, HE, XAVIER, ZEROS, ORTHOGONAL;

    public static Init parse(String name) {
        return switch (name) {
            case "torch" -> TORCH;
            case "he" -> HE;
            case "xavier" -> XAVIER;
            case "zeros" -> ZEROS;
            case "orthogonal" -> ORTHOGONAL;
            default -> throw new IllegalArgumentException("unknown init '" + name + "'");
        };
    }

    /**
     * Initializes every Linear layer of {@code mlp} from a generator seeded with {@code seed}; batch norm keeps its
     * own start (scale 1, shift 0), so the draws, and the Linear weights, are those of the same MLP without it.
     */
    public void apply(Mlp mlp, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (Mlp.NamedParameter p : mlp.namedParameters()) {
            boolean bias = p.name().endsWith(".bias");
            int layer = Integer.parseInt(p.name().substring(0, p.name().indexOf('.')));
            Layer linear = mlp.network.layers().get(layer);
            if (!(linear instanceof Linear)) continue;
            fill(p.values(), bias, linear.inputWidth(), linear.outputWidth(), rng);
        }
    }

    private void fill(Tensor t, boolean bias, int fanIn, int fanOut, SplittableRandom rng) {
        if (this == ORTHOGONAL) {
            if (bias) t.fill(0);
            else orthogonal(t, fanOut, fanIn, rng);
            return;
        }
        for (int i = 0, n = t.size(); i < n; i++) {
            double v = switch (this) {
                case TORCH -> uniform(rng, 1 / Math.sqrt(fanIn));
                case HE -> bias ? 0 : rng.nextGaussian() * Math.sqrt(2.0 / fanIn);
                case XAVIER -> bias ? 0 : uniform(rng, Math.sqrt(6.0 / (fanIn + fanOut)));
                case ZEROS, ORTHOGONAL -> 0;
            };
            t.set(i, v);
        }
    }

    /** nn.init.orthogonal_'s construction on a rows x cols weight matrix, in the tall orientation QR needs. */
    private static void orthogonal(Tensor w, int rows, int cols, SplittableRandom rng) {
        boolean wide = rows < cols;
        int m = Math.max(rows, cols), n = Math.min(rows, cols);
        org.ejml.data.DMatrixRMaj a = new org.ejml.data.DMatrixRMaj(m, n);
        for (int i = 0; i < m * n; i++) a.data[i] = rng.nextGaussian();
        var qr = org.ejml.dense.row.factory.DecompositionFactory_DDRM.qr(m, n);
        if (!qr.decompose(a.copy())) throw new IllegalStateException("QR of a Gaussian matrix failed");
        org.ejml.data.DMatrixRMaj q = qr.getQ(null, true), r = qr.getR(null, true);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double v = Math.signum(r.get(j, j)) * q.get(i, j);
                if (wide) w.set(j * cols + i, v); // W = Q^T
                else w.set(i * cols + j, v);
            }
    }

    private static double uniform(SplittableRandom rng, double bound) {
        return (2 * rng.nextDouble() - 1) * bound;
    }
}
