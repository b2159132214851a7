package dev.ravine.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * Calls every float32 and float64 kernel's pass, one call of each in turn as a training step alternates its passes,
 * until each start takes its vector loop as compiled or has probed it {@link #PROBE_CALLS} times, and prints, one line
 * per loop, its name, whether the loop can run at this width (four lanes or more), whether it was taken as compiled and
 * after how many probes: what {@code TwinKernelsTest} checks in a JVM given the launcher's compile thresholds. A loop
 * that cannot run gets 100 calls past the twin's first entries, where it would probe.
 */
public final class VectorStartCheck {
    /** The calls past the twin's first entries after which a pass stops here: its loop left slow (see {@link VectorStart}). */
    static final int PROBE_CALLS = 2048;

    private VectorStartCheck() {
    }

    /** A pass, its start, whether its loop can run here, and the calls it has had. */
    private static final class Pass {
        final String name;
        final VectorStart start;
        final boolean runs;
        final long callsAtMost;
        final Runnable call;
        long calls;

        Pass(String name, VectorStart start, boolean runs, int n, Runnable call) {
            this.name = name;
            this.start = start;
            this.runs = runs;
            long past = start.twinFirst() / n;
            this.callsAtMost = past + (runs ? PROBE_CALLS : 100);
            this.call = call;
        }

        boolean done() {
            return start.compiled() || calls >= callsAtMost;
        }
    }

    public static void main(String[] args) {
        // a training step's entries a call (two layers of 128 x 256): probes come as often as C2's progress allows there
        int n = 1 << 16;
        float[] x = Logistic32Test.inputs(n, new SplittableRandom(5)), y = new float[n], out = new float[n];
        boolean floats = FloatVector.SPECIES_PREFERRED.length() >= 4, doubles = DoubleVector.SPECIES_PREFERRED.length() >= 4;
        List<Pass> passes = new ArrayList<>();
        for (Float32Kernel f : Float32Kernel.values()) {
            // the logistic family's forward passes compute in float lanes, the other loops in double lanes
            boolean forward = f == Float32Kernel.TANH || f == Float32Kernel.SIGMOID || f == Float32Kernel.SILU ? floats : doubles;
            passes.add(new Pass(f.name(), f.forwardStart, forward, n, () -> f.forward(x, 0, y, 0, n)));
            if (f.scales()) passes.add(new Pass(f.name() + "'", f.scaleStart, doubles, n, () -> f.scale(x, 0, y, 0, x, 0, out, 0, n)));
        }
        double[] xd = Logistic64Test.inputs(n, new SplittableRandom(6)), yd = new double[n], outD = new double[n];
        for (Float64Kernel f : Float64Kernel.values()) {
            passes.add(new Pass(f.name() + "64", f.forwardStart, doubles, n, () -> f.forward(xd, 0, yd, 0, n)));
            if (f.scales()) passes.add(new Pass(f.name() + "64'", f.scaleStart, doubles, n, () -> f.scale(xd, 0, yd, 0, xd, 0, outD, 0, n)));
        }
        for (boolean left = true; left; ) {
            left = false;
            for (Pass p : passes)
                if (!p.done()) {
                    p.call.run();
                    p.calls++;
                    left = true;
                }
        }
        for (Pass p : passes) System.out.println(p.name + " " + p.runs + " " + p.start.compiled() + " " + p.start.probes());
    }
}
