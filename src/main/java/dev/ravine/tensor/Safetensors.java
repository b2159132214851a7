package dev.ravine.tensor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ravine.UserError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (8-byte little-endian header length, a JSON header, then raw little-endian data), the
 * way PyTorch users exchange weights. Reads F32 and F64, and I64 for counters such as batch norm's
 * {@code num_batches_tracked}; writes the same.
 */
public final class Safetensors {
    /**
     * A tensor as stored: its dtype, shape and values (widened to double; F32 widens exactly). An I64 tensor is
     * {@code integral}, its values exact up to 2^53, and its dtype FLOAT64.
     */
    public record Entry(DType dtype, long[] shape, double[] values, boolean integral) {
        public String shapeString() {
            return Arrays.toString(shape);
        }
    }

    /**
     * Strict JSON: a key given twice, or anything after the header object, is a defect, not a choice. The header is
     * read and written with Jackson's streaming parser and generator, its tree built here: Jackson's ObjectMapper
     * takes 0.23 s to set up in a new JVM (its serializers, deserializers and type factory), a third of the start
     * of every command that reads weights; the parser and the tree nodes take 0.07 s.
     */
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    /** Integers beyond this lose digits as doubles: an I64 value past it is refused, not rounded. */
    private static final long EXACT_LONG = 1L << 53;
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {
    }

