package dev.ravine.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * One JSON object per line, as every {@code --format json} output is written. Maps of numbers, strings, arrays and
 * nested maps (what most commands print) go through Jackson's streaming generator; anything else (a command's result
 * record) through its ObjectMapper, which takes 0.23 s to set up in a new JVM and so is made only when needed. Both
 * write the same text for the same value: the generator is the one the ObjectMapper writes with.
 */
final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** Made at first use: the commands that print only maps never pay for it. */
    private static final class Mapper {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private Json() {
    }

    static String line(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, value);
        } catch (NotPlain e) {
            try {
                return Mapper.MAPPER.writeValueAsString(value);
            } catch (JsonProcessingException mapped) {
                throw new IllegalStateException(mapped);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A value the streaming writer leaves to the ObjectMapper. */
    private static final class NotPlain extends RuntimeException {
        NotPlain() {
            super(null, null, false, false);
        }
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case Double d -> g.writeNumber(d);
            case Float f -> g.writeNumber(f);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case double[] a -> g.writeArray(a, 0, a.length);
            case int[] a -> g.writeArray(a, 0, a.length);
            case long[] a -> g.writeArray(a, 0, a.length);
            case List<?> list -> {
                g.writeStartArray();
                for (Object item : list) write(g, item);
                g.writeEndArray();
            }
            case Map<?, ?> map -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getKey() instanceof String key)) throw new NotPlain();
                    g.writeFieldName(key);
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            default -> throw new NotPlain();
        }
    }
}
