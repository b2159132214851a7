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
    public static Trainer.Listener of(List<Track> tracks, Mlp model, Loss loss, Penalty penalty, Dataset train, Object optimizer) {
        Trainer.Listener all = new Trainer.Listener() {
        };
        for (Track t : tracks) {
            Trainer.Listener one = switch (t.name()) {
                case "sharpness" -> new Sharpness(model.network, new Probe(model, loss, penalty, train, rows(t, "rows", train.rows())), t.every(),
                        t.number("tolerance", 1e-8));
                case "noise_scale" -> {
                    int batch = rows(t, "batch", 64);
                    if (batch < 2) throw UserError.setting("track", "noise_scale:batch=" + batch, "the noise scale needs two rows or more");
                    yield new NoiseScale(model.network, new Probe(model, loss, penalty, train, batch), t.every());
                }
                case "subspace_overlap" -> new SubspaceOverlap(model.network, new Probe(model, loss, penalty, train, rows(t, "rows", train.rows())),
                        t.every(), rows(t, "k", Math.max(1, train.classes())));
                case "preconditioned_sharpness" -> {
                    if (!(optimizer instanceof dev.ravine.optim.Preconditioned p))
                        throw UserError.setting("track", "preconditioned_sharpness", "needs an adaptive optimizer with a diagonal preconditioner "
                                + "(adam, adamw, rmsprop)");
                    yield new PreconditionedSharpness(model.network, new Probe(model, loss, penalty, train, rows(t, "rows", train.rows())), t.every(), p);
                }
                case "layers" -> new Layers(model.network, new Probe(model, loss, penalty, train, rows(t, "rows", train.rows())), t.every());
                default -> throw new IllegalStateException(t.name());
            };
            all = Trainer.Listener.both(all, one);
        }
        return all;
    }

    private static int rows(Track t, String key, int otherwise) {
        double v = t.number(key, otherwise);
        if (v < 1 || v != Math.rint(v)) throw UserError.setting("track", t.name() + ":" + key + "=" + v, "expected a whole number of rows, 1 or more");
        return (int) v;
    }
}
