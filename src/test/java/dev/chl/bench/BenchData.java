package dev.chl.bench;

import dev.chl.embed.Embedder;
import dev.chl.embed.EmbeddingModels;
import dev.chl.embed.Pieces;
import dev.chl.model.Category;
import dev.chl.model.EmbeddingStatus;
import dev.chl.model.Entry;
import dev.chl.model.Kind;
import dev.chl.model.Section;
import dev.chl.model.Source;
import dev.chl.model.SyncStatus;
import dev.chl.store.Database;
import dev.chl.testing.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fills a data directory with N experiences built from the shared benchmark corpus (cycled, titles made unique),
 * written straight into the database. With {@code embedded}, each row gets the real MiniLM vector of its corpus text
 * and of its pieces (plus a little noise, so rows differ) and the status "embedded"; otherwise rows are "pending" for the workers.
 */
final class BenchData {
    static final Path CORPUS = Path.of("../shared/bench/data");

    private BenchData() {}

    /**
     * A temporary folder for a benchmark's data, deleted when the benchmark's JVM ends: a store of 100,000 entries, or
     * the backups of the SSE run, takes gigabytes, and every run makes new ones.
     */
    static Path tempDir(String prefix) throws java.io.IOException {
        Path dir = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> TempDirs.deleteQuietly(dir)));
        return dir;
    }

    static List<JsonNode> items() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        return Files.readAllLines(CORPUS.resolve("heuristics-1000.jsonl")).stream().map(json::readTree).toList();
    }

    static List<JsonNode> queries() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        return Files.readAllLines(CORPUS.resolve("queries-1000.jsonl")).stream().map(json::readTree).toList();
    }

    static void fill(Path dataDir, int n, boolean embedded) throws Exception {
        List<JsonNode> items = items();
        Files.createDirectories(dataDir);
        List<float[]> base = null;
        List<float[][]> basePieces = null;
        String model = EmbeddingModels.DEFAULT;
        if (embedded) {
            Embedder embedder = EmbeddingModels.load(model);
            base = embedder.embedDocuments(items.stream().map(i -> i.path("title").asString() + "\n" + i.path("body").asString()).toList());
            basePieces = new ArrayList<>();
            for (JsonNode i : items) {
                basePieces.add(embedder.embedDocuments(Pieces.ofDocument(i.path("title").asString(), i.path("body").asString()))
                        .toArray(float[][]::new));
            }
        }
        Random random = new Random(42);
        try (Database db = Database.openSqlite(dataDir.resolve("chl.db"))) {
            db.migrate();
            Set<String> codes = new LinkedHashSet<>();
            items.forEach(i -> codes.add(i.path("category").asString()));
            Instant now = Instant.now();
            db.write(tx -> {
                for (String code : codes) {
                    if (!tx.categories().exists(code)) {
                        tx.categories().insert(new Category(code, "Category " + code, "", now));
                    }
                }
                return null;
            });
            int batch = 5000;
            for (int start = 0; start < n; start += batch) {
                int from = start;
                int to = Math.min(n, start + batch);
                List<float[]> vectors = base;
                List<float[][]> pieceVectors = basePieces;
                db.write(tx -> {
                    for (int i = from; i < to; i++) {
                        JsonNode item = items.get(i % items.size());
                        Instant t = now.minusSeconds(n - i);
                        String id = String.format("EXP-%s-20260101-%09d", item.path("category").asString(), i);
                        String title = i < items.size() ? item.path("title").asString()
                                : truncate(item.path("title").asString(), 110) + " #" + (i / items.size());
                        Entry e = new Entry(id, Kind.EXPERIENCE, item.path("category").asString(), Section.USEFUL, title,
                                item.path("body").asString(), null, null, null, Source.LOCAL, SyncStatus.PENDING, "bench",
                                embedded ? EmbeddingStatus.EMBEDDED : EmbeddingStatus.PENDING, t, t, null, null);
                        tx.entries().insert(e);
                        if (embedded) {
                            float[][] pieces = pieceVectors.get(i % items.size()).clone();
                            for (int p = 0; p < pieces.length; p++) {
                                pieces[p] = jitter(pieces[p], random);
                            }
                            tx.vectors().upsert(id, model, jitter(vectors.get(i % items.size()), random), pieces,
                                    dev.chl.embed.CachingEmbedder.sha256(e.embeddingText()), t.toString());
                        }
                    }
                    return null;
                });
            }
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static float[] jitter(float[] v, Random random) {
        float[] out = new float[v.length];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] + (float) (random.nextGaussian() * 0.01);
            norm += out[i] * out[i];
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < out.length; i++) {
            out[i] *= inv;
        }
        return out;
    }

    static List<Long> sorted(List<Long> nanos) {
        List<Long> copy = new ArrayList<>(nanos);
        copy.sort(null);
        return copy;
    }

    static String percentiles(List<Long> nanos) {
        List<Long> s = sorted(nanos);
        return String.format("p50 %.2f ms  p99 %.2f ms  (n=%d)", s.get(s.size() / 2) / 1e6, s.get((int) (s.size() * 0.99)) / 1e6, s.size());
    }

    static long peakRssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
