package dev.ravine.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file whole or not at all: to a temporary sibling first, forced to the disk, then renamed over the target,
 * and the rename forced too, so a machine that loses power keeps the old file or the new one, never half of one.
 * Temporary files are private to their owner; the result gets the usual rw-r--r-- (rwxr-xr-x for folders), as any
 * other output.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public static void write(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            ordinaryPermissions(tmp, false);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            forceFolder(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Forces a folder's entries (a rename into it) to the disk, where the platform can open a folder to do so. */
    public static void forceFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some platforms cannot open a folder; the rename itself is still atomic
        }
    }

    /** rw-r--r-- for a file, rwxr-xr-x for a folder, where the file system has POSIX permissions. */
    public static void ordinaryPermissions(Path p, boolean folder) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(folder ? "rwxr-xr-x" : "rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its defaults stand
        }
    }
}
