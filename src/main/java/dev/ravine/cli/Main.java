package dev.ravine.cli;

import dev.ravine.UserError;
import dev.ravine.Version;
import dev.ravine.optim.Minimizers;
import dev.ravine.optim.Optimizers;
import dev.ravine.optim.schedule.Schedules;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import dev.ravine.tensor.Kernels;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ravine} command. Exit codes: 0 on success, 2 for a user mistake (one line on stderr starting
 * {@code ravine: }), 1 for an internal failure; {@code --debug} adds stack traces.
 */
@Command(name = "ravine", mixinStandardHelpOptions = true, versionProvider = Main.VersionInfo.class,
        description = "Train neural networks and see why they train the way they do.",
        footer = {"", "Run 'ravine COMMAND --help' for a command's options. Add --debug to any command for stack traces."})
public final class Main implements Runnable {
    /**
     * The commands, in the order the help lists them. Only the one a command line names is handed to picocli, which
     * reads every option's annotations of each command it is given: all fifteen took a quarter of a second of every
     * run's start (AMD EPYC Zen 5). A line that names none of them (help, a mistake) gets all, {@code --version}
     * alone none.
     */
    static final List<Class<?>> COMMANDS = List.of(TrainCommand.class, EvaluateCommand.class, PredictCommand.class, OptimizeCommand.class,
            ScheduleCommand.class, LrFindCommand.class, HessianCommand.class, InterpolateCommand.class, UnitsCommand.class, LandscapeCommand.class,
            PruneCommand.class, ReportCommand.class, CompareCommand.class, ExperimentCommand.class, SweepCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.exit(run(args, out, System.err));
    }

    /** Runs one command line and returns its exit code, writing only to the given streams. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        System.setProperty("java.awt.headless", "true"); // plots render off screen, with or without a display
        try {
            Kernels.checkSettings();
        } catch (UserError e) {
            err.println("ravine: " + e.getMessage());
            return 2;
        }
        boolean debug = Arrays.asList(args).contains("--debug");
        String[] rest = Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        PrintWriter outWriter = new PrintWriter(out, true), errWriter = new PrintWriter(err, true);
        CommandLine cl = new CommandLine(new Main());
        // the commands first: picocli hands the settings below to the subcommands it holds when they are made
        String named = Arrays.stream(rest).filter(a -> !a.startsWith("-")).findFirst().orElse(null);
        List<Class<?>> commands = COMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(named)).toList();
        boolean versionOnly = Arrays.asList(rest).equals(List.of("--version"));
        if (!versionOnly) for (Class<?> command : commands.isEmpty() ? COMMANDS : commands) cl.addSubcommand(command);
        cl.setOut(outWriter)
                .setErr(errWriter)
                .setCaseInsensitiveEnumValuesAllowed(false)
                .setParameterExceptionHandler((e, a) -> {
                    errWriter.println("ravine: " + firstLine(e.getMessage()));
                    return 2;
                })
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof UserError u) {
                        errWriter.println("ravine: " + asTyped(u.message(Main::flag), parsed));
                        return 2;
                    }
                    if (debug) e.printStackTrace(errWriter);
                    errWriter.println("ravine: internal error: " + e + (debug ? "" : " (run with --debug for details)"));
                    return 1;
                });
        CommandLine train = cl.getSubcommands().get("train");
        // train's help ends with every optimizer's and schedule's keys and defaults: written out only when help is
        // printed (describing them all takes a new JVM ~50 ms, which every training run would pay)
        if (train != null)
            train.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, help -> {
                help.commandSpec().usageMessage().footer("",
                        "Optimizers (NAME:key=value,...; PyTorch's names, defaults and update rules):", Optimizers.help().replace("%", "%%"),
                        "", "Full-batch methods (each epoch is one step over every training row):", Minimizers.help().replace("%", "%%"),
                        "", "Schedules (NAME:key=value,...; torch.optim.lr_scheduler's names and defaults):", Schedules.help().replace("%", "%%"));
                return help.footer();
            });
        try {
            return cl.execute(rest);
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    @Override
    public void run() {
        String names = String.join(", ", COMMANDS.stream().map(c -> c.getAnnotation(Command.class).name()).toList());
        throw new CommandLine.ParameterException(spec.commandLine(), "missing a command (" + names + "); see 'ravine --help'");
    }

    /** The flag that sets a library setting: its name with two dashes ({@code clip-norm} is {@code --clip-norm}). */
    static String flag(String setting) {
        return "--" + setting;
    }

    /**
     * A message that opens with an option and its value, with the value as the user typed it. Checks echo the value
     * they were given as Java prints it: {@code --span -1} as -1.0, {@code --val .5e1} as 5.0, 1e400 as Infinity.
     */
    static String asTyped(String message, CommandLine.ParseResult parsed) {
        int space = message.indexOf(' ');
        if (!message.startsWith("--") || space < 0 || parsed == null) return message;
        CommandLine.ParseResult p = parsed;
        while (p.hasSubcommand()) p = p.subcommand();
        String name = message.substring(0, space);
        CommandLine.Model.OptionSpec option = p.matchedOption(name);
        if (option == null || option.originalStringValues().size() != 1 || option.getValue() instanceof Iterable) return message;
        String shown = name + " " + option.getValue(), typed = option.originalStringValues().get(0);
        boolean echoed = message.startsWith(shown) && (message.length() == shown.length() || ": ".indexOf(message.charAt(shown.length())) >= 0);
        return echoed ? name + " " + typed + message.substring(shown.length()) : message;
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }

    static final class VersionInfo implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ravine " + Version.get(),
                    "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
                    "kernels: " + Kernels.describe()};
        }
    }
}
