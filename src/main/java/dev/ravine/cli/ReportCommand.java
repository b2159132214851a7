package dev.ravine.cli;

import dev.ravine.report.RunReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true, header = "Write a run's self-contained report.html.",
        description = {"Write RUN_DIR/report.html: the run's settings, data and model, its final and best figures and its charts "
                + "(loss, accuracy, learning rate, and the --diagnose figures when present), in one page that loads nothing. "
                + "'ravine train' writes it too."})
final class ReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "a folder written by 'ravine train'")
    Path runDir;
    @Option(names = "--charts", paramLabel = "DIR", description = "also write each chart to DIR as PNG and SVG")
    Path charts;

    @Override
    public Integer call() throws Exception {
        Path page = RunReport.write(runDir, charts);
        spec.commandLine().getOut().println(page);
        return 0;
    }
}
