package dev.ravine.cli;

import dev.ravine.UserError;
import dev.ravine.curvature.ModelOnData;
import dev.ravine.curvature.Pruning;
import dev.ravine.data.Dataset;
import dev.ravine.tensor.Safetensors;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.Evaluation;
import dev.ravine.train.SavedRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "prune", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Remove weights by Optimal Brain Damage or magnitude.",
        description = {"Zero the given fraction of a run's weights (biases are kept), those of least saliency: Optimal Brain Damage's "
                + "H_ii w_i^2 / 2 (obd) or |w_i| (magnitude), and report loss and accuracy before and after on the run's validation "
                + "split (its training rows when it kept none)."})
final class PruneCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "a folder written by 'ravine train'")
    Path runDir;
    @Mixin
    ThreadsOption threads;
    @Mixin
    BatchNormOption bn;
    @Option(names = "--method", paramLabel = "obd|magnitude", description = "default: obd")
    String method = "obd";
    @Option(names = "--fraction", required = true, paramLabel = "F", description = "share of the weights to remove, in [0, 1]")
    double fraction;
    @Option(names = "--samples", paramLabel = "N", description = "products for the stochastic Hessian diagonal above " + Pruning.EXACT_DIAGONAL_LIMIT + " parameters (default: 100)")
    int samples = 100;
    @Option(names = "--seed", paramLabel = "N", description = "default: 0")
    long seed;
    @Option(names = "--out", paramLabel = "FILE", description = "save the pruned weights (safetensors, the run's dtype)")
    Path out;
    @Option(names = "--format", paramLabel = "text|json", description = "default: text")
    String format = "text";

    @Override
    public Integer call() throws Exception {
        Formats.check(format, "text", "json");
        if (!method.equals("obd") && !method.equals("magnitude")) throw new UserError("--method " + method + ": expected obd or magnitude");
        if (!(fraction >= 0 && fraction <= 1)) throw new UserError("--fraction " + fraction + ": expected a number in [0, 1]");
        if (samples < 1) throw new UserError("--samples " + samples + ": expected 1 or more");
        threads.apply();
        ModelOnData m = ModelOnData.ofRun(runDir, null, bn.value()); // the curvature of the training loss decides
        SavedRun run = SavedRun.load(runDir);
        Dataset held = run.json.path("settings").path("val").asDouble() > 0 ? run.validation() : run.trainingRows(run.dtype);
        Evaluation before = Evaluation.of(run.model.network, run.loss, held);
        double[] pruned = Pruning.prune(m, method, fraction, samples, seed);
        Tensor p = run.model.network.parameters();
        for (int i = 0; i < pruned.length; i++) p.set(i, pruned[i]);
        Evaluation after = Evaluation.of(run.model.network, run.loss, held);
        if (out != null) Safetensors.write(out, run.model.tensors(), run.dtype, Map.of("format", "pt"));
        long zeroed = 0;
        for (int i = 0; i < pruned.length; i++) if (pruned[i] == 0 && m.weights[i] != 0) zeroed++;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("method", method);
        r.put("fraction", fraction);
        r.put("pruned", zeroed);
        r.put("rows", held.rows());
        r.put("before", figures(before));
        r.put("after", figures(after));
        PrintWriter o = spec.commandLine().getOut();
        if (format.equals("json")) o.println(Json.line(r));
        else o.printf(Locale.ROOT, "%s pruning of %d weights: loss %.6g -> %.6g, %s %.4f -> %.4f (%d rows)%n", method, zeroed,
                before.loss(), after.loss(), before.accuracy() != null ? "accuracy" : "rmse",
                before.accuracy() != null ? before.accuracy() : before.rmse(), after.accuracy() != null ? after.accuracy() : after.rmse(), held.rows());
        o.flush();
        return 0;
    }

    private static Map<String, Object> figures(Evaluation e) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("loss", e.loss());
        if (e.accuracy() != null) f.put("accuracy", e.accuracy());
        if (e.rmse() != null) f.put("rmse", e.rmse());
        return f;
    }
}
