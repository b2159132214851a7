package dev.ravine.optim.schedule;

import java.util.function.DoubleFunction;

/**
 * A learning-rate schedule as given ({@code cosine:t_max=25}), parsed and checked once. A schedule has state (its
 * step count, plateau's patience), so each training loop {@link #start}s its own from the optimizer's base rate.
 */
public final class ScheduleSpec {
    private final String text;
    private final DoubleFunction<Schedule> start;

    ScheduleSpec(String text, DoubleFunction<Schedule> start) {
        this.text = text;
        this.start = start;
    }

    /** A fresh schedule at step 0 that starts from {@code baseLr}. */
    public Schedule start(double baseLr) {
        return start.apply(baseLr);
    }

    /** The spec as the user wrote it, for run.json and messages. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
