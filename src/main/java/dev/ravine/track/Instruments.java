package dev.ravine.track;

import dev.ravine.UserError;
import dev.ravine.autodiff.Loss;
import dev.ravine.data.Dataset;
import dev.ravine.nn.Mlp;
import dev.ravine.train.Penalty;
import dev.ravine.train.Trainer;
import java.util.List;

/** The instruments a run tracks, as one listener that adds their columns to each epoch's figures before they are shown. */
public final class Instruments {
    private Instruments() {
    }

    /**
     * Listeners for {@code tracks} on the model being trained with {@code loss} and {@code penalty} on {@code train}
     * by {@code optimizer} (an Optimizer or a Minimizer; only preconditioned_sharpness looks at it).
     */
    public static Trainer.Listener of(List<Track> tracks, Mlp model, Loss loss, Penalty penalty, Dataset train, Object optimizer, TrackLog log) {
        Trainer.Listener all = new Trainer.Listener() {
        };
        for (Track t : tracks) {
            Trainer.Listener one = switch (t.name()) {
                case "sharpness" -> minibatch(t) ? minibatchSharpness(t, model, penalty, optimizer, log)
                        : new Sharpness(model.network, new Probe(model, loss, penalty, train, rows(t, "rows", train.rows())), t, log, follower(t, 1e-8));
                case "noise_scale" -> {
                    int batch = rows(t, "batch", 64);
                    if (batch < 2) throw UserError.setting("track", "noise_scale:batch=" + batch, "the noise scale needs two rows or more");
                    yield new NoiseScale(model.network, new Probe(model, loss, penalty, train, batch), t, log);
                }
                case "subspace_overlap" -> new SubspaceOverlap(model.network, new Probe(model, loss, penalty, train, rows(t, "rows", train.rows())),
                        t, log, rows(t, "k", Math.max(1, train.classes())), tolerance(t, 1e-6));
                case "preconditioned_sharpness" -> {
                    if (!(optimizer instanceof dev.ravine.optim.Preconditioned p))
                        throw UserError.setting("track", "preconditioned_sharpness", "needs an adaptive optimizer with a diagonal preconditioner "
                                + "(adam, adamw, rmsprop)");
                    yield new PreconditionedSharpness(model.network, new Probe(model, loss, penalty, train, rows(t, "rows", train.rows())), t, log, p, follower(t, 1e-8));
                }
                case "layers" -> new Layers(model.network, new Probe(model, loss, penalty, train, rows(t, "rows", train.rows())), t, log);
                default -> throw new IllegalStateException(t.name());
            };
            all = Trainer.Listener.both(all, one);
        }
        return all;
    }

    /** Whether a sharpness instrument measures on each step's minibatch ({@code minibatch=true}) rather than on the probe. */
    private static boolean minibatch(Track t) {
        String v = t.keys().getOrDefault("minibatch", "false");
        if (!v.equals("true") && !v.equals("false")) throw UserError.setting("track", t.name() + ":minibatch=" + v, "expected true or false");
        return v.equals("true");
    }

    /**
     * Sharpness on the step's minibatch, in the training dtype, from the passes training has made: at step intervals
     * only (an epoch's end has no minibatch in hand), for minibatch optimizers, and without batch norm, whose
     * training passes normalize with the batch's statistics, which the R-operator's reuse does not follow. A float32
     * product is exact to ~1e-7, so there the default tolerance is 1e-5 and anything under 1e-6 is refused.
     */
    private static Trainer.Listener minibatchSharpness(Track t, Mlp model, Penalty penalty, Object optimizer, TrackLog log) {
        String spec = t.name() + ":minibatch=true";
        if (t.steps() == 0) throw UserError.setting("track", spec, "measures at step intervals: give steps=N");
        if (t.keys().containsKey("rows")) throw UserError.setting("track", spec + ",rows=" + t.keys().get("rows"), "measures on each step's minibatch; rows= is the probe's");
        if (!(optimizer instanceof dev.ravine.optim.Optimizer))
            throw UserError.setting("track", spec, "needs a minibatch optimizer (sgd, adam, ...): full-batch methods take no minibatch steps");
        if (model.batchNorm) throw UserError.setting("track", spec, "cannot reuse batch norm's training passes; track sharpness without minibatch=true");
        boolean float32 = model.network.dtype == dev.ravine.tensor.DType.FLOAT32;
        dev.ravine.curvature.TopEigen.Follower top = follower(t, float32 ? 1e-5 : 1e-8);
        if (float32 && tolerance(t, 1e-5) < 1e-6)
            throw UserError.setting("track", spec + ",tolerance=" + t.keys().get("tolerance"), "float32 products are exact to ~1e-7: expected 1e-6 or more");
        return new MinibatchSharpness(t, log, top, penalty.active() ? penalty.on(model.network) : null);
    }

    /**
     * The warm-started top-eigenvalue search of a sharpness instrument: to {@code tolerance} (relative residual,
     * default {@code defaultTolerance}), with at most {@code products} Hessian-vector products a measurement
     * (default: no limit).
     */
    private static dev.ravine.curvature.TopEigen.Follower follower(Track t, double defaultTolerance) {
        double tolerance = tolerance(t, defaultTolerance);
        int products = t.keys().containsKey("products") ? rows(t, "products", 0) : Integer.MAX_VALUE;
        if (products < 2) throw UserError.setting("track", t.name() + ":products=" + products, "expected 2 or more Hessian-vector products");
        return new dev.ravine.curvature.TopEigen.Follower(tolerance, products);
    }

    private static double tolerance(Track t, double otherwise) {
        double tolerance = t.number("tolerance", otherwise);
        if (!(tolerance > 0 && tolerance < 1)) throw UserError.setting("track", t.name() + ":tolerance=" + tolerance, "expected a number between 0 and 1");
        return tolerance;
    }

    private static int rows(Track t, String key, int otherwise) {
        double v = t.number(key, otherwise);
        if (v < 1 || v != Math.rint(v)) throw UserError.setting("track", t.name() + ":" + key + "=" + v, "expected a whole number of rows, 1 or more");
        return (int) v;
    }
}
