package dev.ravine.cli;

import dev.ravine.UserError;
import dev.ravine.lab.QuadraticAnalysis;
import dev.ravine.lab.TestFunction;
import dev.ravine.lab.Trajectory;
import dev.ravine.report.TrajectoryPlot;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "optimize", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Optimizer paths on 2-D test functions, with contour plots.",
        description = {"Run optimizers on a 2-D test function and print their trajectories, in float64. "
                + "Rows are steps 0..N: step 0 is the start; evals counts function+gradient evaluations so far."})
final class OptimizeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--function", required = true, paramLabel = "F",
            description = "rosenbrock, beale, himmelblau, rastrigin, quadratic:kappa=K[,angle=DEG,offset_x=X,offset_y=Y], saddle, booth, matyas, "
                    + "styblinski_tang, cliff[:height=H,steepness=S]")
    String function;
    @Option(names = "--optimizer", required = true, paramLabel = "SPEC", description = "repeat to compare several (adds an 'optimizer' column)")
    List<String> optimizers;
    @Option(names = "--start", required = true, paramLabel = "X,Y", description = "starting point")
    String start;
    @Option(names = "--steps", required = true, paramLabel = "N", description = "number of steps")
    int steps;
    @Option(names = "--clip-norm", paramLabel = "X", description = "clip each gradient to this L2 norm first (clip_grad_norm_; first-order optimizers)")
    Double clipNorm;
    @Option(names = "--format", paramLabel = "csv|json", description = "default: csv")
    String format = "csv";
    @Option(names = "--plot", paramLabel = "FILE", description = "draw the contours and every path to FILE.png or FILE.svg")
    java.nio.file.Path plot;

    @Override
    public Integer call() {
        Formats.check(format, "csv", "json");
        if (steps < 0 || steps > 10_000_000) throw new UserError("--steps " + steps + ": expected 0 to 10000000");
        double[] xy = parsePoint(start);
        TestFunction f = TestFunction.parse(function);
        List<Trajectory> runs = new ArrayList<>();
        for (String o : optimizers) runs.add(Trajectory.run(f, o, xy[0], xy[1], steps, clipNorm == null ? Double.NaN : clipNorm));
        if (plot != null) TrajectoryPlot.save(f, runs, plot);
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (f instanceof TestFunction.Quadratic q) for (String o : optimizers) err.println(QuadraticAnalysis.describe(q, o));
        boolean several = runs.size() > 1;
        StringBuilder sb = new StringBuilder();
        if (format.equals("csv")) sb.append(several ? "optimizer,step,x,y,f,evals\n" : "step,x,y,f,evals\n");
        for (Trajectory t : runs) {
            for (Trajectory.Point p : t.points) {
                if (format.equals("csv")) {
                    if (several) sb.append('"').append(t.optimizer).append("\",");
                    sb.append(p.step()).append(',').append(p.x()).append(',').append(p.y()).append(',').append(p.f()).append(',').append(p.evals()).append('\n');
                } else {
                    Map<String, Object> row = new LinkedHashMap<>();
                    if (several) row.put("optimizer", t.optimizer);
                    row.put("step", p.step());
                    row.put("x", p.x());
                    row.put("y", p.y());
                    row.put("f", p.f());
                    row.put("evals", p.evals());
                    sb.append(Json.line(row)).append('\n');
                }
            }
        }
        out.print(sb);
        out.flush();
        return 0;
    }

    static double[] parsePoint(String text) {
        String[] parts = text.split(",", -1);
        try {
            if (parts.length == 2) {
                double x = Double.parseDouble(parts[0].trim()), y = Double.parseDouble(parts[1].trim());
                if (Double.isFinite(x) && Double.isFinite(y)) return new double[] {x, y};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError("--start " + text + ": expected two finite numbers X,Y");
    }
}
