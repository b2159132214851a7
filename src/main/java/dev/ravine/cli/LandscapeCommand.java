package dev.ravine.cli;

import dev.ravine.UserError;
import dev.ravine.curvature.Landscape;
import dev.ravine.curvature.ModelOnData;
import dev.ravine.report.ContourPlot;
import dev.ravine.tensor.Safetensors;
import dev.ravine.train.RunFolder;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "landscape", mixinStandardHelpOptions = true, sortOptions = false,
        header = "The loss on a plane around the weights, with the training path.",
        description = {"The loss on an N x N grid of (a, b) in [-S, S]^2 around the weights (at (0, 0)), along two filter-normalized "
                + "random directions (Li et al. 2018), the Hessian's top two eigenvectors or the training path's two principal directions, "
                + "as CSV a,b,loss and a contour plot, with the training path projected onto the plane when a run folder kept it."})
final class LandscapeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ModelSource source;

    @Option(names = "--directions", paramLabel = "random|hessian|pca",
            description = "pca: the training path's two principal directions, unit length, which need its trajectory (default: random)")
    String directions = "random";
    @Option(names = "--span", paramLabel = "S",
            description = "half-width of the grid in units of the directions (default: 1; with pca, the projected path's extent and a tenth)")
    Double span;
    @Option(names = "--grid", paramLabel = "N", description = "points per side (default: 21)")
    int grid = 21;
    @Option(names = "--seed", paramLabel = "N", description = "seed of the random directions and of Lanczos (default: 0)")
    long seed;
    @Option(names = "--run", paramLabel = "RUN_DIR", description = "a run folder whose trajectory.safetensors to project onto the plane")
    Path run;
    @Option(names = "--format", paramLabel = "csv|json", description = "default: csv")
    String format = "csv";
    @Option(names = "--plot", paramLabel = "FILE", description = "draw the contours (and the path) to FILE.png or FILE.svg")
    Path plot;

    @Override
    public Integer call() throws Exception {
        Formats.check(format, "csv", "json");
        if (span != null && (!(span > 0) || Double.isInfinite(span))) throw new UserError("--span " + span + ": expected a positive number");
        if (grid < 2 || grid > 501) throw new UserError("--grid " + grid + ": expected 2 to 501");
        Landscape.Directions kind;
        try {
            kind = Landscape.Directions.parse(directions);
        } catch (IllegalArgumentException e) {
            throw new UserError("--directions " + directions + ": " + e.getMessage());
        }
        ModelOnData m = source.load();
        Path trajectoryRun = run != null ? run : source.runDir;
        if (kind == Landscape.Directions.PCA && trajectoryRun == null)
            throw new UserError("--directions pca: the principal directions are the training path's; give a RUN_DIR or --run RUN_DIR");
        Landscape.Plane plane;
        try {
            plane = Landscape.plane(m, kind, seed, trajectoryRun == null ? null : trajectory(m, trajectoryRun));
        } catch (IllegalArgumentException e) {
            throw new UserError("--directions " + directions + ": " + e.getMessage()
                    + (trajectoryRun == null ? "" : " (" + trajectoryRun.resolve(RunFolder.TRAJECTORY) + ")"));
        }
        double[][] path = plane.path();
        double[] explained = plane.explained();
        Landscape.Surface s = Landscape.surface(m, plane.d1(), plane.d2(), span != null ? span : plane.span(), grid);
        String[] axes = explained == null ? new String[] {"a", "b"} : new String[] {Landscape.axis(1, explained[0]), Landscape.axis(2, explained[1])};
        if (plot != null) {
            List<ContourPlot.Path2> paths = new ArrayList<>();
            if (path != null) paths.add(new ContourPlot.Path2("training path (epochs)",
                    java.util.Arrays.stream(path).mapToDouble(p -> p[0]).toArray(), java.util.Arrays.stream(path).mapToDouble(p -> p[1]).toArray()));
            ContourPlot.save("loss around the weights (" + directions + " directions)", axes[0], axes[1], s.as(), s.bs(), s.loss(), paths,
                    path == null ? null : path[0], plot);
        }
        if (source.ownRun() != null) {
            Map<String, Object> kept = new java.util.LinkedHashMap<>();
            kept.put("directions", directions);
            if (explained != null) kept.put("explained_variance", explained);
            kept.put("a", s.as());
            kept.put("b", s.bs());
            kept.put("loss", s.loss());
            if (path != null) kept.put("path", path);
            dev.ravine.report.Analyses.keep(source.ownRun(), "landscape", kept);
        }
        StringBuilder sb = new StringBuilder(format.equals("csv") ? "a,b,loss\n" : "");
        for (int i = 0; i < grid; i++)
            for (int j = 0; j < grid; j++) {
                if (format.equals("csv")) sb.append(s.as()[i]).append(',').append(s.bs()[j]).append(',').append(s.loss()[i][j]).append('\n');
                else sb.append(Json.line(Map.of("a", s.as()[i], "b", s.bs()[j], "loss", s.loss()[i][j]))).append('\n');
            }
        PrintWriter out = spec.commandLine().getOut();
        out.print(sb);
        out.flush();
        return 0;
    }

    private static List<double[]> trajectory(ModelOnData m, Path runDir) {
        Path file = runDir.resolve(RunFolder.TRAJECTORY);
        if (!Files.isRegularFile(file))
            throw new UserError("--run " + runDir + ": no " + RunFolder.TRAJECTORY + " (runs keep one when parameters x epochs is at most 20 million)");
        Map<String, Safetensors.Entry> epochs = Safetensors.read(file);
        List<double[]> points = new ArrayList<>();
        for (int e = 0; epochs.containsKey("epoch." + e); e++) {
            double[] w = epochs.get("epoch." + e).values();
            if (w.length != m.weights.length)
                throw new UserError(file + ": tensor 'epoch." + e + "' has " + w.length + " values, the model has " + m.weights.length + " parameters");
            points.add(w);
        }
        return points;
    }
}
