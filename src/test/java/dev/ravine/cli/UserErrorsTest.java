package dev.ravine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every user mistake ends with exit 2 and exactly one line on stderr that starts with {@code ravine: } and names
 * what is wrong; nothing is written to the run folder.
 */
class UserErrorsTest {
    @TempDir
    Path tmp;

    private Cli fails(String expectedFragment, String... args) {
        Cli r = Cli.run(args);
        assertEquals(2, r.exit(), r::toString);
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), () -> "one line on stderr, got:\n" + r.err());
        assertTrue(lines.get(0).startsWith("ravine: "), r::toString);
        assertTrue(lines.get(0).contains(expectedFragment), () -> "'" + expectedFragment + "' not in: " + lines.get(0));
        assertFalse(r.err().contains("\tat "), "no stack trace");
        return r;
    }

    private Path write(String name, String content) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private String out() {
        return tmp.resolve("run").toString();
    }

    /**
     * Only the command a line names is built, so the rest must behave as with all of them: help lists every command,
     * a misspelt or missing one is refused, and the named one gets the same streams and error handling.
     */
    /** picocli prints each element of a description on lines of its own: a sentence split across two ends ragged. */
    @Test
    void eachCommandsDescriptionIsOneParagraph() {
        for (Class<?> command : Main.COMMANDS) {
            String[] description = command.getAnnotation(picocli.CommandLine.Command.class).description();
            assertEquals(1, description.length, () -> command.getSimpleName() + ": " + String.join(" | ", description));
        }
    }

    @Test
    void commandsAreFoundByTheirNames() {
        Cli help = Cli.run("--help");
        assertEquals(0, help.exit(), help::toString);
        for (Class<?> command : Main.COMMANDS) {
            String name = command.getAnnotation(picocli.CommandLine.Command.class).name();
            assertTrue(help.out().contains("\n  " + name + " "), () -> name + " missing from:\n" + help.out());
        }
        Cli version = Cli.run("--version");
        assertEquals(0, version.exit(), version::toString);
        assertTrue(version.out().startsWith("ravine ") && version.out().contains("kernels: "), version::toString);
        Cli trainHelp = Cli.run("train", "--help");
        assertTrue(trainHelp.out().contains("Optimizers (NAME:key=value"), trainHelp::toString);
        fails("Unmatched arguments from index 0: 'trian'", "trian", "--epochs", "1");
        fails("missing a command (train, evaluate, predict, optimize, schedule, lr-find, hessian, interpolate, units, landscape, prune, report, "
                + "compare, experiment, sweep)");
        fails("missing a command (train, ");
        fails("Unknown option: '--nope'", "hessian", "--nope");
    }

    @Test
    void badFlagsAndValues() {
        fails("Unknown option: '--nope'", "train", "--nope");
        fails("--epochs", "train", "--epochs", "many");
        fails("--epochs -1", "train", "--epochs", "-1", "--out", out());
        fails("--batch 0", "train", "--batch", "0", "--out", out());
        fails("--l1 -0.5: expected a finite number >= 0", "train", "--l1", "-0.5", "--out", out());
        fails("--l2 NaN: expected a finite number >= 0", "train", "--l2", "NaN", "--out", out());
        // values are echoed as typed, not as Java prints the number they were read as (-0.5, 5.0, Infinity)
        fails("--l1 -5e-1: expected a finite number >= 0", "train", "--l1", "-5e-1", "--out", out());
        fails("--val .5e1: expected a fraction in [0, 1)", "train", "--val", ".5e1", "--out", out());
        fails("--clip-norm -0.50: expected a positive number", "train", "--clip-norm", "-0.50", "--out", out());
        fails("--span 1e400: expected a positive number", "landscape", "--span", "1e400", "--weights", "w.safetensors", "--model", "mlp:2-2:relu",
                "--data", "d.csv");
        fails("--shuffle", "train", "--shuffle", "maybe");
        fails("--dtype float16", "train", "--dtype", "float16", "--out", out());
        fails("--format xml", "train", "--format", "xml", "--out", out());
        fails("--val 1.0", "train", "--val", "1.0", "--out", out());
        fails("--task", "train", "--task", "ranking", "--out", out());
        fails("--init nope.safetensors", "train", "--init", "nope.safetensors", "--out", out());
        fails("missing a command", new String[0]);
        // 64-4096-10 has 307,210 parameters: its Hessian, 755 GB, fits no heap
        fails("--optimizer newton: newton holds the 307,210 x 307,210 Hessian twice", "train", "--data", "digits", "--model", "mlp:4096:relu",
                "--optimizer", "newton", "--out", out());
        assertFalse(Files.exists(tmp.resolve("run")), "no run folder after a mistake");
    }

    @Test
    void badSpecsQuotePyTorchsChecks() {
        fails("unknown optimizer 'adamm' (valid: sgd, adagrad, rmsprop, adadelta, adam, adamw, adamax, nadam, radam, rprop, asgd, yogi, lion, kfac, lbfgs, cg, newton, ngd", "train", "--optimizer", "adamm", "--out", out());
        fails("unknown key 'beta1' for adam (valid: lr, betas, eps, weight_decay, amsgrad, maximize)", "train", "--optimizer", "adam:beta1=0.9", "--out", out());
        fails("Invalid learning rate: -1.0", "train", "--optimizer", "sgd:lr=-1", "--out", out());
        fails("Invalid beta parameter at index 0: 1.2", "train", "--optimizer", "adam:betas=1.2|0.999", "--out", out());
        fails("Nesterov momentum requires a momentum and zero dampening", "train", "--optimizer", "sgd:nesterov=true", "--out", out());
        fails("momentum=fast is not a number", "train", "--optimizer", "sgd:momentum=fast", "--out", out());
        fails("nesterov=yes is not a boolean", "train", "--optimizer", "sgd:momentum=0.9,nesterov=yes", "--out", out());
        fails("'lr' is not key=value", "train", "--optimizer", "sgd:lr", "--out", out());
        fails("--model mlp:12-x:relu: size 'x' is not a whole number", "train", "--model", "mlp:12-x:relu", "--out", out());
        fails("unknown activation 'swish'", "train", "--model", "mlp:12:swish", "--out", out());
        fails("expected mlp:SIZES:ACTIVATION", "train", "--model", "cnn:3", "--out", out());
        fails("--model mlp:12:relu:alpha=2: relu takes no keys", "train", "--model", "mlp:12:relu:alpha=2", "--out", out());
        fails("unknown key 'slope' for leaky_relu (valid: negative_slope)", "train", "--model", "mlp:12:leaky_relu:slope=0.2", "--out", out());
        fails("approximate argument must be either none or tanh.", "train", "--model", "mlp:12:gelu:approximate=erf", "--out", out());
        fails("beta must be a finite number other than 0", "train", "--model", "mlp:12:softplus:beta=0", "--out", out());
        fails("ends at 5 and the data has 10 outputs", "train", "--model", "mlp:64-32-5:relu", "--out", out());
    }

    @Test
    void badDataNamesTheFileLineAndColumn() throws Exception {
        fails("--data nowhere.csv: no such file", "train", "--data", "nowhere.csv", "--out", out());
        fails("ragged.csv:3: expected 3 fields as in the header, found 2", "train", "--data", write("ragged.csv", "a,b,y\n1,2,0\n3,4\n").toString(), "--out", out());
        fails("words.csv:3:2: 'abc' in column 'b' is not a number", "train", "--data", write("words.csv", "a,b,y\n1,2,0\n3,abc,1\n").toString(), "--out", out());
        fails("empty.csv: empty file", "train", "--data", write("empty.csv", "").toString(), "--out", out());
        fails("header.csv: no data rows", "train", "--data", write("header.csv", "a,b,y\n").toString(), "--out", out());
        fails("--target z: no such column in " + tmp.resolve("t.csv") + " (columns: a, b, y)", "train", "--data", write("t.csv", "a,b,y\n1,2,0\n").toString(), "--target", "z", "--out", out());
        fails("--target Y: no such column in " + tmp.resolve("t.csv") + " (did you mean 'y'?)", "train", "--data", tmp.resolve("t.csv").toString(), "--target", "Y", "--out", out());
        String wide = java.util.stream.IntStream.range(0, 785).mapToObj(i -> "p" + i).collect(java.util.stream.Collectors.joining(","));
        Cli many = fails("(785 columns: p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, ..., p784)", "train", "--data",
                write("wide.csv", wide + "\n" + "0,".repeat(784) + "1\n").toString(), "--target", "label", "--out", out());
        assertTrue(many.err().length() < 200, many::err);
        fails("class label 1.5 in column 'y'", "train", "--data", write("c.csv", "a,y\n1,0\n2,1.5\n").toString(), "--task", "classification", "--out", out());
        fails("missing train-images-idx3-ubyte.gz", "train", "--data", Files.createDirectories(tmp.resolve("idx")).toString(), "--out", out());
    }

    @Test
    void weightsThatDoNotFitTheModel() throws Exception {
        Path run = tmp.resolve("small");
        Cli ok = Cli.run("train", "--model", "mlp:8:tanh", "--epochs", "1", "--out", run.toString());
        assertEquals(0, ok.exit(), ok::toString);
        Path weights = run.resolve("model.safetensors");
        fails("tensor '0.weight' has shape [8, 64], mlp:64-6-10:tanh (64-6-10 tanh) expects [6, 64]",
                "train", "--model", "mlp:64-6-10:tanh", "--init", weights.toString(), "--out", out());
        Path deep = tmp.resolve("deep");
        assertEquals(0, Cli.run("train", "--model", "mlp:8-8:tanh", "--epochs", "0", "--out", deep.toString()).exit());
        fails("unexpected tensor '4.weight'", "train", "--model", "mlp:8:tanh", "--init", deep.resolve("model.safetensors").toString(), "--out", out());
        fails("not a safetensors file", "train", "--init", write("junk.safetensors", "hello, world").toString(), "--out", out());
    }

    @Test
    void anOccupiedOutputFolderIsLeftAlone() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("taken"));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        fails("already exists and is not empty", "train", "--epochs", "1", "--out", dir.toString());
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
        assertEquals(1, Files.list(dir).count());
    }

    @Test
    void evaluateAndPredictMistakes() throws Exception {
        fails("not a run folder", "evaluate", tmp.toString());
        Path run = tmp.resolve("r");
        assertEquals(0, Cli.run("train", "--epochs", "1", "--val", "0", "--out", run.toString()).exit());
        fails("the run kept no validation split", "evaluate", run.toString());
        fails("no column 'p0'", "predict", run.toString(), "--data", write("x.csv", "q0,q1\n1,2\n").toString());
    }
}