    /** The header's {@code __metadata__}, string to string (empty when there is none). */
    public static Map<String, String> metadata(Path file) {
        JsonNode header = header(file, bytes(file));
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode meta = header.get("__metadata__");
        if (meta == null) return out;
        checkMetadata(file, meta);
        meta.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asText()));
        return out;
    }

    /** The format's {@code __metadata__} is an object of strings. */
    private static void checkMetadata(Path file, JsonNode meta) {
        if (!meta.isObject()) throw new UserError(file + ": safetensors __metadata__ is not an object of strings");
        for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext(); ) {
            var f = it.next();
            if (!f.getValue().isTextual()) throw new UserError(file + ": safetensors __metadata__ '" + f.getKey() + "' is not a string");
        }
    }

    /** Reads every tensor of {@code file}, in header order; any defect is a {@link UserError} naming the file. */
    public static Map<String, Entry> read(Path file) {
        return read(file, bytes(file));
    }

    /** Reads the tensors of a file's {@code bytes}, read already; {@code file} names it in messages. */
    public static Map<String, Entry> read(Path file, byte[] bytes) {
        JsonNode header = header(file, bytes);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong(0);
        long dataStart = 8 + headerLength, dataLength = bytes.length - dataStart;
        List<Layout> layouts = new java.util.ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("__metadata__")) checkMetadata(file, field.getValue());
            else layouts.add(layout(file, field.getKey(), field.getValue(), dataLength));
        }
        checkContiguous(file, layouts, dataLength); // before any tensor is allocated: overlaps cannot multiply memory
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Layout l : layouts) out.put(l.name, l.read(file, buf, dataStart));
        return out;
    }

    /**
     * The format's rule that the tensors tile the data exactly: sorted by offset, each begins where the one before
     * ends, from 0 to the end of the file, so no byte is shared by two tensors or left unaccounted for.
     */
    private static void checkContiguous(Path file, List<Layout> layouts, long dataLength) {
        List<Layout> sorted = new java.util.ArrayList<>(layouts);
        sorted.sort(java.util.Comparator.comparingLong((Layout l) -> l.begin).thenComparingLong(l -> l.end));
        long at = 0;
        for (Layout l : sorted) {
            if (l.begin < at)
                throw new UserError(file + ": tensor '" + l.name + "': data_offsets [" + l.begin + ", " + l.end + "] overlap another tensor's bytes");
            if (l.begin > at)
                throw new UserError(file + ": tensor '" + l.name + "': data_offsets begin at " + l.begin + ", leaving bytes [" + at + ", " + l.begin
                        + ") of no tensor");
            at = l.end;
        }
        if (at != dataLength) throw new UserError(file + ": " + (dataLength - at) + " data bytes after the last tensor belong to no tensor");
    }

    /** One tensor's header entry, checked: its dtype, shape and byte range. */
    private record Layout(String name, DType dtype, boolean integral, long[] shape, int count, long begin, long end) {
        Entry read(Path file, ByteBuffer buf, long dataStart) {
            double[] values = new double[count];
            int at = (int) (dataStart + begin);
            for (int i = 0; i < values.length; i++) {
                if (integral) {
                    long v = buf.getLong(at + 8 * i);
                    if (Math.abs(v) > EXACT_LONG)
                        throw new UserError(file + ": tensor '" + name + "': I64 value " + v + " is beyond the 2^53 a count can hold here");
                    values[i] = v;
                } else {
                    values[i] = dtype == DType.FLOAT32 ? buf.getFloat(at + 4 * i) : buf.getDouble(at + 8 * i);
                }
            }
            return new Entry(dtype, shape, values, integral);
        }
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read weights file (" + describe(e) + ")");
        }
    }

    /** The JSON header, its length checked against the file. */
    private static JsonNode header(Path file, byte[] bytes) {
        if (bytes.length < 8) throw new UserError(file + ": not a safetensors file (" + bytes.length + " bytes, too short for a header)");
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > bytes.length - 8)
            throw new UserError(file + ": not a safetensors file (header length " + headerLength + " does not fit a file of " + bytes.length + " bytes)");
        JsonNode header;
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 8, (int) headerLength)).toString();
            header = tree(text);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new UserError(file + ": safetensors header is not UTF-8 text");
        } catch (JsonProcessingException e) {
            throw new UserError(file + ": safetensors header is not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UserError(file + ": safetensors header is not valid JSON (" + e.getMessage() + ")");
        }
        if (header == null || !header.isObject()) throw new UserError(file + ": safetensors header is not a JSON object");
        return header;
    }

    /** The one JSON value of {@code text} as a tree (null for none), nothing after it allowed. */
    private static JsonNode tree(String text) throws IOException {
        try (JsonParser p = JSON.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) return null;
            JsonNode value = value(p, first);
            if (p.nextToken() != null) throw new JsonProcessingException("text after the JSON value", p.currentLocation()) {
            };
            return value;
        }
    }

    /** The value that begins at token {@code t}, with its members; numbers as ObjectMapper's readTree gives them. */
    private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (t) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    object.set(name, value(p, p.nextToken()));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                for (JsonToken item = p.nextToken(); item != JsonToken.END_ARRAY; item = p.nextToken()) array.add(value(p, item));
                yield array;
            }
            case VALUE_STRING -> nodes.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> nodes.numberNode(p.getIntValue());
                case LONG -> nodes.numberNode(p.getLongValue());
                default -> nodes.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> nodes.numberNode(p.getDoubleValue());
            case VALUE_TRUE, VALUE_FALSE -> nodes.booleanNode(t == JsonToken.VALUE_TRUE);
            default -> nodes.nullNode();
        };
    }

    private static Layout layout(Path file, String name, JsonNode node, long dataLength) {
        String where = file + ": tensor '" + name + "'";
        if (!node.isObject()) throw new UserError(where + ": header entry is not an object");
        JsonNode dtypeNode = node.get("dtype"), shapeNode = node.get("shape"), offsetsNode = node.get("data_offsets");
        if (dtypeNode == null || !dtypeNode.isTextual() || shapeNode == null || !shapeNode.isArray()
                || offsetsNode == null || !offsetsNode.isArray() || offsetsNode.size() != 2 || node.size() != 3)
            throw new UserError(where + ": header entry needs exactly dtype, shape and two data_offsets");
        String code = dtypeNode.asText();
        boolean integral = code.equals("I64");
        DType dtype = switch (code) {
            case "F32" -> DType.FLOAT32;
            case "F64", "I64" -> DType.FLOAT64;
            default -> throw new UserError(where + ": dtype " + code + " is not supported (F32, F64 and I64 are)");
        };
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode s = shapeNode.get(i);
            if (!s.isIntegralNumber() || !s.canConvertToLong() || s.asLong() < 0) throw new UserError(where + ": shape " + shapeNode + " is not a list of sizes");
            shape[i] = s.asLong();
            count = shape[i] != 0 && count > Integer.MAX_VALUE / shape[i] ? Integer.MAX_VALUE : count * shape[i];
        }
        if (count > Integer.MAX_VALUE / 8) throw new UserError(where + ": shape " + shapeNode + " is too large");
        JsonNode b = offsetsNode.get(0), e = offsetsNode.get(1);
        if (!b.isIntegralNumber() || !e.isIntegralNumber() || !b.canConvertToLong() || !e.canConvertToLong())
            throw new UserError(where + ": data_offsets " + offsetsNode + " are not two whole numbers");
        long begin = b.asLong(), end = e.asLong();
        if (begin < 0 || end < begin || end > dataLength)
            throw new UserError(where + ": data_offsets [" + begin + ", " + end + "] lie outside the " + dataLength + " data bytes");
        int width = integral ? Long.BYTES : dtype.bytes;
        if (end - begin != count * width)
            throw new UserError(where + ": " + (end - begin) + " data bytes do not hold shape " + shapeNode + " of " + code);
        return new Layout(name, dtype, integral, shape, (int) count, begin, end);
    }

    /**
     * A tensor to write: values from a view, stored with the given shape, as I64 when {@code integral}, else in
     * {@code dtype} (null: the file's dtype).
     */
    public record Named(String name, long[] shape, Tensor values, boolean integral, DType dtype) {
        public Named(String name, long[] shape, Tensor values) {
            this(name, shape, values, false, null);
        }

        public Named(String name, long[] shape, Tensor values, boolean integral) {
            this(name, shape, values, integral, null);
        }

        /** A flat tensor stored in its own dtype, exactly (checkpoints). */
        public static Named exact(String name, Tensor values) {
            return new Named(name, new long[] {values.size()}, values, false, values.dtype);
        }
    }

    /** Writes the tensors in order, in {@code dtype}, with string metadata, to a temporary file then renamed. */
    public static void write(Path file, Iterable<Named> tensors, DType dtype, Map<String, String> metadata) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        long offset = 0;
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart("__metadata__");
                for (var m : new java.util.TreeMap<>(metadata).entrySet()) g.writeStringField(m.getKey(), m.getValue()); // sorted: the same run writes the same bytes
                g.writeEndObject();
            }
            for (Named t : tensors) {
                g.writeObjectFieldStart(t.name());
                DType as = t.dtype() != null ? t.dtype() : dtype;
                g.writeStringField("dtype", t.integral() ? "I64" : as.safetensorsCode);
                g.writeArrayFieldStart("shape");
                for (long s : t.shape()) g.writeNumber(s);
                g.writeEndArray();
                long size = (long) t.values().size() * (t.integral() ? Long.BYTES : as.bytes);
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(offset + size);
                g.writeEndArray();
                g.writeEndObject();
                offset += size;
            }
            g.writeEndObject();
        }
        byte[] json = text.toByteArray();
        int padded = (json.length + 7) / 8 * 8; // the format pads the header with spaces to 8 bytes
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) buf.put((byte) ' ');
        for (Named t : tensors) {
            Tensor v = t.values();
            DType as = t.dtype() != null ? t.dtype() : dtype;
            for (int i = 0, n = v.size(); i < n; i++) {
                if (t.integral()) buf.putLong((long) v.get(i));
                else if (as == DType.FLOAT32) buf.putFloat((float) v.get(i));
                else buf.putDouble(v.get(i));
            }
        }
        AtomicFiles.write(file, buf.array());
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
