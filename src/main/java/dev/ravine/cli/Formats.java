package dev.ravine.cli;

import dev.ravine.UserError;
import java.util.Arrays;

/** The check every {@code --format} option shares. */
final class Formats {
    private Formats() {
    }

    /** Refuses a format outside {@code allowed}, naming them. */
    static void check(String format, String... allowed) {
        if (!Arrays.asList(allowed).contains(format))
            throw new UserError("--format " + format + ": expected " + String.join(" or ", allowed));
    }
}
