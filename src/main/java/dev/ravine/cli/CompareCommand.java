package dev.ravine.cli;

import dev.ravine.report.ComparisonReport;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compare", mixinStandardHelpOptions = true, header = "Overlay several runs in one report.",
        description = {"Overlay runs in one self-contained report: validation loss and accuracy against epochs and against training "
                + "time, and a table of each run's best epoch, best figures, time and samples/s."})
final class CompareCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", arity = "1..*", description = "folders written by 'ravine train'")
    List<Path> runs;
    @Option(names = "--out", paramLabel = "DIR", description = "where report.html and charts/ go (default: comparison)")
    Path out = Path.of("comparison");

    @Override
    public Integer call() throws Exception {
        Path page = ComparisonReport.write(runs, out);
        spec.commandLine().getOut().println(page);
        return 0;
    }
}
