package dev.ravine.train;

import dev.ravine.UserError;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one process that writes a run folder: an operating-system lock on {@code DIR/.lock}, which holds the holder's
 * process id and host. The system releases it when the process ends, however it ends, so a killed run leaves
 * nothing that blocks its resume; a second writer while the first lives is refused, naming the first.
 */
final class RunLock implements AutoCloseable {
    static final String FILE = ".lock";
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static RunLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very process
            }
            if (lock == null) {
                String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
                ch.close();
                throw new UserError(dir + ": another ravine is writing this run (" + (holder.isEmpty() ? "unknown process" : holder)
                        + ", lock " + file + "); wait for it to end or stop it");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(("process " + ManagementFactory.getRuntimeMXBean().getName()).getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
            return new RunLock(ch, lock);
        } catch (IOException e) {
            throw new UserError(file + ": cannot lock the run folder (" + e.getMessage() + ")");
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
