package dev.chl.bench;

import dev.chl.app.App;
import dev.chl.app.Config;
import dev.chl.embed.EmbeddingModels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Latency and throughput over real HTTP on 127.0.0.1 against a server in this JVM.
 * <pre>
 *   ./bench write N     create-entry and list-by-category latency with N existing (embedded) entries
 *   ./bench search N    search latency (query embedding included) with N existing entries, plus peak RSS
 *   ./bench embed N     time for the workers to embed N pending entries from scratch, with 1 and 2 workers
 * </pre>
 */
public final class ServerBench {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int n = Integer.parseInt(args[1]);
        switch (mode) {
            case "write" -> write(n);
            case "search" -> search(n);
            case "embed" -> embed(n);
            default -> throw new IllegalArgumentException("modes: write, search, embed");
        }
        System.exit(0); // a benchmark ends when it has printed its numbers
    }

    private static App startOn(Path dir) throws Exception {
        long t = System.nanoTime();
        App app = App.start(new Config(dir, "127.0.0.1", 0, null), Clock.systemUTC());
        // Wait for the start-up heal (index rebuilt from the database) to finish.
        while (!app.services().index().status().state().equals("ready") || app.services().index().disagreement() != null) {
            Thread.sleep(200);
        }
        System.out.printf("server ready with index in %.1f s%n", (System.nanoTime() - t) / 1e9);
        return app;
    }

    private static void write(int n) throws Exception {
        Path dir = BenchData.tempDir("chl-bench-write-");
        BenchData.fill(dir, n, true);
        try (App app = startOn(dir)) {
            String base = "http://127.0.0.1:" + app.port();
            List<JsonNode> items = BenchData.items();
            List<Long> creates = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                JsonNode item = items.get(i % items.size());
                String body = JSON.writeValueAsString(Map.of("category_code", item.path("category").asString(), "section", "useful",
                        "title", "bench write " + i + " " + item.path("title").asString().substring(0, 40),
                        "playbook", item.path("body").asString()));
                long t = System.nanoTime();
                HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/experiences"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                long elapsed = System.nanoTime() - t;
                if (r.statusCode() != 201) throw new IllegalStateException(r.body());
                if (i >= 100) creates.add(elapsed);
            }
            List<Long> lists = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                String category = items.get(i % items.size()).path("category").asString();
                long t = System.nanoTime();
                HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/experiences?limit=50&category=" + category))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                long elapsed = System.nanoTime() - t;
                if (r.statusCode() != 200) throw new IllegalStateException(r.body());
                if (i >= 100) lists.add(elapsed);
            }
            System.out.printf("entries %d  create over HTTP: %s%n", n, BenchData.percentiles(creates));
            System.out.printf("entries %d  list by category (50 per page): %s%n", n, BenchData.percentiles(lists));
        }
    }

    private static void search(int n) throws Exception {
        Path dir = BenchData.tempDir("chl-bench-search-");
        BenchData.fill(dir, n, true);
        try (App app = startOn(dir)) {
            String base = "http://127.0.0.1:" + app.port();
            List<JsonNode> queries = BenchData.queries();
            List<Long> latencies = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (JsonNode q : queries) {
                    String body = JSON.writeValueAsString(Map.of("query", q.path("query").asString(), "kind", "experience", "limit", 5));
                    long t = System.nanoTime();
                    HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/search"))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    long elapsed = System.nanoTime() - t;
                    if (r.statusCode() != 200) throw new IllegalStateException(r.body());
                    if (round > 0) latencies.add(elapsed);
                }
            }
            System.out.printf("entries %d  search over HTTP: %s%n", n, BenchData.percentiles(latencies));
            System.out.printf("entries %d  index %s%n", n, JSON.writeValueAsString(app.services().index().status()));
            System.gc();
            System.out.printf("entries %d  peak RSS of this JVM (server + bench client): %d MB%n", n, BenchData.peakRssKb() / 1024);
        }
    }

    private static void embed(int n) throws Exception {
        for (int workers : new int[] {1, 2}) {
            Path dir = BenchData.tempDir("chl-bench-embed-");
            BenchData.fill(dir, n, false);
            try (dev.chl.store.Database db = dev.chl.store.Database.openSqlite(dir.resolve("chl.db"))) {
                String now = dev.chl.common.Times.format(java.time.Instant.now());
                db.write(tx -> {
                    tx.settings().put(new dev.chl.store.SettingRow("workers",
                            "{\"count\":" + workers + ",\"batch_size\":16,\"max_attempts\":3}", null, now, null, now));
                    return null;
                });
            }
            long t = System.nanoTime();
            try (App app = App.start(new Config(dir, "127.0.0.1", 0, null), Clock.systemUTC(), EmbeddingModels::load)) {
                while (app.services().workers().queue().pending() > 0) {
                    Thread.sleep(100);
                }
                double seconds = (System.nanoTime() - t) / 1e9;
                System.out.printf("workers %d  embedded %d entries from scratch in %.1f s = %.0f entries/s%n", workers, n, seconds, n / seconds);
            }
        }
    }
}
