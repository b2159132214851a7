package dev.ravine.data;

import dev.ravine.UserError;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Files read gzip-compressed or not, told apart by gzip's magic bytes rather than by their names. */
final class Gzip {
    private Gzip() {
    }

    /** {@code stream}, buffered, and decompressed when it starts with gzip's magic bytes 1f 8b. */
    static InputStream open(InputStream stream) throws IOException {
        InputStream raw = new BufferedInputStream(stream, 1 << 16);
        raw.mark(2);
        boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        return gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
    }

    /** A read that failed, as the one line that names {@code file} and what went wrong: truncated or damaged gzip data, or else. */
    static UserError failure(Path file, IOException e, String reading) {
        if (e instanceof EOFException) return new UserError(file + ": the gzip stream ends early (the file is truncated)");
        if (e instanceof java.util.zip.ZipException) return new UserError(file + ": damaged gzip data (" + e.getMessage() + ")");
        if (e instanceof java.nio.file.NoSuchFileException) return new UserError(file + ": no such file");
        if (e instanceof java.nio.file.AccessDeniedException) return new UserError(file + ": permission denied");
        return new UserError(file + ": cannot read " + reading + " (" + e.getMessage() + ")");
    }
}
