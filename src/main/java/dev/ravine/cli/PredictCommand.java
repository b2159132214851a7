package dev.ravine.cli;

import dev.ravine.data.CsvReader;
import dev.ravine.data.Dataset;
import dev.ravine.data.Task;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.ClassProbabilities;
import dev.ravine.train.Evaluation;
import dev.ravine.train.SavedRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "predict", mixinStandardHelpOptions = true,
        header = "A run's predictions for the rows of a CSV file.",
        description = {"Predictions of a run's saved model for each row of a CSV file, as CSV on stdout: "
                + "'prediction' (the class index, or the value for regression), then for classification p0,p1,... (softmax probabilities), "
                + "and 'label', the class's name, where the training data named its classes in words. The target column may be absent."})
final class PredictCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "a folder written by 'ravine train'")
    Path runDir;
    @Option(names = "--data", paramLabel = "FILE", required = true, description = "a CSV file with the run's feature columns (or an embedded set's name, as train takes it)")
    Path data;

    @Override
    public Integer call() {
        SavedRun run = SavedRun.load(runDir);
        Dataset rows = run.readRows(data, false);
        var net = run.model.network;
        boolean classification = run.task == Task.CLASSIFICATION;
        StringBuilder csv = new StringBuilder("prediction");
        if (classification) for (int k = 0; k < run.classes; k++) csv.append(",p").append(k);
        List<String> names = run.vocabulary.classes();
        boolean named = !names.isEmpty();
        if (named) csv.append(",label");
        csv.append('\n');
        double[] p = new double[net.outputWidth()];
        for (int start = 0; start < rows.rows(); start += net.capacity()) {
            int n = Math.min(net.capacity(), rows.rows() - start);
            Tensor x = net.input(n);
            for (int i = 0; i < n; i++) Dataset.copyRow(rows.x(), start + i, x, i);
            Tensor z = net.forward(false);
            for (int i = 0; i < n; i++) {
                if (!classification) {
                    csv.append(z.get(i, 0)).append('\n');
                    continue;
                }
                ClassProbabilities.softmax(z, i, p);
                int k = Evaluation.argmax(z, i);
                csv.append(k);
                for (double v : p) csv.append(',').append(v);
                if (named) csv.append(',').append(CsvReader.quote(names.get(k)));
                csv.append('\n');
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(csv);
        out.flush();
        return 0;
    }
}
