package dev.ravine;

/**
 * A mistake in what the user gave (a flag, a file, a value): the command line prints the message as one line,
 * {@code ravine: <message>}, and exits with status 2. The message names the file, line, column, option or
 * tensor at fault and what was expected.
 */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message, null, false, false);
    }
}
