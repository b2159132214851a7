package dev.ravine.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process and captures what it prints. */
public record Cli(int exit, String out, String err) {
    /** An output folder no refused command may get to write. */
    public static final String NOWHERE = "/nonexistent/never-written";

    public static Cli run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Cli(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Runs {@code args} and checks that they are refused as a user mistake: exit code 2 and one line on stderr,
     * {@code ravine: } and then {@code message} (its start), no stack trace.
     */
    public static void refuses(String message, String... args) {
        Cli r = run(args);
        if (r.exit() != 2 || r.err().lines().count() != 1 || !r.err().startsWith("ravine: " + message) || r.err().contains("\tat "))
            throw new AssertionError("expected one line starting 'ravine: " + message + "' and exit 2, got " + r);
    }

    @Override
    public String toString() {
        return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
