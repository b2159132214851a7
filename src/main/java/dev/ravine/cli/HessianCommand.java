package dev.ravine.cli;

import dev.ravine.UserError;
import dev.ravine.curvature.HessianReport;
import dev.ravine.curvature.ModelOnData;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "hessian", mixinStandardHelpOptions = true, sortOptions = false,
        header = "The loss's curvature: eigenvalues, trace, 2/lambda_max, minimum or saddle.",
        description = {"Curvature of the mean training loss (cross-entropy for classification) over all rows, in float64:",
                "the Hessian's extreme eigenvalues, trace, share of negative eigenvalues, condition number and 2/lambda_max,",
                "the largest stable plain gradient step, and whether the point is a minimum, a saddle or a plateau."})
final class HessianCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ModelSource source;

    @Option(names = "--method", paramLabel = "auto|full|lanczos",
            description = "full: every eigenvalue (dense, small models); lanczos: the extremes; auto: full up to " + HessianReport.AUTO_FULL_LIMIT + " parameters")
    String method = "auto";
    @Option(names = "--top", paramLabel = "K", description = "how many of the largest and smallest eigenvalues (default: 5)")
    int top = 5;
    @Option(names = "--trace", description = "estimate the trace by Hutchinson's method when not computing every eigenvalue")
    boolean trace;
    @Option(names = "--density", description = "a smoothed eigenvalue density (stochastic Lanczos quadrature when not full)")
    boolean density;
    @Option(names = "--samples", paramLabel = "N", description = "samples for the stochastic estimates (default: 100)")
    int samples = 100;
    @Option(names = "--seed", paramLabel = "N", description = "seed of the stochastic estimates (default: 0)")
    long seed;
    @Option(names = "--layer", paramLabel = "N", description = "restrict to linear layer N's block (0 = the first; nn.Sequential index 2N)")
    Integer layer;
    @Option(names = "--step", paramLabel = "EPS", description = "Taylor check: f(theta - EPS g) - f(theta) beside -EPS g'g + EPS^2/2 g'Hg")
    Double step;
    @Option(names = "--format", paramLabel = "text|json", description = "default: text")
    String format = "text";

    @Override
    public Integer call() throws java.io.IOException {
        Formats.check(format, "text", "json");
        if (top < 1) throw new UserError("--top " + top + ": expected 1 or more");
        if (samples < 1) throw new UserError("--samples " + samples + ": expected 1 or more");
        if (step != null && !Double.isFinite(step)) throw new UserError("--step " + step + ": expected a finite number");
        if (layer != null && layer < 0) throw new UserError("--layer " + layer + ": expected 0 or more");
        ModelOnData m = source.load();
        int size = layer == null ? m.parameters() : m.linearBlock(layer)[1];
        HessianReport.Method chosen = switch (method) {
            case "full" -> HessianReport.Method.FULL;
            case "lanczos" -> HessianReport.Method.LANCZOS;
            case "auto" -> size <= HessianReport.AUTO_FULL_LIMIT ? HessianReport.Method.FULL : HessianReport.Method.LANCZOS;
            default -> throw new UserError("--method " + method + ": expected auto, full or lanczos");
        };
        if (chosen == HessianReport.Method.FULL && size > 6000)
            throw new UserError("--method full: " + size + " parameters is too many for a dense eigendecomposition; use --method lanczos");
        Map<String, Object> r = HessianReport.compute(m, new HessianReport.Options(chosen, top, trace, density, samples, seed,
                layer == null ? -1 : layer, step == null ? Double.NaN : step));
        if (source.ownRun() != null) dev.ravine.report.Analyses.keep(source.ownRun(), "hessian", r);
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) out.println(Json.line(r));
        else out.print(text(r));
        out.flush();
        return 0;
    }

    private static String text(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "parameters %d  loss %.6g  gradient norm %.4g%n", r.get("params"), r.get("loss"), r.get("grad_norm")));
        sb.append(String.format(Locale.ROOT, "largest eigenvalues  %s%n", Arrays.toString((double[]) r.get("top"))));
        sb.append(String.format(Locale.ROOT, "smallest eigenvalues %s%n", Arrays.toString((double[]) r.get("bottom"))));
        if (r.containsKey("trace")) sb.append(String.format(Locale.ROOT, "trace %.6g%n", r.get("trace")));
        if (r.containsKey("negative_fraction")) sb.append(String.format(Locale.ROOT, "negative eigenvalues %.4g of all%n", r.get("negative_fraction")));
        if (r.containsKey("condition_number")) sb.append(String.format(Locale.ROOT, "condition number %.6g%n", r.get("condition_number")));
        if (r.containsKey("max_stable_lr"))
            sb.append(String.format(Locale.ROOT, "largest stable plain gradient step 2/lambda_max = %.6g%n", r.get("max_stable_lr")));
        if (r.get("taylor") instanceof Map<?, ?> t)
            sb.append(String.format(Locale.ROOT, "gradient step %s: loss change %.6g, predicted %.6g (first order alone %.6g)%n",
                    t.get("step"), t.get("actual"), t.get("predicted"), t.get("first_order")));
        sb.append(r.get("verdict")).append('\n');
        return sb.toString();
    }
}
