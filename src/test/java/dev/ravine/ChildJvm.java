package dev.ravine;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The start of a command line for a JVM like the one running the tests: the same java, this JVM's vector width and
 * instruction-set flags (a width execution's {@code -XX:MaxVectorSize} or {@code -XX:UseAVX}), its
 * {@code ravine.warmup}, the Vector API module and the class path. A process the tests compare with their own results
 * must compute at their width: the kernels' sums group their lanes by it.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** java, the inherited options, then {@code options}, then the class path: append the main class and its arguments. */
    public static List<String> command(String... options) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments())
            if (option.startsWith("-XX:") || option.startsWith("-Xss")) command.add(option);
        command.add("--add-modules=jdk.incubator.vector");
        String warmUp = System.getProperty("ravine.warmup"); // how loops split while the JIT warms up, as here
        if (warmUp != null) command.add("-Dravine.warmup=" + warmUp);
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", System.getProperty("java.class.path")));
        return command;
    }
}
