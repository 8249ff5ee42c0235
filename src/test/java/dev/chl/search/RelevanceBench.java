package dev.chl.search;

import dev.chl.app.App;
import dev.chl.app.Config;
import dev.chl.embed.EmbeddingModels;
import dev.chl.model.Actor;
import dev.chl.model.Channel;
import dev.chl.model.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Relevance benchmark on ../shared/bench/data: loads the 1,000 heuristics as experiences, embeds them, runs the 200
 * queries and prints recall@5 and MRR@10 for lexical-only, vector-only and hybrid retrieval, overall and per query kind.
 * Run: ./bench relevance [model-id]
 */
public final class RelevanceBench {
    public static void main(String[] args) throws Exception {
        String model = args.length > 0 ? args[0] : EmbeddingModels.DEFAULT;
        Path data = Path.of(args.length > 1 ? args[1] : "../shared/bench/data");
        JsonMapper json = JsonMapper.builder().build();
        Path dir = Files.createTempDirectory("chl-relevance-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> dev.chl.testing.TempDirs.deleteQuietly(dir)));
        try (App app = App.start(new Config(dir, "127.0.0.1", 0, null), Clock.systemUTC(), id -> EmbeddingModels.load(model))) {
            App.Services s = app.services();
            Actor actor = new Actor("bench", Channel.API);
            Map<String, String> idMap = new HashMap<>();
            Set<String> categories = new LinkedHashSet<>();
            List<JsonNode> items = Files.readAllLines(data.resolve("heuristics-1000.jsonl")).stream().map(json::readTree).toList();
            items.forEach(i -> categories.add(i.path("category").asString()));
            Set<String> existing = new java.util.HashSet<>();
            s.categories().list().forEach(c -> existing.add(c.category().code()));
            for (String code : categories) {
                if (!existing.contains(code)) {
                    s.categories().create(actor, Map.of("code", code, "name", "Category " + code));
                }
            }
            long loadStart = System.nanoTime();
            for (JsonNode item : items) {
                var created = s.entries().create(actor, Kind.EXPERIENCE, Map.of(
                        "category_code", item.path("category").asString(), "section", "useful",
                        "title", item.path("title").asString(), "playbook", item.path("body").asString()));
                idMap.put(created.entry().id(), item.path("id").asString());
            }
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            while (s.workers().queue().pending() > 0) {
                Thread.sleep(200);
            }
            List<JsonNode> queries = Files.readAllLines(data.resolve("queries-1000.jsonl")).stream().map(json::readTree).toList();
            System.out.printf("model %s, %d entries loaded in %.1f s, %d queries%n", model, items.size(), loadSeconds, queries.size());
            List<double[]> configs = new ArrayList<>(List.of(new double[] {1, 0}, new double[] {0, 1},
                    new double[] {SearchService.LEXICAL_WEIGHT, SearchService.VECTOR_WEIGHT}));
            for (int i = 2; i < args.length; i++) {
                String[] w = args[i].split(":");
                configs.add(new double[] {Double.parseDouble(w[0]), Double.parseDouble(w[1])});
            }
            for (double[] weights : configs) {
                String mode = weights[1] == 0 ? "lexical" : weights[0] == 0 ? "vector" : "hybrid " + weights[0] + ":" + weights[1];
                Map<String, double[]> byKind = new java.util.TreeMap<>();
                List<Long> latencies = new ArrayList<>();
                for (JsonNode q : queries) {
                    long t = System.nanoTime();
                    SearchResults r = s.search().search(q.path("query").asString(), "experience", null, 10, weights[0], weights[1]);
                    latencies.add(System.nanoTime() - t);
                    Set<String> relevant = new java.util.HashSet<>();
                    q.path("relevant").forEach(n -> relevant.add(n.asString()));
                    double recall5 = 0;
                    double rr = 0;
                    for (int rank = 0; rank < r.results().size(); rank++) {
                        String original = idMap.get(r.results().get(rank).id());
                        if (relevant.contains(original)) {
                            if (rank < 5) recall5 += 1.0 / relevant.size();
                            if (rr == 0) rr = 1.0 / (rank + 1);
                        }
                    }
                    for (String k : List.of("all", q.path("kind").asString())) {
                        double[] acc = byKind.computeIfAbsent(k, x -> new double[3]);
                        acc[0] += recall5;
                        acc[1] += rr;
                        acc[2]++;
                    }
                }
                latencies.sort(null);
                StringBuilder line = new StringBuilder(String.format("%-16s", mode));
                byKind.forEach((k, acc) -> line.append(String.format("  %s: R@5 %.3f MRR@10 %.3f", k, acc[0] / acc[2], acc[1] / acc[2])));
                line.append(String.format("  p50 %.2f ms", latencies.get(latencies.size() / 2) / 1e6));
                System.out.println(line);
            }
        }
        System.exit(0); // a benchmark ends when it has printed its numbers (the MCP SDK leaves a non-daemon thread)
    }
}
