package dev.ravine.experiment;

import dev.ravine.report.LineChart;
import java.util.List;
import java.util.Map;

/**
 * A lecture's claim as something to run: it computes its numbers on real data or a test function, draws its figure,
 * and decides from those numbers alone whether the claim holds here.
 */
public interface Experiment {
    /** What an experiment found: a verdict beginning "holds" or "does not hold", the numbers behind it, its figures. */
    record Result(String verdict, Map<String, Object> numbers, List<LineChart> figures) {
        public Result {
            if (!verdict.startsWith("holds") && !verdict.startsWith("does not hold"))
                throw new IllegalArgumentException("a verdict begins with 'holds' or 'does not hold': " + verdict);
        }
    }

    /**
     * "holds: {@code holds}" when nothing went against the claim, else "does not hold here, because" and each thing
     * that did, as each experiment words its verdict.
     */
    static String verdict(List<String> against, String holds) {
        return against.isEmpty() ? "holds: " + holds : "does not hold here, because " + String.join("; ", against);
    }

    String name();

    /** The claim, in one line. */
    String claim();

    Result run(long seed);
}
