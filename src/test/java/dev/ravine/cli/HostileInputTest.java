package dev.ravine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed inputs, as anyone may hand them over: every one is a single line on stderr naming the file (and the
 * line and column, or the tensor) with exit code 2, and no run folder is left behind.
 */
class HostileInputTest {
    /** A safetensors file from a raw header and data bytes. */
    static byte[] safetensors(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    /** mlp:2-1:identity's two tensors, 0.weight [1,2] and 0.bias [1], as F32, with the given offsets. */
    static byte[] tinyModel(String weightOffsets, String biasOffsets, int dataBytes, float value) {
        String header = "{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":" + weightOffsets + "},"
                + "\"0.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":" + biasOffsets + "}}";
        ByteBuffer data = ByteBuffer.allocate(dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        while (data.remaining() >= 4) data.putFloat(value);
        return safetensors(header, data.array());
    }

    static byte[] gzip(byte[] raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(raw);
        }
        return out.toByteArray();
    }

    static byte[] idx(int magic, int... dimsThenData) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dimsThenData.length);
        b.putInt(magic);
        for (int v : dimsThenData) b.putInt(v);
        return b.array();
    }

    static Stream<Arguments> weights() {
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of("overlapping ranges", tinyModel("[0,8]", "[4,8]", 8, 1), "overlap"));
        out.add(Arguments.of("a gap between tensors", tinyModel("[0,8]", "[12,16]", 16, 1), "leaving bytes"));
        out.add(Arguments.of("bytes after the last tensor", tinyModel("[0,8]", "[8,12]", 20, 1), "belong to no tensor"));
        out.add(Arguments.of("a range past the end", tinyModel("[0,8]", "[8,400]", 12, 1), "lie outside"));
        out.add(Arguments.of("a range that does not fit the shape", tinyModel("[0,4]", "[4,12]", 12, 1), "do not hold shape"));
        out.add(Arguments.of("fractional offsets", tinyModel("[0,8.5]", "[8,12]", 12, 1), "not two whole numbers"));
        out.add(Arguments.of("NaN weights", tinyModel("[0,8]", "[8,12]", 12, Float.NaN), "holds NaN"));
        out.add(Arguments.of("infinite weights", tinyModel("[0,8]", "[8,12]", 12, Float.POSITIVE_INFINITY), "holds Infinity"));
        out.add(Arguments.of("a key given twice", safetensors("{\"0.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"0.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "not valid JSON"));
        out.add(Arguments.of("text after the header", safetensors("{}  x", new byte[0]), "not valid JSON"));
        out.add(Arguments.of("an unknown dtype", safetensors("{\"0.bias\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}", new byte[2]),
                "dtype F16 is not supported"));
        out.add(Arguments.of("a fractional shape", safetensors("{\"0.bias\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", new byte[4]),
                "not a list of sizes"));
        out.add(Arguments.of("a huge header length", ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).array(),
                "header length"));
        out.add(Arguments.of("a huge shape", safetensors("{\"0.bias\":{\"dtype\":\"F32\",\"shape\":[4000000000,4000000000],\"data_offsets\":[0,4]}}",
                new byte[4]), "too large"));
        out.add(Arguments.of("a header that is not UTF-8", safetensors("{\"\u00ff\":1}", new byte[0]), "safetensors"));
        out.add(Arguments.of("four bytes", new byte[] {1, 2, 3, 4}, "too short"));
        out.add(Arguments.of("metadata that is not strings", safetensors("{\"__metadata__\":{\"format\":7}}", new byte[0]), "__metadata__ 'format' is not a string"));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("weights")
    void hostileWeightsFiles(String what, byte[] content, String expected, @TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("w.safetensors");
        if (what.contains("not UTF-8")) { // a raw 0xff byte inside the JSON string
            byte[] c = content.clone();
            for (int i = 8; i < c.length; i++) if (c[i] == (byte) 0xc3) c[i] = (byte) 0xff;
            content = c;
        }
        Files.write(file, content);
        Path out = tmp.resolve("run");
        Path csv = tmp.resolve("d.csv");
        Files.writeString(csv, "a,b,y\n1,2,0.5\n3,4,1.5\n5,6,2.5\n7,8,3.5\n");
        for (String[] args : new String[][] {
                {"train", "--data", csv.toString(), "--model", "mlp:2-1:identity", "--init", file.toString(), "--epochs", "1", "--out", out.toString()},
                {"hessian", "--weights", file.toString(), "--model", "mlp:2-1:identity", "--data", csv.toString()}}) {
            Cli r = Cli.run(args);
            assertEquals(2, r.exit(), what + ": " + r);
            assertEquals(1, r.err().strip().split("\n").length, what + ": one line: " + r.err());
            assertTrue(r.err().startsWith("ravine: " + file), what + ": names the file: " + r.err());
            assertTrue(r.err().contains(expected), what + ": " + r.err());
            assertFalse(Files.exists(out), what + ": nothing written");
        }
    }

    static Stream<Arguments> tables() {
        return Stream.of(
                Arguments.of("ragged rows", "a,b,y\n1,2,0\n3,4\n", ":3: expected 3 fields"),
                Arguments.of("a non-numeric cell", "a,b,y\n1,x,0\n3,4,1\n", ":2:2: 'x' in column 'b' is not a number"),
                Arguments.of("an empty cell", "a,b,y\n1,,0\n3,4,1\n", ":2:2: empty value"),
                Arguments.of("a NaN cell", "a,b,y\n1,NaN,0\n3,4,1\n", ":2:2: 'NaN' in column 'b' is not a finite number"),
                Arguments.of("an infinite cell", "a,b,y\n1,-Infinity,0\n3,4,1\n", "is not a finite number"),
                Arguments.of("an overflowing cell", "a,b,y\n1,1e999,0\n3,4,1\n", "is not a finite number"),
                Arguments.of("an empty file", "", "empty file"),
                Arguments.of("a header alone", "a,b,y\n", "no data rows"),
                Arguments.of("a quote left open", "a,b,y\n\"1,2,0\n3,4,1\n", ":2:1: the quote opened at character 1 is not closed"),
                Arguments.of("text after a closing quote", "a,b,y\n\"1\"x,2,0\n3,4,1\n", ":2:1: text after the closing quote"),
                Arguments.of("a quoted comma in a number", "a,b,y\n\"1,5\",2,0\n3,4,1\n", ":2:1: '1,5' in column 'a' is not a number"),
                Arguments.of("a column named twice", "a,a,y\n1,2,0\n", ":1:2: column 'a' appears twice"),
                Arguments.of("labels that are not classes", "a,b,y\n1,2,0.5\n3,4,1\n", "class label 0.5"),
                Arguments.of("negative labels", "a,b,y\n1,2,-1\n3,4,1\n", "class label -1"),
                Arguments.of("bytes that are not UTF-8", "a,b,y\n1,\u00ff,0\n", "not UTF-8 text"),
                Arguments.of("a truncated gzip stream", "", "the gzip stream ends early"),
                Arguments.of("damaged gzip data", "", "damaged gzip data"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void hostileCsvFiles(String what, String content, String expected, @TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("d.csv"), out = tmp.resolve("run");
        byte[] bytes = switch (what) {
            case "bytes that are not UTF-8" -> content.getBytes(StandardCharsets.ISO_8859_1); // a lone 0xff byte
            case "a truncated gzip stream" -> java.util.Arrays.copyOf(gzip("a,b,y\n1,2,0\n3,4,1\n".getBytes(StandardCharsets.UTF_8)), 14);
            case "damaged gzip data" -> new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f};
            default -> content.getBytes(StandardCharsets.UTF_8);
        };
        Files.write(file, bytes);
        Cli r = Cli.run("train", "--data", file.toString(), "--task", "classification", "--epochs", "1", "--out", out.toString());
        assertEquals(2, r.exit(), what + ": " + r);
        assertEquals(1, r.err().strip().split("\n").length, what + ": " + r.err());
        assertTrue(r.err().startsWith("ravine: " + file), what + ": " + r.err());
        assertTrue(r.err().contains(expected), what + ": " + r.err());
        assertFalse(Files.exists(out), what + ": nothing written");
    }

    static Stream<Arguments> images() throws Exception {
        byte[] labels = idx(0x0801, 2);
        byte[] labelsWithData = ByteBuffer.allocate(labels.length + 2).put(labels).put(new byte[] {1, 2}).array();
        byte[] imagesWithData = ByteBuffer.allocate(16 + 2 * 4).put(idx(0x0803, 2, 2, 2)).put(new byte[8]).array();
        byte[] truncated = gzip(imagesWithData);
        truncated = java.util.Arrays.copyOf(truncated, truncated.length - 12);
        return Stream.of(
                Arguments.of("a wrong magic number", gzip(imagesWithData), gzip(ByteBuffer.allocate(10).put(idx(0x0802, 2)).put(new byte[2]).array()),
                        "train-labels-idx1-ubyte.gz: IDX magic number 0x00000802"),
                Arguments.of("truncated gzip", truncated, gzip(labelsWithData), "train-images-idx3-ubyte.gz: the gzip stream ends early"),
                Arguments.of("fewer bytes than the header says", gzip(imagesWithData), gzip(idx(0x0801, 1000000000)), "data bytes, but its IDX header"),
                Arguments.of("more bytes than the header says", gzip(imagesWithData),
                        gzip(ByteBuffer.allocate(12 + 4).put(idx(0x0801, 2)).put(new byte[8]).array()), "holds more bytes"),
                Arguments.of("a zero dimension", gzip(idx(0x0803, 0, 2, 2)), gzip(labelsWithData), "dimension 0 is 0"),
                Arguments.of("labels that do not match", gzip(imagesWithData), gzip(ByteBuffer.allocate(9).put(idx(0x0801, 1)).put(new byte[1]).array()),
                        "1 labels for the 2 images"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void hostileIdxFolders(String what, byte[] trainImages, byte[] trainLabels, String expected, @TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("idx")), out = tmp.resolve("run");
        byte[] goodImages = gzip(ByteBuffer.allocate(16 + 8).put(idx(0x0803, 2, 2, 2)).put(new byte[8]).array());
        byte[] goodLabels = gzip(ByteBuffer.allocate(10).put(idx(0x0801, 2)).put(new byte[] {0, 1}).array());
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), trainImages);
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), trainLabels);
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), goodImages);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), goodLabels);
        Cli r = Cli.run("train", "--data", dir.toString(), "--epochs", "1", "--out", out.toString());
        assertEquals(2, r.exit(), what + ": " + r);
        assertEquals(1, r.err().strip().split("\n").length, what + ": " + r.err());
        assertTrue(r.err().startsWith("ravine: " + dir), what + ": " + r.err());
        assertTrue(r.err().contains(expected), what + ": " + r.err());
        assertFalse(Files.exists(out), what + ": nothing written");
    }
}
