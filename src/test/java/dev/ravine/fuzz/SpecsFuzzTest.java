package dev.ravine.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ravine.UserError;
import dev.ravine.data.Augmentation;
import dev.ravine.nn.LossSpec;
import dev.ravine.nn.MlpSpec;
import dev.ravine.optim.Minimizers;
import dev.ravine.optim.Lookahead;
import dev.ravine.optim.Optimizers;
import dev.ravine.optim.Sam;
import dev.ravine.optim.schedule.Schedules;
import dev.ravine.train.CheckpointInterval;
import dev.ravine.train.EarlyStopping;
import dev.ravine.train.Swa;

/**
 * Coverage-guided fuzzing of the spec parsers ({@code NAME:key=value,...}): a spec parses, or is refused with a
 * {@link UserError} (or, for the options the command line wraps itself, an {@link IllegalArgumentException}).
 */
class SpecsFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void specs(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            Optimizers.parse(text).learningRate();
        } catch (UserError expected) {
            // refused cleanly
        }
        try {
            Minimizers.parse(text);
        } catch (UserError expected) {
            // refused cleanly
        }
        try {
            var schedule = Schedules.spec(text).start(0.1);
            try {
                if (!schedule.watchesMetric()) schedule.sequence(3); // plateau steps on a metric, as training gives it
                else schedule.step(1.0);
            } catch (IllegalArgumentException tooManySteps) {
                // PyTorch's own refusal to step onecycle past total_steps; runs check it before training
            }
        } catch (UserError expected) {
            // refused cleanly
        }
        try {
            MlpSpec.parse(text).widths(4, 3);
        } catch (UserError expected) {
            // refused cleanly
        }
        for (Runnable wrapped : new Runnable[] {() -> EarlyStopping.parse("--early-stop", text), () -> Augmentation.parse("--augment", text),
                () -> CheckpointInterval.parse(text), () -> LossSpec.parse(text).balancedFor(new long[] {3, 1}).forTask(true, 2), () -> Swa.parse("--swa", text).schedule(null).start(0.1).sequence(3),
                () -> Sam.parse("--sam", text).rho(), () -> Lookahead.parse("--lookahead", text).k()}) {
            try {
                wrapped.run();
            } catch (IllegalArgumentException | UserError expected) {
                // refused cleanly, as the command line words it
            }
        }
    }
}
