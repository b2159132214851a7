package dev.ravine.tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * Calls each float32 kernel's pass until its start takes the vector loop as compiled, and prints, one line per loop,
 * its name, whether the loop can run at this width (four lanes or more), whether it was taken as compiled and after
 * how many probes: what {@code Float32KernelTest} checks in a JVM given the launcher's compile thresholds. A loop that
 * cannot run gets as many calls as one that can.
 */
public final class VectorStartCheck {
    private VectorStartCheck() {
    }

    public static void main(String[] args) {
        float[] x = Logistic32Test.inputs(4096, new SplittableRandom(5)), y = new float[x.length], out = new float[x.length];
        Map<String, VectorStart> starts = new LinkedHashMap<>();
        Map<String, Runnable> passes = new LinkedHashMap<>();
        for (Float32Kernel f : new Float32Kernel[] {Float32Kernel.TANH, Float32Kernel.SIGMOID, Float32Kernel.SILU}) {
            starts.put(f.name(), Logistic32.start(f));
            passes.put(f.name(), () -> Logistic32.apply(f, x, 0, y, 0, x.length));
        }
        starts.put("GELU", Gelu32.forwardStart());
        passes.put("GELU", () -> Gelu32.apply(x, 0, y, 0, x.length));
        starts.put("GELU'", Gelu32.scaleStart());
        passes.put("GELU'", () -> Gelu32.scale(x, 0, y, 0, x, 0, out, 0, x.length));
        starts.put("SiLU'", SiluSlope32.start());
        passes.put("SiLU'", () -> SiluSlope32.scale(x, 0, x, 0, x, 0, out, 0, x.length));
        int calls = 2 * VectorStart.PROBES_AT_MOST + (int) (VectorStart.TWIN_FIRST / x.length);
        for (String name : starts.keySet()) {
            VectorStart start = starts.get(name);
            boolean runs = (name.startsWith("GELU") || name.startsWith("SiLU") ? DoubleVector.SPECIES_PREFERRED : FloatVector.SPECIES_PREFERRED).length() >= 4;
            for (int call = 0; call < (runs ? calls : VectorStart.TWIN_FIRST / x.length + 100) && !start.compiled(); call++) passes.get(name).run();
            System.out.println(name + " " + runs + " " + start.compiled() + " " + start.probes());
        }
    }
}
