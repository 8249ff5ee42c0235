package dev.chl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;

/**
 * Damages an index generation on disk the way a bad disk or a stray tool would, for the tests of what the server does
 * then. Lucene reads a file's checksum only when asked; a damaged byte otherwise shows when a search reads it.
 */
public final class IndexFiles {
    private IndexFiles() {}

    /** Where the stored texts (Lucene's {@code .fdt} data) of a generation lie: a file of their own or a slice of a compound file. */
    public record Region(Path file, long offset, long length) {}

    /** The generation {@code index/CURRENT} names. */
    public static Path liveGeneration(Path dataDir) {
        try {
            return dataDir.resolve("index").resolve(Files.readString(dataDir.resolve("index").resolve("CURRENT")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Region storedTexts(Path generation) {
        try (Stream<Path> files = Files.list(generation)) {
            Path[] all = files.toArray(Path[]::new);
            for (Path f : all) {
                if (f.getFileName().toString().endsWith(".fdt")) {
                    return new Region(f, 0, Files.size(f));
                }
            }
            for (Path f : all) {
                String name = f.getFileName().toString();
                if (name.endsWith(".cfe")) {
                    Region inside = inCompoundFile(generation, name.substring(0, name.length() - 4));
                    if (inside != null) {
                        return inside;
                    }
                }
            }
            throw new IllegalStateException("no stored fields in " + Arrays.toString(all));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The .fdt slice of a compound file, from its entries table: a header, a count, then (name, offset, length) each. */
    private static Region inCompoundFile(Path generation, String segment) throws IOException {
        try (Directory dir = FSDirectory.open(generation); IndexInput in = dir.openInput(segment + ".cfe", IOContext.READONCE)) {
            CodecUtil.readIndexHeader(in);
            int count = in.readVInt();
            for (int i = 0; i < count; i++) {
                String name = in.readString();
                long offset = in.readLong();
                long length = in.readLong();
                if (name.equals(".fdt")) {
                    return new Region(generation.resolve(segment + ".cfs"), offset, length);
                }
            }
        }
        return null;
    }

    /**
     * Overwrites the last two thirds of a region, short of its 16-byte footer, with 0xFF: bytes no compressed block or
     * length can be made of. Written in place — a running server maps the file, and truncating it would crash the reader.
     */
    public static void garble(Region region) {
        long from = region.offset() + region.length() / 3;
        long to = region.offset() + region.length() - 16;
        byte[] junk = new byte[(int) Math.max(1, to - from)];
        Arrays.fill(junk, (byte) 0xFF);
        try (FileChannel ch = FileChannel.open(region.file(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(junk), from);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
