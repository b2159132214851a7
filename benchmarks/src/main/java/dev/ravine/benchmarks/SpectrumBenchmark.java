package dev.ravine.benchmarks;

import dev.ravine.curvature.Spectrum;
import dev.ravine.tensor.Kernels;
import dev.ravine.tensor.Parallel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
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
 * Every eigenvalue of a dense symmetric matrix, one thread: {@code Spectrum.eigenvalues} (the blocked Householder
 * reduction, then EJML's QR iteration) against EJML's own symmetric eigensolver, at the sizes of a full Hessian
 * spectrum ({@code hessian --method full}: up to 1,500 parameters by default, 6,000 on request).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SpectrumBenchmark {
    @Param({"500", "1500", "2410"})
    public int n;

    private double[][] matrix;

    @Setup
    public void setup() {
        System.out.println("# ravine kernels: " + Kernels.describe());
        Parallel.setThreads(1);
        SplittableRandom rng = new SplittableRandom(n);
        matrix = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) matrix[i][j] = matrix[j][i] = rng.nextGaussian();
    }

    @Benchmark
    public double[] blocked() {
        return Spectrum.eigenvalues(matrix);
    }

    @Benchmark
    public EigenDecomposition_F64<DMatrixRMaj> ejml() {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
        eig.decompose(new DMatrixRMaj(matrix));
        return eig;
    }
}
