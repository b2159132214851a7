package dev.ravine.data;

import dev.ravine.UserError;
import dev.ravine.tensor.DType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds data by what the user typed: an embedded name, {@code fashion-mnist}, a CSV file or an IDX directory. */
public final class Datasets {
    /** Data sets that ship inside ravine (see the README beside them for their origin and licence). */
    public static final List<String> EMBEDDED = List.of("digits", "breast_cancer", "diabetes");
    public static final String FASHION_MNIST = "fashion-mnist";
    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** The rows to train on, the official test set when the data has one, and the side of its square images (0: not images). */
    public record Loaded(Dataset data, Dataset test, int imageSide) {
        Loaded(Dataset data, Dataset test) {
            this(data, test, 0);
        }
    }

    private Datasets() {
    }

    public static Loaded load(String data, String target, Task task, DType dtype) {
        return load(data, target, task, dtype, null, false);
    }

    /**
     * As above, reading a CSV file by the given vocabulary (null: by its own words) and, with {@code missing}, its
     * missing features as NaN (see {@link CsvReader}).
     */
    public static Loaded load(String data, String target, Task task, DType dtype, Vocabulary given, boolean missing) {
        if (EMBEDDED.contains(data))
            return new Loaded(embedded(data, target, task, dtype, true, null, false), null, data.equals("digits") ? 8 : 0); // 8 x 8 pixel images
        if (data.equals(FASHION_MNIST)) {
            if (!Files.isDirectory(FASHION_MNIST_DIR))
                throw new UserError("--data fashion-mnist: " + FASHION_MNIST_DIR + " not found; install it with"
                        + " 'apt-get install dataset-fashion-mnist' or give the directory holding its four IDX files");
            return idx(FASHION_MNIST_DIR, task, dtype);
        }
        Path path = Path.of(data);
        if (Files.isDirectory(path)) return idx(path, task, dtype);
        if (!Files.isRegularFile(path))
            throw new UserError("--data " + data + ": no such file or directory, and not an embedded data set (embedded: "
                    + String.join(", ", EMBEDDED) + ", " + FASHION_MNIST + ")");
        return new Loaded(readCsv(path, target, task, dtype, true, given, missing), null);
    }

    /**
     * Reads a CSV file, gzip-compressed or not (as pandas reads {@code .csv.gz}: by its first bytes, whatever its
     * name), or an embedded set named where no such file is; {@code targetRequired} false allows rows without the
     * target (for predictions), and {@code given} (null for none) is the vocabulary its words are read by;
     * {@code missing} reads missing features as NaN.
     */
    public static Dataset readCsv(Path path, String target, Task task, DType dtype, boolean targetRequired, Vocabulary given, boolean missing) {
        String name = path.toString();
        if (EMBEDDED.contains(name) && !Files.exists(path)) // an embedded set's rows, read as train reads them
            return embedded(name, target, task, dtype, targetRequired, given, missing);
        try (BufferedReader in = text(path)) {
            return CsvReader.read(in, name, target, task, dtype, targetRequired, given, missing);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new UserError(path + ": not UTF-8 text");
        } catch (IOException e) {
            throw Gzip.failure(path, e, "it");
        }
    }

    private static Loaded idx(Path dir, Task task, DType dtype) {
        if (task == Task.REGRESSION) throw new UserError("--task regression: " + dir + " holds labelled images, a classification task");
        Path trainImages = dir.resolve("train-images-idx3-ubyte.gz"), trainLabels = dir.resolve("train-labels-idx1-ubyte.gz");
        Path testImages = dir.resolve("t10k-images-idx3-ubyte.gz"), testLabels = dir.resolve("t10k-labels-idx1-ubyte.gz");
        for (Path p : List.of(trainImages, trainLabels, testImages, testLabels))
            if (!Files.isRegularFile(p))
                throw new UserError("--data " + dir + ": missing " + p.getFileName() + " (an IDX directory holds train-images-idx3-ubyte.gz,"
                        + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz)");
        String name = dir.equals(FASHION_MNIST_DIR) ? FASHION_MNIST : dir.toString();
        Dataset train = IdxReader.read(trainImages, trainLabels, name, dtype);
        int side = (int) Math.round(Math.sqrt(train.features()));
        return new Loaded(train, IdxReader.read(testImages, testLabels, name + " (test)", dtype), side * side == train.features() ? side : 0);
    }

    /** The file's UTF-8 text, through gzip when it starts with gzip's magic bytes; malformed UTF-8 is an error, not replaced. */
    private static BufferedReader text(Path path) throws IOException {
        InputStream file = Files.newInputStream(path);
        try {
            return new BufferedReader(new InputStreamReader(Gzip.open(file), StandardCharsets.UTF_8.newDecoder()), 1 << 16);
        } catch (IOException e) {
            file.close();
            throw e;
        }
    }

    /** An embedded set's CSV, read from the build's resources. */
    private static Dataset embedded(String name, String target, Task task, DType dtype, boolean targetRequired, Vocabulary given, boolean missing) {
        try (InputStream in = Datasets.class.getResourceAsStream(name + ".csv")) {
            if (in == null) throw new IllegalStateException("embedded data set " + name + " is missing from the build");
            return CsvReader.read(reader(in), name, target, task, dtype, targetRequired, given, missing);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BufferedReader reader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
}
