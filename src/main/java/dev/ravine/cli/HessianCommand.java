package dev.ravine.cli;

import dev.ravine.curvature.HessianReport;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "hessian", mixinStandardHelpOptions = true, sortOptions = false,
        header = "The loss's curvature: eigenvalues, trace, 2/lambda_max, minimum or saddle.",
        description = {"Curvature of the mean training loss (cross-entropy for classification) over all rows, in float64: "
                + "the Hessian's extreme eigenvalues, trace, share of negative eigenvalues, condition number and 2/lambda_max, "
                + "the largest stable plain gradient step, and whether the point is a minimum, a saddle or a plateau."})
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
        HessianReport.Options options = new HessianReport.Options(HessianReport.Method.parse(method), top, trace, density, samples, seed,
                layer == null ? -1 : layer, step == null ? Double.NaN : step); // checked before the model is read
        HessianReport r = HessianReport.of(source.load(), options);
        if (source.ownRun() != null) dev.ravine.report.Analyses.keep(source.ownRun(), "hessian", r.asMap());
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) out.println(Json.line(r.asMap()));
        else out.print(text(r));
        out.flush();
        return 0;
    }

    private static String text(HessianReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "parameters %d  loss %.6g  gradient norm %.4g%n", r.params(), r.loss(), r.gradNorm()));
        sb.append(String.format(Locale.ROOT, "largest eigenvalues  %s%n", Arrays.toString(r.top())));
        sb.append(String.format(Locale.ROOT, "smallest eigenvalues %s%n", Arrays.toString(r.bottom())));
        if (r.trace() != null) sb.append(String.format(Locale.ROOT, "trace %.6g%n", r.trace()));
        if (r.negativeFraction() != null) sb.append(String.format(Locale.ROOT, "negative eigenvalues %.4g of all%n", r.negativeFraction()));
        if (r.conditionNumber() != null) sb.append(String.format(Locale.ROOT, "condition number %.6g%n", r.conditionNumber()));
        if (r.maxStableLr() != null) sb.append(String.format(Locale.ROOT, "largest stable plain gradient step 2/lambda_max = %.6g%n", r.maxStableLr()));
        if (r.taylor() != null)
            sb.append(String.format(Locale.ROOT, "gradient step %s: loss change %.6g, predicted %.6g (first order alone %.6g)%n",
                    r.taylor().step(), r.taylor().actual(), r.taylor().predicted(), r.taylor().firstOrder()));
        sb.append(r.verdict()).append('\n');
        return sb.toString();
    }
}
