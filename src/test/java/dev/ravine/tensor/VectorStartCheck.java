package dev.ravine.tensor;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * Calls each float32 and float64 kernel's pass until its start takes the vector loop as compiled, and prints, one line per loop,
 * its name, whether the loop can run at this width (four lanes or more), whether it was taken as compiled and after
 * how many probes: what {@code TwinKernelsTest} checks in a JVM given the launcher's compile thresholds. A loop that
 * cannot run gets calls past the twin's first entries, where it would probe.
 */
public final class VectorStartCheck {
    private VectorStartCheck() {
    }

    public static void main(String[] args) {
        // a training step's entries a call (two layers of 128 x 256): probes come as often as C2's progress allows there.
        // Values as a layer's pre-activations take them, not the kernels' tests' extremes: their tails into the
        // subnormals cost Intel's cores a microcode assist an operation (SiLU's compiled loop took 0.9-1.4 us over 64
        // of those floats on an Intel Xeon, 90-120 ns over these), so a probe of them is slow however compiled.
        SplittableRandom rng = new SplittableRandom(5);
        float[] x = new float[1 << 16], y = new float[x.length], out = new float[x.length];
        for (int i = 0; i < x.length; i++) x[i] = (float) (3 * rng.nextGaussian());
        boolean floats = FloatVector.SPECIES_PREFERRED.length() >= 4, doubles = DoubleVector.SPECIES_PREFERRED.length() >= 4;
        for (Float32Kernel f : Float32Kernel.values()) {
            // the logistic family's forward passes compute in float lanes, the other loops in double lanes
            boolean forward = f == Float32Kernel.TANH || f == Float32Kernel.SIGMOID || f == Float32Kernel.SILU ? floats : doubles;
            check(f.name(), f.forwardStart, forward, x.length, () -> f.forward(f.parameters(), x, 0, y, 0, x.length));
            if (f.scales()) check(f.name() + "'", f.scaleStart, doubles, x.length, () -> f.scale(f.parameters(), x, 0, y, 0, x, 0, out, 0, x.length));
        }
        double[] xd = new double[1 << 16], yd = new double[xd.length];
        for (int i = 0; i < xd.length; i++) xd[i] = 3 * rng.nextGaussian();
        double[] outD = new double[xd.length];
        for (Float64Kernel f : Float64Kernel.values()) {
            check(f.name() + "64", f.forwardStart, doubles, xd.length, () -> f.forward(Float32Kernel.valueOf(f.name()).parameters(), xd, 0, yd, 0, xd.length));
            if (f.scales()) check(f.name() + "64'", f.scaleStart, doubles, xd.length, () -> f.scale(Float32Kernel.valueOf(f.name()).parameters(), xd, 0, yd, 0, xd, 0, outD, 0, xd.length));
        }
    }

    /** Calls a pass of n entries past its twin's first entries until its loop is taken as compiled, or 100 past them where it cannot run. */
    private static void check(String name, VectorStart start, boolean runs, int n, Runnable pass) {
        long past = start.twinFirst() / n, calls = runs ? past + 2L * VectorStart.PROBES_AT_MOST : past + 100;
        for (long call = 0; call < calls && !start.compiled(); call++) pass.run();
        System.out.println(name + " " + runs + " " + start.compiled() + " " + start.probes());
    }
}
