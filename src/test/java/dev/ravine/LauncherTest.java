package dev.ravine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The launcher's per-method compile thresholds name methods that exist: the JVM takes a pattern that matches nothing
 * without a word, so a renamed class or method would lose its threshold unnoticed.
 */
class LauncherTest {
    private static final Pattern COMMAND = Pattern.compile("CompileThresholdScaling,([\\w.]+?)\\.(\\w+)(\\*?)::(\\w+|\\*),");

    @Test
    @Timeout(30)
    void everyCompileThresholdNamesAMethodThatExists() throws Exception {
        Matcher m = COMMAND.matcher(Files.readString(Path.of("ravine")));
        int patterns = 0;
        while (m.find()) {
            String pkg = m.group(1), cls = m.group(2), method = m.group(4);
            boolean prefix = !m.group(3).isEmpty();
            patterns++;
            boolean found = false;
            for (Class<?> c : classes(pkg, cls, prefix))
                for (Method each : c.getDeclaredMethods()) found |= method.equals("*") || each.getName().equals(method);
            assertTrue(found, "no method for the launcher's " + m.group());
        }
        assertTrue(patterns > 0, "the launcher's compile thresholds");
    }

    /** The compiled classes of {@code pkg} named {@code name}, or starting with it (nested ones too). */
    private static List<Class<?>> classes(String pkg, String name, boolean prefix) throws IOException, ClassNotFoundException {
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("target", "classes").resolve(pkg.replace('.', '/')))) {
            for (Path f : files.toList()) {
                String file = f.getFileName().toString();
                if (!file.endsWith(".class")) continue;
                String binary = file.substring(0, file.length() - ".class".length());
                if (prefix ? binary.startsWith(name) : binary.equals(name))
                    out.add(Class.forName(pkg + "." + binary, false, LauncherTest.class.getClassLoader()));
            }
        }
        return out;
    }
}
