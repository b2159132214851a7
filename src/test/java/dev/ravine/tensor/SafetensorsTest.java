package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.UserError;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path tmp;

    @Test
    void roundTripsBothDtypesWithPyTorchShapes() throws Exception {
        Tensor w = Tensor.of(new double[] {1.5, -2.25, 1e-300, 3.0e10, 0.1, -0.0}, 2, 3), b = Tensor.of(new double[] {7, 8}, 1, 2);
        for (DType dtype : DType.values()) {
            Path file = tmp.resolve(dtype + ".safetensors");
            Safetensors.write(file, List.of(new Safetensors.Named("0.weight", new long[] {2, 3}, w),
                    new Safetensors.Named("0.bias", new long[] {2}, b)), dtype, Map.of("format", "pt"));
            assertEquals(0, (Files.size(file) - 8 - headerLength(file)) % dtype.bytes);
            assertEquals(0, headerLength(file) % 8, "header padded to 8 bytes");
            String code = dtype == DType.FLOAT32 ? "F32" : "F64";
            int bytes = dtype.bytes;
            assertEquals("{\"__metadata__\":{\"format\":\"pt\"},\"0.weight\":{\"dtype\":\"" + code + "\",\"shape\":[2,3],\"data_offsets\":[0,"
                    + 6 * bytes + "]},\"0.bias\":{\"dtype\":\"" + code + "\",\"shape\":[2],\"data_offsets\":[" + 6 * bytes + "," + 8 * bytes + "]}}",
                    header(file).strip(), "the header, compact, in the order written");
            Map<String, Safetensors.Entry> read = Safetensors.read(file);
            assertEquals(List.of("0.weight", "0.bias"), List.copyOf(read.keySet()));
            assertArrayEquals(new long[] {2}, read.get("0.bias").shape());
            for (int i = 0; i < 6; i++) {
                double expected = dtype == DType.FLOAT32 ? (float) w.get(i) : w.get(i);
                assertEquals(expected, read.get("0.weight").values()[i], 0);
            }
        }
    }

    @Test
    void rejectsDamagedFilesWithTheFileAndTensorNamed() throws Exception {
        assertMessage("too short", Files.write(tmp.resolve("a"), new byte[3]));
        assertMessage("header length 1000", file(1000, "{}", 0));
        assertMessage("not valid JSON", file(-1, "{\"a\":", 0));
        assertMessage("dtype BF16 is not supported", file(-1, "{\"x\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2));
        assertMessage("tensor 'x': data_offsets [0, 64] lie outside the 8 data bytes", file(-1, "{\"x\":{\"dtype\":\"F64\",\"shape\":[8],\"data_offsets\":[0,64]}}", 8));
        assertMessage("tensor 'x': 8 data bytes do not hold shape [2]", file(-1, "{\"x\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8));
        assertMessage("no such file", tmp.resolve("missing.safetensors"));
        assertMessage("not valid JSON", file(-1, "{\"x\":1,\"x\":2}", 0)); // a key twice
        assertMessage("not valid JSON", file(-1, "{} {}", 0)); // a second value
        assertMessage("is not a JSON object", file(-1, "[1]", 0));
        assertMessage("not valid JSON", file(-1, "[".repeat(100_000) + "]".repeat(100_000), 0)); // nested past the parser's limit
        assertMessage("shape [99999999999999999999] is not a list of sizes", file(-1, "{\"x\":{\"dtype\":\"F64\",\"shape\":[99999999999999999999],\"data_offsets\":[0,8]}}", 8));
        assertMessage("shape [1.0] is not a list of sizes", file(-1, "{\"x\":{\"dtype\":\"F64\",\"shape\":[1.0],\"data_offsets\":[0,8]}}", 8));
    }

    private void assertMessage(String fragment, Path file) {
        UserError e = assertThrows(UserError.class, () -> Safetensors.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(fragment), e.getMessage());
    }

    private Path file(long declaredLength, String header, int dataBytes) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(declaredLength < 0 ? h.length : declaredLength).put(h);
        return Files.write(Files.createTempFile(tmp, "t", ".safetensors"), buf.array());
    }

    private static String header(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        return new String(bytes, 8, (int) headerLength(file), StandardCharsets.UTF_8);
    }

    private static long headerLength(Path file) throws Exception {
        return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }
}
