package dev.ravine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.optim.schedule.Schedules;
import org.junit.jupiter.api.Test;

/** Help's defaults as PyTorch's signatures show them, required keys named, lines within picocli's width. */
class SpecHelpTest {
    @Test
    void numbersAsPythonsRepr() {
        assertEquals("1e-08", Spec.number(1e-8));
        assertEquals("1.5e-07", Spec.number(1.5e-7));
        assertEquals("0.0001", Spec.number(1e-4));
        assertEquals("0.001", Spec.number(0.001));
        assertEquals("0.9", Spec.number(0.9));
        assertEquals("1.0", Spec.number(1));
        assertEquals("1000000.0", Spec.number(1e6));
        assertEquals("1e+16", Spec.number(1e16));
        assertEquals("-2.5e-05", Spec.number(-2.5e-5));
        assertEquals("0.3333333333333333", Spec.number(1.0 / 3));
        assertEquals("0.0", Spec.number(0));
        assertEquals("-0.0", Spec.number(-0.0));
        assertEquals("nan", Spec.number(Double.NaN));
        assertEquals("inf", Spec.number(Double.POSITIVE_INFINITY));
        for (double v : new double[] {1e-8, 1.5e-7, 0.1 + 0.2, 123456.789, 1e300, 4.9e-324})
            assertEquals(v, Double.parseDouble(Spec.number(v)), "reads back: " + v);
    }

    @Test
    void everyMethodsLineFitsAndReadsAsPyTorchs() {
        String help = String.join("\n", Optimizers.help(), Minimizers.help(), Schedules.help());
        for (String line : help.split("\n")) assertTrue(line.length() <= Spec.WIDTH, "longer than " + Spec.WIDTH + ": " + line);
        assertTrue(help.contains("  adam:lr=0.001,betas=0.9|0.999,eps=1e-08,"), help);
        assertTrue(help.contains("  step:step_size=<required>,gamma=0.1"), help);
        assertTrue(help.contains("  exponential:gamma=<required>"), help);
        assertTrue(help.contains("milestones=<required>"), help);
        assertTrue(!help.contains("E-") && !help.contains("=nan"), help);
        // a wrapped line breaks after a comma or at a space, never inside a key=value
        for (String line : help.split("\n"))
            if (line.startsWith("      ")) assertTrue(!line.isBlank() && !line.substring(6).startsWith(" "), line);
        assertTrue(Spec.wrap("x".repeat(100)).length() == 102, "a word longer than a line stays whole");
    }
}
