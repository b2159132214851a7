package dev.ravine.data;

import dev.ravine.UserError;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Image sets in the IDX format of MNIST and Fashion-MNIST (LeCun et al.), gzipped or not: a big-endian header
 * (magic 0x0803 for unsigned-byte images [n, rows, cols], 0x0801 for labels [n]) followed by the bytes. Pixels
 * are scaled to [0, 1]. Files are read as hostile: every size is checked against the bytes that are there.
 */
public final class IdxReader {
    private IdxReader() {
    }

    /** Reads an images file and its labels file into a classification data set with 10 classes. */
    public static Dataset read(Path images, Path labels, String source, DType dtype) {
        try (InputStream i = Files.newInputStream(images); InputStream l = Files.newInputStream(labels)) {
            return read(i, images, l, labels, source, dtype);
        } catch (IOException e) {
            throw new UserError(images + ": cannot read IDX data (" + e.getMessage() + ")");
        }
    }

    /** As {@link #read(Path, Path, String, DType)}, from open streams; the paths name them in messages. */
    public static Dataset read(InputStream imageStream, Path images, InputStream labelStream, Path labels, String source, DType dtype) {
        byte[] img = content(imageStream, images, 0x0803, 3), lab = content(labelStream, labels, 0x0801, 1);
        int n = dims(img)[0], rows = dims(img)[1], cols = dims(img)[2], width = rows * cols;
        if (dims(lab)[0] != n) throw new UserError(labels + ": " + dims(lab)[0] + " labels for the " + n + " images of " + images);
        Tensor x = Tensor.zeros(dtype, n, width), y = Tensor.zeros(dtype, n, 1);
        int classes = 0, imageStart = 4 + 4 * 3, labelStart = 4 + 4;
        double[] pixel = new double[256]; // a byte's value in [0, 1], looked up rather than divided
        for (int b = 0; b < 256; b++) pixel[b] = b / 255.0;
        if (x.f != null) {
            float[] f = new float[256], to = x.f;
            for (int b = 0; b < 256; b++) f[b] = (float) pixel[b];
            for (int k = 0; k < n * width; k++) to[k] = f[img[imageStart + k] & 0xff];
        } else {
            double[] to = x.d;
            for (int k = 0; k < n * width; k++) to[k] = pixel[img[imageStart + k] & 0xff];
        }
        for (int i = 0; i < n; i++) {
            int label = lab[labelStart + i] & 0xff;
            y.set(i, label);
            classes = Math.max(classes, label + 1);
        }
        List<String> names = new ArrayList<>(width);
        for (int j = 0; j < width; j++) names.add("px" + j);
        return new Dataset(source, names, "label", Task.CLASSIFICATION, Math.max(classes, 10), x, y);
    }

    /** Bytes read at a time: what a file may make ravine hold beyond the bytes it really has. */
    private static final int BLOCK = 1 << 20;

    /** The dimensions in a checked file's header. */
    private static int[] dims(byte[] content) {
        ByteBuffer b = ByteBuffer.wrap(content);
        int d = content[3];
        int[] out = new int[d];
        for (int i = 0; i < d; i++) out[i] = b.getInt(4 + 4 * i);
        return out;
    }

    /**
     * The whole file, gunzipped (or as it is, when not gzipped), checked against its header: the magic number, every
     * dimension positive, and exactly as many bytes as the dimensions say. Memory grows with the bytes that really
     * arrive, never with what a header claims, and reading stops one byte past the size the header gives.
     */
    private static byte[] content(InputStream stream, Path file, int magic, int dims) {
        try (InputStream in = Gzip.open(stream)) {
            byte[] head = in.readNBytes(4 + 4 * dims);
            if (head.length < 4) throw new UserError(file + ": " + head.length + " bytes, too short for an IDX header");
            ByteBuffer h = ByteBuffer.wrap(head);
            int m = h.getInt(0);
            if (m != magic)
                throw new UserError(file + ": IDX magic number 0x" + String.format("%08x", m) + ", expected 0x" + String.format("%08x", magic)
                        + (magic == 0x0803 ? " (unsigned-byte images, 3 dimensions)" : " (unsigned-byte labels, 1 dimension)"));
            if (head.length < 4 + 4 * dims) throw new UserError(file + ": the IDX header ends before its " + dims + " dimensions");
            long total = 1;
            for (int i = 0; i < dims; i++) {
                int d = h.getInt(4 + 4 * i);
                if (d < 1) throw new UserError(file + ": IDX dimension " + i + " is " + d + ", expected 1 or more");
                total *= d;
                if (total > Integer.MAX_VALUE - 64) throw new UserError(file + ": " + total + "+ values is more than ravine holds in memory");
            }
            // the bytes in blocks as they arrive, up to one past the size the header gives (refused), then one array
            List<byte[]> blocks = new ArrayList<>();
            long got = 0;
            while (got <= total) {
                byte[] block = new byte[(int) Math.min(BLOCK, total + 1 - got)];
                int filled = in.readNBytes(block, 0, block.length);
                got += filled;
                blocks.add(filled == block.length ? block : java.util.Arrays.copyOf(block, filled));
                if (filled < block.length) break;
            }
            if (got > total) throw new UserError(file + ": holds more bytes than its IDX header's sizes (" + total + ")");
            if (got < total) throw new UserError(file + ": " + got + " data bytes, but its IDX header's sizes need " + total);
            byte[] body = java.util.Arrays.copyOf(head, head.length + (int) total);
            int at = head.length;
            for (byte[] block : blocks) {
                System.arraycopy(block, 0, body, at, block.length);
                at += block.length;
            }
            return body;
        } catch (IOException e) {
            throw Gzip.failure(file, e, "IDX data");
        }
    }
}
