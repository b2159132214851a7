package dev.ravine;

import java.util.function.UnaryOperator;

/**
 * A mistake in what the user gave (a flag, a file, a value): the command line prints the message as one line,
 * {@code ravine: <message>}, and exits with status 2. The message names the file, line, column, option or
 * tensor at fault and what was expected. A mistake in a setting of a run names the setting as the library calls
 * it ({@code epochs}, {@code clip-norm}); the command line shows the flag that sets it instead.
 */
public final class UserError extends RuntimeException {
    private final String setting, value, problem;

    public UserError(String message) {
        super(message, null, false, false);
        setting = value = problem = null;
    }

    private UserError(String setting, String value, String problem) {
        super(setting + (value == null ? "" : " " + value) + ": " + problem, null, false, false);
        this.setting = setting;
        this.value = value;
        this.problem = problem;
    }

    /** Setting {@code setting} (given {@code value}, or null when it is a switch) cannot be used: {@code problem}. */
    public static UserError setting(String setting, Object value, String problem) {
        return new UserError(setting, value == null ? null : String.valueOf(value), problem);
    }

    /** The setting at fault, or null when the mistake is in a file or elsewhere. */
    public String setting() {
        return setting;
    }

    /** The message with the setting shown as {@code name} shows it (a command line's flag). */
    public String message(UnaryOperator<String> name) {
        return setting == null ? getMessage() : name.apply(setting) + (value == null ? "" : " " + value) + ": " + problem;
    }
}
