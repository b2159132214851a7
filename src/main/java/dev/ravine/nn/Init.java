package dev.ravine.nn;

import dev.ravine.autodiff.Layer;
import dev.ravine.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * How a model's weights start. {@code torch} is {@code nn.Linear}'s default (kaiming_uniform_ with a = sqrt 5,
 * which comes to W, b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in))); {@code he} draws W ~ N(0, 2/fan_in) (He et al. 2015)
 * and {@code xavier} W ~ U(+-sqrt(6/(fan_in + fan_out))) (Glorot &amp; Bengio 2010), both with zero biases;
 * {@code zeros} sets everything to zero, so every hidden unit of a layer gets the same gradient and they stay
 * identical: the symmetry that random initialization exists to break.
 */
public enum Init {
    TORCH, HE, XAVIER, ZEROS;

    public static Init parse(String name) {
        return switch (name) {
            case "torch" -> TORCH;
            case "he" -> HE;
            case "xavier" -> XAVIER;
            case "zeros" -> ZEROS;
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
        for (int i = 0, n = t.size(); i < n; i++) {
            double v = switch (this) {
                case TORCH -> uniform(rng, 1 / Math.sqrt(fanIn));
                case HE -> bias ? 0 : rng.nextGaussian() * Math.sqrt(2.0 / fanIn);
                case XAVIER -> bias ? 0 : uniform(rng, Math.sqrt(6.0 / (fanIn + fanOut)));
                case ZEROS -> 0;
            };
            t.set(i, v);
        }
    }

    private static double uniform(SplittableRandom rng, double bound) {
        return (2 * rng.nextDouble() - 1) * bound;
    }
}
