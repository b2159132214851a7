package dev.ravine.tensor;

import java.lang.management.ManagementFactory;

/** The JIT's flags the kernels are chosen by, as HotSpot reports them (-XX:UseAVX=2, -XX:-UseFMA, a CPU without them). */
final class HotSpotFlags {
    private HotSpotFlags() {
    }

    /** The flag's value, or null where the JVM does not say (not HotSpot, no such flag on this CPU). */
    static String get(String name) {
        try {
            return ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
