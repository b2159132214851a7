package dev.ravine.track;

import dev.ravine.UserError;
import dev.ravine.autodiff.Loss;
import dev.ravine.data.Dataset;
import dev.ravine.nn.Mlp;
import dev.ravine.train.Penalty;
import dev.ravine.train.Trainer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

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
        // one for every instrument with minibatch=true: they measure one after another on the same passes
        StepPasses passes = new StepPasses(penalty.active() ? penalty.on(model.network) : null);
        // one probe for the instruments on the same rows: each takes the trained weights before it measures
        Map<Integer, Probe> probes = new HashMap<>();
        IntFunction<Probe> probe = rows -> probes.computeIfAbsent(rows, r -> new Probe(model, loss, penalty, train, r));
        // the overlap's eigenpairs, found once a moment for it and for a sharpness on the same Hessian
        Track overlap = tracks.stream().filter(t -> t.name().equals("subspace_overlap")).findFirst().orElse(null);
        SharedTop top = overlap == null ? null : new SharedTop(overlap, rows(overlap, "k", Math.max(1, train.classes())),
                minibatch(overlap) ? minibatchTolerance(overlap, model, 1e-6) : tolerance(overlap, 1e-6));
        for (Track t : tracks) {
            Trainer.Listener one = switch (t.name()) {
                case "sharpness" -> {
                    SharedTop same = overlap != null && minibatch(overlap) == minibatch(t)
                            && (minibatch(t) || rows(overlap, "rows", train.rows()) == rows(t, "rows", train.rows())) ? top : null;
                    yield minibatch(t)
                            ? new MinibatchSharpness(onMinibatch(t, "rows", optimizer, curvatureRefusal(model)), log, passes,
                                    follower(t, minibatchTolerance(t, model, 1e-8)), same)
                            : new Sharpness(model.network, probe.apply(rows(t, "rows", train.rows())), t, log, follower(t, tolerance(t, 1e-8)), same);
                }
                case "noise_scale" -> minibatch(t)
                        ? new MinibatchNoiseScale(onMinibatch(t, "batch", optimizer, model.batchNorm ? "batch norm couples the minibatch's rows, which leaves no per-example gradients" : null), log)
                        : probeNoiseScale(t, model, probe, log);
                case "subspace_overlap" -> minibatch(t)
                        ? new MinibatchSubspaceOverlap(onMinibatch(t, "rows", optimizer, curvatureRefusal(model)), log, passes, top)
                        : new SubspaceOverlap(model.network, probe.apply(rows(t, "rows", train.rows())), t, log, top);
                case "preconditioned_sharpness" -> {
                    if (!(optimizer instanceof dev.ravine.optim.Preconditioned p))
                        throw UserError.setting("track", "preconditioned_sharpness", "needs an adaptive optimizer with a diagonal preconditioner "
                                + "(adam, adamw, rmsprop)");
                    yield minibatch(t)
                            ? new MinibatchPreconditionedSharpness(onMinibatch(t, "rows", optimizer, curvatureRefusal(model)), log, passes, p,
                                    follower(t, minibatchTolerance(t, model, 1e-8)))
                            : new PreconditionedSharpness(model.network, probe.apply(rows(t, "rows", train.rows())), t, log, p, follower(t, tolerance(t, 1e-8)));
                }
                case "layers" -> minibatch(t) ? new MinibatchLayers(onMinibatch(t, "rows", optimizer, null), log, passes)
                        : new Layers(model.network, probe.apply(rows(t, "rows", train.rows())), t, log);
                case "alpha" -> new MinibatchAlpha(onMinibatch(t, null, optimizer, model.batchNorm || model.dropout != null
                        ? "the loss after the step on the step's rows needs the function the step took: dropout draws new masks and batch norm "
                        + "moves its running statistics" : null), log, passes);
                default -> throw new IllegalStateException(t.name());
            };
            all = Trainer.Listener.both(all, one);
        }
        return all;
    }

    private static NoiseScale probeNoiseScale(Track t, Mlp model, IntFunction<Probe> probe, TrackLog log) {
        int batch = rows(t, "batch", 64);
        if (batch < 2) throw UserError.setting("track", "noise_scale:batch=" + batch, "the noise scale needs two rows or more");
        return new NoiseScale(model.network, probe.apply(batch), t, log);
    }

    /** Whether an instrument measures on each step's minibatch ({@code minibatch=true}) rather than on the probe. */
    private static boolean minibatch(Track t) {
        String v = t.keys().getOrDefault("minibatch", "false");
        if (!v.equals("true") && !v.equals("false")) throw UserError.setting("track", t.name() + ":minibatch=" + v, "expected true or false");
        return v.equals("true");
    }

    /**
     * {@code t}, checked for measuring on the steps' minibatches from the passes training has made: at step
     * intervals only (an epoch's end has no minibatch in hand), without {@code probeKey} (which sizes the fixed
     * batch the instrument otherwise measures on; null for one that measures only on minibatches), for minibatch
     * optimizers, and not where {@code refusal} says why (null: nothing else in the way).
     */
    private static Track onMinibatch(Track t, String probeKey, Object optimizer, String refusal) {
        String spec = t.name() + (probeKey == null ? "" : ":minibatch=true");
        if (t.steps() == 0) throw UserError.setting("track", spec, "measures at step intervals: give steps=N");
        if (probeKey != null && t.keys().containsKey(probeKey))
            throw UserError.setting("track", spec + "," + probeKey + "=" + t.keys().get(probeKey), "measures on each step's minibatch; " + probeKey + "= sizes the fixed batch");
        if (!(optimizer instanceof dev.ravine.optim.Optimizer))
            throw UserError.setting("track", spec, "needs a minibatch optimizer (sgd, adam, ...): full-batch methods take no minibatch steps");
        if (refusal != null)
            throw UserError.setting("track", spec, refusal + (probeKey == null ? "" : "; track " + t.name() + " without minibatch=true"));
        return t;
    }

    /** Why a curvature instrument cannot reuse the training passes of {@code model}; null where it can. */
    private static String curvatureRefusal(Mlp model) {
        // batch norm's training passes normalize with the batch's statistics, which the R-operator's reuse does not follow
        return model.batchNorm ? "cannot reuse batch norm's training passes" : null;
    }

    /**
     * The tolerance of a curvature instrument on the training passes: {@code float64} by default in float64; a
     * float32 product is exact to ~1e-7, so there the default is 1e-5 and anything under 1e-6 is refused.
     */
    private static double minibatchTolerance(Track t, Mlp model, double float64) {
        if (model.network.dtype != dev.ravine.tensor.DType.FLOAT32) return tolerance(t, float64);
        double tolerance = tolerance(t, 1e-5);
        if (tolerance < 1e-6)
            throw UserError.setting("track", t.name() + ":minibatch=true,tolerance=" + t.keys().get("tolerance"), "float32 products are exact to ~1e-7: expected 1e-6 or more");
        return tolerance;
    }

    /**
     * The warm-started top-eigenvalue search of a sharpness instrument: to {@code tolerance} (relative residual),
     * with at most {@code products} Hessian-vector products a measurement (default: no limit).
     */
    private static dev.ravine.curvature.TopEigen.Follower follower(Track t, double tolerance) {
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
