package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorMask;
import org.junit.jupiter.api.Test;

/**
 * No method of ravine's takes or returns a vector or a mask: C2 boxes one that crosses a call it did not inline, and
 * whether it inlines depends on which method it compiled first (see {@link Elementwise32}'s notes). The only
 * exceptions build constants once, in a static initializer.
 */
class NoVectorsAcrossCallsTest {
    /** Transposes' lane selections and block masks, made once into static finals. */
    private static final Set<String> STATIC_INIT_ONLY = Set.of("dev.ravine.tensor.Transposes32.select", "dev.ravine.tensor.Transposes64.select",
            "dev.ravine.tensor.Transposes32.oddBlocks", "dev.ravine.tensor.Transposes64.oddBlocks");

    private static boolean vectorType(Class<?> c) {
        return Vector.class.isAssignableFrom(c) || VectorMask.class.isAssignableFrom(c);
    }

    @Test
    void noMethodPassesAVector() throws Exception {
        Path classes = Path.of(Elementwise32.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.map(f -> classes.relativize(f).toString()).filter(f -> f.endsWith(".class"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.').replace('\\', '.')).toList();
        }
        assertTrue(names.contains(Elementwise32.class.getName()), "the main classes were found at " + classes);
        List<String> offenders = new ArrayList<>();
        int seen = 0;
        for (String name : names) {
            Class<?> c = Class.forName(name, false, getClass().getClassLoader());
            for (Method m : c.getDeclaredMethods()) {
                seen++;
                boolean passes = vectorType(m.getReturnType()) || Stream.of(m.getParameterTypes()).anyMatch(NoVectorsAcrossCallsTest::vectorType);
                if (passes && !STATIC_INIT_ONLY.contains(name + "." + m.getName())) offenders.add(name + "." + m.getName());
            }
        }
        assertTrue(seen > 1000, "methods looked at: " + seen);
        assertEquals(List.of(), offenders, "methods that take or return a vector");
    }
}
