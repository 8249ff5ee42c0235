package dev.chl.bench;

import dev.chl.app.App;
import dev.chl.app.Config;
import dev.chl.index.LuceneIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;

/**
 * What verifying the live generation's checksums adds to opening the index at start-up:
 * <pre>
 *   ./bench index-open N…   for each N: an index of N embedded entries built by the server's own start-up rebuild,
 *                           then the checksum pass over the commit's files and the whole LuceneIndex.open (which
 *                           includes it), 7 rounds each (the first shown apart), page cache warm and — where GNU dd can
 *                           drop a file's cached pages (iflag=nocache) — cold
 * </pre>
 */
public final class IndexOpenBench {
    private static final int ROUNDS = 7;

    public static void main(String[] args) throws Exception {
        for (String arg : args) {
            measure(Integer.parseInt(arg));
        }
        System.exit(0);
    }

    private static void measure(int n) throws Exception {
        Path dir = BenchData.tempDir("chl-bench-open-");
        BenchData.fill(dir, n, true);
        try (App app = App.start(new Config(dir, "127.0.0.1", 0, null), Clock.systemUTC())) {
            while (!app.services().index().status().state().equals("ready") || app.services().index().disagreement() != null) {
                Thread.sleep(200);
            }
        }
        Path root = dir.resolve("index");
        Path generation = root.resolve(Files.readString(root.resolve("CURRENT")).strip());
        long bytes;
        try (Stream<Path> files = Files.list(generation)) {
            bytes = files.mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.printf("%,d entries: generation %s, %.1f MB%n", n, generation.getFileName(), bytes / 1e6);
        report("checksum pass, warm", timed(() -> checksumPass(generation)));
        java.util.Map<String, String> built;
        try (Directory d = FSDirectory.open(generation)) {
            built = SegmentInfos.readLatestCommit(d).getUserData();
        }
        // The model the index was built for: any other would make open start an empty index (and delete this one).
        String model = built.get("model_id");
        int dimension = Integer.parseInt(built.get("dimension"));
        report("LuceneIndex.open (pass included), warm", timed(() -> {
            try (LuceneIndex index = LuceneIndex.open(root, model, dimension)) {
                if (index.openProblem() != null) {
                    throw new IllegalStateException(index.openProblem());
                }
            }
        }));
        List<Long> cold = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            if (!dropCachedPages(generation)) {
                System.out.println("  (no cold figures: dd iflag=nocache unavailable)");
                return;
            }
            long t = System.nanoTime();
            checksumPass(generation);
            cold.add(System.nanoTime() - t);
        }
        report("checksum pass, cold (pages dropped first)", cold);
    }

    /** What Generation.open does before opening a writer: CodecUtil.checksumEntireFile over the latest commit's files. */
    private static void checksumPass(Path generation) throws Exception {
        try (Directory d = FSDirectory.open(generation)) {
            for (String file : SegmentInfos.readLatestCommit(d).files(true)) {
                try (IndexInput in = d.openInput(file, IOContext.READONCE)) {
                    CodecUtil.checksumEntireFile(in);
                }
            }
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private static List<Long> timed(Step step) throws Exception {
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            long t = System.nanoTime();
            step.run();
            nanos.add(System.nanoTime() - t);
        }
        return nanos;
    }

    private static void report(String what, List<Long> nanos) {
        List<Long> rest = BenchData.sorted(nanos.subList(1, nanos.size()));
        System.out.printf("  %-45s first %7.1f ms, then median %7.1f ms, max %7.1f ms%n", what, nanos.getFirst() / 1e6,
                rest.get(rest.size() / 2) / 1e6, rest.getLast() / 1e6);
    }

    private static boolean dropCachedPages(Path generation) throws Exception {
        try (Stream<Path> files = Files.list(generation)) {
            for (Path f : files.toList()) {
                Process p = new ProcessBuilder("dd", "if=" + f, "iflag=nocache", "count=0", "status=none").inheritIO().start();
                if (p.waitFor() != 0) {
                    return false;
                }
            }
        }
        return true;
    }
}
