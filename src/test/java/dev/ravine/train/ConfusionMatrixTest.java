package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each class's scores as scikit-learn's {@code classification_report(..., zero_division=0)} gives them for the same
 * predictions (y_true = [0]*6 + [1]*5 + [2], y_pred = [0,0,0,0,0,1, 0,0,1,1,2, 1]): 0.714286 / 0.833333 / 0.769231,
 * 0.5 / 0.4 / 0.444444, 0 / 0 / 0, macro F1 0.4045584045584045; here as the fractions they round.
 */
class ConfusionMatrixTest {
    @Test
    void scoresAreScikitLearns() {
        ConfusionMatrix m = ConfusionMatrix.of(3);
        int[] truth = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2}, predicted = {0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 2, 1};
        for (int i = 0; i < truth.length; i++) m.add(truth[i], predicted[i]);
        assertEquals(List.of(List.of(5L, 1L, 0L), List.of(2L, 2L, 1L), List.of(0L, 1L, 0L)),
                java.util.Arrays.stream(m.counts()).map(r -> java.util.Arrays.stream(r).boxed().toList()).toList());
        List<ConfusionMatrix.Scores> s = m.scores();
        assertEquals(new ConfusionMatrix.Scores("0", 5.0 / 7, 5.0 / 6, 2 * (5.0 / 7) * (5.0 / 6) / (5.0 / 7 + 5.0 / 6), 6), s.get(0));
        assertEquals(0.769231, s.get(0).f1(), 5e-7);
        assertEquals(new ConfusionMatrix.Scores("1", 0.5, 0.4, 2 * 0.5 * 0.4 / 0.9, 5), s.get(1));
        assertEquals(new ConfusionMatrix.Scores("2", 0, 0, 0, 1), s.get(2), "a class never predicted right scores 0, as zero_division=0");
        assertEquals(0.4045584045584045, m.macroF1(), 1e-15);
    }
}
