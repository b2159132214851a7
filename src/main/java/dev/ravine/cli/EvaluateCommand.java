package dev.ravine.cli;

import dev.ravine.data.Dataset;
import dev.ravine.train.Evaluation;
import dev.ravine.train.SavedRun;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        header = "Loss and accuracy of a run's model on its validation split or a CSV file.",
        description = "Loss and accuracy (or RMSE) of a run's saved model on its own validation split, or on another CSV file, with the run's preprocessing.")
final class EvaluateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "a folder written by 'ravine train'")
    Path runDir;
    @Option(names = "--data", paramLabel = "FILE", description = "CSV with the run's feature and target columns")
    Path data;
    @Option(names = "--format", paramLabel = "text|json", description = "default: text")
    String format = "text";

    @Override
    public Integer call() {
        Formats.check(format, "text", "json");
        SavedRun run = SavedRun.load(runDir);
        Dataset rows = data == null ? run.validation() : run.readRows(data, true);
        Evaluation e = Evaluation.of(run.model.network, run.loss, rows);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("rows", e.rows());
        result.put("loss", e.loss());
        if (e.accuracy() != null) result.put("accuracy", e.accuracy());
        if (e.rmse() != null) result.put("rmse", e.rmse());
        var out = spec.commandLine().getOut();
        if (format.equals("json")) out.println(Json.line(result));
        else out.printf(Locale.ROOT, "rows %d  loss %.6f  %s%n", e.rows(), e.loss(),
                e.accuracy() != null ? String.format(Locale.ROOT, "accuracy %.4f", e.accuracy()) : String.format(Locale.ROOT, "rmse %.6f", e.rmse()));
        return 0;
    }
}
