package dev.ravine.benchmarks;

import dev.ravine.tensor.DType;
import dev.ravine.tensor.Kernels;
import dev.ravine.tensor.Ops;
import dev.ravine.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The eight matrix products of one training step of the Fashion-MNIST MLP 784-256-256-10 at batch 128, one by one.
 * GFLOP/s = 2 m n k / (time per call); the machine's ceiling is a plain FMA loop (see docs/performance.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
    /** kind:m:n:k, kind = nt (x W^T), nn (dY W), tn (dY^T x). */
    @Param({"nt:128:256:784", "nt:128:256:256", "nt:128:10:256", "tn:256:784:128", "tn:256:256:128", "tn:10:256:128",
            "nn:128:256:10", "nn:128:256:256"})
    public String shape;
    @Param({"float32", "float64"})
    public String dtype;

    private Tensor a, b, c;
    private String kind;

    @Setup
    public void setup() {
        System.out.println("# ravine kernels: " + Kernels.describe()); // which width and tile these figures are for
        String[] p = shape.split(":");
        kind = p[0];
        int m = Integer.parseInt(p[1]), n = Integer.parseInt(p[2]), k = Integer.parseInt(p[3]);
        DType t = DType.parse(dtype);
        a = kind.equals("tn") ? random(t, k, m) : random(t, m, k);
        b = kind.equals("nt") ? random(t, n, k) : random(t, k, n);
        c = Tensor.zeros(t, m, n);
    }

    @Benchmark
    public Tensor product() {
        switch (kind) {
            case "nt" -> Ops.matmulNT(a, b, c, false);
            case "nn" -> Ops.matmulNN(a, b, c, false);
            default -> Ops.matmulTN(a, b, c, false);
        }
        return c;
    }

    static Tensor random(DType t, int rows, int cols) {
        Tensor x = Tensor.zeros(t, rows, cols);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(rows * 31L + cols);
        for (int i = 0; i < x.size(); i++) x.set(i, rng.nextDouble(-1, 1));
        return x;
    }
}
