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
                case "sharpness" -> new Sharpness(model.network, new Probe(model, loss, penalty, train, rows(t, "rows", train.rows())), t, log, follower(t));
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
                    yield new PreconditionedSharpness(model.network, new Probe(model, loss, penalty, train, rows(t, "rows", train.rows())), t, log, p, follower(t));
                }
                case "layers" -> new Layers(model.network, new Probe(model, loss, penalty, train, rows(t, "rows", train.rows())), t, log);
                default -> throw new IllegalStateException(t.name());
            };
            all = Trainer.Listener.both(all, one);
        }
        return all;
    }

    /**
     * The warm-started top-eigenvalue search of a sharpness instrument: to {@code tolerance} (relative residual,
     * default 1e-8), with at most {@code products} Hessian-vector products a measurement (default: no limit).
     */
    private static dev.ravine.curvature.TopEigen.Follower follower(Track t) {
        double tolerance = tolerance(t, 1e-8);
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
