package dev.ravine.experiment;

import dev.ravine.lab.TestFunction;
import dev.ravine.lab.Trajectory;
import dev.ravine.report.LineChart;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cliffs and exploding gradients (Pascanu et al. 2013; Goodfellow et al. 2016, section 8.2.4): where the loss drops
 * by a wall, the gradient on the wall is huge, and a plain step that lands there is catapulted far away, undoing the
 * work done so far. Clipping the gradient's norm keeps the step's direction and bounds its length, so the run walks
 * down the wall. On the {@code cliff} test function, plain gradient descent from {@code STARTS} points on the plateau
 * with and without {@code --clip-norm}. Whether a step lands on the wall or steps over it depends on where the run
 * started, so not every run meets it; a run is "thrown" when a step lands more than {@code THROWN} times as far from
 * the minimum as the run started.
 */
public final class Cliff implements Experiment {
    static final int STARTS = 21, STEPS = 300;
    static final double LR = 0.1, CLIP = 1, THROWN = 5, HEIGHT = 25;
    private final double steepness;

    public Cliff() {
        this(20);
    }

    /** The wall's steepness (the cliff function's {@code steepness}; a gentle slope leaves nothing to clip). */
    public Cliff(double steepness) {
        this.steepness = steepness;
    }

    @Override
    public String name() {
        return "cliff";
    }

    @Override
    public String claim() {
        return "on a cliff's wall an unclipped gradient step is catapulted far away, and clipping the gradient's norm saves the run";
    }

    /** One run: its path, its farthest distance from the minimum as a multiple of the start's, its longest step. */
    private record Run(Trajectory path, double farthest, double longestStep, double finalF) {
        static Run of(TestFunction f, double x0, double y0, double clip) {
            Trajectory t = Trajectory.run(f, "sgd:lr=" + LR, x0, y0, STEPS, clip);
            double start = Math.hypot(x0, y0), farthest = 0, longest = 0;
            for (int i = 1; i < t.points.size(); i++) {
                Trajectory.Point p = t.points.get(i), q = t.points.get(i - 1);
                farthest = Math.max(farthest, Math.hypot(p.x(), p.y()) / start);
                longest = Math.max(longest, Math.hypot(p.x() - q.x(), p.y() - q.y()));
            }
            return new Run(t, farthest, longest, t.points.get(t.points.size() - 1).f());
        }
    }

    @Override
    public Result run(long seed, String data) {
        TestFunction f = TestFunction.parse("cliff:height=" + HEIGHT + ",steepness=" + steepness);
        int thrown = 0;
        double farthestPlain = 0, farthestClipped = 0, longestPlain = 0, longestClipped = 0, worstFinalClipped = 0;
        List<Map<String, Object>> starts = new java.util.ArrayList<>();
        Run shownPlain = null, shownClipped = null;
        for (int i = 0; i < STARTS; i++) {
            double x0 = 2 + i / (double) (STARTS - 1), y0 = 1; // on the plateau, x from 2 to 3
            Run plain = Run.of(f, x0, y0, Double.NaN), clipped = Run.of(f, x0, y0, CLIP);
            if (shownPlain == null || plain.farthest() > shownPlain.farthest()) { // show the worst throw
                shownPlain = plain;
                shownClipped = clipped;
            }
            thrown += plain.farthest() > THROWN ? 1 : 0;
            farthestPlain = Math.max(farthestPlain, plain.farthest());
            farthestClipped = Math.max(farthestClipped, clipped.farthest());
            longestPlain = Math.max(longestPlain, plain.longestStep());
            longestClipped = Math.max(longestClipped, clipped.longestStep());
            worstFinalClipped = Math.max(worstFinalClipped, clipped.finalF());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("start", new double[] {x0, y0});
            row.put("unclipped_farthest_over_start", plain.farthest());
            row.put("unclipped_longest_step", plain.longestStep());
            row.put("clipped_farthest_over_start", clipped.farthest());
            row.put("clipped_longest_step", clipped.longestStep());
            row.put("unclipped_final_f", plain.finalF());
            row.put("clipped_final_f", clipped.finalF());
            starts.add(row);
        }
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("function", f.spec);
        numbers.put("lr", LR);
        numbers.put("clip_norm", CLIP);
        numbers.put("steps", STEPS);
        numbers.put("largest_gradient_on_the_wall", 1 + HEIGHT * steepness / 2); // h s / 2 at the wall's middle, plus the bowl's x = 1
        numbers.put("thrown_beyond_times_the_start_distance", THROWN);
        numbers.put("unclipped_runs_thrown", thrown);
        numbers.put("unclipped_farthest_over_start", farthestPlain);
        numbers.put("clipped_farthest_over_start", farthestClipped);
        numbers.put("unclipped_longest_step", longestPlain);
        numbers.put("clipped_longest_step", longestClipped);
        numbers.put("starts", starts);
        List<String> wrong = new java.util.ArrayList<>();
        if (thrown == 0)
            wrong.add(String.format(Locale.ROOT, "no unclipped run was thrown: the farthest went %.3g times as far from the minimum as it started",
                    farthestPlain));
        if (farthestClipped > 1) wrong.add(String.format(Locale.ROOT, "a clipped run went %.3g times as far from the minimum as it started", farthestClipped));
        if (worstFinalClipped > 1e-6) wrong.add(String.format(Locale.ROOT, "a clipped run ended at f = %.3g, not at the minimum", worstFinalClipped));
        String verdict = Experiment.verdict(wrong, String.format(Locale.ROOT, "unclipped, %d of %d runs landed on the wall and were thrown up to "
                + "%.3g times as far from the minimum as they started (a step of %.3g); clipped to norm %s, no run went farther than its start "
                + "(steps of at most %.3g), and all reached the minimum", thrown, STARTS, farthestPlain, longestPlain, CLIP, longestClipped));
        LineChart c = new LineChart("Gradient descent down a cliff, lr = " + LR + ", the start with the worst throw", "step", "f (log)", "Unclipped, the step that lands on the wall "
                + "meets its huge gradient and is thrown far past the minimum; clipped, the same step is bounded and the run walks down.").logY();
        for (Run r : new Run[] {shownPlain, shownClipped}) {
            double[] k = new double[r.path().points.size()], fk = new double[k.length];
            for (int i = 0; i < k.length; i++) {
                k[i] = i;
                fk[i] = Math.max(r.path().points.get(i).f(), 1e-12); // the floor keeps an exact minimum on the log axis
            }
            c.add(r == shownPlain ? "unclipped" : "clip_norm " + CLIP, k, fk);
        }
        return new Result(verdict, numbers, List.of(c));
    }
}
