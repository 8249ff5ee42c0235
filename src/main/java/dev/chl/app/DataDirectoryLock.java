package dev.chl.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One process per data directory. A second one (a CLI command that found no server at the URL it tried, or a second
 * {@code serve}) used to open the same files: it could not get Lucene's write lock, took the live index for unreadable
 * and replaced it, and marked the running server's jobs failed and its locks free. An OS file lock on
 * {@code chl.lock} is released by the OS when the process dies, so a crash never leaves the directory locked.
 */
final class DataDirectoryLock implements AutoCloseable {
    static final String FILE = "chl.lock";
    /**
     * The directories this JVM holds. Process-wide on purpose, like the OS locks it mirrors: a second App in this JVM
     * must be refused before it opens the lock file at all, because closing any channel on that file drops every lock
     * the JVM holds on it (POSIX), which would unlock the first App's directory for other processes.
     */
    private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path dir;

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirectoryLock acquire(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        Path dir = canonical(dataDir);
        if (!HELD.add(dir)) {
            throw inUse(dataDir, "pid " + ProcessHandle.current().pid() + ", this process");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(dataDir, holder(file));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
            return new DataDirectoryLock(dir, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            HELD.remove(dir);
            throw new UncheckedIOException("cannot lock the data directory " + dataDir + " (" + file + ")", e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            HELD.remove(dir);
            throw e;
        }
    }

    /** What the holder wrote ("pid 1234"); empty when it cannot be read (some systems refuse reading a locked file). */
    private static String holder(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static Config.ConfigException inUse(Path dataDir, String holder) {
        return new Config.ConfigException("another CHL process is using the data directory " + dataDir
                + (holder.isEmpty() ? "" : " (" + holder + ")") + "; stop it first, or reach it over HTTP: "
                + "pass --url with its address (or set CHL_PORT) to CLI commands", true);
    }

    private static Path canonical(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was locked through it
            }
        }
    }

    @Override
    public void close() throws IOException {
        try (channel) {
            lock.release();
        } finally {
            HELD.remove(dir);
        }
    }
}
