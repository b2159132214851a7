package dev.ravine.data;

import dev.ravine.UserError;
import dev.ravine.tensor.DType;
import dev.ravine.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Image sets in the IDX format of MNIST and Fashion-MNIST (LeCun et al.), gzipped: a big-endian header (magic
 * 0x0803 for unsigned-byte images [n, rows, cols], 0x0801 for labels [n]) followed by the bytes. Pixels are
 * scaled to [0, 1].
 */
public final class IdxReader {
    private IdxReader() {
    }

    /** Reads an images file and its labels file into a classification data set with 10 classes. */
    public static Dataset read(Path images, Path labels, String source, DType dtype) {
        try (DataInputStream img = open(images); DataInputStream lab = open(labels)) {
            int[] imageDims = header(img, images, 0x0803, 3);
            int[] labelDims = header(lab, labels, 0x0801, 1);
            int n = imageDims[0], width = imageDims[1] * imageDims[2];
            if (labelDims[0] != n) throw new UserError(labels + ": " + labelDims[0] + " labels for the " + n + " images of " + images);
            Tensor x = Tensor.zeros(dtype, n, width), y = Tensor.zeros(dtype, n, 1);
            byte[] row = new byte[width];
            int classes = 0;
            for (int i = 0; i < n; i++) {
                img.readFully(row);
                for (int j = 0; j < width; j++) x.set(i * width + j, (row[j] & 0xff) / 255.0);
                int label = lab.readUnsignedByte();
                y.set(i, label);
                classes = Math.max(classes, label + 1);
            }
            List<String> names = new ArrayList<>(width);
            for (int j = 0; j < width; j++) names.add("px" + j);
            return new Dataset(source, names, "label", Task.CLASSIFICATION, Math.max(classes, 10), x, y);
        } catch (EOFException e) {
            throw new UserError(images + " or " + labels + ": file ends before the sizes in its header");
        } catch (IOException e) {
            throw new UserError(images + ": cannot read IDX data (" + e.getMessage() + ")");
        }
    }

    private static DataInputStream open(Path p) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
        return new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16));
    }

    private static int[] header(DataInputStream in, Path file, int magic, int dims) throws IOException {
        int m = in.readInt();
        if (m != magic) throw new UserError(file + ": IDX magic number " + Integer.toHexString(m) + ", expected " + Integer.toHexString(magic));
        int[] out = new int[dims];
        long total = 1;
        for (int i = 0; i < dims; i++) {
            out[i] = in.readInt();
            if (out[i] < 1) throw new UserError(file + ": dimension " + i + " is " + out[i]);
            total *= out[i];
        }
        if (total > Integer.MAX_VALUE / 8) throw new UserError(file + ": " + total + " values is more than ravine holds in memory");
        return out;
    }
}
