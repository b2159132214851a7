package dev.ravine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The streaming writer prints what Jackson's ObjectMapper prints, for every kind of value the commands give it. */
class JsonTest {
    record Result(double loss, int[] counts) {
    }

    @Test
    void writesWhatTheObjectMapperWrites() throws Exception {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("grid", new double[] {-1.5, 0, 2e-300, 1e21});
        nested.put("values", List.of(0.25, 3, 4L, 1.5f));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("params", 269322);
        m.put("loss", 2.3007730201735415);
        m.put("nan", Double.NaN);
        m.put("inf", Double.NEGATIVE_INFINITY);
        m.put("negative_zero", -0.0);
        m.put("absent", null);
        m.put("verdict", "not a critical point: \"quoted\", tab\t, é, \u0001");
        m.put("top", new double[] {1.149464542459538});
        m.put("ints", new int[] {1, -2});
        m.put("longs", new long[] {Long.MAX_VALUE});
        m.put("flags", Arrays.asList(true, false, null));
        m.put("density", nested);
        ObjectMapper mapper = new ObjectMapper();
        assertEquals(mapper.writeValueAsString(m), Json.line(m));
        Result r = new Result(0.5, new int[] {3});
        assertEquals(mapper.writeValueAsString(r), Json.line(r), "a record goes through the ObjectMapper");
        assertEquals(mapper.writeValueAsString(Map.of("r", r)), Json.line(Map.of("r", r)), "so does a map that holds one");
        assertEquals(mapper.writeValueAsString(Map.of(1, 2.5)), Json.line(Map.of(1, 2.5)), "and a map with other keys than strings");
    }
}
