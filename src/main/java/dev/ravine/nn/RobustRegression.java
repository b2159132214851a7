package dev.ravine.nn;

import dev.ravine.autodiff.Loss;
import dev.ravine.tensor.Tensor;

/**
 * The regression losses that grow linearly in large residuals r = z - t, so outliers pull less than under squared
 * error, each the mean over every entry as PyTorch computes it:
 * <ul>
 *   <li>{@code huber} ({@code HuberLoss}): r^2 / 2 where |r| &lt; delta, else delta (|r| - delta / 2);</li>
 *   <li>{@code smooth_l1} ({@code SmoothL1Loss}): r^2 / (2 beta) where |r| &lt; beta, else |r| - beta / 2 (Huber over
 *       beta; beta = 0 is L1);</li>
 *   <li>{@code l1} ({@code L1Loss}): |r|.</li>
 * </ul>
 * Their curvature in z is diagonal: 1 (huber) or 1/beta (smooth_l1) per entry inside the quadratic zone, over the
 * entries' count, and 0 outside it and everywhere for l1, so the Gauss-Newton part of a network's Hessian comes from
 * the residuals inside the zone alone. The gradient at |r| = delta and at r = 0 is PyTorch's.
 */
public final class RobustRegression implements Loss {
    public enum Kind {
        HUBER, SMOOTH_L1, L1
    }

    private final Kind kind;
    /** delta for huber, beta for smooth_l1: where the quadratic zone ends; 0 for l1. */
    private final double edge;

    public RobustRegression(Kind kind, double edge) {
        this.kind = kind;
        this.edge = kind == Kind.L1 ? 0 : edge;
    }

    @Override
    public int targetWidth(int outputs) {
        return outputs;
    }

    @Override
    public double forwardBackward(Tensor z, Tensor targets, Tensor gz) {
        int size = z.size();
        double total = 0;
        for (int i = 0; i < size; i++) {
            double r = z.get(i) - targets.get(i), a = Math.abs(r);
            boolean quadratic = a < edge;
            total += switch (kind) {
                case HUBER -> quadratic ? 0.5 * r * r : edge * (a - 0.5 * edge);
                case SMOOTH_L1 -> quadratic ? 0.5 * r * r / edge : a - 0.5 * edge;
                case L1 -> a;
            };
            if (gz != null) {
                double g = switch (kind) {
                    case HUBER -> quadratic ? r : edge * Math.signum(r);
                    case SMOOTH_L1 -> quadratic ? r / edge : Math.signum(r);
                    case L1 -> Math.signum(r);
                };
                gz.set(i, g / size);
            }
        }
        return total / size;
    }

    @Override
    public void rGradient(Tensor z, Tensor targets, Tensor rz, Tensor rgz) {
        int size = z.size();
        double inside = kind == Kind.HUBER ? 1 : 1 / edge;
        for (int i = 0; i < size; i++) {
            boolean quadratic = Math.abs(z.get(i) - targets.get(i)) < edge;
            rgz.set(i, quadratic ? inside * rz.get(i) / size : 0);
        }
    }

    @Override
    public void sampleTargets(Tensor z, Tensor targets, java.util.random.RandomGenerator rng) {
        throw new UnsupportedOperationException(kind.name().toLowerCase(java.util.Locale.ROOT) + " is not a likelihood ravine samples from");
    }
}
